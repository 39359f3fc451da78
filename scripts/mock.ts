// `npm run mock [-- --port 4010 --latency 200 ...]`: the embedded HostUp mock on 127.0.0.1, printing its URL and
// the sample v1 key and v2 token it accepts. The same program as the package's `hostup-mock` bin.
import "../src/mock/cli.js";

// A loopback answer that floods: shared by the tests of everything that reads from a server (the client, record
// mode, docs:check), each of which must stop reading at its limit and hang up.
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * A request handler that answers `status` with `headers` and streams `chunk` until `total` bytes are out or the
 * reader hangs up (no Content-Length: the body has no announced end); `written()` says how far it got.
 */
export function endless(status: number, headers: Record<string, string>, chunk: Buffer, total: number) {
  let written = 0;
  const handler = (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(status, headers);
    const more = () => {
      while (written < total && !res.destroyed) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once("drain", more);
      }
      res.end();
    };
    res.on("close", () => res.destroy());
    more();
  };
  return { handler, written: () => written };
}

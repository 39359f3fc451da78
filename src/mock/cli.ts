#!/usr/bin/env node
// hostup-mock: starts the embedded HostUp mock on loopback and prints how to reach it.
//   hostup-mock [--port 4010] [--host 127.0.0.1] [--latency 200] [--error-rate 0.1] [--rate-limit 60]
import { parseArgs } from "node:util";
import { startMockServer } from "./index.js";
import {
  DEFAULT_VMS,
  SAMPLE_V1_KEY,
  SAMPLE_V1_READONLY_KEY,
  SAMPLE_V2_READONLY_TOKEN,
  SAMPLE_V2_TOKEN,
} from "./seed.js";

const HELP = `Usage: hostup-mock [options]

Starts a stateful mock of HostUp's v1 and v2 backup and snapshot schedule APIs.

Options:
  --port <n>          port to listen on (default: a free one)
  --host <addr>       interface (default 127.0.0.1; the mock has no real security, keep it on loopback)
  --latency <ms>      add this many milliseconds to every answer
  --error-rate <0..1> answer this share of requests with 500
  --html-502-rate <0..1>  answer this share with a proxy's HTML 502 page
  --rate-limit <n>    allow n requests per credential per minute, then 429
  -h, --help          show this help

Per request, send the header x-mock-fault: rate-limit[=s] | html-502 | 500 | reset | latency=<ms>.`;

function number(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) {
    console.error(`hostup-mock: --${name} must be a number from ${min} to ${max}`);
    process.exit(2);
  }
  return n;
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      latency: { type: "string" },
      "error-rate": { type: "string" },
      "html-502-rate": { type: "string" },
      "rate-limit": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const rateLimit = number("rate-limit", values["rate-limit"], 1, 1_000_000);
  const server = await startMockServer({
    port: number("port", values.port, 0, 65_535) ?? 0,
    host: values.host ?? "127.0.0.1",
    faults: {
      latencyMs: number("latency", values.latency, 0, 60_000) ?? 0,
      errorRate: number("error-rate", values["error-rate"], 0, 1) ?? 0,
      html502Rate: number("html-502-rate", values["html-502-rate"], 0, 1) ?? 0,
      ...(rateLimit ? { rateLimit: { limit: rateLimit } } : {}),
    },
  });
  console.log(`HostUp mock listening on ${server.url}
  v1 key:            ${SAMPLE_V1_KEY}   (read-only: ${SAMPLE_V1_READONLY_KEY})
  v2 token:          ${SAMPLE_V2_TOKEN} (read-only: ${SAMPLE_V2_READONLY_TOKEN})
  VMs:               ${DEFAULT_VMS.web.vmid} / ${DEFAULT_VMS.web.vpsId} (weekly schedule, history)
                     ${DEFAULT_VMS.db.vmid} / ${DEFAULT_VMS.db.vpsId} (no schedule, no snapshot capacity)
  try:               curl -H 'Authorization: Bearer ${SAMPLE_V2_TOKEN}' ${server.url}/api/v2/vps
Ctrl-C stops it.`);
  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`hostup-mock: ${(error as Error)?.message ?? String(error)}`);
  process.exit(1);
});

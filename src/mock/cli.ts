#!/usr/bin/env node
// hostup-mock: starts the embedded HostUp mock on loopback and prints how to reach it.
//   hostup-mock [--port 4010] [--host 127.0.0.1] [--latency 200] [--error-rate 0.1] [--rate-limit 60]
import { parseArgs } from "node:util";
import type { MockFaults } from "./faults.js";
import { startMockServer } from "./index.js";
import {
  DEFAULT_VMS,
  SAMPLE_V1_KEY,
  SAMPLE_V1_READONLY_KEY,
  SAMPLE_V2_READONLY_TOKEN,
  SAMPLE_V2_TOKEN,
} from "./seed.js";

/** The documented port, so that `curl http://127.0.0.1:4010/...` works as written. */
export const DEFAULT_PORT = 4010;

/** The hosts that keep the mock on this machine: localhost, 127.0.0.0/8, ::1. */
const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/i;

const HELP = `Usage: hostup-mock [options]

Starts a stateful mock of HostUp's v1 and v2 backup and snapshot schedule APIs.

Options:
  --port <n>          port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --host <addr>       interface (default 127.0.0.1; the mock has no real security, keep it on loopback)
  --latency <ms>      add this many milliseconds to every answer
  --error-rate <0..1> answer this share of requests with 500
  --html-502-rate <0..1>  answer this share with a proxy's HTML 502 page
  --rate-limit <n>    allow n requests per credential per minute, then 429
  -h, --help          show this help

Per request, send the header x-mock-fault: rate-limit[=s] | html-502 | 500 | reset | latency=<ms>.`;

function number(
  name: string,
  value: string | undefined,
  min: number,
  max: number,
  { integer = false } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    console.error(
      `hostup-mock: --${name} must be ${integer ? "an integer" : "a number"} from ${min} to ${max}`,
    );
    process.exit(2);
  }
  return n;
}

/** One line for the banner: what the server's knobs do (the per-request header works either way). */
export function describeFaults(faults: MockFaults): string {
  const active: string[] = [];
  if (faults.latencyMs) active.push(`latency ${faults.latencyMs} ms`);
  if (faults.errorRate) active.push(`error rate ${faults.errorRate} (500)`);
  if (faults.html502Rate) active.push(`HTML 502 rate ${faults.html502Rate}`);
  if (faults.rateLimit) {
    const seconds = (faults.rateLimit.windowMs ?? 60_000) / 1000;
    active.push(`rate limit ${faults.rateLimit.limit} per credential per ${seconds} s`);
  }
  return active.length ? active.join(", ") : "none";
}

const OPTIONS = {
  port: { type: "string" },
  host: { type: "string" },
  latency: { type: "string" },
  "error-rate": { type: "string" },
  "html-502-rate": { type: "string" },
  "rate-limit": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** The command line, or exit 2 (a usage error, as a value out of range is) with node:util's reason. */
function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS });
  } catch (error) {
    console.error(`hostup-mock: ${(error as Error).message} (hostup-mock --help lists the options)`);
    process.exit(2);
  }
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parse(argv);
  if (values.help) {
    console.log(HELP);
    return;
  }
  const rateLimit = number("rate-limit", values["rate-limit"], 1, 1_000_000, { integer: true });
  const port = number("port", values.port, 0, 65_535, { integer: true }) ?? DEFAULT_PORT;
  const host = values.host ?? "127.0.0.1";
  const faults: MockFaults = {
    latencyMs: number("latency", values.latency, 0, 60_000) ?? 0,
    errorRate: number("error-rate", values["error-rate"], 0, 1) ?? 0,
    html502Rate: number("html-502-rate", values["html-502-rate"], 0, 1) ?? 0,
    ...(rateLimit ? { rateLimit: { limit: rateLimit } } : {}),
  };
  let server: Awaited<ReturnType<typeof startMockServer>>;
  try {
    server = await startMockServer({ port, host, faults });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      console.error(
        `hostup-mock: port ${port} on ${host} is already in use (another hostup-mock?). ` +
          "Stop that process, or pass --port <n> for another port or --port 0 for a free one.",
      );
      process.exit(1);
    }
    throw error;
  }
  // before the banner: a script that stops the mock as soon as it reads the banner must find the handlers there
  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  // other machines may reach a mock on another interface, and its sample credentials are public
  const exposed = LOOPBACK_HOSTS.test(host)
    ? ""
    : `  WARNING:           --host ${host} is not loopback: other machines may reach this mock (no real security)\n`;
  console.log(`HostUp mock listening on ${server.url}
${exposed}  v1 key:            ${SAMPLE_V1_KEY}   (read-only: ${SAMPLE_V1_READONLY_KEY})
  v2 token:          ${SAMPLE_V2_TOKEN} (read-only: ${SAMPLE_V2_READONLY_TOKEN})
  VMs:               ${DEFAULT_VMS.web.vmid} / ${DEFAULT_VMS.web.vpsId} (weekly schedule, history)
                     ${DEFAULT_VMS.db.vmid} / ${DEFAULT_VMS.db.vpsId} (no schedule, no snapshot capacity)
  faults:            ${describeFaults(faults)}
                     (per request: header x-mock-fault: rate-limit[=s] | html-502 | 500 | reset | latency=<ms>)
  try:               curl -H 'Authorization: Bearer ${SAMPLE_V2_TOKEN}' ${server.url}/api/v2/vps
Ctrl-C stops it.`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`hostup-mock: ${(error as Error)?.message ?? String(error)}`);
  process.exit(1);
});

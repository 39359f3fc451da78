// Record mode against a hostile server on 127.0.0.1: one that floods, stalls, or echoes the credential encoded.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runRecord } from "../../scripts/record.js";
import { buildEntry, buildHar, serializeHar } from "../../src/contract/har.js";
import { scrubHar } from "../../src/contract/scrub.js";
import { scanText } from "../../src/contract/secrets.js";
import { endless } from "../endless-answer.js";
import { API_KEY, TOKEN as FAKE_TOKEN, startFakeHostup, VMID, VPS_ID } from "./loopback-server.js";

const KEY = "fake-key-0001";
const TOKEN = "fake-token-0001";
let handler: (req: IncomingMessage, res: ServerResponse) => void = (_q, s) => s.end();
let server: Server;
let base: string;
let dir: string;

beforeAll(async () => {
  server = createServer((req, res) => handler(req, res));
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), "hostup-hostile-"));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
  rmSync(dir, { recursive: true, force: true });
});

async function record(options: { timeoutMs?: number; maxResponseBytes?: number } = {}) {
  const err: string[] = [];
  const code = await runRecord({
    argv: ["v1-v2-paired-backup-schedules", "--update"],
    env: {
      HOSTUP_BASE_URL: base,
      HOSTUP_API_KEY: KEY,
      HOSTUP_TOKEN: TOKEN,
      HOSTUP_VMID: "7",
      HOSTUP_VPS_ID: "vps_x",
    },
    fixturesDir: dir,
    log: () => undefined,
    error: (l) => err.push(l),
    ...options,
  });
  return { code, err: err.join("\n") };
}

describe("npm run record against a hostile server (loopback)", () => {
  it("a body larger than the limit is cancelled and named, not read whole (a flood)", async () => {
    const flood = endless(
      200,
      { "content-type": "application/json" },
      Buffer.alloc(16 * 1024, " "),
      16 * 1024 * 1024,
    );
    handler = flood.handler;
    const { code, err } = await record({ maxResponseBytes: 64 * 1024 });
    expect(code).toBe(1);
    expect(err).toMatch(/GET \/\S+: the response body is larger than 65536 bytes; not recorded/);
    expect(existsSync(join(dir, "v1-v2-paired-backup-schedules"))).toBe(false);
    expect(flood.written()).toBeLessThan(16 * 1024 * 1024); // the connection was closed, not drained
  });

  it("a server that sends a byte and then stalls times out, naming the request", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("{");
    };
    const { code, err } = await record({ timeoutMs: 50 });
    expect(code).toBe(1);
    expect(err).toContain("getBackupSchedules: no answer within 50 ms");
  });
});

describe("npm run record: an answer too deeply nested to normalise", () => {
  it("is a named failure of its scenario, not a crash with a stack trace; the next scenario still runs", async () => {
    const fake = await startFakeHostup({});
    const depth = 100_000;
    fake.rewriteBody = (text) => text.replace(/^\{/, `{"deep":${"[".repeat(depth)}${"]".repeat(depth)},`);
    const err: string[] = [];
    const out: string[] = [];
    try {
      const code = await runRecord({
        argv: ["v1-v2-paired-backup-schedules", "v2-list-vps-paged", "--update"],
        env: {
          HOSTUP_BASE_URL: fake.url,
          HOSTUP_API_KEY: API_KEY,
          HOSTUP_TOKEN: FAKE_TOKEN,
          HOSTUP_VMID: VMID,
          HOSTUP_VPS_ID: VPS_ID,
        },
        fixturesDir: dir,
        log: (l) => out.push(l),
        error: (l) => err.push(l),
      });
      expect(code).toBe(1);
    } finally {
      await fake.close();
    }
    expect(err[0]).toMatch(
      /^v1-v2-paired-backup-schedules: the recording could not be scrubbed and normalised \(RangeError: Maximum call stack size exceeded\); nothing written$/,
    );
    expect(out).toContain("v2-list-vps-paged");
    expect(existsSync(join(dir, "v1-v2-paired-backup-schedules"))).toBe(false);
  });

  it("JSON nested too deeply to walk is a finding of the scan (unchecked), not a RangeError", () => {
    const deep = `{"deep":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    expect(scanText(deep, "deep.json", { secrets: [KEY] })).toEqual([
      expect.objectContaining({
        file: "deep.json",
        kind: "JSON nested too deeply to scan by structure",
        excerpt: "(Maximum call stack size exceeded)",
      }),
    ]);
  });

  it("so is JSON nested too deeply inside a string member (a response body's text), not a silent skip", () => {
    // the body is read as JSON by structure too: nested this deep, what it holds goes unchecked, and says so
    const body = `{"deep":${"[".repeat(100_000)}{"note":"x"}${"]".repeat(100_000)}}`;
    const har = JSON.stringify({ log: { entries: [{ response: { content: { text: body } } }] } });
    expect(scanText(har, "body.har", { secrets: [KEY] })).toEqual([
      expect.objectContaining({ file: "body.har", kind: "JSON nested too deeply to scan by structure" }),
    ]);
  });
});

describe("a credential the server echoes base64-encoded", () => {
  it("is not printed in the error a failed scenario reports (the server's detail is the message)", async () => {
    handler = (req, res) => {
      const sent = String(req.headers["x-api-key"] ?? req.headers.authorization ?? "");
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "bad key", detail: Buffer.from(sent).toString("base64") }));
    };
    const { code, err } = await record();
    expect(code).toBe(1);
    expect(err).toContain("failed: HostupApiError");
    expect(err).not.toContain(Buffer.from(KEY).toString("base64").slice(0, -4));
    expect(err).not.toContain(Buffer.from(`Bearer ${TOKEN}`).toString("base64").slice(4, -4));
  });

  const b64 = (text: string) => Buffer.from(text).toString("base64");
  const echoes = {
    plain: b64(KEY),
    url: b64(`${KEY}??>`).replaceAll("+", "-").replaceAll("/", "_"),
    basic: b64(`user:${KEY}`),
    shifted: b64(`x${TOKEN}`),
    php: b64(`??>${KEY}`).replaceAll("/", "\\/"),
  };
  const har = buildHar([
    buildEntry({
      method: "GET",
      url: "http://127.0.0.1:1/api/vps",
      status: 401,
      responseHeaders: { "content-type": "application/json" },
      responseBody: JSON.stringify({ detail: `bad key ${echoes.plain}`, ...echoes }),
    }),
  ]);

  it("is found by the secret scan", () => {
    expect(scanText(serializeHar(har), "raw.har", { secrets: [KEY, TOKEN] }).length).toBeGreaterThan(0);
  });

  it("is scrubbed in every alignment, standard or URL-safe, with / JSON-escaped", () => {
    const text = serializeHar(scrubHar(har, { secrets: [KEY, TOKEN] }));
    const left = Object.values(echoes).filter((e) => text.includes(e.slice(4, -4)));
    expect(left).toEqual([]);
    expect(scanText(text, "raw.har", { secrets: [KEY, TOKEN] })).toEqual([]);
  });
});

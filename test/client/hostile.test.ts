/**
 * Hostile servers on loopback: each test starts a node:http server on 127.0.0.1 that answers the way an unlucky user
 * or a hostile network would (odd shapes, forged prototypes, ...) and checks that the client's promise holds: every
 * failure is a HostupError with a clear code, and nothing escapes as a TypeError.
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { memoryUsage } from "node:process";
import { inspect } from "node:util";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { brotliCompressSync, deflateSync, gzipSync, constants as zlib } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import {
  createV1Client,
  createV2Client,
  HostupApiError,
  HostupError,
  HostupNetworkError,
  HostupValidationError,
} from "../../src/index.js";
import { endless } from "../endless-answer.js";
import { rejection } from "./rejection.js";

const TOKEN = "test-token-h0st1le";
const KEY = "test-key-h0st1le";
const VPS = "vps_01hxa3b4c5d6e7f8g9h0j1k2m3";
const JSON_TYPE = { "content-type": "application/json" };

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

/** A loopback server answering with `handler`; `requests` counts what reached it. */
async function hostile(handler: Handler): Promise<{ url: string; requests: () => number }> {
  let count = 0;
  const server = createServer((req, res) => {
    count++;
    handler(req, res, count);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests: () => count };
}

const answer =
  (status: number, body: string, headers: Record<string, string> = JSON_TYPE): Handler =>
  (_req, res) => {
    res.writeHead(status, headers);
    res.end(body);
  };

const answerBytes =
  (status: number, body: Buffer, headers: Record<string, string>): Handler =>
  (_req, res) => {
    res.writeHead(status, { ...headers, "content-length": String(body.length) });
    res.end(body);
  };

const fast = { retries: 2, minDelayMs: 1, maxDelayMs: 50 };

const v2At = (url: string, fetch?: (r: Request) => Promise<Response>) =>
  createV2Client({ token: TOKEN, baseUrl: url, retry: false, ...(fetch ? { fetch } : {}) });

describe("an error body cannot forge the error", () => {
  it("a __proto__ key stays an own property of error.body, never its prototype", async () => {
    const forged = '{"__proto__": {"code": "forged", "detail": "forged"}, "status": 400}';
    const server = await hostile(answer(400, forged, { "content-type": "application/problem+json" }));
    const v2 = createV2Client({ token: TOKEN, baseUrl: server.url, retry: false });
    const error = (await rejection(v2.snapshotSchedule.get(VPS))) as HostupApiError;
    expect(error).toBeInstanceOf(HostupApiError);
    expect(error.code).toBe("http_400");
    expect(error.message).not.toBe("forged");
    expect(Object.getPrototypeOf(error.body)).toBe(Object.prototype);
    expect(Object.hasOwn(error.body as object, "__proto__")).toBe(true);
    expect((error.body as { code?: unknown }).code).toBeUndefined();
  });

  // An error body that parsed as JSON but not as an object (a list of problems, a number) was described as "an
  // empty body": a user reading the message looked for a body that was missing instead of one of the wrong shape.
  it.for(['[{"code": "vps_not_found"}]', "404", "false"])(
    "an error body of %s is named for what it is",
    async (body) => {
      const fetch = async () =>
        new Response(body, { status: 404, headers: { "content-type": "application/problem+json" } });
      const v2 = createV2Client({ token: TOKEN, baseUrl: "http://127.0.0.1:9", fetch, retry: false });
      const error = await rejection(v2.backups.list(VPS));
      expect(error).toMatchObject({ status: 404, code: "invalid_response", operation: "listBackups" });
      expect(error.message).not.toMatch(/empty body/);
      expect(error.message).toMatch(
        /^listBackups: HTTP 404 with JSON that is not an object \(application\/problem\+json\)/,
      );
    },
  );
});

// `code` is what callers branch on and log. A server's empty code became `code: ""`, a megabyte one a megabyte
// code, and one with a line break or an ANSI escape went into every log line that printed it. A code is a word
// (printable ASCII without spaces, at most 100 characters); anything else gives http_<status>, and `body` keeps it.
describe("a server's code that is not a word is not the error's code", () => {
  it.for(["", "x".repeat(101), "vps_not_found\nFAKE", "\x1b[2J", "vps not found", "vps_nöt_found"])(
    "code %j becomes http_404",
    async (code) => {
      const server = await hostile(
        answer(404, JSON.stringify({ code, detail: "no such VPS" }), {
          "content-type": "application/problem+json",
        }),
      );
      const error = (await rejection(v2At(server.url).snapshotSchedule.get(VPS))) as HostupApiError;
      expect(error).toMatchObject({ status: 404, code: "http_404", message: "no such VPS" });
      expect((error.body as { code: string }).code).toBe(code);
    },
  );

  it("a documented code, and any other word up to 100 characters, is kept", async () => {
    const codes = ["upstream_vps_backup_schedule_shape_invalid", "INTERNAL_ERROR", `e.${"x".repeat(98)}`];
    const server = await hostile((_req, res, n) => {
      res.writeHead(500, { "content-type": "application/problem+json" });
      res.end(JSON.stringify({ code: codes[n - 1], detail: "failed" }));
    });
    for (const code of codes)
      expect(await rejection(v2At(server.url).snapshotSchedule.get(VPS))).toMatchObject({ code });
  });
});

describe("rate-limit hints are read exactly", () => {
  for (const retryAfter of ["-5", "Retry in 2", "2, 2", "+60"]) {
    it(`Retry-After ${JSON.stringify(retryAfter)} is ignored: X-RateLimit-Reset (1 h) applies, no burst`, async () => {
      const reset = new Date(Date.now() + 3_600_000).toISOString();
      const server = await hostile(
        answer(429, '{"code": "rate_limit_exceeded", "detail": "slow down"}', {
          "content-type": "application/problem+json",
          "retry-after": retryAfter,
          "x-ratelimit-reset": reset,
        }),
      );
      const v2 = createV2Client({ token: TOKEN, baseUrl: server.url, retry: fast });
      const error = (await rejection(v2.snapshotSchedule.get(VPS))) as HostupApiError;
      expect(error).toMatchObject({ status: 429, code: "rate_limit_exceeded" });
      // a wait above maxDelayMs is handed back at once
      expect(error.retryAfterMs).toBeGreaterThan(3_500_000);
      expect(server.requests()).toBe(1);
    });
  }
});

describe("a 2xx body of the wrong shape is invalid_response naming the operation, never a TypeError", () => {
  const drain = async (items: AsyncIterable<unknown>) => {
    for await (const _ of items) {
    }
  };
  const v2Rows: [string, string, (v2: ReturnType<typeof createV2Client>) => Promise<unknown>, string][] = [
    ["vps.list", "null", (v2) => v2.vps.list(), "listVps"],
    ["vps.list", "[]", (v2) => v2.vps.list(), "listVps"],
    // one page, read by the caller: the page's own members are checked too, not only by listAll
    ["vps.list", '{"data": null, "hasMore": false, "nextCursor": null}', (v2) => v2.vps.list(), "listVps"],
    ["vps.list", '{"data": [], "nextCursor": null}', (v2) => v2.vps.list(), "listVps"],
    ["vps.list", '{"data": [], "hasMore": true, "nextCursor": 5}', (v2) => v2.vps.list(), "listVps"],
    ["vps.listAll", "null", (v2) => drain(v2.vps.listAll()), "listVps"],
    [
      "vps.listAll",
      '{"data": null, "hasMore": false, "nextCursor": null}',
      (v2) => drain(v2.vps.listAll()),
      "listVps",
    ],
    [
      "vps.listAll",
      '{"data": {}, "hasMore": false, "nextCursor": null}',
      (v2) => drain(v2.vps.listAll()),
      "listVps",
    ],
    [
      "vps.listAll",
      '{"data": [], "hasMore": true, "nextCursor": 5}',
      (v2) => drain(v2.vps.listAll()),
      "listVps",
    ],
    [
      "vps.listAll",
      '{"data": [{"id": "vps_a"}], "hasMore": 1, "nextCursor": null}',
      (v2) => drain(v2.vps.listAll()),
      "listVps",
    ],
    ["backupSchedules.get", '"schedules"', (v2) => v2.backupSchedules.get(VPS), "getBackupSchedules"],
    ["snapshotSchedule.get", "42", (v2) => v2.snapshotSchedule.get(VPS), "getSnapshotSchedule"],
  ];
  for (const [method, body, call, operation] of v2Rows) {
    it(`v2 ${method} answered ${body}`, async () => {
      const server = await hostile(answer(200, body));
      const v2 = createV2Client({ token: TOKEN, baseUrl: server.url, retry: false });
      const error = await rejection(call(v2));
      expect(error).toBeInstanceOf(HostupApiError);
      expect(error).toMatchObject({ status: 200, code: "invalid_response", operation });
      expect(error.message).toMatch(new RegExp(`^${operation}: `));
    });
  }

  const envelope = (data: string) =>
    `{"success": true, "timestamp": "2026-04-27T12:00:00.000Z", "data": ${data}}`;
  const job = '{"jobId": "j1", "state": "active", "progressDetails": null';
  const v1Rows: [string, string, (v1: ReturnType<typeof createV1Client>) => Promise<unknown>][] = [
    ["jobs.get", envelope("null"), (v1) => v1.jobs.get("j1")],
    ["jobs.get", envelope("[1]"), (v1) => v1.jobs.get("j1")],
    ["jobs.waitFor", envelope("null"), (v1) => v1.jobs.waitFor("j1", { intervalMs: 0 })],
    ["jobs.waitFor", envelope(`${job}}`), (v1) => v1.jobs.waitFor("j1", { intervalMs: 0 })],
    [
      "jobs.waitFor",
      envelope(`${job}, "isCompleted": "no", "isFailed": false}`),
      (v1) => v1.jobs.waitFor("j1", { intervalMs: 0 }),
    ],
    // another job's end would pass for this one's: the caller would go on as if j1 had completed
    [
      "jobs.waitFor",
      envelope('{"jobId": "j2", "state": "completed", "isCompleted": true, "isFailed": false}'),
      (v1) => v1.jobs.waitFor("j1", { intervalMs: 0 }),
    ],
    ["backupSchedules.get", envelope('"x"'), (v1) => v1.backupSchedules.get(100)],
  ];
  for (const [method, body, call] of v1Rows) {
    it(`v1 ${method} answered ${body}`, async () => {
      const server = await hostile(answer(200, body));
      const v1 = createV1Client({ apiKey: KEY, baseUrl: server.url, retry: false });
      const error = await rejection(call(v1));
      expect(error).toBeInstanceOf(HostupApiError);
      const operation = method.startsWith("jobs") ? "getJob" : "getBackupSchedules";
      expect(error).toMatchObject({ status: 200, code: "invalid_response", operation });
      expect(error.message).toMatch(new RegExp(`^${operation}: `));
    });
  }
});

// 202 says the work was accepted, not done. Where the spec promises a finished answer (a DELETE's 204, a schedule
// save's 200), a 202 resolved as if it were one: `await v2.backups.delete(...)` returned undefined while the backup
// still existed, and the job the body named was lost. Every 202 the specs declare names a job (the table's `job`).
describe("a 202 where the spec declares a finished answer is invalid_response, never a silent success", () => {
  const accepted = '{"operation": {"status": "queued", "jobId": "job_9", "pollUrl": "/api/jobs/job_9"}}';
  it.for([
    ["v2 backups.delete (204)", "deleteBackup", (url: string) => v2At(url).backups.delete(VPS, "bkp_1")],
    [
      "v2 snapshotSchedule.delete (204)",
      "deleteSnapshotSchedule",
      (url: string) => v2At(url).snapshotSchedule.delete(VPS),
    ],
    [
      "v2 snapshotSchedule.save (200)",
      "saveSnapshotSchedule",
      (url: string) => v2At(url).snapshotSchedule.save(VPS, { enabled: true, intervalHours: 12 }),
    ],
    [
      "v1 backups.delete (200)",
      "deleteBackup",
      (url: string) =>
        createV1Client({ apiKey: KEY, baseUrl: url, retry: fast }).backups.delete(100, "local:backup/vm-100"),
    ],
  ] as const)("%s", async ([, operation, call]) => {
    const server = await hostile(answer(202, accepted));
    const error = (await rejection(call(server.url))) as HostupApiError;
    expect(error).toBeInstanceOf(HostupApiError);
    expect(error).toMatchObject({ status: 202, code: "invalid_response", operation });
    expect(error.message).toMatch(new RegExp(`^${operation}: HTTP 202 with .*accepted, not done.*job_9`));
    expect(error.body).toContain("job_9");
    // not retried: a second attempt would be accepted again
    expect(server.requests()).toBe(1);
  });

  it("the declared 202 of a write that starts a job, a 204, and a 200 on a DELETE still resolve", async () => {
    const server = await hostile((_req, res, n) => {
      res.writeHead([202, 204, 200][n - 1] ?? 500, JSON_TYPE);
      res.end(n === 1 ? accepted : "");
    });
    const v2 = v2At(server.url);
    expect(await v2.snapshots.create(VPS, { name: "before-upgrade" })).toMatchObject({
      operation: { jobId: "job_9" },
    });
    await expect(v2.backups.delete(VPS, "bkp_1")).resolves.toBeUndefined();
    await expect(v2.backups.delete(VPS, "bkp_1")).resolves.toBeUndefined();
  });
});

describe("listAll ends when a server pages forever", () => {
  it("empty pages with fresh cursors: stops after 10 in a row with invalid_response", async () => {
    // bounded here only so that the old, unbounded loop ends too (and this test can fail rather than hang)
    const server = await hostile((_req, res, n) => {
      res.writeHead(200, JSON_TYPE);
      res.end(JSON.stringify({ data: [], hasMore: n < 1000, nextCursor: n < 1000 ? `c${n}` : null }));
    });
    const v2 = createV2Client({ token: TOKEN, baseUrl: server.url, retry: false });
    const seen: unknown[] = [];
    const error = await rejection(
      (async () => {
        for await (const vps of v2.vps.listAll()) seen.push(vps);
      })(),
    );
    expect(error).toBeInstanceOf(HostupApiError);
    expect(error).toMatchObject({ status: 200, code: "invalid_response", operation: "listVps" });
    expect(error.message).toMatch(/10 pages in a row/);
    expect(server.requests()).toBe(10);
    expect(seen).toEqual([]);
  });

  it("an empty page between full ones is fine", async () => {
    const pages = [
      { data: [{ id: "vps_a" }], hasMore: true, nextCursor: "c1" },
      { data: [], hasMore: true, nextCursor: "c2" },
      { data: [{ id: "vps_b" }], hasMore: false, nextCursor: null },
    ];
    const server = await hostile((_req, res, n) => {
      res.writeHead(200, JSON_TYPE);
      res.end(JSON.stringify(pages[n - 1]));
    });
    const v2 = createV2Client({ token: TOKEN, baseUrl: server.url, retry: false });
    const ids: string[] = [];
    for await (const vps of v2.vps.listAll()) ids.push(vps.id);
    expect(ids).toEqual(["vps_a", "vps_b"]);
  });

  // The spec: `hasMore` is "true when another page follows", `nextCursor` "null on the last page". A page that says
  // both ended the loop as if the list were complete: a caller enabling backups on every VPS silently skipped the rest.
  it.for([
    ["null", null],
    ["an empty string", ""],
  ] as const)(
    "a page with hasMore and a nextCursor of %s: invalid_response, not a quiet end",
    async ([, nextCursor]) => {
      const fetch = async () => Response.json({ data: [{ id: "vps_a" }], hasMore: true, nextCursor });
      const v2 = createV2Client({ token: TOKEN, baseUrl: "http://127.0.0.1:9", fetch, retry: false });
      const error = await rejection(
        (async () => {
          for await (const _ of v2.vps.listAll()) {
          }
        })(),
      );
      expect(error).toMatchObject({ status: 200, code: "invalid_response", operation: "listVps" });
      expect(error.message).toMatch(/`hasMore` without a `nextCursor`/);
    },
  );
});

// A cursor has no documented length. listAll remembers each one to see a loop; a server sending long, distinct
// cursors with full pages made it keep every one of them (a megabyte a page, for as long as the list went on).
describe("listAll remembers a long cursor by a fingerprint, not whole", () => {
  // a flat string from the start (a concatenation is flattened, a new copy, where it is first read)
  const long = (tag: string, length: number) => Buffer.from(tag.padEnd(length, "c")).toString();
  const paging = (cursors: string[]) => {
    const asked: string[] = [];
    const fetch = async (request: Request) => {
      const cursor = new URL(request.url).searchParams.get("cursor");
      asked.push(cursor === null ? "" : `${cursor.length}:${cursor.slice(-1)}`); // not the whole cursor: kept
      const n = cursor === null ? 0 : cursors.indexOf(cursor) + 1;
      const next = cursors[n];
      return Response.json({
        data: [{ id: `vps_${n}` }],
        hasMore: next !== undefined,
        nextCursor: next ?? null,
      });
    };
    return {
      asked,
      v2: createV2Client({ token: TOKEN, baseUrl: "http://127.0.0.1:9", fetch, retry: false }),
    };
  };

  it("long cursors that differ only in their last character are all followed", async () => {
    // the same length and the same text but the last character: each page still gets its own
    const cursors = Array.from({ length: 8 }, (_, i) => String.fromCharCode(65 + i).padStart(10_000, "c"));
    const { v2, asked } = paging(cursors);
    const ids: string[] = [];
    for await (const vps of v2.vps.listAll()) ids.push(vps.id);
    expect(ids).toHaveLength(9);
    expect(new Set(asked).size).toBe(9);
  });

  it("a long cursor returned again still ends the loop with invalid_response", async () => {
    const [a, b] = [long("a", 10_000), long("b", 10_000)];
    const pages = new Map([
      [null, a],
      [a, b],
      [b, a],
    ]);
    const fetch = async (request: Request) => {
      const next = pages.get(new URL(request.url).searchParams.get("cursor"));
      return Response.json({ data: [{ id: "vps_1" }], hasMore: true, nextCursor: next });
    };
    const v2 = createV2Client({ token: TOKEN, baseUrl: "http://127.0.0.1:9", fetch, retry: false });
    let items = 0;
    const error = await rejection(
      (async () => {
        for await (const _ of v2.vps.listAll()) items++;
      })(),
    );
    expect(error).toMatchObject({ status: 200, code: "invalid_response", operation: "listVps" });
    expect(error.message).toMatch(/a cursor it had already returned/);
    expect(items).toBe(2);
  });

  it("does not keep the cursors: 8 pages of half-megabyte cursors leave the heap where it was", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const cursors = Array.from({ length: 8 }, (_, i) => long(`${i}:`, 512 * 1024));
    const { v2 } = paging(cursors);
    gc();
    const before = memoryUsage().heapUsed;
    let grown = Number.NaN;
    for await (const vps of v2.vps.listAll()) {
      // measured while listAll is still running (its memory of the cursors alive), at the last page
      if (vps.id === "vps_8") {
        gc();
        grown = memoryUsage().heapUsed - before;
      }
    }
    // keeping them whole would hold 8 x 512 KiB = 4 MiB
    expect(grown).toBeLessThan(2 * 1024 * 1024);
  });
});

describe("a body is checked and serialised once: every attempt sends the same bytes", () => {
  /** Answers 503 first (mutating the caller's object meanwhile), then `ok`; records each request's body. */
  async function flaky(ok: string, mutate: () => void) {
    const bodies: string[] = [];
    const server = await hostile((req, res, n) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        bodies.push(Buffer.concat(chunks).toString("utf8"));
        if (n === 1) {
          mutate();
          res.writeHead(503, { "content-type": "application/problem+json", "retry-after": "0" });
          res.end('{"code": "upstream_failed", "status": 503}');
        } else {
          res.writeHead(200, JSON_TYPE);
          res.end(ok);
        }
      });
    });
    return { server, bodies };
  }

  it("v2 backupSchedules.save: the caller mutates its object during the first attempt's 503", async () => {
    const body: Record<string, unknown> = { frequency: "daily", hour: 2, retentionCount: 3, enabled: true };
    const saved = '{"id": "bks_1", "frequency": "daily"}';
    const { server, bodies } = await flaky(saved, () => {
      body.hour = 99;
      body.unknownKey = "never validated";
    });
    const v2 = createV2Client({ token: TOKEN, baseUrl: server.url, retry: fast });
    await expect(v2.backupSchedules.save(VPS, body as never)).resolves.toEqual(JSON.parse(saved));
    expect(bodies).toHaveLength(2);
    expect(JSON.parse(bodies[0] as string)).toEqual({
      frequency: "daily",
      hour: 2,
      retentionCount: 3,
      enabled: true,
    });
    expect(bodies[1]).toBe(bodies[0]);
  });

  it("v1 snapshotSchedule.save: the same", async () => {
    const body: Record<string, unknown> = { enabled: true, interval_hours: 6 };
    const { server, bodies } = await flaky('{"success": true, "data": {"success": true}}', () => {
      body.interval_hours = -1;
      body.extra = true;
    });
    const v1 = createV1Client({ apiKey: KEY, baseUrl: server.url, retry: fast });
    await v1.snapshotSchedule.save(100, body as never);
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toBe(bodies[0]);
    expect(JSON.parse(bodies[1] as string)).toEqual({ enabled: true, interval_hours: 6 });
  });

  it("a body JSON cannot encode (validateRequests: false) is a HostupValidationError, nothing sent", async () => {
    const server = await hostile(answer(200, "{}"));
    const v2 = createV2Client({ token: TOKEN, baseUrl: server.url, validateRequests: false });
    const error = await rejection(v2.backupSchedules.updateSettings(VPS, { maxTotalBackups: 1n } as never));
    expect(error).toMatchObject({ code: "validation_failed", operation: "updateBackupSettings" });
    expect(error.message).toMatch(/JSON/);
    expect(server.requests()).toBe(0);
  });
});

describe("maxResponseBytes: a body larger than the cap is refused while reading, never retried", () => {
  const MiB = 1024 * 1024;
  const cap = 1 * MiB;
  const zeros = Buffer.alloc(16 * MiB);
  // 64 gzip members of 16 MiB zeros each: 1 GiB decoded from about 1 MB on the wire (fetch inflates them all)
  const member = gzipSync(zeros, { level: 9 });
  const gzipBomb = Buffer.concat(Array.from({ length: 64 }, () => member));
  const deflateBomb = deflateSync(Buffer.alloc(64 * MiB), { level: 9 });
  const brBomb = brotliCompressSync(Buffer.alloc(64 * MiB), {
    params: { [zlib.BROTLI_PARAM_QUALITY]: 5 },
  });

  const rows: [string, () => { handler: Handler; written?: () => number }][] = [
    [
      "a plain body with an honest Content-Length above the cap",
      () =>
        endless(200, { ...JSON_TYPE, "content-length": String(256 * MiB) }, Buffer.alloc(MiB, 32), 256 * MiB),
    ],
    [
      "chunked, no Content-Length, endless",
      () => endless(200, JSON_TYPE, Buffer.alloc(64 * 1024, 32), 256 * MiB),
    ],
    [
      "a lying Content-Length (2 GiB declared, a few MiB sent)",
      () =>
        endless(
          200,
          { ...JSON_TYPE, "content-length": String(2 * 1024 * MiB) },
          Buffer.alloc(MiB, 32),
          4 * MiB,
        ),
    ],
    [
      "a 503 with a huge body (retryable status, still not retried)",
      () => endless(503, JSON_TYPE, Buffer.alloc(64 * 1024, 32), 256 * MiB),
    ],
    [
      "a gzip bomb (1 MB on the wire, 1 GiB decoded)",
      () => ({
        handler: answerBytes(200, gzipBomb, { ...JSON_TYPE, "content-encoding": "gzip" }),
      }),
    ],
    [
      "a deflate bomb",
      () => ({ handler: answerBytes(200, deflateBomb, { ...JSON_TYPE, "content-encoding": "deflate" }) }),
    ],
    [
      "a brotli bomb",
      () => ({ handler: answerBytes(200, brBomb, { ...JSON_TYPE, "content-encoding": "br" }) }),
    ],
  ];
  for (const [name, make] of rows) {
    it(name, async () => {
      const { handler, written } = make();
      const server = await hostile(handler);
      const v2 = createV2Client({ token: TOKEN, baseUrl: server.url, retry: fast, maxResponseBytes: cap });
      const before = process.memoryUsage().rss;
      const error = await rejection(v2.snapshotSchedule.get(VPS));
      expect(error).toBeInstanceOf(HostupApiError);
      expect(error).toMatchObject({ code: "response_too_large", operation: "getSnapshotSchedule" });
      expect(error.message).toMatch(/maxResponseBytes \(1048576\)/);
      expect(server.requests()).toBe(1);
      // nothing near the full body was read or held (socket buffers aside)
      if (written) expect(written()).toBeLessThan(64 * MiB);
      expect(process.memoryUsage().rss - before).toBeLessThan(256 * MiB);
    });
  }

  it("the default cap is 8 MiB: 7 MiB of JSON is read, 9 MiB is refused", async () => {
    const json = (size: number) => `{"schedule": null, "reason": "${"x".repeat(size - 40)}"}`;
    const server = await hostile((_req, res, n) => {
      res.writeHead(200, JSON_TYPE);
      res.end(json(n === 1 ? 7 * MiB : 9 * MiB));
    });
    const v2 = createV2Client({ token: TOKEN, baseUrl: server.url, retry: false });
    await expect(v2.snapshotSchedule.get(VPS)).resolves.toMatchObject({ schedule: null });
    const error = await rejection(v2.snapshotSchedule.get(VPS));
    expect(error).toMatchObject({ code: "response_too_large", status: 200 });
  });

  it("raw (openapi-fetch) is capped too", async () => {
    const server = await hostile(answerBytes(200, gzipBomb, { ...JSON_TYPE, "content-encoding": "gzip" }));
    const v2 = createV2Client({ token: TOKEN, baseUrl: server.url, maxResponseBytes: cap });
    const error = await v2.raw
      .GET("/api/v2/vps/{id}/snapshot-schedules", { params: { path: { id: VPS } } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostupApiError);
    expect(error).toMatchObject({ code: "response_too_large" });
  });
});

/** Every string reachable from `value` through own properties (enumerable or not, symbols too), cycle-safe. */
function strings(value: unknown, seen = new Set<unknown>()): string[] {
  if (typeof value === "string") return [value];
  if ((typeof value !== "object" && typeof value !== "function") || value === null || seen.has(value))
    return [];
  seen.add(value);
  const out: string[] = [];
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key === "string") out.push(key);
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (descriptor && "value" in descriptor) out.push(...strings(descriptor.value, seen));
  }
  return out;
}

/** The key is in no view of the error: message, toString, JSON, inspect (hidden members too), any string inside. */
function expectNoKey(error: unknown, key: string) {
  const views = [
    String((error as Error).message),
    String(error),
    JSON.stringify(error),
    inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    ...strings(error),
  ];
  for (const view of views) expect(view).not.toContain(key);
}

describe("the key never leaks from an error, at any depth", () => {
  it("echoed in X-Request-Id (becomes requestId)", async () => {
    const server = await hostile(
      answer(404, '{"code": "vps_not_found", "detail": "no such VPS"}', {
        "content-type": "application/problem+json",
        "x-request-id": `req-${TOKEN}`,
      }),
    );
    const error = (await rejection(v2At(server.url).snapshotSchedule.get(VPS))) as HostupApiError;
    expect(error).toMatchObject({ status: 404, code: "vps_not_found", requestId: "req-[REDACTED]" });
    expectNoKey(error, TOKEN);
  });

  it("echoed in X-Request-Id of a 200 that is not JSON, and of a body too large", async () => {
    const headers = { "content-type": "application/json", "x-request-id": TOKEN };
    const server = await hostile((_req, res, n) => {
      res.writeHead(200, headers);
      res.end(n === 1 ? "<html>" : "x".repeat(2048));
    });
    const v2 = createV2Client({ token: TOKEN, baseUrl: server.url, retry: false, maxResponseBytes: 1024 });
    expectNoKey(await rejection(v2.snapshotSchedule.get(VPS)), TOKEN);
    expectNoKey(await rejection(v2.snapshotSchedule.get(VPS)), TOKEN);
  });

  it("in the Content-Type of an HTML 502 (quoted in the message)", async () => {
    const server = await hostile(
      answer(502, "<html><body>Bad Gateway</body></html>", {
        "content-type": `text/html; charset="${TOKEN}"`,
      }),
    );
    const error = await rejection(v2At(server.url).snapshotSchedule.get(VPS));
    expect(error).toMatchObject({ status: 502, code: "invalid_response" });
    expect(error.message).toContain("[REDACTED]");
    expectNoKey(error, TOKEN);
  });

  // A large error body is checked as JSON text first (one native pass; walking millions of items took seconds) and
  // walked only when that text holds the key. The text is JSON-escaped: the key written with \u escapes in the
  // answer, and a key whose escaped form is itself in a string, must still be found.
  it("deep in a large error body, written with \\u escapes", async () => {
    const escaped = [...TOKEN].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
    const items = Array.from({ length: 20_000 }, (_, i) => (i === 12_345 ? `{"note": "at ${escaped}"}` : i));
    const raw = `{"code": "bad", "detail": "no", "items": [${items.join(",")}]}`;
    expect(raw).not.toContain(TOKEN);
    const server = await hostile(answer(400, raw, { "content-type": "application/problem+json" }));
    const error = (await rejection(v2At(server.url).snapshotSchedule.get(VPS))) as HostupApiError;
    expect((error.body as { items: unknown[] }).items[12_345]).toEqual({ note: "at [REDACTED]" });
    expectNoKey(error, TOKEN);
  });

  it("in an error body, a token with a quote: its JSON-escaped form, written in a string", async () => {
    const token = 'tok"en-h0st1le';
    const raw = JSON.stringify({ code: "bad", detail: "no", said: 'tok\\"en-h0st1le' });
    const server = await hostile(answer(400, raw, { "content-type": "application/problem+json" }));
    const v2 = createV2Client({ token, baseUrl: server.url, retry: false });
    const error = (await rejection(v2.snapshotSchedule.get(VPS))) as HostupApiError;
    expect(error.body).toEqual({ code: "bad", detail: "no", said: "[REDACTED]" });
    expectNoKey(error, token);
    expectNoKey(error, 'tok\\"en');
  });

  it("a large error body without the key is kept as the server sent it", async () => {
    const body = { code: "bad", detail: "no", items: Array.from({ length: 20_000 }, (_, i) => ({ i })) };
    const server = await hostile(
      answer(400, JSON.stringify(body), { "content-type": "application/problem+json" }),
    );
    const error = (await rejection(v2At(server.url).snapshotSchedule.get(VPS))) as HostupApiError;
    expect(error.body).toEqual(body);
  });

  it("v1: the X-API-Key echoed in X-Request-Id and the body's keys", async () => {
    const server = await hostile(
      answer(403, `{"code": "FORBIDDEN", "message": "no", "${KEY}": 1}`, {
        ...JSON_TYPE,
        "x-request-id": KEY,
      }),
    );
    const v1 = createV1Client({ apiKey: KEY, baseUrl: server.url, retry: false });
    expectNoKey(await rejection(v1.backupSchedules.get(100)), KEY);
  });

  const throwing: [string, (request: Request) => unknown][] = [
    [
      "an error carrying the Request as a property",
      (request) => Object.assign(new Error("boom"), { request }),
    ],
    [
      "an AggregateError whose members hold it",
      (request) =>
        new AggregateError(
          [
            new Error(`first: ${request.headers.get("authorization")}`),
            { header: request.headers.get("authorization") },
          ],
          "every address failed",
        ),
    ],
    [
      "a cause chain six deep",
      (request) => {
        let error = new Error(`innermost ${request.headers.get("authorization")}`);
        for (let i = 0; i < 5; i++) error = new Error(`level ${i}`, { cause: error });
        return error;
      },
    ],
    [
      "a cycle (the error is its own cause) holding it in a custom field",
      (request) => {
        const error = Object.assign(new Error("loop"), {
          detail: { auth: request.headers.get("authorization") },
        });
        error.cause = error;
        return error;
      },
    ],
    [
      "a plain object, not an Error",
      (request) => ({ headers: { authorization: request.headers.get("authorization") } }),
    ],
    ["a string", (request) => `failed with ${request.headers.get("authorization")}`],
  ];
  for (const [name, make] of throwing) {
    it(`a custom fetch that throws ${name}`, async () => {
      const fetch = async (request: Request): Promise<Response> => {
        throw make(request);
      };
      const error = await rejection(v2At("https://cloud.hostup.se", fetch).snapshotSchedule.get(VPS));
      expect(error.code).toBe("network_error");
      expect(error.cause).toBeDefined();
      expectNoKey(error, TOKEN);
    });
  }

  it("jobs.waitFor: an abort reason that holds it (the wait between polls)", async () => {
    const running = '{"success": true, "data": {"jobId": "j1", "isCompleted": false, "isFailed": false}}';
    const controller = new AbortController();
    const server = await hostile((_req, res) => {
      res.writeHead(200, JSON_TYPE);
      res.end(running);
      setTimeout(() => controller.abort(new Error(`stopped, key ${KEY}`)), 20);
    });
    const v1 = createV1Client({ apiKey: KEY, baseUrl: server.url, retry: false });
    const error = await rejection(v1.jobs.waitFor("j1", { intervalMs: 5000, signal: controller.signal }));
    expect(error.code).toBe("aborted");
    expectNoKey(error, KEY);
  });

  it("a cause without the key is kept as it was (same object)", async () => {
    const reason = new Error("connect ECONNREFUSED 127.0.0.1:9");
    const fetch = async (): Promise<Response> => {
      throw reason;
    };
    const error = await rejection(v2At("https://cloud.hostup.se", fetch).snapshotSchedule.get(VPS));
    expect(error.cause).toBe(reason);
  });
});

describe("a credential too short to be a key is refused at creation", () => {
  for (const short of ["t", "k", "abc", "1234567"]) {
    it(`${JSON.stringify(short)} (${short.length} characters)`, () => {
      for (const create of [
        () => createV2Client({ token: short }),
        () => createV1Client({ apiKey: short }),
      ]) {
        let error: unknown;
        try {
          create();
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(HostupError);
        expect(error).toMatchObject({ code: "invalid_options" });
        expect((error as Error).message).toMatch(
          /`(token|apiKey)` is too short to be a HostUp API key \(at least 8 characters\)/,
        );
      }
    });
  }

  it("8 characters are enough, and unrelated text is left alone", async () => {
    const server = await hostile(answer(401, '{"code": "unauthorized", "detail": "unauthorized: bad key"}'));
    const v2 = createV2Client({ token: "k3y-8chr", baseUrl: server.url, retry: false });
    const error = await rejection(v2.snapshotSchedule.get(VPS));
    expect(error.message).toBe("unauthorized: bad key");
  });
});

describe("one error story: each code belongs to one class", () => {
  const classOf = (code: string) =>
    code === "invalid_options"
      ? HostupError
      : code === "validation_failed"
        ? HostupValidationError
        : ["network_error", "timeout", "aborted"].includes(code)
          ? HostupNetworkError
          : HostupApiError;

  it("every way to fail, from options to paging, with instanceof and code agreeing", async () => {
    const running =
      '{"success": true, "data": {"jobId": "j1", "state": "active", "isCompleted": false, "isFailed": false}}';
    const server = await hostile((req, res) => {
      const url = req.url ?? "";
      if (url.startsWith("/api/jobs/")) return answer(200, running)(req, res, 0);
      if (url.includes("redirect"))
        return answer(302, "", { location: "https://elsewhere.example/" })(req, res, 0);
      if (url.includes("teapot")) return answer(418, "{}")(req, res, 0);
      if (url.startsWith("/api/v2/vps?")) {
        return answer(200, '{"data": [], "hasMore": true, "nextCursor": "same"}', {
          ...JSON_TYPE,
          "x-request-id": "req_loop",
        })(req, res, 0);
      }
      if (url.includes("big")) return answer(200, "x".repeat(4096))(req, res, 0);
      if (url.includes("hang")) return;
      if (url.includes("vps_gone")) return answer(404, '{"code": "vps_not_found"}')(req, res, 0);
      answer(200, "<html>")(req, res, 0);
    });
    const v2 = createV2Client({ token: TOKEN, baseUrl: server.url, retry: false, maxResponseBytes: 1024 });
    const v1 = createV1Client({ apiKey: KEY, baseUrl: server.url, retry: false });
    const at = (path: string) =>
      createV2Client({
        token: TOKEN,
        baseUrl: `${server.url}/${path}`,
        retry: false,
        maxResponseBytes: 1024,
      });
    const aborted = new AbortController();
    aborted.abort();
    const thrown = (create: () => unknown) => {
      try {
        create();
      } catch (error) {
        return Promise.reject(error);
      }
      return Promise.resolve();
    };
    const drain = async () => {
      for await (const _ of v2.vps.listAll({ limit: 10 })) {
      }
    };
    const cases: [string, () => Promise<unknown>][] = [
      ["invalid_options", () => thrown(() => createV2Client({ token: TOKEN, timeoutMs: -1 }))],
      ["validation_failed", () => v2.snapshotSchedule.get("not-an-id")],
      [
        "network_error",
        () =>
          createV2Client({ token: TOKEN, baseUrl: "http://127.0.0.1:9", retry: false }).snapshotSchedule.get(
            VPS,
          ),
      ],
      ["timeout", () => at("hang").snapshotSchedule.get(VPS, { timeoutMs: 50 })],
      ["timeout", () => v1.jobs.waitFor("j1", { intervalMs: 100, timeoutMs: 150 })],
      ["aborted", () => v2.snapshotSchedule.get(VPS, { signal: aborted.signal })],
      ["aborted", () => v1.jobs.waitFor("j1", { signal: aborted.signal })],
      ["redirect_refused", () => at("redirect").snapshotSchedule.get(VPS)],
      ["invalid_response", () => v2.snapshotSchedule.get(VPS)],
      ["invalid_response", () => drain()],
      ["response_too_large", () => at("big").snapshotSchedule.get(VPS)],
      ["http_418", () => at("teapot").snapshotSchedule.get(VPS)],
      ["vps_not_found", () => at("vps_gone").snapshotSchedule.get(VPS)],
    ];
    for (const [code, call] of cases) {
      const error = await rejection(call());
      expect(error.code, code).toBe(code);
      expect(error.constructor, code).toBe(classOf(code));
    }
  });

  it("HostupApiError carries the answer's headers (names in lower case, the key redacted)", async () => {
    const server = await hostile(
      answer(404, '{"code": "vps_not_found"}', {
        "Content-Type": "application/problem+json",
        "X-Request-Id": "req_1",
        "X-Echo": `Bearer ${TOKEN}`,
      }),
    );
    const error = (await rejection(v2At(server.url).snapshotSchedule.get(VPS))) as HostupApiError;
    expect(error.headers).toMatchObject({
      "content-type": "application/problem+json",
      "x-request-id": "req_1",
      "x-echo": "Bearer [REDACTED]",
    });
  });

  it("listAll's endless paging carries the page's headers and request id", async () => {
    const server = await hostile(
      answer(200, '{"data": [], "hasMore": true, "nextCursor": "same"}', {
        ...JSON_TYPE,
        "x-request-id": "req_page",
      }),
    );
    const error = (await rejection(
      (async () => {
        for await (const _ of v2At(server.url).vps.listAll()) {
        }
      })(),
    )) as HostupApiError;
    expect(error).toMatchObject({ status: 200, code: "invalid_response", requestId: "req_page" });
    expect(error.headers["x-request-id"]).toBe("req_page");
  });
});

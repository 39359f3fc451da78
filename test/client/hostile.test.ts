/**
 * Hostile servers on loopback: each test starts a node:http server on 127.0.0.1 that answers the way an unlucky user
 * or a hostile network would (odd shapes, forged prototypes, ...) and checks that the client's promise holds: every
 * failure is a HostupError with a clear code, and nothing escapes as a TypeError.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createV1Client, createV2Client, HostupApiError, HostupError } from "../../src/index.js";

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

const fast = { retries: 2, minDelayMs: 1, maxDelayMs: 50 };

async function failure(promise: Promise<unknown>): Promise<HostupError> {
  const error = await promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HostupError);
  return error as HostupError;
}

describe("an error body cannot forge the error", () => {
  it("a __proto__ key stays an own property of error.body, never its prototype", async () => {
    const forged = '{"__proto__": {"code": "forged", "detail": "forged"}, "status": 400}';
    const server = await hostile(answer(400, forged, { "content-type": "application/problem+json" }));
    const v2 = createV2Client({ token: TOKEN, baseUrl: server.url, retry: false });
    const error = (await failure(v2.snapshotSchedule.get(VPS))) as HostupApiError;
    expect(error).toBeInstanceOf(HostupApiError);
    expect(error.code).toBe("http_400");
    expect(error.message).not.toBe("forged");
    expect(Object.getPrototypeOf(error.body)).toBe(Object.prototype);
    expect(Object.hasOwn(error.body as object, "__proto__")).toBe(true);
    expect((error.body as { code?: unknown }).code).toBeUndefined();
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
      const error = (await failure(v2.snapshotSchedule.get(VPS))) as HostupApiError;
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
      const error = await failure(call(v2));
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
    ["backupSchedules.get", envelope('"x"'), (v1) => v1.backupSchedules.get(100)],
  ];
  for (const [method, body, call] of v1Rows) {
    it(`v1 ${method} answered ${body}`, async () => {
      const server = await hostile(answer(200, body));
      const v1 = createV1Client({ apiKey: KEY, baseUrl: server.url, retry: false });
      const error = await failure(call(v1));
      expect(error).toBeInstanceOf(HostupApiError);
      const operation = method.startsWith("jobs") ? "getJob" : "getBackupSchedules";
      expect(error).toMatchObject({ status: 200, code: "invalid_response", operation });
      expect(error.message).toMatch(new RegExp(`^${operation}: `));
    });
  }
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
    const error = await failure(
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
    expect(JSON.parse(bodies[0] as string)).toEqual({ frequency: "daily", hour: 2, retentionCount: 3, enabled: true });
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
    const error = await failure(v2.backupSchedules.updateSettings(VPS, { maxTotalBackups: 1n } as never));
    expect(error).toMatchObject({ code: "validation_failed", operation: "updateBackupSettings" });
    expect(error.message).toMatch(/JSON/);
    expect(server.requests()).toBe(0);
  });
});

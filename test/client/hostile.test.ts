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

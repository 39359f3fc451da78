import { describe, expect, it } from "vitest";
import { backoffMs, isRetryableStatus, resolveRetryPolicy, retryHintMs, sleep } from "../../src/retry.js";

const now = Date.parse("2026-04-27T12:00:00.000Z");

describe("retry hints", () => {
  it("reads Retry-After as delta seconds", () => {
    expect(retryHintMs(new Headers({ "retry-after": "7" }), undefined, now)).toBe(7000);
  });
  it("reads Retry-After as an HTTP date", () => {
    const headers = new Headers({ "retry-after": "Mon, 27 Apr 2026 12:00:03 GMT" });
    expect(retryHintMs(headers, undefined, now)).toBe(3000);
  });
  it("reads X-RateLimit-Reset as an ISO timestamp", () => {
    const headers = new Headers({ "x-ratelimit-reset": "2026-04-27T12:00:02.500Z" });
    expect(retryHintMs(headers, undefined, now)).toBe(2500);
  });
  it("reads v1's body field retryAfter", () => {
    expect(retryHintMs(new Headers(), { retryAfter: "2026-04-27T12:00:01.000Z" }, now)).toBe(1000);
  });
  it("prefers Retry-After over the other hints and never goes negative", () => {
    const headers = new Headers({ "retry-after": "1", "x-ratelimit-reset": "2026-04-27T13:00:00Z" });
    expect(retryHintMs(headers, undefined, now)).toBe(1000);
    expect(retryHintMs(new Headers({ "x-ratelimit-reset": "2020-01-01T00:00:00Z" }), undefined, now)).toBe(0);
  });
  it("gives no hint for garbage", () => {
    expect(retryHintMs(new Headers({ "retry-after": "soon" }), { retryAfter: 5 }, now)).toBeUndefined();
  });
});

describe("backoff", () => {
  const policy = { retries: 5, minDelayMs: 100, maxDelayMs: 1000 };
  it("doubles per attempt, jittered between half and the full step, capped at maxDelayMs", () => {
    expect(backoffMs(0, policy, () => 0)).toBe(50);
    expect(backoffMs(0, policy, () => 1)).toBe(100);
    expect(backoffMs(2, policy, () => 1)).toBe(400);
    expect(backoffMs(10, policy, () => 1)).toBe(1000);
  });
  it("resolves defaults, false and bad values", () => {
    expect(resolveRetryPolicy(undefined)).toEqual({ retries: 2, minDelayMs: 500, maxDelayMs: 30_000 });
    expect(resolveRetryPolicy(false).retries).toBe(0);
    expect(() => resolveRetryPolicy({ retries: -1 })).toThrow(/retry.retries/);
    expect(() => resolveRetryPolicy({ maxDelayMs: Number.NaN })).toThrow(
      expect.objectContaining({
        code: "invalid_options",
        message: expect.stringMatching(/retry\.maxDelayMs/),
      }),
    );
  });
  it("retries only 429 and 502/503/504", () => {
    expect([400, 401, 404, 409, 429, 500, 501, 502, 503, 504].filter(isRetryableStatus)).toEqual([
      429, 502, 503, 504,
    ]);
  });
  it("sleep rejects when the signal aborts", async () => {
    const controller = new AbortController();
    const pending = sleep(10_000, controller.signal);
    controller.abort(new Error("stop"));
    await expect(pending).rejects.toThrow("stop");
  });
});

import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import {
  backoffMs,
  type Decision,
  isRetryableStatus,
  type Outcome,
  resolveRetryPolicy,
  retryHintMs,
  shouldRetry,
  sleep,
} from "../../src/retry.js";

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
    // only a string is read as a date: an array whose text is one is not
    const inAnArray = { retryAfter: ["2026-04-27T12:00:01.000Z"] };
    expect(retryHintMs(new Headers(), inAnArray, now)).toBeUndefined();
  });
  it("gives no hint for an error answer without a body (openapi-fetch: undefined) or a JSON null", () => {
    expect(retryHintMs(new Headers(), undefined, now)).toBeUndefined();
    expect(retryHintMs(new Headers(), null, now)).toBeUndefined();
  });
});

describe("retry hints are parsed exactly; anything else is ignored and the next hint applies", () => {
  // now is 12:00:00.000; X-RateLimit-Reset says 1 h, so an ignored Retry-After must leave exactly 3 600 000 ms
  const resetInOneHour = "2026-04-27T13:00:00.000Z";
  const hour = 3_600_000;
  const retryAfterRows: [string, number][] = [
    ["7", 7000],
    ["0", 0],
    ["007", 7000],
    ["Mon, 27 Apr 2026 12:00:03 GMT", 3000],
    ["Mon, 27 Apr 2026 11:00:00 GMT", 0],
    // not delay-seconds (digits only) and not an IMF-fixdate: each used to be a date decades ago, a 0 ms wait
    ["-5", hour],
    ["+60", hour],
    ["1.5", hour],
    ["1e3", hour],
    [" 7 x", hour],
    ["Retry in 2", hour],
    ["2, 2", hour],
    ["2 2", hour],
    ["0x10", hour],
    ["Tue, 27 Apr 2026 12:00:03 GMT", hour],
    ["Mon, 27 Apr 2026 12:00:03 UTC", hour],
    ["Mon, 27 Apr 2026 12:00:03", hour],
    ["27 Apr 2026 12:00:03 GMT", hour],
    ["Mon, 31 Apr 2026 12:00:03 GMT", hour],
    ["Monday, 27-Apr-26 12:00:03 GMT", hour],
    ["2026-04-27T12:00:03Z", hour],
    ["soon", hour],
  ];
  for (const [value, expected] of retryAfterRows) {
    it(`Retry-After ${JSON.stringify(value)} -> ${expected} ms`, () => {
      const headers = new Headers({ "retry-after": value, "x-ratelimit-reset": resetInOneHour });
      expect(retryHintMs(headers, undefined, now)).toBe(expected);
    });
  }

  // X-RateLimit-Reset is an ISO 8601 date-time (HostUp's docs: "not epoch seconds"); v1's body retryAfter the same.
  // An ignored value leaves the next hint: v1's body retryAfter (2 s) for the header, nothing for the body.
  const isoRows: [string, number | undefined][] = [
    ["2026-04-27T12:00:01.000Z", 1000],
    ["2026-04-27T12:00:01Z", 1000],
    ["2026-04-27T14:00:01+02:00", 1000],
    ["2026-04-27T10:00:01.5-02:00", 1500],
    ["2026-04-27T11:00:00Z", 0],
    // the offset moves the instant across midnight: the calendar date checked is the one written, in its own zone
    ["2026-04-28T00:30:01+12:00", 1_801_000],
    ["2026-04-26T23:30:01-12:30", 1000],
    ["1777291201", undefined],
    ["-5", undefined],
    ["+60", undefined],
    ["1.5", undefined],
    ["Retry in 2", undefined],
    ["2, 2", undefined],
    ["2026-04-27", undefined],
    ["2026-04-27 12:00:01Z", undefined],
    ["2026-04-27T12:00:01", undefined],
    ["2026-02-30T12:00:01Z", undefined],
    // the right shape, but no date at all (Date.parse gives NaN)
    ["2026-13-01T12:00:01Z", undefined],
    ["2026-04-27T25:00:01Z", undefined],
    ["2026-04-27T12:00:01.000Z, 2026-04-27T12:00:01.000Z", undefined],
    ["Mon, 27 Apr 2026 12:00:01 GMT", undefined],
  ];
  const bodyHint = { retryAfter: "2026-04-27T12:00:02.000Z" };
  for (const [value, expected] of isoRows) {
    it(`X-RateLimit-Reset ${JSON.stringify(value)} -> ${expected ?? "next hint (2000)"} ms`, () => {
      const headers = new Headers({ "x-ratelimit-reset": value });
      expect(retryHintMs(headers, bodyHint, now)).toBe(expected ?? 2000);
    });
    it(`v1 body retryAfter ${JSON.stringify(value)} -> ${expected ?? "no hint"}`, () => {
      expect(retryHintMs(new Headers(), { retryAfter: value }, now)).toBe(expected);
    });
  }
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
    const where = "createV2Client";
    expect(resolveRetryPolicy(undefined, where)).toEqual({ retries: 2, minDelayMs: 500, maxDelayMs: 30_000 });
    expect(resolveRetryPolicy(false, where).retries).toBe(0);
    expect(() => resolveRetryPolicy({ retries: -1 }, where)).toThrow(/^createV2Client: `retry.retries`/);
    expect(() => resolveRetryPolicy({ maxDelayMs: Number.NaN }, where)).toThrow(
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
  it("sleep with a signal that has already fired rejects at once, without waiting", async () => {
    const started = performance.now();
    await expect(sleep(10_000, AbortSignal.abort(new Error("gone")))).rejects.toThrow("gone");
    expect(performance.now() - started).toBeLessThan(1000);
  });
  it("sleep leaves no listener on the caller's signal, whether it ends or is aborted", async () => {
    const controller = new AbortController();
    await sleep(1, controller.signal);
    await sleep(1, controller.signal);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    const pending = sleep(10_000, controller.signal);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    controller.abort(new Error("stop"));
    await expect(pending).rejects.toThrow("stop");
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });
});

describe("shouldRetry(attempt, outcome, policy): one pure decision per branch", () => {
  const policy = { retries: 2, minDelayMs: 100, maxDelayMs: 1000 };
  const noRetry = { retries: 0, minDelayMs: 100, maxDelayMs: 1000 };
  const half = () => 0.5; // backoff of attempt 0: 50 + 25 = 75 ms
  const open = Number.POSITIVE_INFINITY;
  const rows: [string, number, Outcome, typeof policy, Decision][] = [
    ["no answer (connection reset): backoff", 0, { timeLeftMs: open }, policy, { retry: true, delayMs: 75 }],
    ["503: backoff", 0, { status: 503, timeLeftMs: open }, policy, { retry: true, delayMs: 75 }],
    [
      "429 with a hint: the hint",
      1,
      { status: 429, hintMs: 700, timeLeftMs: open },
      policy,
      { retry: true, delayMs: 700 },
    ],
    ["the caller aborted", 0, { aborted: true, timeLeftMs: open }, policy, { retry: false }],
    ["a body too large", 0, { status: 503, tooLarge: true, timeLeftMs: open }, policy, { retry: false }],
    ["a redirect", 0, { status: 302, timeLeftMs: open }, policy, { retry: false }],
    ["an opaque redirect (status 0)", 0, { status: 0, timeLeftMs: open }, policy, { retry: false }],
    ["a 400", 0, { status: 400, timeLeftMs: open }, policy, { retry: false }],
    ["a 500", 0, { status: 500, timeLeftMs: open }, policy, { retry: false }],
    ["a 200 whose body is unusable", 0, { status: 200, timeLeftMs: open }, policy, { retry: false }],
    ["out of retries", 2, { status: 503, timeLeftMs: open }, policy, { retry: false }],
    ["not idempotent (retries 0)", 0, { status: 503, timeLeftMs: open }, noRetry, { retry: false }],
    ["a hint above maxDelayMs", 0, { status: 429, hintMs: 1001, timeLeftMs: open }, policy, { retry: false }],
    ["the deadline has passed", 0, { timeLeftMs: 0 }, policy, { retry: false, deadline: true }],
    // the caller's timeout, not this failure, even with no retry left
    [
      "the deadline has passed, out of retries",
      2,
      { status: 503, timeLeftMs: 0 },
      policy,
      { retry: false, deadline: true },
    ],
    [
      "the wait would end past the deadline",
      0,
      { status: 429, hintMs: 500, timeLeftMs: 400 },
      policy,
      { retry: false, deadline: true },
    ],
    [
      "the wait would end exactly at the deadline",
      0,
      { status: 429, hintMs: 400, timeLeftMs: 400 },
      policy,
      { retry: false, deadline: true },
    ],
    [
      "the wait ends before the deadline",
      0,
      { status: 429, hintMs: 300, timeLeftMs: 400 },
      policy,
      { retry: true, delayMs: 300 },
    ],
  ];
  for (const [name, attempt, outcome, p, decision] of rows) {
    it(name, () => {
      expect(shouldRetry(attempt, outcome, p, half)).toEqual(decision);
    });
  }
});

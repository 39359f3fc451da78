/**
 * Whether to send a failed request again, and when: one pure function of (attempt, outcome, policy), like
 * stripe-node's `_shouldRetry` with `_getSleepTimeInMS`. The transport only runs the loop and asks.
 */
import { checkCount, checkKnown, checkMs, must, type RetryOptions } from "./options.js";

export interface RetryPolicy {
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
}

/** No attempt after the first: `retry: false`, and an operation that is not idempotent. */
export const NO_RETRY: RetryPolicy = { retries: 0, minDelayMs: 0, maxDelayMs: 0 };

/** The client's `retry` option as a policy; `where` (the factory) prefixes the errors. */
export function resolveRetryPolicy(option: RetryOptions | false | undefined, where: string): RetryPolicy {
  if (option === false) return NO_RETRY;
  must(
    option === undefined || (typeof option === "object" && option !== null),
    where,
    "retry",
    "an object or false",
    option,
  );
  if (option) checkKnown(`${where}: \`retry\``, option, "retries minDelayMs maxDelayMs");
  // the defaults stand where a member is left out (undefined), and are checked like any value
  const { retries = 2, minDelayMs = 500, maxDelayMs = 30_000 } = option ?? {};
  return {
    retries: checkCount(where, "retry.retries", retries),
    minDelayMs: checkMs(where, "retry.minDelayMs", minDelayMs, { allowZero: true }),
    maxDelayMs: checkMs(where, "retry.maxDelayMs", maxDelayMs, { allowZero: true }),
  };
}

/** What an attempt that did not succeed came to. */
export interface Outcome {
  /** The answer's status; absent when no answer came (connection failure, timeout, abort). */
  status?: number;
  /** The caller's AbortSignal fired. */
  aborted?: boolean;
  /** The answer's body outgrew `maxResponseBytes`. */
  tooLarge?: boolean;
  /** When the server said to come back (retryHintMs), in ms from now. */
  hintMs?: number | undefined;
  /** Time left before the caller's own deadline (jobs.waitFor), in ms; Infinity without one. */
  timeLeftMs: number;
}

export type Decision =
  | { retry: true; delayMs: number }
  /** `deadline`: stopped because the caller's deadline comes first (the caller's own timeout error applies). */
  | { retry: false; deadline?: true };

const STOP: Decision = { retry: false };
const DEADLINE: Decision = { retry: false, deadline: true };

/**
 * Whether attempt `attempt` (0 for the first) is followed by another, and after how long. `policy.retries` is 0
 * for an operation that is not idempotent. `random` is injected by tests.
 */
export function shouldRetry(
  attempt: number,
  outcome: Outcome,
  policy: RetryPolicy,
  random: () => number = Math.random,
): Decision {
  // the caller cancelled: never go on without them
  if (outcome.aborted) return STOP;
  // the same answer would be as big again, and downloaded again
  if (outcome.tooLarge) return STOP;
  // only rate limits and a gateway's transient failures can change on a second try; a 4xx or 500 will not, and a
  // redirect (a 3xx, or an opaque one: status 0) is refused: following would carry the key elsewhere
  if (outcome.status !== undefined && !isRetryableStatus(outcome.status)) return STOP;
  // the caller's own deadline has passed: their timeout, not this failure, is the answer
  if (outcome.timeLeftMs <= 0) return DEADLINE;
  // out of attempts (or an operation that may not be sent twice)
  if (attempt >= policy.retries) return STOP;
  // the server's hint wins over backoff: it knows when the limit resets
  const delayMs = outcome.hintMs ?? backoffMs(attempt, policy, random);
  // a wait longer than the caller allows: give the decision back (the error carries retryAfterMs)
  if (delayMs > policy.maxDelayMs) return STOP;
  // the next attempt would start after the caller's deadline
  if (delayMs >= outcome.timeLeftMs) return DEADLINE;
  return { retry: true, delayMs };
}

/** The statuses worth repeating a request for: rate limits and transient gateway failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}

const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/** An ISO 8601 date-time with a zone (RFC 3339), else undefined. */
function isoDateTime(value: unknown): number | undefined {
  const match = typeof value === "string" ? ISO_DATE_TIME.exec(value) : null;
  const at = match ? Date.parse(match[0]) : Number.NaN;
  if (!match || Number.isNaN(at)) return undefined;
  const offset = match[2]
    ? (match[2] === "+" ? 1 : -1) * (Number(match[3]) * 60 + Number(match[4])) * 60_000
    : 0;
  // Date.parse rolls 2026-02-30 over to March 2: the calendar date written must be the one parsed
  return new Date(at + offset).toISOString().startsWith(match[1] as string) ? at : undefined;
}

/** An IMF-fixdate (`Mon, 27 Apr 2026 12:00:03 GMT`, RFC 9110's HTTP-date as servers must send it), else undefined. */
function httpDate(value: string): number | undefined {
  const at = Date.parse(value);
  // toUTCString writes exactly IMF-fixdate: the round trip refuses other formats, a wrong weekday, April 31
  return !Number.isNaN(at) && new Date(at).toUTCString() === value ? at : undefined;
}

/**
 * When the server says to come back, read exactly: `Retry-After` (delay-seconds, digits only, or an IMF-fixdate),
 * then `X-RateLimit-Reset` (an ISO 8601 date-time per HostUp's docs; epoch seconds are not: a bare number could
 * equally be seconds to wait), then v1's body field `retryAfter` (ISO 8601). A value of any other form is ignored
 * and the next hint applies; `Date.parse` alone read "-5", "+60" or a doubled "2, 2" as dates decades ago.
 */
export function retryHintMs(headers: Headers, body: unknown, now = Date.now()): number | undefined {
  const retryAfter = headers.get("retry-after");
  if (retryAfter && /^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
  const at =
    (retryAfter ? httpDate(retryAfter) : undefined) ??
    isoDateTime(headers.get("x-ratelimit-reset")) ??
    // openapi-fetch's reading of an error body: parsed JSON, its text, or undefined (a string has no retryAfter)
    isoDateTime((body as { retryAfter?: unknown } | null | undefined)?.retryAfter);
  return at === undefined ? undefined : Math.max(0, at - now);
}

/** Exponential backoff with "equal jitter": half fixed, half random, capped at `maxDelayMs`. */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** attempt);
  return Math.round(step / 2 + (random() * step) / 2);
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

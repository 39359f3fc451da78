import { HostupError } from "./errors.js";
import { checkCount, checkMs } from "./options.js";

/** `retry` option of both clients; `false` turns retries off. */
export interface RetryOptions {
  /** How many times a failed request is repeated: a non-negative integer (default 2, so at most 3 attempts). */
  retries?: number;
  /** First backoff step when the server gives no hint (default 500 ms); doubles per attempt, with jitter. */
  minDelayMs?: number;
  /** Longest wait between attempts (default 30 s). A server hint above it throws at once, with `retryAfterMs`. */
  maxDelayMs?: number;
}

export interface RetryPolicy {
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
}

export function resolveRetryPolicy(
  option: RetryOptions | false | undefined,
  where = "retry options",
): RetryPolicy {
  if (option === false) return { retries: 0, minDelayMs: 0, maxDelayMs: 0 };
  if (option !== undefined && (typeof option !== "object" || option === null)) {
    throw new HostupError(
      `${where}: \`retry\` must be an object or false, got ${typeof option}`,
      "invalid_options",
    );
  }
  const ms = (name: "minDelayMs" | "maxDelayMs", fallback: number) =>
    option?.[name] === undefined
      ? fallback
      : checkMs(where, `retry.${name}`, option[name], { allowZero: true });
  return {
    retries: option?.retries === undefined ? 2 : checkCount(where, "retry.retries", option.retries),
    minDelayMs: ms("minDelayMs", 500),
    maxDelayMs: ms("maxDelayMs", 30_000),
  };
}

/** The statuses worth repeating a request for: rate limits and transient gateway failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}

function msUntil(date: string, now: number): number | undefined {
  const at = Date.parse(date);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * When the server says to come back: `Retry-After` (delta seconds or an HTTP date), then `X-RateLimit-Reset`
 * (an ISO 8601 timestamp per HostUp's docs; epoch seconds tolerated), then v1's body field `retryAfter` (ISO).
 */
export function retryHintMs(headers: Headers, body: unknown, now = Date.now()): number | undefined {
  const retryAfter = headers.get("retry-after")?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.ceil(Number(retryAfter) * 1000);
    const ms = msUntil(retryAfter, now);
    if (ms !== undefined) return ms;
  }
  const reset = headers.get("x-ratelimit-reset")?.trim();
  if (reset) {
    const ms = /^\d+$/.test(reset) ? Math.max(0, Number(reset) * 1000 - now) : msUntil(reset, now);
    if (ms !== undefined) return ms;
  }
  if (typeof body === "object" && body !== null) {
    const field = (body as { retryAfter?: unknown }).retryAfter;
    if (typeof field === "string") return msUntil(field, now);
  }
  return undefined;
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

import { HostupApiError, type HostupApiVersion, HostupNetworkError } from "./errors.js";
import { readText } from "./limit.js";
import { type CallOptions, checkMs } from "./options.js";
import { redactDeep } from "./redact.js";
import { type CallContext, parseSuccessBody, toApiError, tooLarge } from "./responses.js";
import { backoffMs, isRetryableStatus, type RetryPolicy, retryHintMs, sleep } from "./retry.js";

/** The per-client settings every call needs. */
export interface Transport {
  version: HostupApiVersion;
  secret: string;
  retry: RetryPolicy;
  timeoutMs: number;
  maxResponseBytes: number;
  /** Spread into every wrapper's openapi-fetch call: the body-counting fetch, and success bodies left unread. */
  io: { parseAs: "stream"; fetch: (request: Request) => Promise<Response> };
  /** Injected in tests; Math.random otherwise. */
  random?: () => number;
}

/**
 * What a 2xx body is: JSON as the spec types it, nothing (deletes), or JSON that a function turns into the result
 * (v1 passes `unwrapEnvelope`; a function rather than a flag keeps v1's code out of a v2-only bundle).
 */
export type Expect = "json" | "none" | ((ctx: CallContext, response: Response, body: unknown) => unknown);

/** What openapi-fetch resolves with (called with `parseAs: "text"`, so we parse and can quote bad bodies). */
export interface RawResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

function networkError(
  ctx: CallContext,
  error: unknown,
  timedOut: boolean,
  timeoutMs: number,
  caller?: AbortSignal,
) {
  const cause = error;
  if (timedOut) {
    return new HostupNetworkError(
      `${ctx.operation}: no answer within ${timeoutMs} ms`,
      "timeout",
      ctx.operation,
      cause,
    );
  }
  if (caller?.aborted) {
    return new HostupNetworkError(`${ctx.operation}: aborted by the caller`, "aborted", ctx.operation, cause);
  }
  const why =
    cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : "";
  return new HostupNetworkError(
    `${ctx.operation}: request failed${why ? `: ${why}` : ""}`,
    "network_error",
    ctx.operation,
    cause,
  );
}

/** What hand-written multi-request methods (jobs.waitFor) add to a call: a deadline of their own. */
export interface SendOptions extends CallOptions {
  /** Epoch ms after which no attempt runs and no retry wait ends: each attempt's timeout is capped by the time left. */
  deadline?: number;
  /** The error to throw when the deadline cuts the call short (`cause`: the last failure, if any). */
  expired?: (cause: unknown) => Error;
}

/**
 * Runs one operation: per-attempt timeout, the caller's AbortSignal, redirect refusal, body parsing, error mapping
 * and retries. `call` builds the request afresh on every attempt from a body serialised once before the first
 * (serialiseBody), so a retried request sends the same bytes.
 * Only operations that are safe to repeat (all of HostUp's are: GET, DELETE, and the idempotent create-or-replace
 * POSTs and PATCH) are handed here with `idempotent` true.
 */
export function send(
  t: Transport,
  operation: string,
  expect: Expect,
  call: (signal: AbortSignal) => Promise<RawResult>,
  options?: SendOptions,
  idempotent = true,
): Promise<unknown> {
  // the boundary: whatever is thrown leaves without the credential, at any depth
  return attempts(t, operation, expect, call, options, idempotent).catch((error: unknown) => {
    throw redactDeep(error, t.secret);
  });
}

async function attempts(
  t: Transport,
  operation: string,
  expect: Expect,
  call: (signal: AbortSignal) => Promise<RawResult>,
  options: SendOptions | undefined,
  idempotent: boolean,
): Promise<unknown> {
  const ctx: CallContext = { version: t.version, operation, secret: t.secret };
  const caller = options?.signal;
  const timeoutMs =
    options?.timeoutMs === undefined ? t.timeoutMs : checkMs(operation, "timeoutMs", options.timeoutMs);
  const retries = idempotent ? t.retry.retries : 0;
  const deadline = options?.deadline ?? Number.POSITIVE_INFINITY;
  const expired = (cause: unknown) => (options?.expired ?? ((c) => c))(cause);
  /** Waits before the next attempt, unless the wait would end past the deadline. */
  const wait = (ms: number, failure: unknown) => {
    if (Date.now() + ms >= deadline) throw expired(failure);
    return pause(ctx, ms, timeoutMs, caller);
  };
  for (let attempt = 0; ; attempt++) {
    if (caller?.aborted) throw networkError(ctx, caller.reason, false, timeoutMs, caller);
    const limitMs = Math.min(timeoutMs, deadline - Date.now());
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, limitMs);
    const onAbort = () => controller.abort(caller?.reason);
    caller?.addEventListener("abort", onAbort);
    let response: Response;
    let data: unknown;
    let problem: unknown;
    try {
      const result = await call(controller.signal);
      response = result.response;
      problem = result.error;
      if (response.ok && expect !== "none") {
        const { status } = response;
        const requestId = response.headers.get("x-request-id") ?? undefined;
        data = await readText(result.data as ReadableStream<Uint8Array> | undefined, t.maxResponseBytes, () =>
          tooLarge(ctx, status, requestId, t.maxResponseBytes),
        );
      } else if (result.data instanceof ReadableStream) {
        result.data.cancel().catch(() => {});
      }
    } catch (error) {
      // the body outgrew maxResponseBytes: the answer is there, and would be as big again
      if (error instanceof HostupApiError) {
        throw tooLarge(ctx, error.status, error.requestId, t.maxResponseBytes);
      }
      const failure = networkError(ctx, error, timedOut, limitMs, caller);
      if (timedOut && limitMs < timeoutMs) throw expired(failure);
      if (failure.code === "aborted" || attempt >= retries) throw failure;
      await wait(backoffMs(attempt, t.retry, t.random), failure);
      continue;
    } finally {
      clearTimeout(timer);
      caller?.removeEventListener("abort", onAbort);
    }
    if (response.ok) {
      if (expect === "none") return undefined;
      const body = parseSuccessBody(ctx, response, data);
      return expect === "json" ? body : expect(ctx, response, body);
    }
    const retryable = response.type !== "opaqueredirect" && isRetryableStatus(response.status);
    const hint = retryable ? retryHintMs(response.headers, problem) : undefined;
    const error = toApiError(ctx, response, problem, hint);
    if (!retryable || attempt >= retries) throw error;
    const delay = hint ?? backoffMs(attempt, t.retry, t.random);
    // A wait longer than the caller allowed: give the decision back, with retryAfterMs set.
    if (delay > t.retry.maxDelayMs) throw error;
    await wait(delay, error);
  }
}

async function pause(ctx: CallContext, ms: number, timeoutMs: number, caller?: AbortSignal): Promise<void> {
  try {
    await sleep(ms, caller);
  } catch (reason) {
    throw networkError(ctx, reason, false, timeoutMs, caller);
  }
}

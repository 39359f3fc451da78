/** The request loop: one attempt after another, as src/retry.ts's shouldRetry decides. */
import { HostupApiError, type HostupApiVersion, HostupNetworkError } from "./errors.js";
import { readCapped, readText } from "./limit.js";
import type { ClientOperation } from "./operation-table.js";
import { type CallOptions, checkMs, checkOptionsObject } from "./options.js";
import {
  type CallContext,
  type FieldErrorReader,
  invalidResponse,
  successResult,
  toApiError,
  tooLarge,
  wrongShape,
} from "./responses.js";
import { NO_RETRY, type Outcome, type RetryPolicy, retryHintMs, shouldRetry, sleep } from "./retry.js";

/** The per-client settings every call needs. */
export interface Transport {
  version: HostupApiVersion;
  secret: string;
  retry: RetryPolicy;
  timeoutMs: number;
  maxResponseBytes: number;
  /** The version's error bodies' field-level problems (v2 `errors[]`, v1 `details[]`). */
  fieldErrors: FieldErrorReader;
  /** The caller's fetch (or the global one, looked up per request). */
  fetch: (request: Request) => Promise<Response>;
  /** Injected in tests; Math.random otherwise. */
  random?: () => number;
}

/**
 * What the hand-written methods (listAll, jobs.waitFor) add to a generated method's options (a SendOptions is a
 * CallOptions, so it goes through the method's typed signature).
 */
export interface SendOptions<Result = unknown> extends CallOptions {
  /** Epoch ms after which no attempt runs and no retry wait ends: each attempt's timeout is capped by the time left. */
  deadline?: number;
  /** The error to throw when the deadline cuts the call short (`cause`: the last failure). */
  expired?(cause: unknown): Error;
  /** Checks the result as it arrives: a reason makes the answer an `invalid_response` (listAll's endless paging). */
  shape?(result: Result): string | undefined;
}

/** The SendOptions the client made itself (sendOptions): only these may carry deadline, expired and shape. */
const made = new WeakSet<object>();

/** `options` as listAll and waitFor hand them to a method: their deadline, expired and shape are accepted. */
export function sendOptions<Result>(options: SendOptions<Result>): SendOptions<Result> {
  made.add(options);
  return options;
}

/** What openapi-fetch resolves with (called with `parseAs: "stream"`: a success body is read by `send`). */
export interface RawResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** Spread into the openapi-fetch call of every attempt. */
export interface AttemptInit {
  signal: AbortSignal;
  /** Success bodies are left for `send` to read and count. */
  parseAs: "stream";
  /** Reads error bodies (which openapi-fetch reads itself) at most maxResponseBytes far. */
  fetch: (request: Request) => Promise<Response>;
}

/** The error for an attempt that got no answer: the caller aborted, the attempt timed out after `timedOutMs`, or fetch failed. */
function networkError(ctx: CallContext, error: unknown, caller?: AbortSignal, timedOutMs?: number) {
  const { operation } = ctx;
  if (timedOutMs !== undefined)
    return new HostupNetworkError(
      `${operation}: no answer within ${timedOutMs} ms`,
      "timeout",
      operation,
      error,
    );
  if (caller?.aborted)
    return new HostupNetworkError(`${operation}: aborted by the caller`, "aborted", operation, error);
  const why = error instanceof Error ? (error.cause instanceof Error ? error.cause : error).message : "";
  return new HostupNetworkError(
    `${operation}: request failed${why ? `: ${why}` : ""}`,
    "network_error",
    operation,
    error,
  );
}

/**
 * Runs one operation: per-attempt timeout (capped by a deadline), the caller's AbortSignal, reading the body
 * (at most maxResponseBytes), the result or the error, and attempts again while shouldRetry says so. `call` builds
 * the request afresh on every attempt from a body serialised once before the first, so every attempt sends the
 * same bytes.
 */
export async function send(
  t: Transport,
  operation: ClientOperation,
  call: (init: AttemptInit) => Promise<RawResult>,
  callOptions?: SendOptions,
): Promise<unknown> {
  // deadline, expired and shape: what listAll and waitFor add (made by sendOptions), not the caller's to set
  const options = checkOptionsObject<SendOptions>(
    operation.id,
    callOptions,
    "signal timeoutMs",
    made.has(callOptions as object) ? "deadline expired shape" : "",
  );
  const ctx: CallContext = { version: t.version, operation: operation.id, secret: t.secret };
  const limit = t.maxResponseBytes;
  const tooBig = (response: Response) => () => tooLarge(ctx, response, limit);
  const fetch = async (request: Request) => {
    const response = await t.fetch(request);
    return response.ok ? response : readCapped(response, limit, tooBig(response));
  };
  const caller = options?.signal;
  const timeoutMs =
    options?.timeoutMs === undefined ? t.timeoutMs : checkMs(ctx.operation, "timeoutMs", options.timeoutMs);
  const policy = operation.idempotent === false ? NO_RETRY : t.retry;
  const deadline = options?.deadline ?? Number.POSITIVE_INFINITY;
  for (let attempt = 0; ; attempt++) {
    if (caller?.aborted) throw networkError(ctx, caller.reason, caller);
    const limitMs = Math.min(timeoutMs, deadline - Date.now());
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, limitMs);
    const onAbort = () => controller.abort(caller?.reason);
    caller?.addEventListener("abort", onAbort);
    let failure: Error;
    let outcome: Omit<Outcome, "timeLeftMs">;
    try {
      const { data, error, response } = await call({ signal: controller.signal, parseAs: "stream", fetch });
      if (response.ok) {
        const body = data as ReadableStream<Uint8Array> | null | undefined;
        // 202 is "accepted, not done": only a write that starts a job may answer so, naming the job; anywhere else
        // it would resolve as the finished answer the spec promises (a DELETE's 204) while the work is still to do
        if (response.status === 202 && !operation.job) {
          const text = await readText(body, limit, tooBig(response));
          throw invalidResponse(
            ctx,
            response,
            "an answer that says accepted, not done, where the spec declares a finished one",
            text,
          );
        }
        if (operation.noContent) {
          body?.cancel().catch(() => {});
          return undefined;
        }
        const result = successResult(ctx, operation, response, await readText(body, limit, tooBig(response)));
        // a write that started a job must name it (each `job` path a string): else the caller has nothing to wait
        // for, and `accepted.operation.jobId` would be a TypeError in its hands
        const { job } = operation;
        const wrong = job?.some(
          (path) =>
            typeof path
              .split(".")
              .reduce((at, key) => (at as Record<string, unknown> | undefined)?.[key], result) !== "string",
        )
          ? `JSON without a string \`${job.join("` and `")}\``
          : options?.shape?.(result);
        if (wrong) throw wrongShape(ctx, response, wrong, result);
        return result;
      }
      // an error status, or a redirect (a 3xx, or an opaque one: status 0), refused: shouldRetry reads the status
      const hintMs = retryHintMs(response.headers, error);
      failure = toApiError(ctx, response, error, hintMs, t.fieldErrors);
      outcome = { status: response.status, hintMs };
    } catch (error) {
      // an answer that cannot be used: a body too large, or a 2xx that breaks the spec's promise
      if (error instanceof HostupApiError) {
        failure = error;
        outcome = { status: error.status, tooLarge: error.code === "response_too_large" };
      } else {
        failure = networkError(ctx, error, caller, timedOut ? limitMs : undefined);
        outcome = { aborted: caller?.aborted };
      }
    } finally {
      clearTimeout(timer);
      caller?.removeEventListener("abort", onAbort);
    }
    const decision = shouldRetry(
      attempt,
      { ...outcome, timeLeftMs: deadline - Date.now() },
      policy,
      t.random,
    );
    if (!decision.retry) throw decision.deadline && options?.expired ? options.expired(failure) : failure;
    try {
      await sleep(decision.delayMs, caller);
    } catch (reason) {
      throw networkError(ctx, reason, caller);
    }
  }
}

/**
 * One class per kind of failure, one `code` vocabulary; each code belongs to exactly one class:
 *
 *   HostupError            invalid_options                            a bad option or argument; nothing was sent
 *   HostupValidationError  validation_failed                          the request breaks the spec; nothing was sent
 *   HostupNetworkError     network_error, timeout, aborted            no usable answer (jobs.waitFor's own
 *                                                                     timeout and abort included)
 *   HostupApiError         redirect_refused, invalid_response,        the server answered, and the answer is not
 *                          response_too_large, http_<status>, or      a usable success (listAll's endless paging
 *                          the server's own code                      is an invalid_response to a 200)
 */

import type { V1ErrorCode } from "./generated/error-codes-v1.js";
import type { V2ErrorCode } from "./generated/error-codes-v2.js";

export type { V1ErrorCode, V2ErrorCode };

/** One field-level problem, from the server (`errors[]` in v2, `details[]` in v1) or from local validation. */
export interface HostupFieldError {
  /** JSON pointer into the request body or to the parameter, e.g. `/dayOfWeek` or `/vmid`. */
  pointer: string;
  message: string;
  code?: string;
}

export type HostupApiVersion = "v1" | "v2";

/** The codes the client sets itself, each with one class (see above). */
export type HostupClientErrorCode =
  | "invalid_options"
  | "validation_failed"
  | "network_error"
  | "timeout"
  | "aborted"
  | "redirect_refused"
  | "invalid_response"
  | "response_too_large";

/**
 * The server's codes the specs document (v2 Problem `code`, v1 Error `code`), as their error answers' examples
 * show them, e.g. `vps_not_found`. Not a closed list: the server may send others.
 */
export type HostupServerErrorCode = V1ErrorCode | V2ErrorCode;

/**
 * Every `code` an error of this package can have: the client's own, the server's documented ones, `http_<status>`
 * for an error answer without a code, or any other string: a server code no page names yet.
 */
export type HostupErrorCode =
  | HostupClientErrorCode
  | HostupServerErrorCode
  | `http_${number}`
  | (string & {});

/** Base class of every error this package throws; branch on `code`. */
export class HostupError extends Error {
  override name = "HostupError";
  readonly code: HostupErrorCode;

  constructor(message: string, code: HostupErrorCode, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export interface HostupApiErrorInit {
  status: number;
  code: string;
  message: string;
  requestId?: string | undefined;
  fieldErrors?: HostupFieldError[];
  retryAfterMs?: number | undefined;
  apiVersion: HostupApiVersion;
  operation: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * The server answered, but not with a usable success: every non-2xx status, a refused redirect
 * (`code: "redirect_refused"`), a body that is not the JSON the spec promises, a 202 ("accepted, not done") where
 * the spec promises a finished answer, or paging that never ends (`code: "invalid_response"`), a body larger than
 * `maxResponseBytes` (`code: "response_too_large"`).
 */
export class HostupApiError extends HostupError {
  override name = "HostupApiError";
  declare readonly status: number;
  declare readonly requestId: string | undefined;
  declare readonly fieldErrors: HostupFieldError[];
  /** Set when the server said when to retry (Retry-After, X-RateLimit-Reset, v1 `retryAfter`). */
  declare readonly retryAfterMs: number | undefined;
  declare readonly apiVersion: HostupApiVersion;
  /** The operationId of the call, e.g. `saveBackupSchedule`. */
  declare readonly operation: string;
  /** The parsed error body (or a short text snippet when it was not JSON), with the credential redacted. */
  declare readonly body: unknown;
  /** The answer's headers (names in lower case), with the credential redacted. */
  declare readonly headers: Readonly<Record<string, string>>;

  constructor(init: HostupApiErrorInit) {
    super(init.message, init.code);
    const {
      status,
      requestId,
      fieldErrors = [],
      retryAfterMs,
      apiVersion,
      operation,
      body,
      headers = {},
    } = init;
    Object.assign(this, {
      status,
      requestId,
      fieldErrors,
      retryAfterMs,
      apiVersion,
      operation,
      body,
      headers,
    });
  }
}

/** The request broke the spec's rules and was not sent. */
export class HostupValidationError extends HostupError {
  override name = "HostupValidationError";
  declare readonly code: "validation_failed";
  readonly fieldErrors: HostupFieldError[];
  readonly operation: string;

  constructor(operation: string, fieldErrors: HostupFieldError[]) {
    const first = fieldErrors[0];
    const more = fieldErrors.length > 1 ? ` (and ${fieldErrors.length - 1} more)` : "";
    super(
      `${operation}: invalid request, nothing was sent: ${first ? first.message : "invalid input"}${more}`,
      "validation_failed",
    );
    this.fieldErrors = fieldErrors;
    this.operation = operation;
  }
}

/**
 * No usable answer: connection failure (`network_error`), `timeout` (no answer within `timeoutMs`, or the job
 * `jobs.waitFor` waits for did not finish within its `timeoutMs`), or the caller's AbortSignal (`aborted`).
 */
export class HostupNetworkError extends HostupError {
  override name = "HostupNetworkError";
  declare readonly code: "network_error" | "timeout" | "aborted";
  readonly operation: string;

  constructor(
    message: string,
    code: "network_error" | "timeout" | "aborted",
    operation: string,
    cause?: unknown,
  ) {
    super(message, code, { cause });
    this.operation = operation;
  }
}

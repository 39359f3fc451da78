/** One field-level problem, from the server (`errors[]` in v2, `details[]` in v1) or from local validation. */
export interface HostupFieldError {
  /** JSON pointer into the request body or to the parameter, e.g. `/dayOfWeek` or `/vmid`. */
  pointer: string;
  message: string;
  code?: string;
}

export type HostupApiVersion = "v1" | "v2";

/** Base class of every error this package throws; branch on `code`. */
export class HostupError extends Error {
  override name = "HostupError";
  readonly code: string;

  constructor(message: string, code: string, options?: { cause?: unknown }) {
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
}

/**
 * The server answered, but not with success: every non-2xx status, a refused redirect (`code: "redirect_refused"`),
 * and a body that is not the JSON the spec promises (`code: "invalid_response"`).
 */
export class HostupApiError extends HostupError {
  override name = "HostupApiError";
  readonly status: number;
  readonly requestId: string | undefined;
  readonly fieldErrors: HostupFieldError[];
  /** Set when the server said when to retry (Retry-After, X-RateLimit-Reset, v1 `retryAfter`). */
  readonly retryAfterMs: number | undefined;
  readonly apiVersion: HostupApiVersion;
  /** The operationId of the call, e.g. `saveBackupSchedule`. */
  readonly operation: string;
  /** The parsed error body (or a short text snippet when it was not JSON), with the credential redacted. */
  readonly body: unknown;

  constructor(init: HostupApiErrorInit) {
    super(init.message, init.code);
    this.status = init.status;
    this.requestId = init.requestId;
    this.fieldErrors = init.fieldErrors ?? [];
    this.retryAfterMs = init.retryAfterMs;
    this.apiVersion = init.apiVersion;
    this.operation = init.operation;
    this.body = init.body;
  }
}

/** The request broke the spec's rules and was not sent. */
export class HostupValidationError extends HostupError {
  override name = "HostupValidationError";
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

/** No usable answer: connection failure (`network_error`), `timeout`, or the caller's AbortSignal (`aborted`). */
export class HostupNetworkError extends HostupError {
  override name = "HostupNetworkError";
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

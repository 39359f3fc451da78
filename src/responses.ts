import { HostupApiError, type HostupApiVersion, type HostupFieldError } from "./errors.js";
import { redactText } from "./redact.js";

/** What the wrappers pass down for every call: who is calling, and what must never be echoed. */
export interface CallContext {
  version: HostupApiVersion;
  operation: string;
  secret: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** A short, single-line, secret-free excerpt of a body, for error messages. */
export function snippet(text: string, secret: string): string {
  const line = redactText(text, secret).replace(/\s+/g, " ").trim();
  return line.length > 120 ? `${line.slice(0, 120)}...` : line;
}

function invalidResponse(
  ctx: CallContext,
  status: number,
  headers: Headers,
  why: string,
  text: string,
  retryAfterMs?: number,
) {
  const excerpt = snippet(text, ctx.secret);
  const type = headers.get("content-type") ?? "no content-type";
  return new HostupApiError({
    status,
    code: "invalid_response",
    message: `${ctx.operation}: HTTP ${status} with ${why} (${type})${excerpt ? `: ${excerpt}` : ""}`,
    requestId: headers.get("x-request-id") ?? undefined,
    apiVersion: ctx.version,
    operation: ctx.operation,
    body: excerpt,
    retryAfterMs,
  });
}

/** The answer's body outgrew `maxResponseBytes`: reading stopped there. */
export function tooLarge(
  ctx: CallContext,
  status: number,
  requestId: string | undefined,
  limit: number,
): HostupApiError {
  return new HostupApiError({
    status,
    code: "response_too_large",
    message: `${ctx.operation}: HTTP ${status} with a body larger than maxResponseBytes (${limit}); stopped reading`,
    requestId,
    apiVersion: ctx.version,
    operation: ctx.operation,
  });
}

/** Parses a 2xx body that the spec says is JSON; never lets a SyntaxError or an empty body through. */
export function parseSuccessBody(ctx: CallContext, response: Response, text: unknown): unknown {
  if (typeof text !== "string" || text.trim() === "") {
    throw invalidResponse(
      ctx,
      response.status,
      response.headers,
      "an empty body where JSON was expected",
      "",
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalidResponse(ctx, response.status, response.headers, "a body that is not valid JSON", text);
  }
  // every success body in both specs is an object; `null` or `[]` would surface later as a caller's TypeError
  if (!isObject(body)) throw wrongShape(ctx, response, "JSON that is not an object", body);
  return body;
}

/** A 2xx whose JSON breaks the spec's promise in a way the client would trip over: `invalid_response`. */
export function wrongShape(
  ctx: CallContext,
  response: Response,
  why: string,
  value: unknown,
): HostupApiError {
  return invalidResponse(ctx, response.status, response.headers, why, JSON.stringify(value) ?? "");
}

/** v1 wraps every success in `{success, timestamp, requestId, data}`; the wrappers return `data`. */
export function unwrapEnvelope(ctx: CallContext, response: Response, body: unknown): unknown {
  if (isObject(body) && isObject(body.data)) return body.data;
  throw wrongShape(ctx, response, "JSON without the v1 envelope's `data` object", body);
}

/** RFC 6901 pointer from v1's `details[].field` (`day_of_week`, `schedule.hour`, `items[0].name`). */
export function fieldToPointer(field: string): string {
  if (field === "" || field.startsWith("/")) return field;
  return `/${field
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .map((part) => part.replace(/~/g, "~0").replace(/\//g, "~1"))
    .join("/")}`;
}

function fieldErrorsOf(body: Json): HostupFieldError[] {
  const out: HostupFieldError[] = [];
  // v2 problem details: errors[]{pointer, detail, code}; v1: details[]{field, message, code}
  for (const item of Array.isArray(body.errors)
    ? body.errors
    : Array.isArray(body.details)
      ? body.details
      : []) {
    if (!isObject(item)) continue;
    const pointer = str(item.pointer) ?? fieldToPointer(str(item.field) ?? "");
    const error: HostupFieldError = { pointer, message: str(item.detail) ?? str(item.message) ?? "invalid" };
    const code = str(item.code);
    if (code !== undefined) error.code = code;
    out.push(error);
  }
  return out;
}

/**
 * Turns a non-2xx answer into a HostupApiError. `body` is what openapi-fetch made of it: parsed JSON, or the raw
 * text when it was not JSON (a proxy's HTML page), or undefined when empty.
 */
export function toApiError(
  ctx: CallContext,
  response: Response,
  body: unknown,
  retryAfterMs: number | undefined,
): HostupApiError {
  const { status, headers } = response;
  if ((status >= 300 && status < 400) || response.type === "opaqueredirect") {
    const location = headers.get("location");
    let target = "";
    try {
      if (location) target = ` to ${new URL(location, response.url || undefined).origin}`;
    } catch {}
    return new HostupApiError({
      status,
      code: "redirect_refused",
      message: `${ctx.operation}: HTTP ${status} redirect${target} refused; hostup-api never follows redirects, so your key is not sent elsewhere. Check baseUrl.`,
      apiVersion: ctx.version,
      operation: ctx.operation,
    });
  }
  if (!isObject(body)) {
    const text = typeof body === "string" ? body : "";
    const why = text ? "a body that is not JSON" : "an empty body";
    return invalidResponse(ctx, status, headers, why, text, retryAfterMs);
  }
  const clean = body; // the credential is removed where every error leaves the client (redactDeep)
  return new HostupApiError({
    status,
    code: str(clean.code) ?? `http_${status}`,
    message:
      str(clean.detail) ?? str(clean.message) ?? str(clean.title) ?? `${ctx.operation}: HTTP ${status}`,
    requestId: str(clean.requestId) ?? headers.get("x-request-id") ?? undefined,
    fieldErrors: fieldErrorsOf(clean),
    retryAfterMs,
    apiVersion: ctx.version,
    operation: ctx.operation,
    body: clean,
  });
}

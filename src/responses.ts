/** What an answer becomes: the operation's result, or the HostupApiError that says why it is not one. */
import { HostupApiError, type HostupApiVersion, type HostupFieldError } from "./errors.js";
import type { ClientOperation } from "./operation-table.js";
import { printable } from "./printable.js";
import { fromJson, redactText } from "./redact.js";

/** Who is calling, and what must never be echoed. */
export interface CallContext {
  version: HostupApiVersion;
  operation: string;
  secret: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** A short, single-line, secret-free excerpt of a body, for error messages (redacted before it is cut). */
export function snippet(text: string, secret: string): string {
  return printable(redactText(text, secret).replace(/\s+/g, " ").trim(), 120);
}

/** The fields every HostupApiError about this answer shares. */
function about(ctx: CallContext, response: Response) {
  // names in lower case, a repeated header's values joined as Headers joins them
  const headers = Object.fromEntries(response.headers as unknown as Iterable<[string, string]>);
  return {
    status: response.status,
    headers,
    requestId: headers["x-request-id"],
    apiVersion: ctx.version,
    operation: ctx.operation,
  };
}

export function invalidResponse(
  ctx: CallContext,
  response: Response,
  why: string,
  text: string,
  retryAfterMs?: number,
) {
  const excerpt = snippet(text, ctx.secret);
  const type = printable(
    redactText(response.headers.get("content-type") ?? "no content-type", ctx.secret),
    100,
  );
  return new HostupApiError({
    ...about(ctx, response),
    code: "invalid_response",
    message: `${ctx.operation}: HTTP ${response.status} with ${why} (${type})${excerpt ? `: ${excerpt}` : ""}`,
    body: excerpt,
    retryAfterMs,
  });
}

/** JSON text of a parsed body, for an excerpt ("" for one nested deeper than JSON.stringify's stack). */
function excerptOf(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return "";
  }
}

/** A 2xx whose JSON breaks the spec's promise in a way a caller would trip over: `invalid_response`. */
export function wrongShape(
  ctx: CallContext,
  response: Response,
  why: string,
  value: unknown,
): HostupApiError {
  return invalidResponse(ctx, response, why, excerptOf(value));
}

/** The answer's body outgrew `maxResponseBytes`: reading stopped there. */
export function tooLarge(ctx: CallContext, response: Response, limit: number): HostupApiError {
  return new HostupApiError({
    ...about(ctx, response),
    code: "response_too_large",
    message: `${ctx.operation}: HTTP ${response.status} with a body larger than maxResponseBytes (${limit}); stopped reading`,
  });
}

/**
 * The result of a 2xx answer, as the operation's table entry describes it: nothing (no success body), or the JSON
 * body (an object in every operation of both specs), or its envelope member (v1's `data`: an object, or an array
 * in v1's backup and snapshot lists); a page
 * of a paged list must carry its items (an array), `hasMore` (a boolean) and the next cursor (string or null).
 */
export function successResult(
  ctx: CallContext,
  operation: ClientOperation,
  response: Response,
  text: string,
): unknown {
  if (text.trim() === "") throw invalidResponse(ctx, response, "an empty body where JSON was expected", "");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalidResponse(ctx, response, "a body that is not valid JSON", text);
  }
  if (!isObject(body)) throw wrongShape(ctx, response, "JSON that is not an object", body);
  const { envelope, page } = operation;
  if (envelope !== undefined) {
    const member = body[envelope];
    if (operation.envelopeArray ? !Array.isArray(member) : !isObject(member)) {
      const kind = operation.envelopeArray ? "array" : "object";
      throw wrongShape(ctx, response, `JSON without the envelope's \`${envelope}\` ${kind}`, body);
    }
    return member;
  }
  if (
    page &&
    (!Array.isArray(body[page.items]) ||
      typeof body[page.hasMore] !== "boolean" ||
      (body[page.nextCursor] !== null && typeof body[page.nextCursor] !== "string"))
  ) {
    throw wrongShape(
      ctx,
      response,
      `a page without \`${page.items}[]\`, boolean \`${page.hasMore}\` and \`${page.nextCursor}\``,
      body,
    );
  }
  return body;
}

/** Reads an error body's field-level problems; one per version, so each bundle holds only its own. */
export type FieldErrorReader = (body: Json) => HostupFieldError[];

function fieldErrors(
  items: unknown,
  read: (item: Json) => { pointer: string; message: string | undefined },
): HostupFieldError[] {
  const out: HostupFieldError[] = [];
  for (const item of Array.isArray(items) ? items : []) {
    if (!isObject(item)) continue;
    const { pointer, message } = read(item);
    const error: HostupFieldError = { pointer, message: message ?? "invalid" };
    const code = str(item.code);
    if (code !== undefined) error.code = code;
    out.push(error);
  }
  return out;
}

/** v2 problem details: `errors[]{pointer, detail, code}`. */
export const v2FieldErrors: FieldErrorReader = (body) =>
  fieldErrors(body.errors, (item) => ({ pointer: str(item.pointer) ?? "", message: str(item.detail) }));

/** RFC 6901 pointer from v1's `details[].field` (`day_of_week`, `schedule.hour`, `items[0].name`). */
export function fieldToPointer(field: string): string {
  if (field === "" || field.startsWith("/")) return field;
  return `/${field
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .map((part) => part.replace(/~/g, "~0").replace(/\//g, "~1"))
    .join("/")}`;
}

/** v1: `details[]{field, message, code}`. */
export const v1FieldErrors: FieldErrorReader = (body) =>
  fieldErrors(body.details, (item) => ({
    pointer: fieldToPointer(str(item.field) ?? ""),
    message: str(item.message),
  }));

/**
 * Turns a non-2xx answer into a HostupApiError. `body` is what openapi-fetch made of it: parsed JSON, or the raw
 * text when it was not JSON (a proxy's HTML page), or undefined when empty. The credential is removed where every
 * error leaves the client (redactDeep), not here.
 */
export function toApiError(
  ctx: CallContext,
  response: Response,
  body: unknown,
  retryAfterMs: number | undefined,
  readFieldErrors: FieldErrorReader,
): HostupApiError {
  const { status, headers } = response;
  // not ok and below 400: a 3xx, or an opaque redirect (status 0)
  if (status < 400) {
    const location = headers.get("location");
    let target = "";
    try {
      if (location) target = ` to ${new URL(location, response.url || undefined).origin}`;
    } catch {}
    return new HostupApiError({
      ...about(ctx, response),
      code: "redirect_refused",
      message: `${ctx.operation}: HTTP ${status} redirect${target} refused; hostup-api never follows redirects, so your key is not sent elsewhere. Check baseUrl.`,
    });
  }
  if (!isObject(body)) {
    // openapi-fetch's reading: JSON, else the text itself ("" or undefined when there was none)
    if (body === undefined || typeof body === "string") {
      const why = body ? "a body that is not JSON" : "an empty body";
      return invalidResponse(ctx, response, why, body ?? "", retryAfterMs);
    }
    return invalidResponse(ctx, response, "JSON that is not an object", excerptOf(body), retryAfterMs);
  }
  const shared = about(ctx, response);
  // a code is a word: an empty, long or multi-line one (logged wherever the code is) stays in `body` only
  const code = str(body.code);
  return new HostupApiError({
    ...shared,
    code: code && /^[\x21-\x7e]{1,100}$/.test(code) ? code : `http_${status}`,
    // the server's own words, redacted before they are cut (a hostile server's megabyte stays in `body`)
    message: printable(
      redactText(
        str(body.detail) ?? str(body.message) ?? str(body.title) ?? `${ctx.operation}: HTTP ${status}`,
        ctx.secret,
      ),
      500,
    ),
    requestId: str(body.requestId) ?? shared.requestId,
    fieldErrors: readFieldErrors(body),
    retryAfterMs,
    // openapi-fetch's JSON.parse of the answer: plain data, which redaction may read as its JSON text
    body: fromJson(body),
  });
}

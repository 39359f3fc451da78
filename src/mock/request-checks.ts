// A request checked the way the client checks it: with the spec's generated validators (path parameters, the
// query, the body) and the one media type the spec declares for bodies. Path and query values arrive as strings;
// they are read as the type the spec declares, which the validator itself says (its `type` error names it), so
// no parameter's type is written down twice.
import type { HostupFieldError } from "../errors.js";
import { toFieldErrors, type Validator } from "../validation.js";

/** What a check found: the field errors and the one-line detail the version's error body carries. */
export interface RequestProblem {
  detail: string;
  errors: HostupFieldError[];
}

const INTEGER = /^-?(0|[1-9][0-9]*)$/;
const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

/** `raw` read as one of the JSON types a validator asked for, or undefined when it is none of them. */
function coerce(raw: unknown, wanted: string): unknown {
  for (const type of wanted.split(",")) {
    if (type === "array") return Array.isArray(raw) ? undefined : [raw];
    if (typeof raw !== "string") continue;
    if (type === "integer" && INTEGER.test(raw)) return Number(raw);
    if (type === "number" && NUMBER.test(raw)) return Number(raw);
    if (type === "boolean" && (raw === "true" || raw === "false")) return raw === "true";
    if (type === "null" && raw === "") return null;
  }
  return undefined;
}

/**
 * Validates `value`, reading a string as the type the validator names in a `type` error at `at(value)` (the
 * value itself for a path parameter, a member for the query). Each member is coerced at most once; a string that
 * is no such type keeps the validator's own error ("`limit` must be an integer").
 */
function validateCoerced<T>(
  validate: Validator,
  value: T,
  read: (value: T, pointer: string) => { get(): unknown; set(v: unknown): T } | undefined,
): { ok: true; value: T } | { ok: false; errors: NonNullable<Validator["errors"]> } {
  const coerced = new Set<string>();
  let current = value;
  for (;;) {
    if (validate(current)) return { ok: true, value: current };
    const errors = validate.errors ?? [];
    const first = errors[0];
    if (first?.keyword !== "type" || coerced.has(first.instancePath)) return { ok: false, errors };
    const slot = read(current, first.instancePath);
    const next = slot && coerce(slot.get(), String(first.params.type));
    if (!slot || next === undefined) return { ok: false, errors };
    coerced.add(first.instancePath);
    current = slot.set(next);
  }
}

/** One path parameter (already percent-decoded), read as its declared type; `{ value }` or the problem. */
export function checkPathParam(
  validate: Validator,
  name: string,
  raw: string,
): { value: unknown } | { problem: RequestProblem } {
  const result = validateCoerced<unknown>(validate, raw, (value, pointer) =>
    pointer === "" ? { get: () => value, set: (v) => v } : undefined,
  );
  if (result.ok) return { value: result.value };
  return {
    problem: {
      detail: "The path failed validation.",
      errors: toFieldErrors(result.errors, `/${name}`, name),
    },
  };
}

/**
 * The query string as one object (a repeated parameter becomes an array, which a scalar parameter refuses), read
 * per the declared types and validated as a whole; unknown parameters are refused like the client refuses them.
 * An operation without a query validator declares no parameters: its query is not read.
 */
export function checkQuery(
  validate: Validator | undefined,
  search: URLSearchParams,
): { value: Record<string, unknown> } | { problem: RequestProblem } {
  if (!validate) return { value: {} };
  // fromEntries: a parameter named __proto__ is an own member like any other (and refused as unknown).
  const query: Record<string, unknown> = Object.fromEntries(
    [...new Set(search.keys())].map((key) => {
      const values = search.getAll(key);
      return [key, values.length === 1 ? values[0] : values];
    }),
  );
  const result = validateCoerced(validate, query, (value, pointer) => {
    const key = pointer.slice(1);
    if (!/^\/[^/]+$/.test(pointer) || !Object.hasOwn(value, key)) return undefined;
    return { get: () => value[key], set: (v) => Object.fromEntries([...Object.entries(value), [key, v]]) };
  });
  if (result.ok) return { value: result.value };
  return {
    problem: { detail: "The query failed validation.", errors: toFieldErrors(result.errors, "", "query") },
  };
}

/** The media type of a Content-Type header, lower case, without parameters; "" when absent. */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/**
 * The body as the spec declares it: `application/json` (any parameters, any case; the spec declares no other
 * media type for any request), JSON text, and valid per the operation's validator once the route's `prepare`
 * has done what the route does before reading it. An empty body is no body: the validator decides whether one
 * was required.
 */
export function checkBody(
  validate: Validator,
  text: string,
  contentType: string | undefined,
  prepare: (body: unknown) => unknown = (body) => body,
): { value: unknown } | { problem: RequestProblem } {
  let body: unknown;
  if (text !== "") {
    const media = mediaTypeOf(contentType);
    if (media !== "application/json") {
      return {
        problem: {
          detail: `The request body must be sent as application/json (Content-Type was ${media || "missing"}).`,
          errors: [],
        },
      };
    }
    try {
      body = JSON.parse(text);
    } catch {
      return { problem: { detail: "The request body is not valid JSON.", errors: [] } };
    }
  }
  body = prepare(body);
  if (validate(body)) return { value: body };
  return {
    problem: {
      detail: "The request body failed validation.",
      errors: toFieldErrors(validate.errors ?? [], "", "body"),
    },
  };
}

// A request checked the way the client checks it, from the operation's table entry: its path parameters, query
// and body with the spec's generated validators, the body's media type as the spec declares it. Path and query
// values arrive as text; they are read as the type the table gives each parameter first ("10000" is 10000 for an
// integer), and a text that is no such value stays text, so the validator names the field and the type.
import type { HostupFieldError } from "../errors.js";
import type { ParamType, PathParam, QueryParams, RequestBody } from "../operation-table.js";
import { toFieldErrors } from "../validation.js";

/** What a check found: the field errors and the one-line detail the version's error body carries. */
export interface RequestProblem {
  detail: string;
  errors: HostupFieldError[];
}

const INTEGER = /^-?(0|[1-9][0-9]*)$/;
const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

/** One value's text read as `type`; unchanged when it is no such value (the validator then says so). */
function readAs(type: ParamType, text: string): unknown {
  if (type === "integer" && INTEGER.test(text)) return Number(text);
  if (type === "number" && NUMBER.test(text)) return Number(text);
  if (type === "boolean" && (text === "true" || text === "false")) return text === "true";
  return text;
}

/** One path parameter (already percent-decoded), read as its declared type; `{ value }` or the problem. */
export function checkPathParam(
  param: PathParam,
  text: string,
): { value: unknown } | { problem: RequestProblem } {
  const value = readAs(param.type, text);
  if (param.validate(value)) return { value };
  return {
    problem: {
      detail: "The path failed validation.",
      errors: toFieldErrors(param.validate.errors ?? [], `/${param.name}`, param.name),
    },
  };
}

/**
 * The query string as one object, each parameter read as its declared type: an `array` parameter collects its
 * repeated key, any other parameter given twice is an array (which its scalar schema refuses). Unknown parameters
 * stay text and are refused by the closed schema, as the client refuses them. An operation without query
 * parameters ignores its query string.
 */
export function checkQuery(
  query: QueryParams | undefined,
  search: URLSearchParams,
): { value: Record<string, unknown> } | { problem: RequestProblem } {
  if (!query) return { value: {} };
  // fromEntries: a parameter named __proto__ is an own member like any other (and refused as unknown).
  const value: Record<string, unknown> = Object.fromEntries(
    [...new Set(search.keys())].map((key) => {
      const type = Object.hasOwn(query.params, key) ? query.params[key] : undefined;
      const texts = search.getAll(key);
      if (type === "array") return [key, texts];
      const read = texts.map((text) => (type ? readAs(type, text) : text));
      return [key, read.length === 1 ? read[0] : read];
    }),
  );
  if (query.validate(value)) return { value };
  return {
    problem: {
      detail: "The query failed validation.",
      errors: toFieldErrors(query.validate.errors ?? [], "", "query"),
    },
  };
}

/** The media type of a Content-Type header, lower case, without parameters; "" when absent. */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/**
 * The body as the spec declares it: its media type (parameters and case aside), JSON text, and valid per the
 * operation's validator once the handler's `prepare` has done what the route does before reading it. An empty
 * body is no body: the validator decides whether one was required.
 */
export function checkBody(
  spec: RequestBody,
  text: string,
  contentType: string | undefined,
  prepare: (body: unknown) => unknown = (body) => body,
): { value: unknown } | { problem: RequestProblem } {
  let body: unknown;
  if (text !== "") {
    const media = mediaTypeOf(contentType);
    if (media !== spec.mediaType) {
      return {
        problem: {
          detail: `The request body must be sent as ${spec.mediaType} (Content-Type was ${media || "missing"}).`,
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
  if (body === undefined && !spec.required) return { value: undefined };
  body = prepare(body);
  if (spec.validate(body)) return { value: body };
  return {
    problem: {
      detail: "The request body failed validation.",
      errors: toFieldErrors(spec.validate.errors ?? [], "", "body"),
    },
  };
}

// What the steps of validate.ts share: the exchange they check, the matched operation, and how a parameter's or a
// header's text and a node's JSON pointer are read. The request's steps are in validate-request.ts, the
// response's in validate-response.ts.
import type { OperationMatch } from "./match.js";
import type { FindingBase } from "./schema-check.js";
import type { JsonObject, LoadedSpec } from "./spec.js";

export interface ExchangeInput {
  method: string;
  url: string;
  status: number;
  requestHeaders?: Record<string, string>;
  responseHeaders?: Record<string, string>;
  requestBody?: unknown;
  requestContentType?: string;
  responseBody?: unknown;
  /** Response media type (parameters are ignored). Required when there is a response body. */
  contentType?: string;
}

/** What the steps share: the description, the matched operation and the finding fields that name it. */
export interface Step {
  spec: LoadedSpec;
  match: OperationMatch;
  /** The operation's JSON pointer without the leading "#". */
  opPointer: string;
  /** The finding fields that name the operation; each step adds `location`. */
  base: Omit<FindingBase, "location">;
}

export const lowerKeys = (headers: Record<string, string> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));

/** The pointer that reaches `node` from the bundle root: $ref targets are followed, inline nodes built up. */
export function refOrPointer(node: JsonObject | undefined, pointer: string): string {
  return node && typeof node.$ref === "string" ? String(node.$ref).slice(1) : pointer;
}

/** A parameter or header's text as the type its schema declares ("42" is 42 for an integer). */
export function coerceParam(value: string, schema: JsonObject | undefined): unknown {
  const t = schema?.type;
  const types: unknown[] = Array.isArray(t) ? t : [t];
  if ((types.includes("integer") || types.includes("number")) && /^-?\d+(\.\d+)?$/.test(value))
    return Number(value);
  if (types.includes("boolean") && (value === "true" || value === "false")) return value === "true";
  return value;
}

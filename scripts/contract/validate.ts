// Validates one recorded HTTP exchange against a bundled OpenAPI description and reports drift as
// findings that read like a diff: what the spec expects, what the recording holds, and where.
// Reusable outside the contract suite (the mock server's tests use it):
//   const spec = loadSpec("v2"); const findings = validateExchange(spec, { method, url, status, ... });
import type { ErrorObject, ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import {
  deref,
  escapePointer,
  type JsonObject,
  type LoadedSpec,
  matchOperation,
  type OperationMatch,
  resolvePointer,
} from "./spec.js";
import { strictCopy } from "./strict.js";

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export type FindingKind =
  | "unknown-operation"
  | "undocumented-status"
  | "undocumented-media-type"
  | "missing-body"
  | "unexpected-body"
  | "schema"
  | "missing-header"
  | "missing-credentials";

export interface DriftFinding {
  kind: FindingKind;
  /** "v2 getBackupSchedules (GET /api/v2/vps/{id}/backup-schedules)", or the raw request when unmatched. */
  operation: string;
  operationId?: string;
  /** "request body", "response body", "response header retry-after", "path parameter id", ... */
  location: string;
  /** JSON pointer inside `location` ("" is the whole body). */
  pointer: string;
  /** What the spec expects, in words. */
  expected: string;
  /** What the recording holds. */
  found: string;
  /** Where the spec says so (a JSON pointer into the bundle), when known. */
  specPointer?: string;
}

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

interface Compiled {
  ajv: Ajv2020;
  strictDoc: JsonObject;
  cache: Map<string, ValidateFunction>;
}

const compiled = new WeakMap<LoadedSpec, Compiled>();
const DOC_ID = "https://contract.hostup-api.invalid/openapi.json";

function compiledFor(spec: LoadedSpec): Compiled {
  let c = compiled.get(spec);
  if (!c) {
    const strictDoc = strictCopy(spec.doc);
    const ajv = new Ajv2020({
      strict: false,
      allErrors: true,
      verbose: true,
      discriminator: true,
      logger: false,
    });
    addFormats(ajv);
    ajv.addSchema({ ...strictDoc, $id: DOC_ID });
    c = { ajv, strictDoc, cache: new Map() };
    compiled.set(spec, c);
  }
  return c;
}

function fragment(pointer: string): string {
  return `#${pointer.split("/").map(encodeURIComponent).join("/")}`;
}

function validatorAt(spec: LoadedSpec, pointer: string): ValidateFunction {
  const c = compiledFor(spec);
  let fn = c.cache.get(pointer);
  if (!fn) {
    try {
      fn = c.ajv.compile({ $ref: `${DOC_ID}${fragment(pointer)}` });
    } catch (error) {
      // Ajv's discriminator support needs every oneOf branch to declare the tag with const/enum; when a
      // spec does not, fall back to plain oneOf (same verdicts, noisier messages).
      if (!/discriminator/i.test(String(error))) throw error;
      const plain = new Ajv2020({ strict: false, allErrors: true, verbose: true, logger: false });
      addFormats(plain);
      plain.addSchema({ ...c.strictDoc, $id: DOC_ID });
      fn = plain.compile({ $ref: `${DOC_ID}${fragment(pointer)}` });
    }
    c.cache.set(pointer, fn);
  }
  return fn;
}

function show(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Drops Ajv's noise: the "must match exactly one schema" summaries when a branch's own errors say more. */
function declares(doc: JsonObject, schema: unknown, name: string, depth = 0): boolean {
  if (!schema || typeof schema !== "object" || depth > 20) return false;
  const node = deref(doc, schema as JsonObject);
  if (!node) return false;
  if (node.properties && Object.hasOwn(node.properties, name)) return true;
  return ["allOf", "oneOf", "anyOf"].some(
    (k) => Array.isArray(node[k]) && node[k].some((sub: unknown) => declares(doc, sub, name, depth + 1)),
  );
}

/**
 * Drops Ajv's noise so that each finding is one real difference:
 * - "must match exactly one schema in oneOf" summaries when a branch's own errors say more;
 * - errors of the oneOf/anyOf branches that did not come close (an error deeper in the same value wins);
 * - "unevaluated" echoes: a failing subschema drops its annotations, so its valid declared properties
 *   show up as unevaluated too. A property the schema declares somewhere is not drift.
 */
function prune(doc: JsonObject, errors: ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((e) => !["oneOf", "anyOf", "if", "discriminator"].includes(e.keyword));
  let list = specific.length > 0 ? specific : errors;
  list = list.filter(
    (e) =>
      !/\/(oneOf|anyOf)\/\d+/.test(e.schemaPath) ||
      !list.some((o) => o !== e && o.instancePath.startsWith(`${e.instancePath}/`)),
  );
  list = list.filter(
    (e) =>
      e.keyword !== "unevaluatedProperties" ||
      !declares(
        doc,
        e.parentSchema,
        String((e.params as { unevaluatedProperty?: string }).unevaluatedProperty),
      ),
  );
  const seen = new Set<string>();
  return list.filter((e) => {
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function schemaFinding(
  error: ErrorObject,
  schemaPointer: string,
  data: unknown,
  base: Omit<DriftFinding, "kind" | "pointer" | "expected" | "found">,
): DriftFinding {
  const p = error.params as Record<string, unknown>;
  let pointer = error.instancePath;
  let expected: string;
  let found: string;
  const value = valueAt(data, pointer);
  switch (error.keyword) {
    case "required":
      pointer = `${pointer}/${escapePointer(String(p.missingProperty))}`;
      expected = `required property "${String(p.missingProperty)}"`;
      found = "no such property";
      break;
    case "unevaluatedProperties":
    case "additionalProperties": {
      const name = String(p.unevaluatedProperty ?? p.additionalProperty);
      pointer = `${pointer}/${escapePointer(name)}`;
      expected = `no property "${name}" (the spec does not declare it)`;
      found = show(valueAt(data, pointer));
      break;
    }
    case "type":
      expected = `type ${Array.isArray(p.type) ? p.type.join(" | ") : String(p.type)}`;
      found = `${typeOf(value)} ${show(value)}`;
      break;
    case "enum":
      expected = `one of ${show(p.allowedValues)}`;
      found = show(value);
      break;
    case "const":
      expected = `exactly ${show(p.allowedValue)}`;
      found = show(value);
      break;
    case "format":
      expected = `a string in format "${String(p.format)}"`;
      found = show(value);
      break;
    case "pattern":
      expected = `a string matching ${String(p.pattern)}`;
      found = show(value);
      break;
    default:
      expected = `${error.keyword}: ${error.message ?? show(p)}`;
      found = show(value);
  }
  const at = error.schemaPath.replace(DOC_ID, "").replace("__asMember", "");
  const specPointer = at.startsWith("#/components/") ? at : `#${schemaPointer}${at.replace(/^#/, "")}`;
  return { ...base, kind: "schema", pointer, expected, found, specPointer };
}

function validateValue(
  spec: LoadedSpec,
  schemaPointer: string,
  data: unknown,
  base: Omit<DriftFinding, "kind" | "pointer" | "expected" | "found">,
): DriftFinding[] {
  const fn = validatorAt(spec, schemaPointer);
  if (fn(data)) return [];
  // Name the component a $ref leads to rather than the place that refers to it.
  let target = schemaPointer;
  for (
    let node = resolvePointer(spec.doc, `#${schemaPointer}`), i = 0;
    typeof node?.$ref === "string" && i < 20;
    i++
  ) {
    target = String(node.$ref).slice(1);
    node = resolvePointer(spec.doc, String(node.$ref));
  }
  return prune(compiledFor(spec).strictDoc, fn.errors ?? []).map((e) => schemaFinding(e, target, data, base));
}

function coerceParam(value: string, schema: JsonObject | undefined): unknown {
  const t = schema?.type;
  const types: unknown[] = Array.isArray(t) ? t : [t];
  if ((types.includes("integer") || types.includes("number")) && /^-?\d+(\.\d+)?$/.test(value))
    return Number(value);
  if (types.includes("boolean") && (value === "true" || value === "false")) return value === "true";
  return value;
}

/** The pointer that reaches `node` from the bundle root: $ref targets are followed, inline nodes built up. */
function refOrPointer(node: JsonObject | undefined, pointer: string): string {
  return node && typeof node.$ref === "string" ? String(node.$ref).slice(1) : pointer;
}

function credentialsPresent(
  doc: JsonObject,
  match: OperationMatch,
  headers: Record<string, string>,
): boolean {
  const requirements: JsonObject[] = match.operation.security ?? doc.security ?? [];
  if (requirements.length === 0) return true;
  const cookies = headers.cookie ?? "";
  return requirements.some((req) =>
    Object.keys(req).every((name) => {
      const scheme = deref(doc, doc.components?.securitySchemes?.[name]);
      if (!scheme) return false;
      if (scheme.type === "http" && String(scheme.scheme).toLowerCase() === "bearer") {
        return /^Bearer \S+/i.test(headers.authorization ?? "");
      }
      if (scheme.type === "apiKey" && scheme.in === "header")
        return Boolean(headers[String(scheme.name).toLowerCase()]);
      if (scheme.type === "apiKey" && scheme.in === "cookie")
        return cookies.includes(`${String(scheme.name)}=`);
      return false;
    }),
  );
}

export function describeOperation(spec: LoadedSpec, match: OperationMatch): string {
  return `${spec.version} ${match.operationId} (${match.method} ${match.path})`;
}

/**
 * Checks one exchange against `spec`: the operation exists, its path/query parameters, credentials and
 * request body match, the status is documented, the media type is declared, the declared required
 * headers are there and the body validates (strictly: undeclared properties are drift).
 */
export function validateExchange(spec: LoadedSpec, input: ExchangeInput): DriftFinding[] {
  const doc = spec.doc;
  const match = matchOperation(spec, input.method, input.url);
  const raw = `${input.method.toUpperCase()} ${new URL(input.url, "https://placeholder.invalid").pathname}`;
  if (!match) {
    return [
      {
        kind: "unknown-operation",
        operation: raw,
        location: "request",
        pointer: "",
        expected: `an operation of the ${spec.version} description (${spec.file})`,
        found: `${raw}, which matches no path and method`,
      },
    ];
  }
  const operation = describeOperation(spec, match);
  const base = { operation, operationId: match.operationId };
  const findings: DriftFinding[] = [];
  const opPointer = match.pointer.slice(1);
  const requestHeaders = Object.fromEntries(
    Object.entries(input.requestHeaders ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );

  if (input.requestHeaders && !credentialsPresent(doc, match, requestHeaders)) {
    findings.push({
      ...base,
      kind: "missing-credentials",
      location: "request headers",
      pointer: "",
      expected: "credentials for one of the operation's security schemes",
      found: "no credential header or cookie",
    });
  }

  // Parameters: path-item level, then operation level (which overrides by name+in).
  const params = new Map<string, { node: JsonObject; pointer: string }>();
  const addParams = (list: JsonObject[] | undefined, pointer: string) =>
    (list ?? []).forEach((p, i) => {
      const resolved = deref(doc, p);
      if (resolved)
        params.set(`${resolved.in}:${resolved.name}`, {
          node: resolved,
          pointer: refOrPointer(p, `${pointer}/${i}`),
        });
    });
  addParams(match.pathItem.parameters, `${opPointer.replace(/\/[a-z]+$/, "")}/parameters`);
  addParams(match.operation.parameters, `${opPointer}/parameters`);
  const query = new URL(input.url, "https://placeholder.invalid").searchParams;
  for (const { node, pointer } of params.values()) {
    let value: string | undefined;
    if (node.in === "path") value = match.pathParams[node.name];
    else if (node.in === "query") value = query.get(node.name) ?? undefined;
    else continue;
    const location = `${node.in} parameter ${node.name}`;
    if (value === undefined) {
      if (node.required) {
        findings.push({
          ...base,
          kind: "schema",
          location,
          pointer: "",
          expected: "a value (required)",
          found: "nothing",
        });
      }
      continue;
    }
    if (node.schema) {
      findings.push(
        ...validateValue(spec, `${pointer}/schema`, coerceParam(value, deref(doc, node.schema)), {
          ...base,
          location,
        }),
      );
    }
  }
  for (const name of query.keys()) {
    if (![...params.values()].some((p) => p.node.in === "query" && p.node.name === name)) {
      findings.push({
        ...base,
        kind: "schema",
        location: `query parameter ${name}`,
        pointer: "",
        expected: "no such query parameter (the spec does not declare it)",
        found: show(query.get(name)),
      });
    }
  }

  // Request body.
  const requestBody = deref(doc, match.operation.requestBody);
  const rbPointer = refOrPointer(match.operation.requestBody, `${opPointer}/requestBody`);
  if (input.requestBody !== undefined) {
    const type = input.requestContentType ?? "application/json";
    const media = requestBody?.content?.[type];
    if (!media) {
      findings.push({
        ...base,
        kind: requestBody ? "undocumented-media-type" : "unexpected-body",
        location: "request body",
        pointer: "",
        expected: requestBody ? `one of ${show(Object.keys(requestBody.content ?? {}))}` : "no request body",
        found: requestBody ? type : show(input.requestBody),
      });
    } else if (media.schema) {
      findings.push(
        ...validateValue(spec, `${rbPointer}/content/${escapePointer(type)}/schema`, input.requestBody, {
          ...base,
          location: "request body",
        }),
      );
    }
  } else if (requestBody?.required) {
    findings.push({
      ...base,
      kind: "missing-body",
      location: "request body",
      pointer: "",
      expected: "a request body (required)",
      found: "nothing",
    });
  }

  // Response.
  const responses: JsonObject = match.operation.responses ?? {};
  const statusKey =
    [String(input.status), `${String(input.status)[0]}XX`, "default"].find(
      (k) => responses[k] !== undefined,
    ) ?? undefined;
  if (!statusKey) {
    findings.push({
      ...base,
      kind: "undocumented-status",
      location: "response status",
      pointer: "",
      expected: `one of ${Object.keys(responses).join(", ")}`,
      found: String(input.status),
    });
    return findings;
  }
  const response = deref(doc, responses[statusKey]);
  const respPointer = refOrPointer(responses[statusKey], `${opPointer}/responses/${statusKey}`);
  const responseHeaders = Object.fromEntries(
    Object.entries(input.responseHeaders ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );
  for (const [name, headerNode] of Object.entries<JsonObject>(response?.headers ?? {})) {
    const header = deref(doc, headerNode);
    const value = responseHeaders[name.toLowerCase()];
    const location = `response header ${name}`;
    if (value === undefined) {
      if (header?.required) {
        findings.push({
          ...base,
          kind: "missing-header",
          location,
          pointer: "",
          expected: "the header (required)",
          found: "no such header",
        });
      }
      continue;
    }
    if (header?.schema) {
      const hp = `${refOrPointer(headerNode, `${respPointer}/headers/${escapePointer(name)}`)}/schema`;
      findings.push(
        ...validateValue(spec, hp, coerceParam(value, deref(doc, header.schema)), { ...base, location }),
      );
    }
  }
  const content: JsonObject = response?.content ?? {};
  if (input.responseBody === undefined) {
    if (Object.keys(content).length > 0) {
      findings.push({
        ...base,
        kind: "missing-body",
        location: "response body",
        pointer: "",
        expected: `a ${Object.keys(content).join(" or ")} body for ${input.status}`,
        found: "an empty body",
      });
    }
    return findings;
  }
  const type = input.contentType ?? "";
  const mediaKey = content[type] ? type : content["*/*"] ? "*/*" : undefined;
  if (!mediaKey) {
    findings.push({
      ...base,
      kind: Object.keys(content).length ? "undocumented-media-type" : "unexpected-body",
      location: "response content-type",
      pointer: "",
      expected: Object.keys(content).length
        ? `one of ${show(Object.keys(content))}`
        : `no body for ${input.status}`,
      found: type || "no content-type",
    });
    return findings;
  }
  if (content[mediaKey]?.schema) {
    findings.push(
      ...validateValue(spec, `${respPointer}/content/${escapePointer(mediaKey)}/schema`, input.responseBody, {
        ...base,
        location: `response body (${input.status} ${mediaKey})`,
      }),
    );
  }
  return findings;
}

/** Renders findings as a diff-like report, one block per finding. */
export function formatFindings(findings: DriftFinding[], where?: string): string {
  return findings
    .map((f) =>
      [
        `drift${where ? ` in ${where}` : ""}`,
        `  operation: ${f.operation}`,
        `  where:     ${f.location} ${f.pointer === "" ? "(whole value)" : f.pointer}`,
        `  - expected by the spec:   ${f.expected}`,
        `  + found in the recording: ${f.found}`,
        ...(f.specPointer ? [`  spec:      ${f.specPointer}`] : []),
      ].join("\n"),
    )
    .join("\n\n");
}

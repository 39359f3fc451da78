// Validates one recorded HTTP exchange against a description and reports drift as findings that read like a diff.
// One step per part of the exchange, in the order a server reads it: the operation, credentials, parameters, the
// request body, then the response's status, headers and body. Bodies are checked strictly: a property the spec
// does not declare is drift (strict.ts).
//   const [v1, v2] = loadSpecs(); const findings = validateExchange(v2, { method, url, status, ... });
import { type DriftFinding, show } from "./findings.js";
import { matchOperation, type OperationMatch } from "./match.js";
import { type FindingBase, validateValue } from "./schema-check.js";
import { deref, escapePointer, type JsonObject, type LoadedSpec } from "./spec.js";

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
interface Step {
  spec: LoadedSpec;
  match: OperationMatch;
  /** The operation's JSON pointer without the leading "#". */
  opPointer: string;
  /** The finding fields that name the operation; each step adds `location`. */
  base: Omit<FindingBase, "location">;
}

const lowerKeys = (headers: Record<string, string> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));

/** The pointer that reaches `node` from the bundle root: $ref targets are followed, inline nodes built up. */
function refOrPointer(node: JsonObject | undefined, pointer: string): string {
  return node && typeof node.$ref === "string" ? String(node.$ref).slice(1) : pointer;
}

/** A parameter or header's text as the type its schema declares ("42" is 42 for an integer). */
function coerceParam(value: string, schema: JsonObject | undefined): unknown {
  const t = schema?.type;
  const types: unknown[] = Array.isArray(t) ? t : [t];
  if ((types.includes("integer") || types.includes("number")) && /^-?\d+(\.\d+)?$/.test(value))
    return Number(value);
  if (types.includes("boolean") && (value === "true" || value === "false")) return value === "true";
  return value;
}

export function describeOperation(spec: LoadedSpec, match: OperationMatch): string {
  return `${spec.version} ${match.operationId} (${match.method} ${match.path})`;
}

function unknownOperation(spec: LoadedSpec, input: ExchangeInput): DriftFinding {
  const raw = `${input.method.toUpperCase()} ${new URL(input.url, "https://placeholder.invalid").pathname}`;
  return {
    kind: "unknown-operation",
    operation: raw,
    location: "request",
    pointer: "",
    expected: `an operation of the ${spec.version} description (${spec.file})`,
    found: `${raw}, which matches no path and method`,
  };
}

/** Whether the request carries what one of the operation's security requirements asks for. */
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
      if (scheme.type === "http" && String(scheme.scheme).toLowerCase() === "bearer")
        return /^Bearer \S+/i.test(headers.authorization ?? "");
      if (scheme.type === "apiKey" && scheme.in === "header")
        return Boolean(headers[String(scheme.name).toLowerCase()]);
      if (scheme.type === "apiKey" && scheme.in === "cookie")
        return cookies.includes(`${String(scheme.name)}=`);
      return false;
    }),
  );
}

/** Step: credentials, when the recording kept the request headers at all. */
function checkCredentials(step: Step, input: ExchangeInput): DriftFinding[] {
  if (!input.requestHeaders || credentialsPresent(step.spec.doc, step.match, lowerKeys(input.requestHeaders)))
    return [];
  return [
    {
      ...step.base,
      kind: "missing-credentials",
      location: "request headers",
      pointer: "",
      expected: "credentials for one of the operation's security schemes",
      found: "no credential header or cookie",
    },
  ];
}

/** Step: path and query parameters against their schemas; a query parameter the spec does not declare. */
function checkParameters(step: Step, input: ExchangeInput): DriftFinding[] {
  const { spec, match, opPointer, base } = step;
  const doc = spec.doc;
  // Path-item level, then operation level (which overrides by name+in).
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
  const findings: DriftFinding[] = [];
  for (const { node, pointer } of params.values()) {
    if (node.in !== "path" && node.in !== "query") continue;
    const value = node.in === "path" ? match.pathParams[node.name] : (query.get(node.name) ?? undefined);
    const location = `${node.in} parameter ${node.name}`;
    if (value === undefined) {
      if (node.required)
        findings.push({
          ...base,
          kind: "schema",
          location,
          pointer: "",
          expected: "a value (required)",
          found: "nothing",
        });
      continue;
    }
    if (node.schema) {
      const coerced = coerceParam(value, deref(doc, node.schema));
      findings.push(...validateValue(spec, `${pointer}/schema`, coerced, { ...base, location }));
    }
  }
  for (const name of new Set(query.keys())) {
    if ([...params.values()].some((p) => p.node.in === "query" && p.node.name === name)) continue;
    findings.push({
      ...base,
      kind: "schema",
      location: `query parameter ${name}`,
      pointer: "",
      expected: "no such query parameter (the spec does not declare it)",
      found: show(query.get(name)),
    });
  }
  return findings;
}

/** Step: the request body: declared, of a declared media type, valid; or absent where it is not required. */
function checkRequestBody(step: Step, input: ExchangeInput): DriftFinding[] {
  const { spec, match, opPointer, base } = step;
  const requestBody = deref(spec.doc, match.operation.requestBody);
  if (input.requestBody === undefined) {
    if (!requestBody?.required) return [];
    return [
      {
        ...base,
        kind: "missing-body",
        location: "request body",
        pointer: "",
        expected: "a request body (required)",
        found: "nothing",
      },
    ];
  }
  const type = input.requestContentType ?? "application/json";
  const media = requestBody?.content?.[type];
  if (!media) {
    return [
      {
        ...base,
        kind: requestBody ? "undocumented-media-type" : "unexpected-body",
        location: "request body",
        pointer: "",
        expected: requestBody ? `one of ${show(Object.keys(requestBody.content ?? {}))}` : "no request body",
        found: requestBody ? type : show(input.requestBody),
      },
    ];
  }
  if (!media.schema) return [];
  const rbPointer = refOrPointer(match.operation.requestBody, `${opPointer}/requestBody`);
  const schemaPointer = `${rbPointer}/content/${escapePointer(type)}/schema`;
  return validateValue(spec, schemaPointer, input.requestBody, { ...base, location: "request body" });
}

/** Step: the documented response of the status (exact, then "4XX", then "default"); undefined when there is none. */
function documentedResponse(
  step: Step,
  status: number,
): { response: JsonObject | undefined; pointer: string } | DriftFinding {
  const responses: JsonObject = step.match.operation.responses ?? {};
  const key = [String(status), `${String(status)[0]}XX`, "default"].find((k) => responses[k] !== undefined);
  if (!key) {
    return {
      ...step.base,
      kind: "undocumented-status",
      location: "response status",
      pointer: "",
      expected: `one of ${Object.keys(responses).join(", ")}`,
      found: String(status),
    };
  }
  return {
    response: deref(step.spec.doc, responses[key]),
    pointer: refOrPointer(responses[key], `${step.opPointer}/responses/${key}`),
  };
}

/** Step: the response headers the documented response declares: present when required, valid when present. */
function checkResponseHeaders(
  step: Step,
  response: JsonObject | undefined,
  respPointer: string,
  input: ExchangeInput,
): DriftFinding[] {
  const { spec, base } = step;
  const headers = lowerKeys(input.responseHeaders);
  const findings: DriftFinding[] = [];
  for (const [name, headerNode] of Object.entries<JsonObject>(response?.headers ?? {})) {
    const header = deref(spec.doc, headerNode);
    const value = headers[name.toLowerCase()];
    const location = `response header ${name}`;
    if (value === undefined) {
      if (header?.required)
        findings.push({
          ...base,
          kind: "missing-header",
          location,
          pointer: "",
          expected: "the header (required)",
          found: "no such header",
        });
      continue;
    }
    if (!header?.schema) continue;
    const pointer = `${refOrPointer(headerNode, `${respPointer}/headers/${escapePointer(name)}`)}/schema`;
    const coerced = coerceParam(value, deref(spec.doc, header.schema));
    findings.push(...validateValue(spec, pointer, coerced, { ...base, location }));
  }
  return findings;
}

/** Step: the response body: present when documented, of a documented media type, valid. */
function checkResponseBody(
  step: Step,
  response: JsonObject | undefined,
  respPointer: string,
  input: ExchangeInput,
): DriftFinding[] {
  const { base } = step;
  const content: JsonObject = response?.content ?? {};
  const declared = Object.keys(content);
  if (input.responseBody === undefined) {
    if (declared.length === 0) return [];
    return [
      {
        ...base,
        kind: "missing-body",
        location: "response body",
        pointer: "",
        expected: `a ${declared.join(" or ")} body for ${input.status}`,
        found: "an empty body",
      },
    ];
  }
  const type = input.contentType ?? "";
  const mediaKey = content[type] ? type : content["*/*"] ? "*/*" : undefined;
  if (!mediaKey) {
    return [
      {
        ...base,
        kind: declared.length ? "undocumented-media-type" : "unexpected-body",
        location: "response content-type",
        pointer: "",
        expected: declared.length ? `one of ${show(declared)}` : `no body for ${input.status}`,
        found: type || "no content-type",
      },
    ];
  }
  if (!content[mediaKey]?.schema) return [];
  return validateValue(
    step.spec,
    `${respPointer}/content/${escapePointer(mediaKey)}/schema`,
    input.responseBody,
    {
      ...base,
      location: `response body (${input.status} ${mediaKey})`,
    },
  );
}

/** Step: the response: a documented status, then its headers and body. */
function checkResponse(step: Step, input: ExchangeInput): DriftFinding[] {
  const documented = documentedResponse(step, input.status);
  if ("kind" in documented) return [documented];
  return [
    ...checkResponseHeaders(step, documented.response, documented.pointer, input),
    ...checkResponseBody(step, documented.response, documented.pointer, input),
  ];
}

/**
 * Checks one exchange against `spec`: the operation exists, its credentials, path/query parameters and request body
 * match, the status is documented, the declared required headers are there and the body validates (strictly).
 */
export function validateExchange(spec: LoadedSpec, input: ExchangeInput): DriftFinding[] {
  const match = matchOperation(spec, input.method, input.url);
  if (!match) return [unknownOperation(spec, input)];
  const step: Step = {
    spec,
    match,
    opPointer: match.pointer.slice(1),
    base: { operation: describeOperation(spec, match), operationId: match.operationId },
  };
  return [
    ...checkCredentials(step, input),
    ...checkParameters(step, input),
    ...checkRequestBody(step, input),
    ...checkResponse(step, input),
  ];
}

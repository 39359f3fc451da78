// The request's steps of validateExchange (validate.ts), in the order a server reads a request: credentials,
// path and query parameters, the body.
import { type DriftFinding, show } from "./findings.js";
import type { OperationMatch } from "./match.js";
import { validateValue } from "./schema-check.js";
import { deref, escapePointer, type JsonObject } from "./spec.js";
import { coerceParam, type ExchangeInput, lowerKeys, refOrPointer, type Step } from "./validate-step.js";

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
export function checkCredentials(step: Step, input: ExchangeInput): DriftFinding[] {
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
export function checkParameters(step: Step, input: ExchangeInput): DriftFinding[] {
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
export function checkRequestBody(step: Step, input: ExchangeInput): DriftFinding[] {
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

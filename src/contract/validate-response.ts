// The response's steps of validateExchange (validate.ts): a documented status, then its headers and body.
import { type DriftFinding, show } from "./findings.js";
import { validateValue } from "./schema-check.js";
import { deref, escapePointer, type JsonObject } from "./spec.js";
import { coerceParam, type ExchangeInput, lowerKeys, refOrPointer, type Step } from "./validate-step.js";

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
export function checkResponse(step: Step, input: ExchangeInput): DriftFinding[] {
  const documented = documentedResponse(step, input.status);
  if ("kind" in documented) return [documented];
  return [
    ...checkResponseHeaders(step, documented.response, documented.pointer, input),
    ...checkResponseBody(step, documented.response, documented.pointer, input),
  ];
}

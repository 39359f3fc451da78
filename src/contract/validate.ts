// Validates one recorded HTTP exchange against a description and reports drift as findings that read like a diff.
// One step per part of the exchange, in the order a server reads it: the operation, credentials, parameters, the
// request body, then the response's status, headers and body. Bodies are checked strictly: a property the spec
// does not declare is drift (strict.ts).
//   const [v1, v2] = loadSpecs(); const findings = validateExchange(v2, { method, url, status, ... });
import type { DriftFinding } from "./findings.js";
import { matchOperation, type OperationMatch } from "./match.js";
import type { LoadedSpec } from "./spec.js";
import { checkCredentials, checkParameters, checkRequestBody } from "./validate-request.js";
import { checkResponse } from "./validate-response.js";
import type { ExchangeInput, Step } from "./validate-step.js";

export type { ExchangeInput } from "./validate-step.js";

export function describeOperation(spec: LoadedSpec, match: OperationMatch): string {
  return `${spec.version} ${match.operationId} (${match.method} ${match.path})`;
}

function unknownOperation(spec: LoadedSpec, input: ExchangeInput): DriftFinding {
  // a recording's method and path, cut: a HAR may hold a megabyte of either, and each is shown twice
  const cut = (text: string, limit: number) => (text.length > limit ? `${text.slice(0, limit)}...` : text);
  const raw = `${cut(input.method.toUpperCase(), 20)} ${cut(new URL(input.url, "https://placeholder.invalid").pathname, 200)}`;
  return {
    kind: "unknown-operation",
    operation: raw,
    location: "request",
    pointer: "",
    expected: `an operation of the ${spec.version} description (${spec.file})`,
    found: `${raw}, which matches no path and method`,
  };
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

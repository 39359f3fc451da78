// The two APIs the mock serves: each version's generated operation table joined with the mock's handlers, its
// security schemes, and how it answers an error (v1's error body, v2's problem details).
import { operations as v1Operations, securitySchemes as v1Schemes } from "../generated/operations-v1.js";
import { operations as v2Operations, securitySchemes as v2Schemes } from "../generated/operations-v2.js";
import type { SecurityScheme } from "../operation-table.js";
import { problem, type Reply, v1Error } from "./replies.js";
import type { RequestProblem } from "./request-checks.js";
import { buildRoutes, type Route } from "./routing.js";
import type { MockRuleError } from "./rule-error.js";
import { v1Handlers, v1InvalidRequest, v1RuleError } from "./v1-handlers.js";
import { v2Handlers, v2InvalidRequest, v2RuleError } from "./v2-handlers.js";

export interface ErrorInit {
  status: number;
  /** v2's lower-case code; v1 answers it in upper case. */
  code: string;
  message: string;
  headers?: Record<string, string>;
  /** v1's `retryAfter` body member (ISO 8601). */
  retryAfter?: string;
}

export interface ApiVersion {
  name: "v1" | "v2";
  /** A path under this prefix that matches no route is answered in this version's shape. */
  prefix: string;
  routes: Route[];
  securitySchemes: Readonly<Record<string, SecurityScheme>>;
  error(now: number, instance: string, init: ErrorInit): Reply;
  invalidRequest(now: number, instance: string, found: RequestProblem): Reply;
  ruleError(now: number, instance: string, error: MockRuleError): Reply;
}

/** Both versions, v2 first (its prefix is the longer). */
export function apiVersions(): ApiVersion[] {
  return [
    {
      name: "v2",
      prefix: "/api/v2/",
      routes: buildRoutes(v2Operations, v2Handlers),
      securitySchemes: v2Schemes,
      error: (now, instance, init) =>
        problem(now, {
          status: init.status,
          code: init.code,
          detail: init.message,
          instance,
          ...(init.headers ? { headers: init.headers } : {}),
        }),
      invalidRequest: v2InvalidRequest,
      ruleError: v2RuleError,
    },
    {
      name: "v1",
      prefix: "/",
      routes: buildRoutes(v1Operations, v1Handlers),
      securitySchemes: v1Schemes,
      error: (now, _instance, init) =>
        v1Error(now, {
          status: init.status,
          code: init.code.toUpperCase(),
          message: init.message,
          ...(init.headers ? { headers: init.headers } : {}),
          ...(init.retryAfter ? { retryAfter: init.retryAfter } : {}),
        }),
      invalidRequest: (now, _instance, found) => v1InvalidRequest(now, found),
      ruleError: (now, _instance, error) => v1RuleError(now, error),
    },
  ];
}

// What the mock sends: JSON answers, v1 error envelopes and v2 problem details, shaped as the specs say.
import { randomBytes, randomUUID } from "node:crypto";
import type { HostupFieldError } from "../errors.js";

export interface Reply {
  status: number;
  /** JSON value, or a string sent as-is with `contentType`. Absent for 204. */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

const V1_ERROR_TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  501: "Not Implemented",
};

const V2_TITLES: Record<string, string> = {
  invalid_request: "Invalid request",
  unauthorized: "Unauthorized",
  forbidden: "Forbidden",
  not_found: "Not found",
  vps_not_found: "VPS not found",
  vps_not_ready: "VPS not ready",
  rate_limit_exceeded: "Too many requests",
  internal_error: "Internal server error",
  method_not_allowed: "Method not allowed",
};

const BASE32 = "0123456789abcdefghjkmnpqrstvwxyz";

/** `req_` and 26 lower-case Crockford base32 characters, like HostUp's request ids. */
export function v2RequestId(): string {
  const bytes = randomBytes(26);
  let out = "req_";
  for (const b of bytes) out += BASE32[b & 31];
  return out;
}

export function v1Success(now: number, data: unknown, status = 200): Reply {
  return {
    status,
    body: { success: true, timestamp: new Date(now).toISOString(), requestId: randomUUID(), data },
  };
}

export interface V1ErrorInit {
  status: number;
  code: string;
  message: string;
  details?: HostupFieldError[];
  retryAfter?: string;
  headers?: Record<string, string>;
}

/** The v1 error body: `{error, message, code, timestamp, requestId, details[], retryAfter}`, not enveloped. */
export function v1Error(now: number, init: V1ErrorInit): Reply {
  return {
    status: init.status,
    ...(init.headers ? { headers: init.headers } : {}),
    body: {
      error: V1_ERROR_TITLES[init.status] ?? "Error",
      message: init.message,
      code: init.code,
      timestamp: new Date(now).toISOString(),
      requestId: randomUUID(),
      ...(init.details?.length
        ? {
            details: init.details.map((d) => ({
              field: d.pointer.slice(1).replace(/\//g, "."),
              message: d.message,
              ...(d.code ? { code: d.code } : {}),
            })),
          }
        : {}),
      ...(init.retryAfter ? { retryAfter: init.retryAfter } : {}),
    },
  };
}

export interface ProblemInit {
  status: number;
  code: string;
  detail: string;
  instance: string;
  errors?: HostupFieldError[];
  extensions?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** RFC 7807 problem details, `application/problem+json`, `type` = https://developer.hostup.se/errors/{code}. */
export function problem(now: number, init: ProblemInit): Reply {
  return {
    status: init.status,
    contentType: "application/problem+json",
    ...(init.headers ? { headers: init.headers } : {}),
    body: {
      type: `https://developer.hostup.se/errors/${init.code}`,
      title: V2_TITLES[init.code] ?? V1_ERROR_TITLES[init.status] ?? "Error",
      status: init.status,
      detail: init.detail,
      code: init.code,
      instance: init.instance,
      requestId: v2RequestId(),
      timestamp: new Date(now).toISOString(),
      ...(init.errors?.length
        ? {
            errors: init.errors.map((e) => ({
              pointer: e.pointer,
              detail: e.message,
              code: e.code ?? "invalid",
            })),
          }
        : {}),
      ...(init.extensions ? { extensions: init.extensions } : {}),
    },
  };
}

/** A proxy's HTML error page: what a client sees when the gateway in front of the API fails. */
export function htmlBadGateway(): Reply {
  return {
    status: 502,
    contentType: "text/html; charset=utf-8",
    body: "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
  };
}

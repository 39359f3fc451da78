// The HTTP side: Node's own `http`, one handler, no framework. Order of checks per request, as an API gateway
// would do them: faults (latency, forced errors, rate limit) -> credentials (401) -> route (404/405) -> scope
// (403) -> the request against the spec: path parameters, query, Content-Type and body, with the generated
// validators (400) -> the route itself (404/409/422 and the rules' 400s).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type MockClock, systemClock } from "./clock.js";
import { FAULT_HEADER, type MockFaults, parseFaultHeader, RateLimiter, type RequestFault } from "./faults.js";
import { htmlBadGateway, problem, type Reply, v1Error } from "./replies.js";
import { checkBody, checkPathParam, checkQuery, type RequestProblem } from "./request-checks.js";
import { matchRoute, type RouteTable } from "./routing.js";
import { MockRuleError } from "./rule-error.js";
import { defaultSeed } from "./seed.js";
import { MockState } from "./state.js";
import type { MockCredential, MockJobOptions, MockSeed } from "./types.js";
import { v1InvalidRequest, v1Routes, v1RuleError } from "./v1-routes.js";
import { v2InvalidRequest, v2Routes, v2RuleError } from "./v2-routes.js";

export interface MockServerOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1 (loopback only). */
  host?: string;
  /** The state to start from. Default: `defaultSeed()` (see the README). */
  seed?: MockSeed;
  /** "Now" for schedules and jobs. Default the system clock; `createManualClock()` for tests. */
  clock?: MockClock;
  /** How jobs progress. Default: done 60 s after they start or at the 3rd poll. */
  jobs?: MockJobOptions;
  /** Resilience knobs; all off by default. */
  faults?: MockFaults;
  /** Largest request body accepted, in bytes. Default 64 KiB. */
  maxBodyBytes?: number;
}

export interface MockServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`: pass it as the client's `baseUrl`. */
  url: string;
  port: number;
  /** The live model: read it, change it, `reset()` it between tests. */
  state: MockState;
  /** Replaces the server's knobs (e.g. turn rate limiting on for one test). */
  setFaults(faults: MockFaults): void;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

const V2_PREFIX = "/api/v2/";

function credentialOf(req: IncomingMessage, v2: boolean): string | undefined {
  if (!v2) {
    const key = req.headers["x-api-key"];
    return typeof key === "string" && key !== "" ? key : undefined;
  }
  const auth = req.headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m?.[1];
  }
  const cookie = req.headers.cookie;
  if (cookie) {
    for (const part of cookie.split(";")) {
      const [name, ...value] = part.trim().split("=");
      if (name === "hostup_session" && value.length) return value.join("=");
    }
  }
  return undefined;
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string | number> = { ...reply.headers };
  let payload: string | undefined;
  if (reply.body !== undefined && reply.status !== 204) {
    payload = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
    headers["content-type"] = reply.contentType ?? "application/json; charset=utf-8";
    headers["content-length"] = Buffer.byteLength(payload);
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}

function readBody(req: IncomingMessage, limit: number): Promise<string | "too-large"> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(over ? "too-large" : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the mock on loopback. */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const clock = options.clock ?? systemClock;
  const state = new MockState(options.seed ?? defaultSeed(), clock, options.jobs);
  const maxBody = options.maxBodyBytes ?? 65_536;
  let faults: MockFaults = options.faults ?? {};
  let limiter: RateLimiter | undefined;
  const configure = (next: MockFaults) => {
    faults = next;
    limiter = next.rateLimit
      ? new RateLimiter(next.rateLimit.limit, next.rateLimit.windowMs ?? 60_000)
      : undefined;
  };
  configure(faults);

  const errorReply = (
    v2: boolean,
    path: string,
    status: number,
    code: string,
    message: string,
    headers?: Record<string, string>,
    retryAfter?: string,
  ): Reply =>
    v2
      ? problem(clock.now(), {
          status,
          code,
          detail: message,
          instance: path,
          ...(headers ? { headers } : {}),
        })
      : v1Error(clock.now(), {
          status,
          code: code.toUpperCase(),
          message,
          ...(headers ? { headers } : {}),
          ...(retryAfter ? { retryAfter } : {}),
        });

  const rateLimited = (v2: boolean, path: string, retryAfterSeconds: number, limit: number): Reply => {
    const reset = new Date(clock.now() + retryAfterSeconds * 1000).toISOString();
    const headers = {
      "retry-after": String(retryAfterSeconds),
      "x-ratelimit-limit": String(limit),
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": reset,
    };
    return v2
      ? errorReply(
          true,
          path,
          429,
          "rate_limit_exceeded",
          "Too many requests. Retry after the limit resets.",
          headers,
        )
      : errorReply(
          false,
          path,
          429,
          "rate_limit_exceeded",
          "Rate limit exceeded. Try again later.",
          headers,
          reset,
        );
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    const v2 = path.startsWith(V2_PREFIX) || path === "/api/v2";
    const method = req.method ?? "GET";

    // Faults first: they stand for the gateway and the network, in front of the API.
    let fault: RequestFault | undefined;
    if (faults.allowFaultHeader !== false) {
      const header = req.headers[FAULT_HEADER];
      fault = parseFaultHeader(Array.isArray(header) ? header.join(",") : header);
    }
    const latency = (fault?.latencyMs ?? 0) + (faults.latencyMs ?? 0);
    if (latency > 0) await sleep(latency);
    const random = faults.random ?? Math.random;
    let kind = fault?.kind ?? "none";
    if (kind === "none" && faults.html502Rate && random() < faults.html502Rate) kind = "html-502";
    if (kind === "none" && faults.errorRate && random() < faults.errorRate) kind = "500";
    if (kind === "reset") {
      req.socket.destroy();
      return;
    }
    if (kind === "html-502") return send(res, htmlBadGateway());
    if (kind === "500") {
      return send(
        res,
        errorReply(
          v2,
          path,
          500,
          "internal_error",
          v2
            ? "An unexpected error occurred. Retry later or contact support if the issue persists."
            : "An unexpected error occurred",
        ),
      );
    }
    const token = credentialOf(req, v2);
    if (kind === "rate-limit")
      return send(res, rateLimited(v2, path, fault?.retryAfterSeconds ?? 1, limiter?.limit ?? 60));
    if (limiter) {
      const over = limiter.hit(token ?? `anonymous:${req.socket.remoteAddress ?? ""}`, clock.now());
      if (over) {
        const seconds = Math.max(0, Math.ceil((over.resetAt - clock.now()) / 1000));
        return send(res, rateLimited(v2, path, seconds, limiter.limit));
      }
    }

    const credential: MockCredential | undefined =
      token === undefined ? undefined : state.credentials.get(token);
    if (!credential) {
      // Drain the body so the connection can be reused.
      req.resume();
      return send(res, errorReply(v2, path, 401, "unauthorized", "Authentication required."));
    }

    const table: RouteTable = v2 ? v2Routes : v1Routes;
    const segments = path.split("/").filter(Boolean).map(safeDecode);
    const { match, allowed } = matchRoute(table, method, segments);
    if (!match) {
      req.resume();
      if (allowed.length) {
        return send(res, {
          ...errorReply(v2, path, 405, "method_not_allowed", `${method} is not allowed here`),
          headers: { allow: allowed.join(", ") },
        });
      }
      return send(res, errorReply(v2, path, 404, "not_found", "The requested resource could not be found."));
    }
    if (!credential.scopes.includes(match.route.scope)) {
      req.resume();
      return send(
        res,
        errorReply(
          v2,
          path,
          403,
          "forbidden",
          v2
            ? "The caller lacks a required scope or does not own the resource."
            : "The API key lacks the scope this operation requires.",
        ),
      );
    }

    const route = match.route;
    const invalid = (found: RequestProblem) =>
      send(res, v2 ? v2InvalidRequest(clock.now(), path, found) : v1InvalidRequest(clock.now(), found));
    const params: Record<string, unknown> = {};
    for (const [name, validate] of Object.entries(route.params)) {
      const checked = checkPathParam(validate, name, match.params[name] ?? "");
      if ("problem" in checked) {
        req.resume();
        return invalid(checked.problem);
      }
      params[name] = checked.value;
    }
    const query = checkQuery(route.query, new URLSearchParams(q === -1 ? "" : url.slice(q + 1)));
    if ("problem" in query) {
      req.resume();
      return invalid(query.problem);
    }
    let body: unknown;
    if (route.body) {
      const text = await readBody(req, maxBody);
      if (text === "too-large") return invalid({ detail: "The request body is too large.", errors: [] });
      const checked = checkBody(route.body, text, req.headers["content-type"], route.prepareBody);
      if ("problem" in checked) return invalid(checked.problem);
      body = checked.value;
    } else {
      req.resume();
    }

    try {
      send(res, route.handle({ state, credential, params, query: query.value, path, body }));
    } catch (error) {
      if (error instanceof MockRuleError) {
        return send(res, v2 ? v2RuleError(clock.now(), path, error) : v1RuleError(clock.now(), error));
      }
      if (!route.body) throw error;
      // Defence in depth: the body passed the spec's validator, yet the route could not read it (a gap in the
      // spec, such as a schema without `type`). The client's body is what differs from every working request,
      // so it gets the 400 its operation declares, not a 500; stderr says which route and why, for the mock's
      // own tests and whoever runs it.
      console.error(
        `hostup-mock: ${route.operationId} could not process a body its validator accepted:`,
        error,
      );
      return invalid({ detail: "The request body could not be processed.", errors: [] });
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug in the mock: answer 500 in the API's shape and say what went wrong on stderr.
      console.error("hostup-mock: unexpected error", error);
      if (!res.headersSent) {
        const path = (req.url ?? "/").split("?")[0] ?? "/";
        send(
          res,
          errorReply(path.startsWith(V2_PREFIX), path, 500, "internal_error", "An unexpected error occurred"),
        );
      } else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;

  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(":") ? `[${host}]` : host;

  return {
    url: `http://${shownHost}:${port}`,
    port,
    state,
    setFaults: configure,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

// The HTTP side: Node's own `http`, one handler, no framework, driven by the generated operation tables. Order of
// checks per request, as an API gateway would do them: faults (latency, forced errors, rate limit) -> credentials
// as the operation's security schemes say (401) -> route (404/405) -> scope, the operation's x-hostup-scope (403)
// -> the request against the spec: path parameters, query, Content-Type and body, with the generated validators
// (400) -> the operation's handler (404/409/422 and the rules' 400s).
import { mkdirSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname } from "node:path";
import { type Har, writeHar } from "../contract/har.js";
import { credentialOf } from "./auth.js";
import { type MockClock, systemClock } from "./clock.js";
import { FAULT_HEADER, type MockFaults, parseFaultHeader, RateLimiter, type RequestFault } from "./faults.js";
import { type MockHarOptions, MockRecorder, type SentReply } from "./recording.js";
import { htmlBadGateway, type Reply } from "./replies.js";
import { checkBody, checkPathParam, checkQuery } from "./request-checks.js";
import { matchRoute, pathSegments } from "./routing.js";
import { MockRuleError } from "./rule-error.js";
import { defaultSeed } from "./seed.js";
import { MockState } from "./state.js";
import type { MockJobOptions, MockSeed, Scope } from "./types.js";
import { type ApiVersion, apiVersions, type ErrorInit } from "./versions.js";

export interface MockServerOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number | undefined;
  /** Interface to listen on. Default 127.0.0.1 (loopback only). */
  host?: string | undefined;
  /** The state to start from. Default: `defaultSeed()` (see the README). */
  seed?: MockSeed | undefined;
  /** "Now" for schedules and jobs. Default the system clock; `createManualClock()` for tests. */
  clock?: MockClock | undefined;
  /** How jobs progress. Default: done 60 s after they start or at the 3rd poll. */
  jobs?: MockJobOptions | undefined;
  /** Resilience knobs; all off by default. */
  faults?: MockFaults | undefined;
  /** Largest request body accepted, in bytes. Default 64 KiB. */
  maxBodyBytes?: number | undefined;
  /** Keep every exchange the mock answers, for `mock.har()`. Default false. */
  record?: boolean | undefined;
  /**
   * Record (as `record: true`) and write the HAR to this file when the mock is closed, scrubbed of credentials;
   * `npx hostup-contract check <file>` then judges it. Folders on the way are created.
   */
  recordTo?: string | undefined;
}

export interface MockServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`: pass it as the client's `baseUrl`. */
  url: string;
  port: number;
  /** The live model: read it, change it, `reset()` it between tests. */
  state: MockState;
  /** Replaces the server's knobs (e.g. turn rate limiting on for one test). */
  setFaults(faults: MockFaults): void;
  /**
   * The exchanges answered so far as a HAR (needs `record: true` or `recordTo`), in the order answered; scrubbed of
   * credentials unless `{ scrub: false }`.
   */
  har(options?: MockHarOptions): Promise<Har>;
  /** Stops listening and closes open connections; with `recordTo`, then writes the recording there. */
  close(): Promise<void>;
}

/** Where the recorder hears of each answer (only for requests it watches). */
const sendHooks = new WeakMap<ServerResponse, (reply: SentReply) => void>();

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
  sendHooks.get(res)?.({ status: reply.status, headers, payload });
}

const bodies = new WeakMap<IncomingMessage, Promise<string | "too-large">>();

/** The request's body text, read once (the recorder and the route may both ask). */
function readBody(req: IncomingMessage, limit: number): Promise<string | "too-large"> {
  let body = bodies.get(req);
  if (!body) {
    body = readStream(req, limit);
    bodies.set(req, body);
  }
  return body;
}

function readStream(req: IncomingMessage, limit: number): Promise<string | "too-large"> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    const done = () => resolve(over ? "too-large" : Buffer.concat(chunks).toString("utf8"));
    req.on("end", done);
    // a client that goes away mid-body: what arrived (resolving twice is a no-op after "end")
    req.on("close", done);
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
  const recorder =
    options.record || options.recordTo ? new MockRecorder(clock, () => state.credentials.keys()) : undefined;
  let baseUrl = "";

  const versions = apiVersions();
  const versionOf = (path: string): ApiVersion =>
    versions.find((v) => path.startsWith(v.prefix) || path === v.prefix.replace(/\/$/, "")) ??
    (versions[versions.length - 1] as ApiVersion);

  const rateLimited = (api: ApiVersion, path: string, retryAfterSeconds: number, limit: number): Reply => {
    const reset = new Date(clock.now() + retryAfterSeconds * 1000).toISOString();
    return api.error(clock.now(), path, {
      status: 429,
      code: "rate_limit_exceeded",
      message:
        api.name === "v2"
          ? "Too many requests. Retry after the limit resets."
          : "Rate limit exceeded. Try again later.",
      headers: {
        "retry-after": String(retryAfterSeconds),
        "x-ratelimit-limit": String(limit),
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": reset,
      },
      retryAfter: reset,
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    const search = new URLSearchParams(q === -1 ? "" : url.slice(q + 1));
    const api = versionOf(path);
    const method = req.method ?? "GET";
    const error = (init: ErrorInit) => send(res, api.error(clock.now(), path, init));
    const refuse = (init: ErrorInit) => {
      req.resume(); // drain the body so the connection can be reused
      return error(init);
    };

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
      return refuse({
        status: 500,
        code: "internal_error",
        message:
          api.name === "v2"
            ? "An unexpected error occurred. Retry later or contact support if the issue persists."
            : "An unexpected error occurred",
      });
    }

    // The route decides which security schemes apply; a path that matches none is read with all the version's.
    const segments = pathSegments(path).map(safeDecode);
    const { match, allowed, pathRoutes } = matchRoute(api.routes, method, segments);
    const schemes = match
      ? match.route.entry.security
      : pathRoutes.length
        ? [...new Set(pathRoutes.flatMap((r) => r.entry.security))]
        : Object.keys(api.securitySchemes);
    const token = credentialOf(req, schemes, api.securitySchemes, search);
    if (kind === "rate-limit") {
      req.resume();
      return send(res, rateLimited(api, path, fault?.retryAfterSeconds ?? 1, limiter?.limit ?? 60));
    }
    if (limiter) {
      const over = limiter.hit(token ?? `anonymous:${req.socket.remoteAddress ?? ""}`, clock.now());
      if (over) {
        req.resume();
        const seconds = Math.max(0, Math.ceil((over.resetAt - clock.now()) / 1000));
        return send(res, rateLimited(api, path, seconds, limiter.limit));
      }
    }

    const credential = token === undefined ? undefined : state.credentials.get(token);
    if (!credential)
      return refuse({ status: 401, code: "unauthorized", message: "Authentication required." });
    if (!match) {
      if (allowed.length) {
        req.resume();
        return send(res, {
          ...api.error(clock.now(), path, {
            status: 405,
            code: "method_not_allowed",
            message: `${method} is not allowed here`,
          }),
          headers: { allow: allowed.join(", ") },
        });
      }
      return refuse({
        status: 404,
        code: "not_found",
        message: "The requested resource could not be found.",
      });
    }
    const { route } = match;
    const { entry } = route;
    // Every scope the operation lists (restore-to-payg needs backup:vm and write:billing), not just the first.
    if (!entry.scopes.every((scope) => credential.scopes.includes(scope as Scope))) {
      return refuse({
        status: 403,
        code: "forbidden",
        message:
          api.name === "v2"
            ? "The caller lacks a required scope or does not own the resource."
            : "The API key lacks the scope this operation requires.",
      });
    }

    if (!route.handler) {
      return refuse({
        status: 501,
        code: "not_implemented",
        message: `The mock has no handler for ${route.operationId} yet.`,
      });
    }
    const handler = route.handler;

    // The request against the spec, from the operation's table entry.
    const invalid = (found: Parameters<ApiVersion["invalidRequest"]>[2]) =>
      send(res, api.invalidRequest(clock.now(), path, found));
    const params: Record<string, unknown> = {};
    for (const param of entry.pathParams) {
      const checked = checkPathParam(param, match.params[param.name] ?? "");
      if ("problem" in checked) {
        req.resume();
        return invalid(checked.problem);
      }
      params[param.name] = checked.value;
    }
    const query = checkQuery(entry.query, search);
    if ("problem" in query) {
      req.resume();
      return invalid(query.problem);
    }
    let body: unknown;
    if (entry.body) {
      const text = await readBody(req, maxBody);
      if (text === "too-large") return invalid({ detail: "The request body is too large.", errors: [] });
      const prepare = handler.prepareBody?.bind(handler);
      const checked = checkBody(entry.body, text, req.headers["content-type"], prepare);
      if ("problem" in checked) return invalid(checked.problem);
      body = checked.value;
    } else {
      req.resume();
    }

    try {
      send(res, handler.handle({ state, credential, params, query: query.value, path, body }));
    } catch (thrown) {
      if (thrown instanceof MockRuleError) return send(res, api.ruleError(clock.now(), path, thrown));
      if (!entry.body) throw thrown;
      // Defence in depth: the body passed the spec's validator, yet the handler could not read it (a gap in the
      // spec, such as a schema without `type`). The client's body is what differs from every working request,
      // so it gets the 400 its operation declares, not a 500; stderr says which operation and why, for the
      // mock's own tests and whoever runs it.
      console.error(
        `hostup-mock: ${route.operationId} could not process a body its validator accepted:`,
        thrown,
      );
      return invalid({ detail: "The request body could not be processed.", errors: [] });
    }
  }

  const server: Server = createServer((req, res) => {
    if (recorder) {
      // reading starts now, so the route and the recording see the same bytes
      const body = readBody(req, maxBody).then(
        (text) => (text === "too-large" ? "" : text),
        () => "",
      );
      sendHooks.set(res, (reply) => recorder.answered(req, baseUrl, body, reply));
    }
    handle(req, res).catch((error: unknown) => {
      // A bug in the mock: answer 500 in the API's shape and say what went wrong on stderr.
      console.error("hostup-mock: unexpected error", error);
      if (!res.headersSent) {
        const path = (req.url ?? "/").split("?")[0] ?? "/";
        const init = { status: 500, code: "internal_error", message: "An unexpected error occurred" };
        send(res, versionOf(path).error(clock.now(), path, init));
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
  baseUrl = `http://${shownHost}:${port}`;

  return {
    url: baseUrl,
    port,
    state,
    setFaults: configure,
    har: (harOptions) => {
      if (!recorder)
        return Promise.reject(
          new Error(
            "mock.har(): the mock is not recording; start it with { record: true } or { recordTo: file }",
          ),
        );
      return recorder.har(harOptions);
    },
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      if (recorder && options.recordTo) {
        mkdirSync(dirname(options.recordTo), { recursive: true });
        writeHar(options.recordTo, await recorder.har());
      }
    },
  };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

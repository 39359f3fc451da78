import { inspect } from "node:util";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createV1Client,
  createV2Client,
  HostupApiError,
  HostupError,
  HostupNetworkError,
  HostupValidationError,
  type RetryOptions,
} from "../../src/index.js";
import { rejection } from "./rejection.js";

const BASE = "https://cloud.hostup.se";
const TOKEN = "test-token-f4u17";
const VPS = "vps_01hxa3b4c5d6e7f8g9h0j1k2m3";
const PATH = `/api/v2/vps/${VPS}/snapshot-schedules`;
const json = { "content-type": "application/json" };
const state = {
  schedule: null,
  limits: { totalSnapshots: 0 },
  available: false,
  reason: "no plan",
  actions: {},
};
const rateLimited = {
  type: "https://developer.hostup.se/errors/rate_limit_exceeded",
  status: 429,
  detail: "Too many requests. Retry after the limit resets.",
  code: "rate_limit_exceeded",
};

const fast: RetryOptions = { retries: 2, minDelayMs: 1, maxDelayMs: 2000 };
const v2 = (
  options: {
    timeoutMs?: number;
    retry?: RetryOptions | false;
    fetch?: (r: Request) => Promise<Response>;
  } = {},
) => createV2Client({ token: TOKEN, retry: fast, ...options });

/** Every way the key could surface from an error, checked at once. */
function expectNoKey(error: unknown, key = TOKEN) {
  const views = [
    String((error as Error).message),
    String(error),
    JSON.stringify(error),
    JSON.stringify((error as HostupApiError).body ?? null),
    inspect(error, { depth: 10 }),
    (error as Error).stack ?? "",
  ];
  for (const view of views) expect(view).not.toContain(key);
}

/** The error `action` throws (returning fails the test). */
function thrownBy(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
}

async function failure(promise: Promise<unknown>): Promise<HostupError> {
  const error = await rejection(promise);
  expectNoKey(error);
  return error;
}

/** The fake clock's start: hints are set relative to it, so the expected waits are exact. */
const T0 = Date.parse("2026-04-27T12:00:00.500Z");
const at = (ms: number) => T0 + ms;
const reply = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { ...json, ...headers } });

/** A fetch that answers from a script and records the (fake) time of every request. */
function scripted(script: () => Response[]) {
  const answers = script();
  const requests: Request[] = [];
  const times: number[] = [];
  return {
    requests,
    fetch: async (request: Request) => {
      requests.push(request);
      times.push(Date.now());
      const answer = answers.shift();
      if (!answer) throw new Error(`unexpected request #${requests.length}`);
      return answer;
    },
    /** Milliseconds between consecutive requests. */
    gaps: () => times.slice(1).map((time, i) => time - (times[i] as number)),
  };
}

/**
 * Runs `call` with Date and setTimeout faked from T0, firing each timer only when nothing else is pending (every
 * response here is an in-memory Response, so no real I/O is in flight), and returns its result.
 */
async function onFakeClock<T>(call: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ["Date", "setTimeout", "clearTimeout"], now: T0 });
  try {
    const pending = call();
    pending.catch(() => {});
    await vi.runAllTimersAsync();
    return await pending;
  } finally {
    vi.useRealTimers();
  }
}

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
  nock.abortPendingRequests();
});
// the files of a worker share one nock (vitest runs them unisolated): let the next file reach loopback
afterAll(() => {
  nock.enableNetConnect();
});

describe("fault table (one row per fault)", () => {
  it("429 with Retry-After seconds: waits that long, then succeeds", async () => {
    const scope = nock(BASE)
      .get(PATH)
      .reply(429, rateLimited, { ...json, "retry-after": "1" })
      .get(PATH)
      .reply(200, state, json);
    const started = Date.now();
    await expect(v2().snapshotSchedule.get(VPS)).resolves.toEqual(state);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    scope.done();
  });

  it("429 with Retry-After as an HTTP date: waits until that date, then succeeds", async () => {
    // 12:00:00.500 now, come back at 12:00:02 (HTTP dates have whole seconds): a 1500 ms hint
    const server = scripted(() => [
      reply(429, rateLimited, { "retry-after": new Date(at(2000)).toUTCString() }),
      reply(200, state),
    ]);
    const result = await onFakeClock(() => v2({ fetch: server.fetch }).snapshotSchedule.get(VPS));
    expect(result).toEqual(state);
    expect(server.gaps()).toEqual([1500]);
  });

  it("429 with X-RateLimit-Reset (ISO): honoured", async () => {
    const reset = new Date(Date.now() + 150).toISOString();
    const scope = nock(BASE)
      .get(PATH)
      .reply(429, rateLimited, { ...json, "x-ratelimit-reset": reset, "x-ratelimit-remaining": "0" })
      .get(PATH)
      .reply(200, state, json);
    const started = Date.now();
    await expect(v2().snapshotSchedule.get(VPS)).resolves.toEqual(state);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    scope.done();
  });

  it("429 with v1's body retryAfter: waits until then, and the v1 body mapped", async () => {
    const body = {
      error: "Too Many Requests",
      message: "Rate limit exceeded",
      code: "RATE_LIMITED",
      timestamp: "2026-04-27T12:00:00.500Z",
      requestId: "2121ae20-bd9d-41e9-aeeb-5dd1dd1a24ba",
      retryAfter: new Date(at(1700)).toISOString(),
    };
    const job = { jobId: "job_1", isCompleted: true, isFailed: false };
    const server = scripted(() => [
      reply(429, body),
      reply(200, { success: true, timestamp: body.timestamp, requestId: body.requestId, data: job }),
    ]);
    const v1 = createV1Client({ apiKey: "test-key", retry: fast, fetch: server.fetch });
    await expect(onFakeClock(() => v1.jobs.get("job_1"))).resolves.toEqual(job);
    expect(server.gaps()).toEqual([1700]);
    expect(server.requests.map((r) => new URL(r.url).pathname)).toEqual([
      "/api/jobs/job_1",
      "/api/jobs/job_1",
    ]);
  });

  it("control: without a hint the same client retries within minDelayMs (so the two rows above can fail)", async () => {
    const server = scripted(() => [reply(429, rateLimited), reply(200, state)]);
    await onFakeClock(() => v2({ fetch: server.fetch }).snapshotSchedule.get(VPS));
    const [gap] = server.gaps();
    expect(gap).toBeLessThanOrEqual(1);
  });

  it("429 whose hint exceeds maxDelayMs: thrown at once with retryAfterMs", async () => {
    const scope = nock(BASE)
      .get(PATH)
      .reply(429, rateLimited, { ...json, "retry-after": "120" });
    const error = await failure(v2().snapshotSchedule.get(VPS));
    expect(error).toBeInstanceOf(HostupApiError);
    expect(error).toMatchObject({ status: 429, code: "rate_limit_exceeded", retryAfterMs: 120_000 });
    scope.done();
  });

  it("503 then success: retried with backoff, and a POST re-sends its body intact", async () => {
    const body = { enabled: true, intervalHours: 6 };
    const scope = nock(BASE)
      .post(PATH, body)
      .reply(503, { code: "upstream_failed", detail: "Upstream failed" }, json)
      .post(PATH, body)
      .reply(200, state, json);
    await expect(v2().snapshotSchedule.save(VPS, body)).resolves.toEqual(state);
    scope.done();
  });

  it("retry: false sends once", async () => {
    const scope = nock(BASE).get(PATH).reply(503, { code: "upstream_failed", detail: "down" }, json);
    const error = await failure(v2({ retry: false }).snapshotSchedule.get(VPS));
    expect(error).toMatchObject({ status: 503, code: "upstream_failed" });
    scope.done();
  });

  it("HTML 502 from a proxy: invalid_response with a short snippet, after the retries", async () => {
    const html = `<html><head><title>502 Bad Gateway</title></head><body>${"<p>nginx</p>".repeat(50)}</body></html>`;
    const scope = nock(BASE).get(PATH).times(3).reply(502, html, { "content-type": "text/html" });
    const error = await failure(v2().snapshotSchedule.get(VPS));
    expect(error).toMatchObject({ status: 502, code: "invalid_response", operation: "getSnapshotSchedule" });
    expect(error.message).toContain("502 Bad Gateway");
    expect(error.message.length).toBeLessThan(260);
    scope.done();
  });

  it("empty 200 where JSON is due: invalid_response", async () => {
    const scope = nock(BASE).get(PATH).reply(200, "", json);
    const error = await failure(v2().snapshotSchedule.get(VPS));
    expect(error).toMatchObject({ status: 200, code: "invalid_response" });
    expect(error.message).toMatch(/empty body/);
    scope.done();
  });

  it("malformed JSON: invalid_response, never a SyntaxError", async () => {
    const scope = nock(BASE).get(PATH).reply(200, '{"schedule": {"enabled": tru', json);
    const error = await failure(v2().snapshotSchedule.get(VPS));
    expect(error).toMatchObject({ status: 200, code: "invalid_response" });
    expect(error.message).toContain('{"schedule": {"enabled": tru');
    scope.done();
  });

  it("connection reset: retried, then HostupNetworkError with the cause", async () => {
    const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    const scope = nock(BASE).get(PATH).times(3).replyWithError(reset);
    const error = await failure(v2().snapshotSchedule.get(VPS));
    expect(error).toBeInstanceOf(HostupNetworkError);
    expect(error.code).toBe("network_error");
    expect(error.cause).toBeDefined();
    scope.done();
  });

  it("connection reset then success", async () => {
    const scope = nock(BASE)
      .get(PATH)
      .replyWithError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }))
      .get(PATH)
      .reply(200, state, json);
    await expect(v2().snapshotSchedule.get(VPS)).resolves.toEqual(state);
    scope.done();
  });

  it("timeout: HostupNetworkError code timeout", async () => {
    const scope = nock(BASE).get(PATH).delay(500).reply(200, state, json);
    const error = await failure(v2({ timeoutMs: 50, retry: false }).snapshotSchedule.get(VPS));
    expect(error).toBeInstanceOf(HostupNetworkError);
    expect(error.code).toBe("timeout");
    scope.done();
  });

  it("abort by the caller: HostupNetworkError code aborted, not retried", async () => {
    const scope = nock(BASE).get(PATH).delay(500).reply(200, state, json);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const error = await failure(v2().snapshotSchedule.get(VPS, { signal: controller.signal }));
    expect(error).toBeInstanceOf(HostupNetworkError);
    expect(error.code).toBe("aborted");
    scope.done();
  });

  it("abort during the wait between retries", async () => {
    const scope = nock(BASE)
      .get(PATH)
      .reply(429, rateLimited, { ...json, "retry-after": "1" });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const error = await failure(v2().snapshotSchedule.get(VPS, { signal: controller.signal }));
    expect(error.code).toBe("aborted");
    scope.done();
  });

  it("redirect: refused, never followed with the credential", async () => {
    const scope = nock(BASE).get(PATH).reply(302, "", { location: "https://elsewhere.example/steal" });
    const other = nock("https://elsewhere.example").get("/steal").reply(200, state, json);
    const error = await failure(v2().snapshotSchedule.get(VPS));
    expect(error).toMatchObject({ status: 302, code: "redirect_refused" });
    // the message names where it pointed (the origin only: a path or query may hold a token) and what to check
    expect(error.message).toBe(
      "getSnapshotSchedule: HTTP 302 redirect to https://elsewhere.example refused; hostup-api never follows redirects, so your key is not sent elsewhere. Check baseUrl.",
    );
    scope.done();
    expect(other.isDone()).toBe(false);
  });

  it.for([
    ["no Location", undefined, ""],
    ["a Location that is not a URL", "http://[", ""],
  ] as const)("redirect with %s: the message names what it can", async ([, location, target]) => {
    const scope = nock(BASE)
      .get(PATH)
      .reply(301, "", location === undefined ? {} : { location });
    const error = await failure(v2().snapshotSchedule.get(VPS));
    expect(error).toMatchObject({ status: 301, code: "redirect_refused" });
    expect(error.message).toBe(
      `getSnapshotSchedule: HTTP 301 redirect${target} refused; hostup-api never follows redirects, so your key is not sent elsewhere. Check baseUrl.`,
    );
    scope.done();
  });
});

describe("the key never leaks", () => {
  it("from a server error that echoes it", async () => {
    const scope = nock(BASE)
      .get(PATH)
      .reply(
        401,
        {
          code: "unauthorized",
          detail: `Token ${TOKEN} is not valid`,
          errors: [{ pointer: "/token", detail: `bad ${TOKEN}` }],
        },
        json,
      );
    const error = await failure(v2().snapshotSchedule.get(VPS));
    expect(error.message).toBe("Token [REDACTED] is not valid");
    scope.done();
  });

  it("from a non-JSON body that echoes it", async () => {
    const scope = nock(BASE).get(PATH).reply(400, `bad key ${TOKEN}`, { "content-type": "text/plain" });
    const error = await failure(v2().snapshotSchedule.get(VPS));
    expect(error.code).toBe("invalid_response");
    scope.done();
  });

  it("from a custom fetch whose error quotes the headers", async () => {
    const fetch = async (request: Request) => {
      throw new TypeError(`cannot send ${request.headers.get("authorization")}`, { cause: new Error(TOKEN) });
    };
    const error = await failure(
      createV2Client({ token: TOKEN, fetch, retry: false }).snapshotSchedule.get(VPS),
    );
    expect(error.code).toBe("network_error");
  });

  it("v1: X-API-Key never appears either", async () => {
    const scope = nock(BASE)
      .get("/api/vm/100/backup-schedules")
      .reply(403, { error: "Forbidden", message: "key test-key-v1 lacks read:vm", code: "FORBIDDEN" }, json);
    const error = await createV1Client({ apiKey: "test-key-v1", retry: false })
      .backupSchedules.get(100)
      .catch((e: unknown) => e);
    expectNoKey(error, "test-key-v1");
    expect(error).toMatchObject({ status: 403, code: "FORBIDDEN", apiVersion: "v1" });
    scope.done();
  });
});

describe("what redaction keeps: the copy of an error is faithful, and only the key is gone", () => {
  const problem = { "content-type": "application/problem+json" };
  /** An array `depth` levels deep around "leaf". */
  const nested = (depth: number) => {
    let value: unknown = "leaf";
    for (let i = 0; i < depth; i++) value = [value];
    return value;
  };
  /** How many arrays deep `value` goes, and what is at the bottom. */
  const bottom = (value: unknown) => {
    let depth = 0;
    for (; Array.isArray(value); depth++) value = value[0];
    return { depth, leaf: value };
  };

  it("a custom fetch's error: null, holes and symbol keys kept, a cycle kept a cycle, accessors left unread", async () => {
    const where = Symbol("where");
    let getterRuns = 0;
    const fetch = async (request: Request): Promise<Response> => {
      const auth = request.headers.get("authorization");
      const sparse: unknown[] = [];
      sparse[1] = auth;
      const error = Object.assign(new Error(`failed with ${auth}`), {
        sparse,
        none: null,
        [where]: "kept",
      });
      Object.defineProperty(error, "lazy", {
        enumerable: true,
        get: () => {
          getterRuns++;
          return auth;
        },
      });
      Object.assign(error, { self: error });
      throw error;
    };
    const error = await failure(v2({ retry: false, fetch }).snapshotSchedule.get(VPS));
    const cause = error.cause as Error & Record<PropertyKey, unknown>;
    expect(cause).toBeInstanceOf(Error);
    expect(cause.message).toBe("failed with Bearer [REDACTED]");
    const sparse = cause.sparse as unknown[];
    expect(sparse).toHaveLength(2);
    expect(0 in sparse).toBe(false);
    expect(sparse[1]).toBe("Bearer [REDACTED]");
    expect(cause.none).toBeNull();
    expect(cause[where]).toBe("kept");
    expect(cause.self).toBe(cause);
    expect(Object.getOwnPropertyDescriptor(cause, "lazy")).toBeUndefined();
    expect(getterRuns).toBe(0);
    // members as an Error's own: writable and configurable, enumerable as they were
    expect(Object.getOwnPropertyDescriptor(cause, "message")).toEqual({
      value: "failed with Bearer [REDACTED]",
      writable: true,
      enumerable: false,
      configurable: true,
    });
    expect(Object.getOwnPropertyDescriptor(cause, "none")).toMatchObject({
      enumerable: true,
      writable: true,
    });
  });

  it("a cause chain deeper than 100 is copied 100 levels deep, then its kind: '[Error]'", async () => {
    const fetch = async (request: Request): Promise<Response> => {
      let error = new Error(`innermost ${request.headers.get("authorization")}`);
      for (let i = 0; i < 150; i++) error = new Error(`level ${i}`, { cause: error });
      throw error;
    };
    const error = await failure(v2({ retry: false, fetch }).snapshotSchedule.get(VPS));
    let at: unknown = error;
    let copied = 0;
    for (; at instanceof Error; copied++) at = at.cause;
    // the thrown HostupNetworkError (depth 0) and the 100 causes below it
    expect(copied).toBe(101);
    expect(at).toBe("[Error]");
  });

  it("an error body without the key, nested deeper than 100, is kept whole (read as JSON text at once)", async () => {
    const body = { code: "bad_request", detail: "no", deep: nested(150) };
    const server = scripted(() => [reply(400, body, problem)]);
    const error = await failure(v2({ retry: false, fetch: server.fetch }).snapshotSchedule.get(VPS));
    expect((error as HostupApiError).body).toEqual(body);
    expect(bottom(((error as HostupApiError).body as typeof body).deep)).toEqual({
      depth: 150,
      leaf: "leaf",
    });
  });

  // JSON.stringify recurses: it gives up near 5 000 levels on a main thread, near 20 000 in a worker
  it("an error body too deep for JSON.stringify is copied to depth 100, not a TypeError or RangeError", async () => {
    const raw = `{"code": "bad_request", "detail": "no", "deep": ${"[".repeat(50_000)}"leaf"${"]".repeat(50_000)}}`;
    const server = scripted(() => [new Response(raw, { status: 400, headers: problem })]);
    const error = await failure(v2({ retry: false, fetch: server.fetch }).snapshotSchedule.get(VPS));
    expect(error).toMatchObject({ status: 400, code: "bad_request", message: "no" });
    // depth 0 the error, 1 its body, 2 `deep`: arrays down to depth 100, then the placeholder
    expect(bottom(((error as HostupApiError).body as { deep: unknown }).deep)).toEqual({
      depth: 99,
      leaf: "[Array]",
    });
  });
});

describe("client options are checked at creation", () => {
  const cases: [string, () => unknown, RegExp][] = [
    ["missing token", () => createV2Client({} as never), /`token` is required/],
    ["empty apiKey", () => createV1Client({ apiKey: "" }), /`apiKey` is required/],
    ["key with CR/LF", () => createV1Client({ apiKey: "test-key\r\nX-Evil: 1" }), /CR or LF/],
    [
      "plain http to a remote host",
      () => createV2Client({ token: "test-token", baseUrl: "http://cloud.hostup.se" }),
      /plain http/,
    ],
    ["a relative baseUrl", () => createV2Client({ token: "test-token", baseUrl: "/api" }), /absolute URL/],
    [
      "credentials in baseUrl",
      () => createV2Client({ token: "test-token", baseUrl: "https://u:p@cloud.hostup.se" }),
      /credentials/,
    ],
    ["a zero timeout", () => createV2Client({ token: "test-token", timeoutMs: 0 }), /timeoutMs/],
  ];
  for (const [name, create, message] of cases) {
    it(name, () => {
      expect(create).toThrow(message);
      try {
        create();
      } catch (error) {
        expect(error).toBeInstanceOf(HostupError);
        expect(String(error)).not.toContain("X-Evil");
      }
    });
  }

  it("allows http on loopback (a local mock) and strips a trailing slash", async () => {
    const scope = nock("http://127.0.0.1:4010").get(`/prefix${PATH}`).reply(200, state, json);
    const client = createV2Client({
      token: "test-token",
      baseUrl: "http://127.0.0.1:4010/prefix/",
      retry: false,
    });
    await expect(client.snapshotSchedule.get(VPS)).resolves.toEqual(state);
    scope.done();
  });

  it("sends a custom userAgent", async () => {
    const scope = nock(BASE, { reqheaders: { "user-agent": "my-app/1.0" } })
      .get(PATH)
      .reply(200, state, json);
    await createV2Client({ token: "test-token", userAgent: "my-app/1.0" }).snapshotSchedule.get(VPS);
    scope.done();
  });
});

describe("jobs.waitFor keeps its own deadline: each poll is capped by the time left", () => {
  const running = {
    success: true,
    timestamp: "2026-04-27T12:00:00.000Z",
    data: { jobId: "j1", state: "active", progressDetails: null, isCompleted: false, isFailed: false },
  };

  /** The rejection and the fake time it happened at. */
  const settled = (promise: Promise<unknown>) =>
    promise.then(
      () => ({ error: new Error("resolved"), at: Date.now() }),
      (error: unknown) => ({ error, at: Date.now() }),
    );

  it("a poll that hangs is cut at waitFor's deadline, not after the per-call timeout and its retries", async () => {
    const requests: Request[] = [];
    const fetch = (request: Request) => {
      requests.push(request);
      return new Promise<Response>((_, reject) =>
        request.signal.addEventListener("abort", () => reject(request.signal.reason)),
      );
    };
    const v1 = createV1Client({ apiKey: "test-key", retry: fast, fetch });
    const { error, at } = await onFakeClock(() =>
      settled(v1.jobs.waitFor("j1", { intervalMs: 100, timeoutMs: 1000 })),
    );
    expect(error).toBeInstanceOf(HostupError);
    expect(error).toMatchObject({ code: "timeout" });
    expect((error as Error).message).toBe(
      "getJob: job j1 neither completed nor failed within 1000 ms (state: unknown)",
    );
    expect(at - T0).toBe(1000);
    expect(requests).toHaveLength(1);
  });

  it("a retry wait that would cross the deadline is not slept: timeout at once, with the 503 as cause", async () => {
    const server = scripted(() => [
      reply(503, { code: "upstream_failed", detail: "down" }, { "retry-after": "2" }),
      reply(200, running),
      reply(200, running),
    ]);
    const v1 = createV1Client({ apiKey: "test-key", retry: fast, fetch: server.fetch });
    const { error, at } = await onFakeClock(() =>
      settled(v1.jobs.waitFor("j1", { intervalMs: 100, timeoutMs: 1000 })),
    );
    expect(error).toMatchObject({ code: "timeout" });
    expect((error as Error).cause).toMatchObject({ status: 503 });
    expect(server.requests).toHaveLength(1);
    expect(at - T0).toBe(0);
  });

  it("the state in waitFor's timeout: shown up to 60 characters, else only its length", async () => {
    for (const [state, shown] of [
      ["s".repeat(60), "s".repeat(60)],
      ["s".repeat(61), "61 characters, not shown"],
    ]) {
      const server = scripted(() => [reply(200, { ...running, data: { ...running.data, state } })]);
      const v1 = createV1Client({ apiKey: "test-key", retry: fast, fetch: server.fetch });
      // the next poll (100 ms on) would start after the deadline (50 ms): the wait ends after the first
      const { error } = await onFakeClock(() =>
        settled(v1.jobs.waitFor("j1", { intervalMs: 100, timeoutMs: 50 })),
      );
      expect(error).toMatchObject({
        code: "timeout",
        operation: "getJob",
        message: `getJob: job j1 neither completed nor failed within 50 ms (state: ${shown})`,
      });
    }
  });
});

describe("each error class names itself, and carries only what it has", () => {
  it("HostupError, HostupApiError (fieldErrors [] without the server's) and HostupValidationError", async () => {
    const options = thrownBy(() => createV2Client({} as never));
    expect(options.name).toBe("HostupError");
    expect(String(options)).toMatch(/^HostupError: createV2Client: `token` is required/);
    const server = scripted(() => [
      new Response("<html>", { status: 502, headers: { "content-type": "text/html" } }),
    ]);
    const api = await failure(v2({ retry: false, fetch: server.fetch }).snapshotSchedule.get(VPS));
    expect(api).toBeInstanceOf(HostupApiError);
    expect(api.name).toBe("HostupApiError");
    expect((api as HostupApiError).fieldErrors).toEqual([]);
    const invalid = await failure(
      v2().snapshotSchedule.save(VPS, { enabled: "yes", intervalHours: 6 } as never),
    );
    expect(invalid).toMatchObject({ name: "HostupValidationError", code: "validation_failed" });
    expect((invalid as HostupValidationError).fieldErrors).toHaveLength(1);
    const [only] = (invalid as HostupValidationError).fieldErrors;
    expect(invalid.message).toBe(`saveSnapshotSchedule: invalid request, nothing was sent: ${only?.message}`);
    // the client's validators stop at the first problem (allErrors: false); a caller's own instance may hold more
    const two = new HostupValidationError("op", [
      { pointer: "/a", message: "`a` is wrong" },
      { pointer: "/b", message: "`b` is wrong" },
    ]);
    expect(two.message).toBe("op: invalid request, nothing was sent: `a` is wrong (and 1 more)");
    expect(new HostupValidationError("op", []).message).toBe(
      "op: invalid request, nothing was sent: invalid input",
    );
  });
});

describe("maxResponseBytes counts the bytes exactly, chunk by chunk", () => {
  const encoder = new TextEncoder();
  /** A JSON answer whose body arrives in exactly these chunks. */
  const chunked = (status: number, chunks: Uint8Array[]) =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(chunk);
          controller.close();
        },
      }),
      { status, headers: json },
    );
  /** The bytes in three chunks, so the count runs across them. */
  const thirds = (bytes: Uint8Array) => [bytes.slice(0, 10), bytes.slice(10, 20), bytes.slice(20)];
  const capped = (maxResponseBytes: number, answer: () => Response) =>
    createV2Client({ token: TOKEN, retry: false, maxResponseBytes, fetch: async () => answer() });

  it("a body of exactly maxResponseBytes is read; one byte more is response_too_large", async () => {
    const ok = encoder.encode(JSON.stringify(state));
    const answerOk = () => chunked(200, thirds(ok));
    await expect(capped(ok.length, answerOk).snapshotSchedule.get(VPS)).resolves.toEqual(state);
    const tooLarge = await failure(capped(ok.length - 1, answerOk).snapshotSchedule.get(VPS));
    expect(tooLarge).toMatchObject({ status: 200, code: "response_too_large" });
    // an error body is counted the same way
    const problem = encoder.encode(
      JSON.stringify({ status: 404, code: "not_found", detail: "No such VPS." }),
    );
    const answerNotFound = () => chunked(404, thirds(problem));
    const notFound = await failure(capped(problem.length, answerNotFound).snapshotSchedule.get(VPS));
    expect(notFound).toMatchObject({ status: 404, code: "not_found", message: "No such VPS." });
    const problemTooLarge = await failure(
      capped(problem.length - 1, answerNotFound).snapshotSchedule.get(VPS),
    );
    expect(problemTooLarge).toMatchObject({ status: 404, code: "response_too_large" });
  });

  it("a character whose bytes are split between two chunks is decoded whole", async () => {
    const reason = "Gäller ej för planen: 雪";
    const bytes = encoder.encode(JSON.stringify({ ...state, reason }));
    // between the two bytes of "ä", and between the second and third byte of "雪"
    const ae = bytes.indexOf(0xc3) + 1;
    const snow = bytes.lastIndexOf(0xe9) + 2;
    const answer = () => chunked(200, [bytes.slice(0, ae), bytes.slice(ae, snow), bytes.slice(snow)]);
    await expect(capped(1024, answer).snapshotSchedule.get(VPS)).resolves.toEqual({ ...state, reason });
  });

  it("a 2xx with no body stream at all is an empty body (invalid_response), not a failed request", async () => {
    const answer = () => new Response(null, { status: 200, headers: json });
    const error = await failure(capped(1024, answer).snapshotSchedule.get(VPS));
    expect(error).toMatchObject({ status: 200, code: "invalid_response" });
    expect(error.message).toBe(
      "getSnapshotSchedule: HTTP 200 with an empty body where JSON was expected (application/json)",
    );
  });

  it("raw: a 204, 205 or 304 passes through, also from a fetch that gives it an empty stream (node-fetch does)", async () => {
    for (const status of [204, 205, 304]) {
      const standard = () => new Response(null, { status });
      const withStream = () =>
        Object.defineProperty(new Response(null, { status }), "body", {
          value: new ReadableStream({ start: (controller) => controller.close() }),
        });
      for (const answer of [standard, withStream]) {
        const { response } = await capped(1024, answer).raw.DELETE("/api/v2/vps/{id}/snapshot-schedules", {
          params: { path: { id: VPS } },
        });
        expect(response.status).toBe(status);
      }
    }
  });
});

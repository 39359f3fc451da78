/**
 * The backup and snapshot lifecycle from the outside: bad arguments and options from the caller (nothing may be
 * sent, the error names the field), and answers from a loopback server that break the spec's promise about the
 * work a write started (a 202 without `operation.jobId`/`pollUrl`, v1's rollback without `jobId`), which must be an
 * `invalid_response` naming the operation rather than a result that throws a TypeError in the caller's hands.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { createV1Client, createV2Client, HostupApiError, HostupValidationError } from "../../src/index.js";
import { rejection } from "./rejection.js";

const TOKEN = "test-token-l1fecycle";
const KEY = "test-key-l1fecycle";
const VPS = "vps_01hxa3b4c5d6e7f8g9h0j1k2m3";

/** A fetch that records what would have been sent and answers 202 with a well-formed operation. */
function recordingFetch() {
  const sent: Request[] = [];
  const fetch = async (request: Request) => {
    sent.push(request);
    return Response.json(
      { operation: { status: "queued", jobId: "job_1", pollUrl: "/api/jobs/job_1", result: null } },
      { status: 202 },
    );
  };
  return { sent, fetch };
}

describe("per-call options that are not options: invalid_options naming the field, nothing sent", () => {
  const cases: [string, unknown, RegExp][] = [
    ["a string as options", "fast", /createBackup: `options` must be an object or left out, got "fast"/],
    ["null as options", null, /createBackup: `options` must be an object or left out, got null/],
    ["a signal that is a string", { signal: "abort" }, /createBackup: `signal` must be an AbortSignal/],
    ["a signal that is a plain object", { signal: {} }, /createBackup: `signal` must be an AbortSignal/],
  ];
  for (const [name, options, message] of cases) {
    it(`v2 backups.create with ${name}`, async () => {
      const { sent, fetch } = recordingFetch();
      const v2 = createV2Client({ token: TOKEN, baseUrl: "http://127.0.0.1:9", fetch });
      const timersBefore = process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
      const error = await rejection(v2.backups.create(VPS, { note: "n" }, options as { timeoutMs: 1 }));
      expect(error.code).toBe("invalid_options");
      expect(error.message).toMatch(message);
      expect(sent).toHaveLength(0);
      // no per-attempt timer left running behind the refusal (it kept a process alive for timeoutMs)
      const timersAfter = process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
      expect(timersAfter).toBe(timersBefore);
    });
  }

  it("v1 snapshots.deleteOrRollback with a signal that is not an AbortSignal", async () => {
    const { sent, fetch } = recordingFetch();
    const v1 = createV1Client({ apiKey: KEY, baseUrl: "http://127.0.0.1:9", fetch });
    const error = await rejection(
      v1.snapshots.deleteOrRollback(10000, { action: "rollback", snapname: "s1" }, {
        signal: "x",
      } as unknown as { timeoutMs: 1 }),
    );
    expect(error.code).toBe("invalid_options");
    expect(error.message).toMatch(/deleteOrRollbackSnapshot: `signal` must be an AbortSignal/);
    expect(sent).toHaveLength(0);
  });
});

describe("waitFor options that are not options: invalid_options naming the field, nothing polled", () => {
  const cases: [string, unknown, RegExp][] = [
    ["a string as options", "fast", /`options` must be an object or left out, got "fast"/],
    ["onProgress that is not a function", { onProgress: 5 }, /`onProgress` must be a function/],
    ["a signal that is a string", { signal: "abort" }, /`signal` must be an AbortSignal/],
  ];
  for (const [name, options, message] of cases) {
    it(`v2 operations.waitFor and v1 jobs.waitFor with ${name}`, async () => {
      const { sent, fetch } = recordingFetch();
      const v2 = createV2Client({ token: TOKEN, baseUrl: "http://127.0.0.1:9", fetch });
      const v1 = createV1Client({ apiKey: KEY, baseUrl: "http://127.0.0.1:9", fetch });
      const fromV2 = await rejection(v2.operations.waitFor("job_1", options as { intervalMs: 0 }));
      expect(fromV2.code).toBe("invalid_options");
      expect(fromV2.message).toMatch(new RegExp(`^operations\\.waitFor: ${message.source}`));
      const fromV1 = await rejection(v1.jobs.waitFor("job_1", options as { intervalMs: 0 }));
      expect(fromV1.code).toBe("invalid_options");
      expect(fromV1.message).toMatch(new RegExp(`^jobs\\.waitFor: ${message.source}`));
      expect(sent).toHaveLength(0);
    });
  }
});

describe("client options of the wrong type are refused at creation", () => {
  it("`fetch` that is not a function", () => {
    expect(() => createV2Client({ token: TOKEN, fetch: "fetch" as unknown as typeof fetch })).toThrow(
      expect.objectContaining({
        code: "invalid_options",
        message: expect.stringMatching(/createV2Client: `fetch` must be a function/),
      }),
    );
  });

  it("`validateRequests` that is not a boolean (a string 'false' would validate)", () => {
    expect(() => createV1Client({ apiKey: KEY, validateRequests: "false" as unknown as boolean })).toThrow(
      expect.objectContaining({
        code: "invalid_options",
        message: expect.stringMatching(/createV1Client: `validateRequests` must be a boolean, got "false"/),
      }),
    );
  });
});

describe("a required query left out is refused before sending", () => {
  it("v1 snapshots.deleteOrRollback(vmid) without `{ action, snapname }`: /action, nothing sent", async () => {
    const { sent, fetch } = recordingFetch();
    const v1 = createV1Client({ apiKey: KEY, baseUrl: "http://127.0.0.1:9", fetch });
    const call = v1.snapshots.deleteOrRollback as (vmid: number) => Promise<unknown>;
    const error = await rejection(call(10000));
    expect(error).toBeInstanceOf(HostupValidationError);
    expect((error as HostupValidationError).fieldErrors[0]).toMatchObject({ pointer: "/action" });
    expect(error.message).toMatch(
      /^deleteOrRollbackSnapshot: invalid request, nothing was sent: `action` is required/,
    );
    expect(sent).toHaveLength(0);
  });
});

describe("the answer to a write that starts work must say which job (else invalid_response)", () => {
  const servers: Server[] = [];
  afterAll(async () => {
    await Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      ),
    );
  });

  /** A loopback server that answers every request with `status` and `body`, echoing the key in a header. */
  async function answering(status: number, body: unknown): Promise<{ url: string; hits: () => number }> {
    let hits = 0;
    const server = createServer((req, res) => {
      hits++;
      const echoed = String(req.headers.authorization ?? req.headers["x-api-key"] ?? "");
      res.writeHead(status, { "content-type": "application/json", "x-request-id": echoed });
      res.end(JSON.stringify(body));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits };
  }

  const good = { status: "queued", jobId: "job_1", pollUrl: "/api/jobs/job_1", result: null };
  const broken: [string, unknown][] = [
    ["{}", {}],
    ["operation: null", { operation: null }],
    ["operation without pollUrl", { operation: { status: "queued", jobId: "job_1" } }],
    ["operation without jobId", { operation: { status: "queued", pollUrl: "/api/jobs/job_1" } }],
    ["a numeric jobId", { operation: { ...good, jobId: 7 } }],
  ];
  for (const [name, body] of broken) {
    it(`v2 backups.create answered 202 ${name}: invalid_response, sent once, no key`, async () => {
      const server = await answering(202, body);
      const v2 = createV2Client({ token: TOKEN, baseUrl: server.url });
      const error = await rejection(v2.backups.create(VPS, { note: "n" }));
      expect(error).toBeInstanceOf(HostupApiError);
      expect(error).toMatchObject({ status: 202, code: "invalid_response", operation: "createBackup" });
      expect(error.message).toMatch(
        /^createBackup: HTTP 202 with JSON without a string `operation\.jobId` and `operation\.pollUrl`/,
      );
      expect(server.hits()).toBe(1);
      expect(inspect(error, { depth: 10 }) + JSON.stringify(error)).not.toContain(TOKEN);
    });
  }

  it("each v2 write that starts work checks it (restore, restoreToPayg, restoreFromVps, snapshots)", async () => {
    const server = await answering(202, { operation: { status: "queued" } });
    const v2 = createV2Client({ token: TOKEN, baseUrl: server.url });
    const calls: [string, () => Promise<unknown>][] = [
      ["restoreBackup", () => v2.backups.restore(VPS, "bkp_1")],
      ["restoreBackupToPayg", () => v2.backups.restoreToPayg(VPS, "bkp_1")],
      ["restoreBackupFromVps", () => v2.backups.restoreFromVps(VPS, { sourceVpsId: VPS, backupId: "bkp_1" })],
      ["createSnapshot", () => v2.snapshots.create(VPS, { name: "s1" })],
      ["restoreSnapshot", () => v2.snapshots.restore(VPS, "s1")],
    ];
    for (const [operation, call] of calls) {
      expect(await rejection(call())).toMatchObject({ code: "invalid_response", operation, status: 202 });
    }
  });

  it("a well-formed operation is accepted under 200 as under 202", async () => {
    const server = await answering(200, { operation: good });
    const v2 = createV2Client({ token: TOKEN, baseUrl: server.url });
    expect(await v2.backups.create(VPS)).toEqual({ operation: good });
  });

  it("v1 snapshots.deleteOrRollback answered without data.jobId: invalid_response", async () => {
    const server = await answering(200, {
      success: true,
      data: { success: true, action: "rollback", snapname: "s1", message: "queued" },
    });
    const v1 = createV1Client({ apiKey: KEY, baseUrl: server.url });
    const error = await rejection(
      v1.snapshots.deleteOrRollback(10000, { action: "rollback", snapname: "s1" }),
    );
    expect(error).toMatchObject({
      code: "invalid_response",
      operation: "deleteOrRollbackSnapshot",
      status: 200,
    });
    expect(error.message).toMatch(/without a string `jobId`/);
    expect(JSON.stringify(error)).not.toContain(KEY);
  });
});

describe("a server's own words in an error message are cut (a hostile server's megabyte stays in `body`)", () => {
  const problem = (detail: string) => async () =>
    Response.json(
      { type: "about:blank", title: "Bad Request", status: 400, code: "invalid_request", detail },
      { status: 400, headers: { "content-type": "application/problem+json" } },
    );

  it("a 100 kB problem `detail` gives a message of at most about 500 characters; `body` keeps all of it", async () => {
    const detail = `the request was refused: ${"x".repeat(100_000)}`;
    const v2 = createV2Client({ token: TOKEN, baseUrl: "http://127.0.0.1:9", fetch: problem(detail) });
    const error = await rejection(v2.backups.list(VPS));
    expect(error).toBeInstanceOf(HostupApiError);
    expect(error.message.startsWith("the request was refused: xxx")).toBe(true);
    expect(error.message.length).toBeLessThanOrEqual(503);
    expect((error as HostupApiError).body).toMatchObject({ detail });
  });

  it("the cut comes after the redaction: a key that straddles it is not left half visible", async () => {
    // the token starts 10 characters before where a cut at 500 would fall
    const detail = `${"y".repeat(490)}${TOKEN}${"z".repeat(1000)}`;
    const v2 = createV2Client({ token: TOKEN, baseUrl: "http://127.0.0.1:9", fetch: problem(detail) });
    const error = await rejection(v2.backups.list(VPS));
    expect(error.message).toContain("[REDACTED]");
    expect(error.message).not.toContain(TOKEN.slice(0, 8));
    expect(inspect(error, { depth: 10 })).not.toContain(TOKEN.slice(0, 8));
  });

  /**
   * waitFor's timeout on a job that stays running in `state`, polled from a fetch that always answers it: the one
   * poll ends well within the 900 ms, and the next would start after the deadline, so the timeout names `state`.
   */
  const timedOut = (state: string) =>
    rejection(
      createV1Client({
        apiKey: KEY,
        baseUrl: "http://127.0.0.1:9",
        fetch: async () =>
          Response.json({
            success: true,
            timestamp: "2026-11-30T00:00:00Z",
            requestId: "req_1",
            data: { id: "job_1", state, isCompleted: false, isFailed: false },
          }),
      }).jobs.waitFor("job_1", { timeoutMs: 900, intervalMs: 1000 }),
    );

  it("a job whose `state` is 100 kB: waitFor's timeout message says how long it is instead of repeating it", async () => {
    const error = await timedOut("s".repeat(100_000));
    expect(error.code).toBe("timeout");
    expect(error.message).toMatch(/\(state: 100000 characters, not shown\)$/);
  });

  it("a short `state` is shown as it is", async () => {
    expect((await timedOut("running")).message).toMatch(/\(state: running\)$/);
  });
});

describe("found by the docs review", () => {
  it("vps.listAll refuses per-call options that are not an object, as vps.list does (nothing sent)", async () => {
    const { sent, fetch } = recordingFetch();
    const v2 = createV2Client({ token: TOKEN, baseUrl: "http://127.0.0.1:9", fetch });
    for (const options of ["oops", 5, null]) {
      const pages = v2.vps.listAll(undefined, options as never);
      const error = await rejection(pages.next());
      expect(error.code).toBe("invalid_options");
      expect(error.message).toMatch(/^listVps: `options` must be an object or left out, got /);
    }
    expect(sent).toHaveLength(0);
  });

  it("operations.waitFor does not repeat a megabyte pollUrl in its message", async () => {
    const v2 = createV2Client({ token: TOKEN, baseUrl: "http://127.0.0.1:9", fetch: recordingFetch().fetch });
    const accepted = {
      operation: { status: "queued", jobId: "j1", pollUrl: "/x".repeat(500_000), result: null },
    };
    const error = await rejection(v2.operations.waitFor(accepted as never));
    expect(error).toBeInstanceOf(HostupValidationError);
    expect(error.message.length).toBeLessThan(300);
    expect(error.message).toMatch(
      /`pollUrl` must be \/api\/jobs\/\{jobId\}, got a value 1000002 characters long/,
    );
  });

  // The spec: pollUrl is `/api/jobs/{jobId}` of the operation's own jobId. An answer whose two disagree names two
  // jobs: waitFor polled pollUrl's, and a caller who kept `operation.jobId` was told of another job's end.
  it("operations.waitFor refuses an operation whose pollUrl names another job than its jobId, nothing polled", async () => {
    const { sent, fetch } = recordingFetch();
    const v2 = createV2Client({ token: TOKEN, baseUrl: "http://127.0.0.1:9", fetch });
    const operation = {
      status: "queued",
      jobId: "job_restore",
      pollUrl: "/api/jobs/job_other",
      result: null,
    };
    for (const given of [{ operation }, operation]) {
      const error = await rejection(v2.operations.waitFor(given as never));
      expect(error).toBeInstanceOf(HostupValidationError);
      expect((error as HostupValidationError).fieldErrors[0]).toMatchObject({
        pointer: given === operation ? "/pollUrl" : "/operation/pollUrl",
        message: expect.stringMatching(/\/api\/jobs\/job_restore.*got "\/api\/jobs\/job_other"/),
      });
    }
    expect(sent).toHaveLength(0);
  });
});

// The spec's progressDetails is an object or null: `percentage` 0..100, `current` and `total` numbers >= 0,
// `message` a string or null. A server's -5, 150, 1e999 (Infinity), "50" or a progressDetails of "50%" reached
// onProgress as it came, typed as numbers in range: a progress bar drawn with "#".repeat(percentage) threw a
// RangeError inside the wait.
describe("waitFor's onProgress gets progressDetails as the spec describes it", () => {
  it("a member that breaks the spec is left out, a progressDetails that is not an object is null", async () => {
    const details = [
      '{"percentage": -5, "current": 1e999, "total": "10", "message": 7, "stage": "upload"}',
      '{"percentage": 150, "current": -1, "total": null, "message": null}',
      '{"percentage": "50"}',
      '"50%"',
      "[45]",
      undefined,
      '{"percentage": 100, "current": 10, "total": 10, "message": "done"}',
    ];
    let poll = 0;
    const fetch = async () => {
      const member = details[poll];
      const done = ++poll === details.length;
      const job = `{"jobId": "j1", "state": "s", "isCompleted": ${done}, "isFailed": false${member === undefined ? "" : `, "progressDetails": ${member}`}}`;
      return new Response(`{"success": true, "data": ${job}}`, {
        headers: { "content-type": "application/json" },
      });
    };
    const v1 = createV1Client({ apiKey: KEY, baseUrl: "http://127.0.0.1:9", fetch, retry: false });
    const seen: unknown[] = [];
    const raw: unknown[] = [];
    await v1.jobs.waitFor("j1", {
      intervalMs: 0,
      onProgress: (progress, job) => {
        seen.push(progress);
        raw.push(job.progressDetails);
      },
    });
    expect(seen).toEqual([
      { stage: "upload" },
      { message: null },
      {},
      null,
      null,
      null,
      { percentage: 100, current: 10, total: 10, message: "done" },
    ]);
    // the job keeps what the server sent
    expect(raw.slice(0, 4)).toEqual([
      { percentage: -5, current: Number.POSITIVE_INFINITY, total: "10", message: 7, stage: "upload" },
      { percentage: 150, current: -1, total: null, message: null },
      { percentage: "50" },
      "50%",
    ]);
  });
});

// An async onProgress is called and not awaited: its rejection was an unhandled rejection (Node ends the process on
// one by default), while a synchronous throw rejected the wait. Both now reject the wait, and the next poll waits
// for the callback.
describe("waitFor with an async onProgress", () => {
  const jobFetch = (events: string[]) => {
    let polls = 0;
    return async () => {
      events.push("poll");
      polls += 1;
      return new Response(
        `{"success": true, "data": {"jobId": "j1", "state": "s", "isCompleted": ${polls === 3}, "isFailed": false}}`,
        { headers: { "content-type": "application/json" } },
      );
    };
  };

  /** A v1 client whose every request is a poll of job j1, recorded in `events`. */
  const jobsClient = (events: string[]) =>
    createV1Client({ apiKey: KEY, baseUrl: "http://127.0.0.1:9", fetch: jobFetch(events), retry: false });

  it("rejects the wait with the callback's rejection, and leaves no unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const polls: string[] = [];
      const v1 = jobsClient(polls);
      const failure = new Error("the progress bar broke");
      await expect(
        v1.jobs.waitFor("j1", { intervalMs: 0, onProgress: async () => Promise.reject(failure) }),
      ).rejects.toBe(failure);
      expect(polls).toEqual(["poll"]);
      await new Promise((settled) => setTimeout(settled, 10));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("polls again only once the callback has settled", async () => {
    const polls: string[] = [];
    const v1 = jobsClient(polls);
    await v1.jobs.waitFor("j1", {
      intervalMs: 0,
      onProgress: async () => {
        await new Promise((settled) => setTimeout(settled, 5));
        polls.push("progress");
      },
    });
    expect(polls).toEqual(["poll", "progress", "poll", "progress", "poll", "progress"]);
  });
});

// A lone surrogate (half of a UTF-16 pair, `"\ud800"` in JSON) passes every pattern that allows any non-space
// character, such as v1's volid (`...:\S+`), but encodeURIComponent throws on it: the call failed as a
// `network_error` ("request failed: URI malformed"), retried as if the network had failed, naming no field.
describe("a string a URL cannot carry (a lone surrogate) is refused naming the field, nothing sent", () => {
  it("v1 backups.delete with a volid as backups.list could echo it: /volid, with or without validation", async () => {
    for (const validateRequests of [true, false]) {
      const { sent, fetch } = recordingFetch();
      const v1 = createV1Client({ apiKey: KEY, baseUrl: "http://127.0.0.1:9", fetch, validateRequests });
      const error = await rejection(v1.backups.delete(10000, "pbs-offsite:backup/vm/10000/\ud800"));
      expect(error).toBeInstanceOf(HostupValidationError);
      expect((error as HostupValidationError).fieldErrors).toEqual([
        expect.objectContaining({
          pointer: "/volid",
          message: expect.stringMatching(/^`volid` must be well-formed Unicode/),
        }),
      ]);
      expect(sent).toHaveLength(0);
    }
  });

  it("v2 vps.list with such a `name`: /name, with or without validation", async () => {
    for (const validateRequests of [true, false]) {
      const { sent, fetch } = recordingFetch();
      const v2 = createV2Client({ token: TOKEN, baseUrl: "http://127.0.0.1:9", fetch, validateRequests });
      const error = await rejection(v2.vps.list({ name: "web\udc00" }));
      expect(error).toBeInstanceOf(HostupValidationError);
      expect((error as HostupValidationError).fieldErrors[0]?.pointer).toBe("/name");
      expect(sent).toHaveLength(0);
    }
  });

  it("vps.listAll given such a `nextCursor` by the server: invalid_response, the next page never asked for", async () => {
    const sent: Request[] = [];
    const fetch = async (request: Request) => {
      sent.push(request);
      return Response.json({ data: [{ id: "vps_a1" }], hasMore: true, nextCursor: "c\ud800" });
    };
    const v2 = createV2Client({ token: TOKEN, baseUrl: "http://127.0.0.1:9", fetch });
    const seen: unknown[] = [];
    const error = await rejection(
      (async () => {
        for await (const vps of v2.vps.listAll()) seen.push(vps);
      })(),
    );
    expect(error).toMatchObject({ code: "invalid_response", status: 200, operation: "listVps" });
    expect(error.message).toMatch(/nextCursor.*well-formed Unicode/);
    expect(sent).toHaveLength(1);
  });
});

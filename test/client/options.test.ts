/**
 * Numeric options are checked before anything is sent: a NaN timeout never fires, a negative interval polls in a
 * tight loop, and a fractional retry count is a typo. Each bad value is a HostupError with code invalid_options whose
 * message names the field and what was expected; the custom fetch proves that no request left.
 */
import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createV1Client, createV2Client, type RetryOptions } from "../../src/index.js";
import { rejection, thrown } from "./rejection.js";

const VPS = "vps_01hxa3b4c5d6e7f8g9h0j1k2m3";
const json = { "content-type": "application/json" };
const job = (done: boolean) => ({
  jobId: "job_1",
  state: done ? "completed" : "active",
  progressDetails: null,
  isCompleted: done,
  isFailed: false,
});
const envelope = (data: unknown) => ({
  success: true,
  timestamp: "2026-04-27T12:00:00.000Z",
  requestId: "2121ae20-bd9d-41e9-aeeb-5dd1dd1a24ba",
  data,
});

/** A fetch that answers "still running" (or `answer`) and counts its calls. */
function countingFetch(answer: () => unknown = () => envelope(job(false))) {
  const calls: Request[] = [];
  const fetch = async (request: Request) => {
    calls.push(request);
    return new Response(JSON.stringify(answer()), { status: 200, headers: json });
  };
  return { calls, fetch };
}

const MAX_TIMER = 2 ** 31 - 1;

describe("jobs.waitFor options", () => {
  for (const timeoutMs of [Number.NaN, Number.POSITIVE_INFINITY, 0, -5, "1000" as unknown as number]) {
    it(`refuses timeoutMs ${String(timeoutMs)} before polling`, async () => {
      const { calls, fetch } = countingFetch();
      const v1 = createV1Client({ apiKey: "test-key", fetch, retry: false });
      const error = await rejection(v1.jobs.waitFor("job_1", { intervalMs: 1, timeoutMs }));
      expect(error.code).toBe("invalid_options");
      expect(error.message).toMatch(/waitFor: `timeoutMs` must be a positive finite number/);
      expect(calls).toHaveLength(0);
    });
  }

  for (const intervalMs of [-1, Number.NaN, Number.POSITIVE_INFINITY, MAX_TIMER + 1]) {
    it(`refuses intervalMs ${String(intervalMs)} before polling`, async () => {
      const { calls, fetch } = countingFetch();
      const v1 = createV1Client({ apiKey: "test-key", fetch, retry: false });
      const error = await rejection(v1.jobs.waitFor("job_1", { intervalMs, timeoutMs: 200 }));
      expect(error.code).toBe("invalid_options");
      expect(error.message).toMatch(/waitFor: `intervalMs` must be a finite number >= 0/);
      expect(calls).toHaveLength(0);
    });
  }

  it("polls no faster than every 100 ms, even with intervalMs 0", async () => {
    const { calls, fetch } = countingFetch();
    const v1 = createV1Client({ apiKey: "test-key", fetch, retry: false });
    const error = await rejection(v1.jobs.waitFor("job_1", { intervalMs: 0, timeoutMs: 250 }));
    expect(error.code).toBe("timeout");
    // at 0, 100 and 200 ms on an idle machine (fewer when a poll is slow); without the floor this was a request per
    // millisecond
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(calls.length).toBeLessThanOrEqual(4);
  });

  it("still returns as soon as the job completes", async () => {
    let polls = 0;
    const { calls, fetch } = countingFetch(() => envelope(job(++polls >= 2)));
    const v1 = createV1Client({ apiKey: "test-key", fetch, retry: false });
    await expect(v1.jobs.waitFor("job_1", { intervalMs: 0 })).resolves.toMatchObject({ isCompleted: true });
    expect(calls).toHaveLength(2);
  });

  it("accepts a timeoutMs beyond setTimeout's limit: it is only compared with the clock", async () => {
    const { fetch } = countingFetch(() => envelope(job(true)));
    const v1 = createV1Client({ apiKey: "test-key", fetch, retry: false });
    await expect(v1.jobs.waitFor("job_1", { timeoutMs: MAX_TIMER + 1 })).resolves.toMatchObject({
      isCompleted: true,
    });
  });

  it("an abort during the wait between polls: aborted by waitFor itself, and no poll after it", async () => {
    const controller = new AbortController();
    const { calls, fetch } = countingFetch();
    const v1 = createV1Client({ apiKey: "test-key", fetch, retry: false });
    const error = await rejection(
      v1.jobs.waitFor("job_1", {
        intervalMs: 60_000,
        signal: controller.signal,
        onProgress: () => controller.abort(new Error("stop")),
      }),
    );
    expect(error).toMatchObject({
      code: "aborted",
      operation: "getJob",
      message: "getJob: waiting for job job_1 was aborted",
    });
    expect((error.cause as Error).message).toBe("stop");
    expect(calls).toHaveLength(1);
  });

  it("an abort while a poll hangs cancels that poll at once", async () => {
    const controller = new AbortController();
    const fetch = (request: Request) =>
      new Promise<Response>((_, reject) => {
        request.signal.addEventListener("abort", () => reject(request.signal.reason));
        controller.abort(new Error("stop"));
      });
    const v1 = createV1Client({ apiKey: "test-key", fetch, retry: false, timeoutMs: 5000 });
    const error = await rejection(v1.jobs.waitFor("job_1", { signal: controller.signal }));
    expect(error).toMatchObject({
      code: "aborted",
      operation: "getJob",
      message: "getJob: aborted by the caller",
    });
  });

  it("a job without a boolean isFailed is an invalid_response, not polled until the timeout", async () => {
    const { calls, fetch } = countingFetch(() =>
      envelope({ jobId: "job_1", state: "active", isCompleted: false }),
    );
    const v1 = createV1Client({ apiKey: "test-key", fetch, retry: false });
    const error = await rejection(v1.jobs.waitFor("job_1", { intervalMs: 0 }));
    expect(error.code).toBe("invalid_response");
    expect(error.message).toContain("a job without boolean `isCompleted` and `isFailed`");
    expect(calls).toHaveLength(1);
  });

  it("progress at zero is progress: percentage, current and total 0 reach onProgress", async () => {
    const progressDetails = { percentage: 0, current: 0, total: 0, message: null };
    const { fetch } = countingFetch(() => envelope({ ...job(true), progressDetails }));
    const v1 = createV1Client({ apiKey: "test-key", fetch, retry: false });
    const seen: unknown[] = [];
    await v1.jobs.waitFor("job_1", { onProgress: (progress) => seen.push(progress) });
    expect(seen).toEqual([progressDetails]);
  });
});

describe("per-call timeoutMs", () => {
  for (const timeoutMs of [Number.NaN, 0, -1, Number.POSITIVE_INFINITY, MAX_TIMER + 1]) {
    it(`refuses ${String(timeoutMs)} for v1 and v2 before sending`, async () => {
      const { calls, fetch } = countingFetch();
      const v1 = createV1Client({ apiKey: "test-key", fetch, retry: false });
      const v2 = createV2Client({ token: "test-token", fetch, retry: false });
      for (const [call, operation] of [
        [() => v1.jobs.get("job_1", { timeoutMs }), "getJob"],
        [() => v2.snapshotSchedule.get(VPS, { timeoutMs }), "getSnapshotSchedule"],
      ] as const) {
        const error = await rejection(call());
        expect(error.code).toBe("invalid_options");
        expect(error.message).toMatch(
          new RegExp(`^${operation}: \`timeoutMs\` must be a positive finite number`),
        );
      }
      expect(calls).toHaveLength(0);
    });
  }

  it("accepts a positive timeout", async () => {
    const { calls, fetch } = countingFetch(() => envelope(job(true)));
    const v1 = createV1Client({ apiKey: "test-key", fetch, retry: false });
    await expect(v1.jobs.get("job_1", { timeoutMs: 5 })).resolves.toMatchObject({ isCompleted: true });
    expect(calls).toHaveLength(1);
  });
});

describe("client options", () => {
  const retryCases: [RetryOptions, RegExp][] = [
    [{ retries: 1.5 }, /`retry\.retries` must be a non-negative integer, got 1\.5/],
    [{ retries: -1 }, /`retry\.retries` must be a non-negative integer, got -1/],
    [{ retries: Number.NaN }, /`retry\.retries` must be a non-negative integer, got NaN/],
    [{ retries: "2" as unknown as number }, /`retry\.retries` must be a non-negative integer, got "2"/],
    [{ minDelayMs: -1 }, /`retry\.minDelayMs` must be a finite number >= 0/],
    [{ maxDelayMs: Number.POSITIVE_INFINITY }, /`retry\.maxDelayMs` must be a finite number >= 0/],
    [{ maxDelayMs: MAX_TIMER + 1 }, /`retry\.maxDelayMs` must be a finite number >= 0 .*at most 2147483647/],
  ];
  for (const [retry, message] of retryCases) {
    it(`refuses retry ${inspect(retry)}`, () => {
      for (const create of [
        () => createV1Client({ apiKey: "test-key", retry }),
        () => createV2Client({ token: "test-token", retry }),
      ]) {
        const error = thrown(create);
        expect(error.code).toBe("invalid_options");
        expect(error.message).toMatch(/^createV[12]Client: /);
        expect(error.message).toMatch(message);
      }
    });
  }

  it("refuses a retry option that is neither an object nor false", () => {
    const error = thrown(() => createV2Client({ token: "test-token", retry: true as unknown as false }));
    expect(error).toMatchObject({ code: "invalid_options" });
    expect(error.message).toMatch(/`retry` must be an object or false/);
    // null is an object to typeof, and not the retry options left out
    const nullRetry = thrown(() => createV1Client({ apiKey: "test-key", retry: null as unknown as false }));
    expect(nullRetry.message).toBe("createV1Client: `retry` must be an object or false, got null");
  });

  it("accepts whole retry counts, including 0", () => {
    expect(() => createV2Client({ token: "test-token", retry: { retries: 0 } })).not.toThrow();
    expect(() => createV2Client({ token: "test-token", retry: { retries: 5 } })).not.toThrow();
  });

  for (const timeoutMs of [Number.NaN, 0, -1, MAX_TIMER + 1]) {
    it(`refuses client timeoutMs ${String(timeoutMs)}`, () => {
      const error = thrown(() => createV1Client({ apiKey: "test-key", timeoutMs }));
      expect(error.code).toBe("invalid_options");
      expect(error.message).toMatch(/^createV1Client: `timeoutMs` must be a positive finite number/);
    });
  }

  for (const maxResponseBytes of [
    0,
    -1,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    2 ** 53,
    "8" as unknown as number,
  ]) {
    it(`refuses maxResponseBytes ${inspect(maxResponseBytes)}`, () => {
      for (const create of [
        () => createV1Client({ apiKey: "test-key", maxResponseBytes }),
        () => createV2Client({ token: "test-token", maxResponseBytes }),
      ]) {
        const error = thrown(create);
        expect(error.code).toBe("invalid_options");
        expect(error.message).toMatch(
          /^createV[12]Client: `maxResponseBytes` must be a positive integer \(bytes\)/,
        );
      }
    });
  }

  it("accepts a positive whole maxResponseBytes", () => {
    expect(() => createV2Client({ token: "test-token", maxResponseBytes: 1 })).not.toThrow();
    expect(() => createV1Client({ apiKey: "test-key", maxResponseBytes: 64 * 1024 * 1024 })).not.toThrow();
  });
});

// A misspelt option (`timeout` for `timeoutMs`, `baseURL` for `baseUrl`) used to be ignored without a word: the
// caller believed in a timeout or a host that was never used. TypeScript catches it in an object literal; plain
// JavaScript and objects built elsewhere did not.
describe("unknown options are refused, naming the option and listing the known ones", () => {
  const clientKnown = "baseUrl fetch timeoutMs retry maxResponseBytes userAgent validateRequests".split(" ");

  it.for([
    [
      "createV2Client",
      () => createV2Client({ token: "test-token", baseURL: "https://x" } as never),
      "baseURL",
    ],
    ["createV1Client", () => createV1Client({ apiKey: "test-key", timeout: 5000 } as never), "timeout"],
  ] as const)("%s", ([factory, create, key]) => {
    const error = thrown(create);
    expect(error.code).toBe("invalid_options");
    expect(error.message).toBe(
      `${factory}: unknown option \`${key}\` (options: ${factory === "createV2Client" ? "token" : "apiKey"}, ${clientKnown.join(", ")})`,
    );
  });

  it("one options object may serve both clients: the other client's credential passes", () => {
    const shared = { apiKey: "test-key", token: "test-token", timeoutMs: 1000 };
    expect(() => createV1Client(shared)).not.toThrow();
    expect(() => createV2Client(shared)).not.toThrow();
  });

  it("retry members, by their path", () => {
    const error = thrown(() =>
      createV2Client({ token: "test-token", retry: { retires: 3 } as RetryOptions }),
    );
    expect(error.message).toBe(
      "createV2Client: `retry`: unknown option `retires` (options: retries, minDelayMs, maxDelayMs)",
    );
  });

  it("per call, waitFor and listAll: before anything is sent", async () => {
    const { calls, fetch } = countingFetch();
    const v2 = createV2Client({ token: "test-token", fetch, retry: false });
    const v1 = createV1Client({ apiKey: "test-key", fetch, retry: false });
    const perCall = await rejection(v2.backupSchedules.get(VPS, { timeout: 10 } as never));
    expect(perCall.message).toBe("getBackupSchedules: unknown option `timeout` (options: signal, timeoutMs)");
    const waiting = await rejection(v1.jobs.waitFor("job_1", { interval: 10 } as never));
    expect(waiting.message).toBe(
      "jobs.waitFor: unknown option `interval` (options: intervalMs, timeoutMs, onProgress, signal)",
    );
    const listing = await rejection(v2.vps.listAll({}, { abortSignal: undefined } as never).next());
    expect(listing.message).toBe("listVps: unknown option `abortSignal` (options: signal, timeoutMs)");
    for (const error of [perCall, waiting, listing]) expect(error.code).toBe("invalid_options");
    expect(calls).toHaveLength(0);
  });

  // deadline, expired and shape are what listAll and waitFor hand to the method they call; from a caller they were
  // taken as given: `shape: 1` failed as a network_error ("options?.shape is not a function"), `deadline: "soon"`
  // was ignored, and a caller's `shape` could turn any answer into an invalid_response.
  it.for([
    ["deadline", "soon"],
    ["expired", () => new Error("late")],
    ["shape", 1],
  ] as const)(
    "per call, the internal `%s` is unknown too (listAll and waitFor still use it)",
    async ([key, value]) => {
      const { calls, fetch } = countingFetch(() => ({ data: [], hasMore: false, nextCursor: null }));
      const v2 = createV2Client({ token: "test-token", fetch, retry: false });
      const error = await rejection(v2.vps.list({}, { [key]: value } as never));
      expect(error.code).toBe("invalid_options");
      expect(error.message).toBe(`listVps: unknown option \`${key}\` (options: signal, timeoutMs)`);
      expect(calls).toHaveLength(0);
      // the ones the client adds itself pass: a page of listAll, a poll of waitFor
      for await (const vps of v2.vps.listAll()) throw new Error(`no VPS expected, got ${vps.id}`);
      expect(calls).toHaveLength(1);
    },
  );

  it("any key outside the known ones, shown at most 60 characters long (then `...`); the known ones pass (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 200 }).filter((key) => ![...clientKnown, "token"].includes(key)),
        (key) => {
          const error = thrown(() => createV2Client({ token: "test-token", [key]: 1 } as never));
          expect(error.code).toBe("invalid_options");
          expect(error.message).toBe(
            `createV2Client: unknown option \`${key.length > 60 ? `${key.slice(0, 60)}...` : key}\` (options: token, ${clientKnown.join(", ")})`,
          );
        },
      ),
    );
    // the edge: 60 characters are shown whole, 61 are cut to 60
    const sixty = "k".repeat(60);
    expect(thrown(() => createV2Client({ token: "test-token", [sixty]: 1 } as never)).message).toContain(
      `unknown option \`${sixty}\` (`,
    );
    expect(
      thrown(() => createV2Client({ token: "test-token", [`${sixty}z`]: 1 } as never)).message,
    ).toContain(`unknown option \`${sixty}...\` (`);
    const long = `${"x".repeat(59)}yz${"x".repeat(100)}`;
    expect(thrown(() => createV2Client({ token: "test-token", [long]: 1 } as never)).message).toContain(
      `unknown option \`${"x".repeat(59)}y...\` (`,
    );
    const { fetch } = countingFetch();
    expect(() =>
      createV2Client({
        token: "test-token",
        baseUrl: "http://127.0.0.1:1",
        fetch,
        timeoutMs: 1000,
        retry: { retries: 1, minDelayMs: 0, maxDelayMs: 10 },
        maxResponseBytes: 1024,
        userAgent: "app/1",
        validateRequests: true,
      }),
    ).not.toThrow();
  });
});

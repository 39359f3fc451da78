/**
 * The backup and snapshot lifecycle from the outside: bad arguments and options from the caller (nothing may be
 * sent, the error names the field), and answers from a loopback server that break the spec's promise about the
 * work a write started (a 202 without `operation.jobId`/`pollUrl`, v1's rollback without `jobId`), which must be an
 * `invalid_response` naming the operation rather than a result that throws a TypeError in the caller's hands.
 */
import { describe, expect, it } from "vitest";
import { createV1Client, createV2Client, HostupError, HostupValidationError } from "../../src/index.js";

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

async function rejection(promise: Promise<unknown>): Promise<HostupError> {
  const error = await promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HostupError);
  return error as HostupError;
}

describe("per-call options that are not options: invalid_options naming the field, nothing sent", () => {
  const cases: [string, unknown, RegExp][] = [
    ["a string as options", "fast", /createBackup: the options must be an object/],
    ["null as options", null, /createBackup: the options must be an object/],
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
    ["a string as options", "fast", /the options must be an object/],
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
        message: expect.stringMatching(/createV1Client: `validateRequests` must be true or false/),
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

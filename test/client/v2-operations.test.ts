// v2.operations.waitFor against the mock: a manual backup is started, waited for on the v1 jobs route (the v2
// token sent as X-API-Key), and appears in the v2 list; a snapshot's restore likewise; the argument forms, the
// deadline, the abort and the credential's absence from errors are jobs.waitFor's, through the one shared poller.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createV2Client,
  HostupApiError,
  HostupNetworkError,
  HostupValidationError,
} from "../../src/index.js";
import {
  DEFAULT_VMS,
  type MockServer,
  SAMPLE_V2_NO_BACKUP_TOKEN,
  SAMPLE_V2_READONLY_TOKEN,
  SAMPLE_V2_TOKEN,
  startMockServer,
} from "../../src/mock/index.js";

const vpsId = DEFAULT_VMS.web.vpsId;
let server: MockServer;
beforeEach(async () => {
  // a job finishes at its 2nd poll: waitFor must poll more than once
  server = await startMockServer({ jobs: { pollsToComplete: 2 } });
});
afterEach(async () => {
  await server.close();
});

const client = (token = SAMPLE_V2_TOKEN) => createV2Client({ token, baseUrl: server.url, retry: false });

describe("v2.operations.waitFor against the mock", () => {
  it("a manual backup: create, wait (progress reported per poll), and it is in the list", async () => {
    const v2 = client();
    const before = await v2.backups.list(vpsId);
    const accepted = await v2.backups.create(vpsId, { note: "before upgrade" });
    expect(accepted.operation.pollUrl).toBe(`/api/jobs/${accepted.operation.jobId}`);
    const polls: unknown[] = [];
    const job = await v2.operations.waitFor(accepted, {
      intervalMs: 0,
      onProgress: (_p, j) => polls.push(j),
    });
    expect(job).toMatchObject({ isCompleted: true, isFailed: false });
    expect(polls.length).toBeGreaterThanOrEqual(2);
    const after = await v2.backups.list(vpsId);
    expect(after.backups.length).toBe(before.backups.length + 1);
    expect(after.backups.map((b) => b.note)).toContain("before upgrade");
  });

  it("accepts the operation itself or its jobId, and waits for a snapshot's restore", async () => {
    const v2 = client();
    const created = await v2.snapshots.create(vpsId, { name: "before-change" });
    await expect(v2.operations.waitFor(created.operation, { intervalMs: 0 })).resolves.toMatchObject({
      isCompleted: true,
    });
    const restored = await v2.snapshots.restore(vpsId, "before-change");
    await expect(v2.operations.waitFor(restored.operation.jobId, { intervalMs: 0 })).resolves.toMatchObject({
      isCompleted: true,
    });
  });

  it("polls with a read:vm token (the jobs route's scope) and refuses a token the mock does not know", async () => {
    const accepted = await client().backups.create(vpsId, {});
    await expect(
      client(SAMPLE_V2_READONLY_TOKEN).operations.waitFor(accepted, { intervalMs: 0 }),
    ).resolves.toMatchObject({ isCompleted: true });
    const stranger = createV2Client({ token: "not-a-mock-token", baseUrl: server.url, retry: false });
    const error = await stranger.operations.waitFor(accepted, { intervalMs: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostupApiError);
    expect((error as HostupApiError).status).toBe(401);
    expect(JSON.stringify(error)).not.toContain("not-a-mock-token");
    expect(String((error as Error).stack)).not.toContain("not-a-mock-token");
  });

  it("a 403 of the write comes before any wait (a token without backup:vm)", async () => {
    const error = await client(SAMPLE_V2_NO_BACKUP_TOKEN)
      .backups.create(vpsId, {})
      .catch((e: unknown) => e);
    expect((error as HostupApiError).status).toBe(403);
  });

  it("its own deadline and the caller's abort, as jobs.waitFor", async () => {
    const slow = await startMockServer({ jobs: { pollsToComplete: 1000, durationMs: 3_600_000 } });
    try {
      const v2 = createV2Client({ token: SAMPLE_V2_TOKEN, baseUrl: slow.url, retry: false });
      const accepted = await v2.backups.create(vpsId, {});
      await expect(
        v2.operations.waitFor(accepted, { intervalMs: 100, timeoutMs: 150 }),
      ).rejects.toMatchObject({
        name: "HostupNetworkError",
        code: "timeout",
      });
      const controller = new AbortController();
      const waiting = v2.operations.waitFor(accepted, { intervalMs: 5000, signal: controller.signal });
      controller.abort(new Error("user gave up"));
      const aborted = await waiting.catch((e: unknown) => e);
      expect(aborted).toBeInstanceOf(HostupNetworkError);
      expect(aborted).toMatchObject({ code: "aborted" });
    } finally {
      await slow.close();
    }
  });

  it("names the field when given something that is not an operation", async () => {
    const v2 = client();
    const cases: [unknown, string][] = [
      [{ operation: { jobId: "j1", pollUrl: "https://elsewhere.example/x" } }, "/operation/pollUrl"],
      [{ jobId: "j1" }, "/pollUrl"],
      ["", ""],
      [42, ""],
    ];
    for (const [input, pointer] of cases) {
      const error = await v2.operations.waitFor(input as string).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HostupValidationError);
      expect((error as HostupValidationError).fieldErrors[0]?.pointer).toBe(pointer);
      expect((error as Error).message).toMatch(/^operations\.waitFor: /);
    }
    const bad = await v2.operations.waitFor("j1", { intervalMs: -1 }).catch((e: unknown) => e);
    expect((bad as Error).message).toMatch(/operations\.waitFor: `intervalMs` must be a finite number >= 0/);
  });
});

import { readFileSync } from "node:fs";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createV1Client, HostupApiError, HostupValidationError, VERSION } from "../../src/index.js";

const BASE = "https://cloud.hostup.se";
const KEY = "test-key";
const json = { "content-type": "application/json" };
const envelope = (data: unknown) => ({
  success: true,
  timestamp: "2026-02-10T00:00:00.000Z",
  requestId: "2121ae20-bd9d-41e9-aeeb-5dd1dd1a24ba",
  data,
});
const authHeaders = {
  reqheaders: { "x-api-key": KEY, accept: "application/json", "user-agent": `hostup-api/${VERSION}` },
  badheaders: ["authorization"],
};
const client = () => createV1Client({ apiKey: KEY, retry: { retries: 2, minDelayMs: 1, maxDelayMs: 50 } });

const v1Error = (status: number, code: string, message: string, extra: object = {}) => ({
  error: `HTTP ${status}`,
  message,
  code,
  timestamp: "2026-02-10T00:00:00.000Z",
  requestId: "2121ae20-bd9d-41e9-aeeb-5dd1dd1a24ba",
  ...extra,
});

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
});
// the files of a worker share one nock (vitest runs them unisolated): let the next file reach loopback
afterAll(() => {
  nock.enableNetConnect();
});

describe("v1 wrappers", () => {
  it("backupSchedules.get returns the envelope's data", async () => {
    const data = { schedules: [], settings: {}, history: [], limits: {} };
    const scope = nock(BASE, authHeaders)
      .get("/api/vm/10000/backup-schedules")
      .reply(200, envelope(data), json);
    await expect(client().backupSchedules.get(10000)).resolves.toEqual(data);
    scope.done();
  });

  it("backupSchedules.save POSTs the snake_case body", async () => {
    const body = {
      schedule_type: "weekly" as const,
      day_of_week: 3,
      hour: 19,
      minute: 0,
      retention_count: 7,
      enabled: true,
      notes: "Example note",
    };
    const data = { success: true, message: "Backup schedule updated successfully", schedule: { id: 2916 } };
    const scope = nock(BASE, authHeaders)
      .post("/api/vm/10000/backup-schedules", (sent) => JSON.stringify(sent) === JSON.stringify(body))
      .reply(200, envelope(data), json);
    await expect(client().backupSchedules.save(10000, body)).resolves.toEqual(data);
    scope.done();
  });

  it("snapshotSchedule.get and save", async () => {
    const data = { success: true, limits: { totalSnapshots: 3 }, schedule: null };
    const scope = nock(BASE, authHeaders)
      .get("/api/vm/10000/snapshot-schedules")
      .reply(200, envelope(data), json)
      .post("/api/vm/10000/snapshot-schedules", { enabled: true, interval_hours: 6 })
      .reply(200, envelope({ success: true, message: "Snapshot schedule saved", schedule: {} }), json);
    const v1 = client();
    await expect(v1.snapshotSchedule.get(10000)).resolves.toEqual(data);
    await expect(
      v1.snapshotSchedule.save(10000, { enabled: true, interval_hours: 6 }),
    ).resolves.toMatchObject({
      message: "Snapshot schedule saved",
    });
    scope.done();
  });

  it("jobs.waitFor polls until completed and reports progress", async () => {
    const job = (percentage: number, done: boolean) => ({
      jobId: "backup:123",
      state: done ? "completed" : "active",
      progressDetails: { percentage, message: `${percentage}%` },
      isCompleted: done,
      isFailed: false,
    });
    const scope = nock(BASE, authHeaders)
      .get("/api/jobs/backup%3A123")
      .reply(200, envelope(job(10, false)), json)
      .get("/api/jobs/backup%3A123")
      .reply(200, envelope(job(60, false)), json)
      .get("/api/jobs/backup%3A123")
      .reply(200, envelope(job(100, true)), json);
    const seen: number[] = [];
    const result = await client().jobs.waitFor("backup:123", {
      intervalMs: 1,
      onProgress: (progress) => seen.push(progress?.percentage ?? -1),
    });
    expect(result.isCompleted).toBe(true);
    expect(seen).toEqual([10, 60, 100]);
    scope.done();
  });

  it("jobs.waitFor stops at isFailed and at its own timeout", async () => {
    const scope = nock(BASE)
      .get("/api/jobs/j1")
      .reply(200, envelope({ jobId: "j1", isCompleted: false, isFailed: true, progressDetails: null }), json);
    // a job that never ends: answered as often as it is polled (how often fits in 150 ms depends on the machine)
    let polls = 0;
    nock(BASE)
      .get("/api/jobs/j2")
      .reply(() => {
        polls++;
        return [200, envelope({ jobId: "j2", state: "waiting", isCompleted: false, isFailed: false }), json];
      })
      .persist();
    await expect(client().jobs.waitFor("j1")).resolves.toMatchObject({ isFailed: true });
    await expect(client().jobs.waitFor("j2", { intervalMs: 100, timeoutMs: 150 })).rejects.toMatchObject({
      code: "timeout",
    });
    scope.done();
    expect(polls).toBeGreaterThanOrEqual(1);
  });

  it("a success without the envelope is invalid_response", async () => {
    const scope = nock(BASE).get("/api/jobs/j1").reply(200, { jobId: "j1" }, json);
    await expect(client().jobs.get("j1")).rejects.toMatchObject({
      code: "invalid_response",
      apiVersion: "v1",
    });
    scope.done();
  });
});

describe("v1 documented error statuses", () => {
  for (const [status, code] of [
    [400, "BAD_REQUEST"],
    [401, "UNAUTHORIZED"],
    [403, "FORBIDDEN"],
    [404, "NOT_FOUND"],
    [422, "VALIDATION_ERROR"],
    [500, "INTERNAL_ERROR"],
  ] as const) {
    it(`${status} ${code}`, async () => {
      const details =
        status === 422
          ? {
              details: [{ field: "day_of_week", message: "Required for weekly schedules", code: "required" }],
            }
          : {};
      const scope = nock(BASE)
        .post("/api/vm/10000/backup-schedules")
        .reply(status, v1Error(status, code, `failed with ${code}`, details), json);
      const error = await client()
        .backupSchedules.save(10000, {
          schedule_type: "daily",
          hour: 2,
          minute: 0,
          retention_count: 7,
          enabled: true,
          notes: "",
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HostupApiError);
      expect(error).toMatchObject({
        status,
        code,
        message: `failed with ${code}`,
        requestId: "2121ae20-bd9d-41e9-aeeb-5dd1dd1a24ba",
        apiVersion: "v1",
        operation: "saveBackupSchedule",
      });
      if (status === 422) {
        expect((error as HostupApiError).fieldErrors).toEqual([
          { pointer: "/day_of_week", message: "Required for weekly schedules", code: "required" },
        ]);
      }
      scope.done();
    });
  }
});

describe("v1 details[].field becomes a JSON pointer", () => {
  it("dots and [index] become segments, `~` and `/` are escaped, a pointer or empty field is kept, a missing message is 'invalid'", async () => {
    const details = [
      { field: "schedule.hour", message: "too late", code: "maximum" },
      { field: "items[12].name", message: "required" },
      { field: "a~b/c", message: "odd" },
      { field: "/already/a/pointer", message: "kept" },
      { field: "", message: "whole body" },
      { field: "notes" },
      "not an object",
    ];
    const scope = nock(BASE)
      .get("/api/vm/10000/backup-schedules")
      .reply(422, v1Error(422, "VALIDATION_ERROR", "invalid", { details }), json);
    const error = (await client()
      .backupSchedules.get(10000)
      .catch((e: unknown) => e)) as HostupApiError;
    expect(error.fieldErrors).toStrictEqual([
      { pointer: "/schedule/hour", message: "too late", code: "maximum" },
      { pointer: "/items/12/name", message: "required" },
      { pointer: "/a~0b~1c", message: "odd" },
      { pointer: "/already/a/pointer", message: "kept" },
      { pointer: "", message: "whole body" },
      { pointer: "/notes", message: "invalid" },
    ]);
    scope.done();
  });
});

describe("v1 local validation", () => {
  const daily = { schedule_type: "daily", hour: 2, minute: 0, retention_count: 7, enabled: true, notes: "" };
  const cases: [string, () => Promise<unknown>, string][] = [
    ["vmid 0", () => client().backupSchedules.get(0), "/vmid"],
    ["vmid -1", () => client().snapshotSchedule.get(-1), "/vmid"],
    ["vmid 1.5", () => client().backupSchedules.get(1.5), "/vmid"],
    ["vmid as a string with a path", () => client().backupSchedules.get("1/../2" as never), "/vmid"],
    ["a jobId with /", () => client().jobs.get("a/../b"), "/jobId"],
    [
      "weekly without day_of_week",
      () => client().backupSchedules.save(1, { ...daily, schedule_type: "weekly" } as never),
      "/day_of_week",
    ],
    ["hour 24", () => client().backupSchedules.save(1, { ...daily, hour: 24 } as never), "/hour"],
    [
      "retention_count 0",
      () => client().backupSchedules.save(1, { ...daily, retention_count: 0 } as never),
      "/retention_count",
    ],
  ];
  for (const [name, call, pointer] of cases) {
    it(name, async () => {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HostupValidationError);
      expect((error as HostupValidationError).fieldErrors[0]?.pointer).toBe(pointer);
    });
  }
});

it("VERSION (the default User-Agent) matches package.json", () => {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  expect(VERSION).toBe(pkg.version);
});

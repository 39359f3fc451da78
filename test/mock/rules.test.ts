// One test (or a few) per documented rule of issue 5; every answer is checked against the bundled spec.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DB, type MockHarness, START, startHarness, WEB } from "./harness.js";

let mock: MockHarness;
beforeEach(async () => {
  mock = await startHarness();
});
afterEach(async () => {
  await mock.server.close();
});

const v2Backups = (id: string = WEB.vpsId) => `/api/v2/vps/${id}/backup-schedules`;
const v2Snapshots = (id: string = WEB.vpsId) => `/api/v2/vps/${id}/snapshot-schedules`;
const v1Backups = (vmid: number = WEB.vmid) => `/api/vm/${vmid}/backup-schedules`;
const v1Snapshots = (vmid: number = WEB.vmid) => `/api/vm/${vmid}/snapshot-schedules`;

describe("one model, two views", () => {
  it("a schedule saved through v1 is read back through v2", async () => {
    const saved = await mock.call(v1Backups(DB.vmid), {
      body: {
        schedule_type: "monthly",
        hour: 4,
        minute: 30,
        day_of_month: 15,
        retention_count: 3,
        enabled: true,
        notes: "Archive",
      },
    });
    expect(saved.status).toBe(200);
    const v2 = await mock.call(v2Backups(DB.vpsId));
    expect(v2.body.schedules).toEqual([
      expect.objectContaining({
        id: `bks_${saved.body.data.schedule.id}`,
        name: "Archive",
        frequency: "monthly",
        time: "04:30",
        daySpecifier: "15",
        retentionCount: 3,
        enabled: true,
        nextRun: saved.body.data.schedule.next_run,
      }),
    ]);
  });

  it("a schedule saved through v2 is read back through v1", async () => {
    const saved = await mock.call(v2Backups(DB.vpsId), {
      body: {
        frequency: "weekly",
        hour: 3,
        dayOfWeek: 1,
        retentionCount: 4,
        enabled: true,
        name: "Weekly backup",
      },
    });
    expect(saved.status).toBe(201);
    const v1 = await mock.call(v1Backups(DB.vmid));
    expect(v1.body.data.schedules).toEqual([
      expect.objectContaining({
        schedule_type: "weekly",
        hour: 3,
        minute: 0,
        day_of_week: 1,
        day_of_month: null,
        retention_count: 4,
        notes: "Weekly backup",
        schedule_name: "Weekly backup",
        schedule_time: "03:00",
        schedule_days: "1",
      }),
    ]);
    expect(`bks_${v1.body.data.schedules[0].id}`).toBe(saved.body.id);
  });

  it("the snapshot schedule is one row seen by both versions", async () => {
    await mock.call(v2Snapshots(), { body: { enabled: true, intervalHours: 6 } });
    const v1 = await mock.call(v1Snapshots());
    expect(v1.body.data.schedule).toEqual(expect.objectContaining({ enabled: true, interval_hours: 6 }));
    await mock.call(v1Snapshots(), { body: { enabled: false, interval_hours: 8 } });
    const v2 = await mock.call(v2Snapshots());
    expect(v2.body.schedule).toEqual({
      enabled: false,
      intervalHours: 8,
      lastRun: expect.any(String),
      nextRun: null,
    });
  });
});

describe("at most one backup schedule per VM; POST creates or replaces", () => {
  it("v2: same frequency updates in place, another frequency replaces it with a new id", async () => {
    const first = await mock.call(v2Backups(DB.vpsId), {
      body: { frequency: "daily", hour: 2, retentionCount: 3, enabled: true },
    });
    const again = await mock.call(v2Backups(DB.vpsId), {
      body: { frequency: "daily", hour: 5, retentionCount: 2, enabled: true },
    });
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.time).toBe("05:00");
    const other = await mock.call(v2Backups(DB.vpsId), {
      body: { frequency: "monthly", hour: 1, dayOfMonth: 1, retentionCount: 2, enabled: true },
    });
    expect(other.body.id).not.toBe(first.body.id);
    const list = await mock.call(v2Backups(DB.vpsId));
    expect(list.body.schedules).toHaveLength(1);
    expect(list.body.schedules[0].id).toBe(other.body.id);
    expect(list.body.limits.currentSchedules).toBe(1);
  });

  it("v1: posting again updates the one schedule", async () => {
    const before = await mock.call(v1Backups());
    const id = before.body.data.schedules[0].id;
    const saved = await mock.call(v1Backups(), {
      body: { schedule_type: "daily", hour: 1, minute: 15, retention_count: 2, enabled: true },
    });
    expect(saved.body.data.message).toBe("Backup schedule updated successfully");
    expect(saved.body.data.schedule.id).toBe(id);
    const after = await mock.call(v1Backups());
    expect(after.body.data.schedules).toHaveLength(1);
    expect(after.body.data.schedules[0]).toEqual(
      expect.objectContaining({ schedule_type: "daily", schedule_days: "", day_of_week: null }),
    );
  });

  it("v2 DELETE removes the schedule; an unknown schedule id is 404 not_found", async () => {
    const list = await mock.call(v2Backups());
    const id = list.body.schedules[0].id;
    expect((await mock.call(`${v2Backups()}/bks_999`, { method: "DELETE" })).body.code).toBe("not_found");
    const deleted = await mock.call(`${v2Backups()}/${id}`, { method: "DELETE" });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    const after = await mock.call(v2Backups());
    expect(after.body.schedules).toEqual([]);
    expect(after.body.limits.currentSchedules).toBe(0);
    expect((await mock.call(v1Backups())).body.data.schedules).toEqual([]);
  });
});

describe("weekly/monthly day rules", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    [
      "weekly without dayOfWeek",
      { frequency: "weekly", hour: 2, retentionCount: 1, enabled: true },
      "/dayOfWeek",
    ],
    [
      "monthly with dayOfWeek",
      { frequency: "monthly", hour: 2, dayOfMonth: 3, dayOfWeek: 1, retentionCount: 1, enabled: true },
      "/dayOfWeek",
    ],
    [
      "daily with dayOfMonth",
      { frequency: "daily", hour: 2, dayOfMonth: 3, retentionCount: 1, enabled: true },
      "/dayOfMonth",
    ],
    [
      "dayOfWeek 7",
      { frequency: "weekly", hour: 2, dayOfWeek: 7, retentionCount: 1, enabled: true },
      "/dayOfWeek",
    ],
  ];
  for (const [name, body, pointer] of cases) {
    it(`v2 refuses ${name} with 400 invalid_request pointing at ${pointer}`, async () => {
      const answer = await mock.call(v2Backups(), { body, offSpecRequest: true });
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe("invalid_request");
      expect(answer.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
    });
  }

  it("v1 refuses weekly without day_of_week with 400 VALIDATION_ERROR and details[]", async () => {
    const answer = await mock.call(v1Backups(), {
      body: { schedule_type: "weekly", hour: 2, minute: 0, retention_count: 1, enabled: true },
      offSpecRequest: true,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe("VALIDATION_ERROR");
    expect(answer.body.details).toContainEqual(expect.objectContaining({ field: "day_of_week" }));
  });

  it("a refused request changes nothing", async () => {
    const before = await mock.call(v2Backups());
    await mock.call(v2Backups(), { body: cases[0]?.[1], offSpecRequest: true });
    expect((await mock.call(v2Backups())).body).toEqual(before.body);
  });
});

describe("retention_count not above the purchased limit", () => {
  it("v1 answers 422 RETENTION_LIMIT_EXCEEDED", async () => {
    const answer = await mock.call(v1Backups(), {
      body: { schedule_type: "daily", hour: 2, minute: 0, retention_count: 8, enabled: true },
    });
    expect(answer.status).toBe(422);
    expect(answer.body).toEqual(expect.objectContaining({ code: "RETENTION_LIMIT_EXCEEDED" }));
    expect(answer.body.details).toEqual([expect.objectContaining({ field: "retention_count" })]);
  });

  it("v2 answers 400 invalid_request pointing at /retentionCount; the limit itself is accepted", async () => {
    const over = await mock.call(v2Backups(), {
      body: { frequency: "daily", hour: 2, retentionCount: 8, enabled: true },
    });
    expect(over.status).toBe(400);
    expect(over.body.errors).toEqual([expect.objectContaining({ pointer: "/retentionCount" })]);
    const at = await mock.call(v2Backups(), {
      body: { frequency: "daily", hour: 2, retentionCount: 7, enabled: true },
    });
    expect(at.status).toBe(201);
  });

  it("PATCH maxTotalBackups above the purchased capacity or below the schedule's retention is refused", async () => {
    const above = await mock.call(v2Backups(), { method: "PATCH", body: { maxTotalBackups: 8 } });
    expect(above.status).toBe(400);
    expect(above.body.errors[0].pointer).toBe("/maxTotalBackups");
    const below = await mock.call(v2Backups(), { method: "PATCH", body: { maxTotalBackups: 6 } });
    expect(below.status).toBe(400);
    const empty = await mock.call(v2Backups(), { method: "PATCH", body: {}, offSpecRequest: true });
    expect(empty.status).toBe(400);
  });
});

describe("settings and limits recomputed after every change", () => {
  it("PATCH lowers the limit, and retention is then checked against it", async () => {
    await mock.call(v2Backups(), {
      body: { frequency: "weekly", hour: 5, dayOfWeek: 5, retentionCount: 2, enabled: true },
    });
    const patched = await mock.call(v2Backups(), {
      method: "PATCH",
      body: { maxTotalBackups: 4, autoDeleteOldest: false },
    });
    expect(patched.body.settings).toEqual({
      totalBackupLimit: 4,
      manualBackupsActive: 1,
      scheduledBackupsActive: 2,
      availableScheduledSlots: 0,
      autoDeleteOldest: false,
    });
    const v1 = await mock.call(v1Backups());
    expect(v1.body.data.limits).toEqual({
      maxSchedules: 1,
      totalBackups: 4,
      maxRetention: 4,
      currentSchedules: 1,
      manualBackupsActive: 1,
      scheduledBackupsActive: 2,
      availableScheduledSlots: 0,
    });
    expect(v1.body.data.settings).toEqual(
      expect.objectContaining({
        max_total_backups: 4,
        max_scheduled_backups: 2,
        max_manual_backups: 2,
        total_backups_active: 3,
      }),
    );
    const over = await mock.call(v1Backups(), {
      body: { schedule_type: "daily", hour: 2, minute: 0, retention_count: 5, enabled: true },
    });
    expect(over.status).toBe(422);
  });

  it("a new VM without a schedule offers every slot; saving one reserves retention_count", async () => {
    mock.state.addVm({ vmid: 10004, vpsId: "vps_fresh", backupCapacity: 5 });
    const before = (await mock.call(v1Backups(10004))).body.data;
    expect(before.settings).toEqual(
      expect.objectContaining({
        max_total_backups: 5,
        max_scheduled_backups: 5,
        available_scheduled_slots: 5,
      }),
    );
    await mock.call(v1Backups(10004), {
      body: { schedule_type: "daily", hour: 2, minute: 0, retention_count: 3, enabled: true },
    });
    const after = (await mock.call(v1Backups(10004))).body.data;
    expect(after.settings).toEqual(
      expect.objectContaining({
        max_scheduled_backups: 3,
        max_manual_backups: 2,
        available_scheduled_slots: 3,
      }),
    );
    expect(after.limits.currentSchedules).toBe(1);
  });

  it("a finished backup is counted, and retention deletes the oldest scheduled backup", async () => {
    await mock.call(v2Backups(), {
      body: { frequency: "daily", hour: 11, retentionCount: 2, enabled: true },
    });
    mock.clock.advance(60 * 60_000 + 2 * 60_000); // past 11:00, and the job's minute
    const after = (await mock.call(v1Backups())).body.data;
    const scheduledActive = after.history.filter(
      (h: { backup_type: string; status: string }) => h.backup_type === "scheduled" && h.status === "active",
    );
    expect(after.history[0]).toEqual(expect.objectContaining({ backup_type: "scheduled", status: "active" }));
    expect(scheduledActive.length).toBe(3); // two of the old schedule's (not this schedule's) + the new one
    expect(after.settings.scheduled_backups_active).toBe(3);
    expect(after.limits.scheduledBackupsActive).toBe(3);
  });
});

describe("actions.canCreate and actions.canEnable gates", () => {
  it("no snapshot slots: GET says so, POST is refused (v2 409, v1 422) and changes nothing", async () => {
    const get = await mock.call(v2Snapshots(DB.vpsId));
    expect(get.body).toEqual({
      schedule: null,
      limits: { totalSnapshots: 0 },
      available: false,
      reason: "The current plan includes no snapshot slots.",
      actions: {
        canEnable: { allowed: false, reason: "The current plan includes no snapshot slots.", code: null },
      },
    });
    const v2 = await mock.call(v2Snapshots(DB.vpsId), { body: { enabled: true, intervalHours: 12 } });
    expect(v2.status).toBe(409);
    expect(v2.body.code).toBe("snapshots_unavailable");
    const v1 = await mock.call(v1Snapshots(DB.vmid), { body: { enabled: true, interval_hours: 12 } });
    expect(v1.status).toBe(422);
    expect(v1.body.code).toBe("SNAPSHOTS_UNAVAILABLE");
    expect((await mock.call(v1Snapshots(DB.vmid))).body.data.schedule).toBeNull();
  });

  it("a pending order blocks both gates with code pending_order", async () => {
    const vm = mock.state.findVm(WEB.vpsId);
    if (!vm) throw new Error("seed");
    vm.pendingOrder = true;
    const backups = await mock.call(v2Backups());
    expect(backups.body.actions.canCreate).toEqual({
      allowed: false,
      reason: expect.any(String),
      code: "pending_order",
    });
    const refused = await mock.call(v2Backups(), {
      body: { frequency: "daily", hour: 2, retentionCount: 1, enabled: true },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("pending_order");
    const snapshots = await mock.call(v2Snapshots());
    expect(snapshots.body.actions.canEnable).toEqual(
      expect.objectContaining({ allowed: false, code: "pending_order" }),
    );
    expect(snapshots.body.available).toBe(true);
  });

  it("no backup capacity blocks canCreate", async () => {
    mock.state.addVm({ vmid: 10002, vpsId: "vps_nocap", backupCapacity: 0 });
    const get = await mock.call(v2Backups("vps_nocap"));
    expect(get.body.actions.canCreate).toEqual(
      expect.objectContaining({ allowed: false, code: "no_backup_capacity" }),
    );
    const post = await mock.call(v1Backups(10002), {
      body: { schedule_type: "daily", hour: 2, minute: 0, retention_count: 1, enabled: true },
    });
    expect(post.status).toBe(422);
  });

  it("a VM that is not ready answers writes with 409 vps_not_ready", async () => {
    mock.state.addVm({ vmid: 10003, vpsId: "vps_provisioning", ready: false });
    const post = await mock.call(v2Snapshots("vps_provisioning"), {
      body: { enabled: true, intervalHours: 12 },
    });
    expect(post.status).toBe(409);
    expect(post.body.code).toBe("vps_not_ready");
  });
});

describe("not ready, and backup capacity changed in place", () => {
  it("v1: a VM that is not ready answers writes with 422 VPS_NOT_READY (v2's documented vps_not_ready)", async () => {
    mock.state.addVm({ vmid: 10003, vpsId: "vps_provisioning", ready: false });
    const answer = await mock.call("/api/vm/10003/snapshot-schedules", {
      body: { enabled: true, interval_hours: 12 },
    });
    expect(answer.status).toBe(422);
    expect(answer.body.code).toBe("VPS_NOT_READY");
  });

  it("backupCapacity set to 0 in place closes canCreate, and POST is refused", async () => {
    const vm = mock.state.findVm(DB.vmid);
    if (!vm) throw new Error("seed");
    vm.backupCapacity = 0;
    const get = await mock.call(v2Backups(DB.vpsId));
    expect(get.body.actions.canCreate).toEqual(
      expect.objectContaining({ allowed: false, code: "no_backup_capacity" }),
    );
    const post = await mock.call(v2Backups(DB.vpsId), {
      body: { frequency: "daily", hour: 2, retentionCount: 1, enabled: true },
    });
    expect(post.status).toBe(409);
    expect(post.body.code).toBe("no_backup_capacity");
  });

  it("lowering backupCapacity in place lowers the limit it caps", async () => {
    const vm = mock.state.findVm(DB.vmid);
    if (!vm) throw new Error("seed");
    vm.backupCapacity = 2;
    const get = await mock.call(v1Backups(DB.vmid));
    expect(get.body.data.settings.max_total_backups).toBe(2);
    const post = await mock.call(v1Backups(DB.vmid), {
      body: { schedule_type: "daily", hour: 2, minute: 0, retention_count: 3, enabled: true },
    });
    expect(post.status).toBe(422);
    expect(post.body.code).toBe("RETENTION_LIMIT_EXCEEDED");
  });
});

describe("intervalHours floored and clamped to 4..24", () => {
  const cases: [number, number][] = [
    [2, 4],
    [30, 24],
    [12.7, 12],
    [4, 4],
    [24, 24],
  ];
  for (const [sent, stored] of cases) {
    it(`${sent} is stored as ${stored}`, async () => {
      const answer = await mock.call(v2Snapshots(), {
        body: { enabled: true, intervalHours: sent },
        offSpecRequest: true,
      });
      expect(answer.status).toBe(200);
      expect(answer.body.schedule.intervalHours).toBe(stored);
    });
  }
  it("v1 interval_hours is clamped the same way; a non-number is 400", async () => {
    const answer = await mock.call(v1Snapshots(), {
      body: { enabled: true, interval_hours: 1 },
      offSpecRequest: true,
    });
    expect(answer.body.data.schedule.interval_hours).toBe(4);
    const bad = await mock.call(v1Snapshots(), {
      body: { enabled: true, interval_hours: "12" },
      offSpecRequest: true,
    });
    expect(bad.status).toBe(400);
  });
});

describe("next_run / nextRun computed in UTC from the schedule", () => {
  // START is Monday 2026-03-02 10:00 UTC.
  const cases: [string, Record<string, unknown>, string][] = [
    [
      "daily later today",
      { frequency: "daily", hour: 23, retentionCount: 1, enabled: true },
      "2026-03-02T23:00:00.000Z",
    ],
    [
      "daily already past",
      { frequency: "daily", hour: 9, retentionCount: 1, enabled: true },
      "2026-03-03T09:00:00.000Z",
    ],
    [
      "weekly Sunday",
      { frequency: "weekly", hour: 1, dayOfWeek: 0, retentionCount: 1, enabled: true },
      "2026-03-08T01:00:00.000Z",
    ],
    [
      "weekly today, past",
      { frequency: "weekly", hour: 9, dayOfWeek: 1, retentionCount: 1, enabled: true },
      "2026-03-09T09:00:00.000Z",
    ],
    [
      "monthly 1st",
      { frequency: "monthly", hour: 4, dayOfMonth: 1, retentionCount: 1, enabled: true },
      "2026-04-01T04:00:00.000Z",
    ],
    [
      "monthly 31st in March",
      { frequency: "monthly", hour: 4, dayOfMonth: 31, retentionCount: 1, enabled: true },
      "2026-03-31T04:00:00.000Z",
    ],
  ];
  for (const [name, body, nextRun] of cases) {
    it(name, async () => {
      const answer = await mock.call(v2Backups(), { body });
      expect(answer.body.nextRun).toBe(nextRun);
    });
  }

  it("monthly on the 31st runs on the last day of a shorter month", async () => {
    mock.clock.set("2026-04-01T00:00:00.000Z");
    const answer = await mock.call(v1Backups(), {
      body: {
        schedule_type: "monthly",
        hour: 4,
        minute: 0,
        day_of_month: 31,
        retention_count: 1,
        enabled: true,
      },
    });
    expect(answer.body.data.schedule.next_run).toBe("2026-04-30T04:00:00.000Z");
  });

  it("a disabled schedule keeps v1's next_run (the mapping passes it through) but does not run", async () => {
    const answer = await mock.call(v2Backups(), {
      body: { frequency: "daily", hour: 2, retentionCount: 1, enabled: false },
    });
    expect(answer.body.nextRun).toBe("2026-03-03T02:00:00.000Z");
    mock.clock.set("2026-03-04T12:00:00.000Z");
    const data = (await mock.call(v1Backups())).body.data;
    expect(data.schedules[0].next_run).toBe("2026-03-03T02:00:00.000Z");
    expect(data.history[0].created_at).not.toMatch(/^2026-03-0[34]/);
  });

  it("when the clock passes next_run the schedule runs: last_run, a new next_run, a history entry with a job", async () => {
    await mock.call(v2Backups(), {
      body: { frequency: "daily", hour: 12, retentionCount: 3, enabled: true },
    });
    mock.clock.set("2026-03-02T12:00:30.000Z");
    const data = (await mock.call(v1Backups())).body.data;
    expect(data.schedules[0]).toEqual(
      expect.objectContaining({ last_run: "2026-03-02T12:00:00.000Z", next_run: "2026-03-03T12:00:00.000Z" }),
    );
    expect(data.history[0]).toEqual(
      expect.objectContaining({
        backup_type: "scheduled",
        status: "pending",
        schedule_id: data.schedules[0].id,
      }),
    );
    const job = (await mock.call(`/api/jobs/${data.history[0].job_id}`)).body.data;
    expect(job).toEqual(expect.objectContaining({ isRunning: true, isScheduled: true, status: "running" }));
  });

  it("a seeded schedule keeps its id; a new one never reuses it", async () => {
    const saved = await mock.call(v2Backups(), {
      body: { frequency: "daily", hour: 2, retentionCount: 1, enabled: true },
    });
    expect(saved.body.id).not.toBe("bks_2464");
  });
});

describe("the singleton snapshot schedule and its DELETE", () => {
  it("POST replaces, DELETE removes (204), GET then answers schedule null", async () => {
    const first = await mock.call(v2Snapshots(), { body: { enabled: true, intervalHours: 12 } });
    const second = await mock.call(v2Snapshots(), { body: { enabled: true, intervalHours: 6 } });
    expect(second.body.schedule.intervalHours).toBe(6);
    expect(second.body.schedule.lastRun).toBe(first.body.schedule.lastRun);
    const v1Id = (await mock.call(v1Snapshots())).body.data.schedule.id;
    await mock.call(v2Snapshots(), { body: { enabled: true, intervalHours: 8 } });
    expect((await mock.call(v1Snapshots())).body.data.schedule.id).toBe(v1Id);
    const deleted = await mock.call(v2Snapshots(), { method: "DELETE" });
    expect(deleted.status).toBe(204);
    expect((await mock.call(v2Snapshots())).body.schedule).toBeNull();
    expect((await mock.call(v1Snapshots())).body.data.schedule).toBeNull();
    expect((await mock.call(v2Snapshots(), { method: "DELETE" })).status).toBe(204);
  });

  it("nextRun is lastRun + interval and moves on as the clock passes it", async () => {
    // Seed: every 12 h, last run 2026-01-04T12:00Z; the clock is at 2026-03-02T10:00Z.
    const get = await mock.call(v2Snapshots());
    expect(get.body.schedule.nextRun).toBe("2026-03-02T12:00:00.000Z");
    mock.clock.advance(3 * 3_600_000);
    const later = await mock.call(v2Snapshots());
    expect(later.body.schedule).toEqual(
      expect.objectContaining({ lastRun: "2026-03-02T12:00:00.000Z", nextRun: "2026-03-03T00:00:00.000Z" }),
    );
  });
});

describe("jobs that progress and finish", () => {
  it("a manual backup's job runs, then finishes by polls; its history entry becomes active", async () => {
    const vm = mock.state.findVm(WEB.vmid);
    if (!vm) throw new Error("seed");
    const jobId = mock.state.startBackup(vm);
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) {
      const job = (await mock.call(`/api/jobs/${jobId}`)).body.data;
      seen.push(job.progress);
      if (job.isCompleted) break;
    }
    expect(seen).toEqual([33, 66, 100]);
    const done = (await mock.call(`/api/jobs/${jobId}`)).body.data;
    expect(done).toEqual(
      expect.objectContaining({
        isCompleted: true,
        isRunning: false,
        state: "completed",
        finishedAt: expect.any(String),
      }),
    );
    expect(done.result).toEqual({ volid: expect.stringContaining("backup/vm/10000/") });
    const history = (await mock.call(v1Backups())).body.data.history;
    expect(history[0]).toEqual(
      expect.objectContaining({ job_id: jobId, status: "active", backup_type: "manual" }),
    );
  });

  it("jobs finish with time too, and a scheduled run shows as v2 status", async () => {
    await mock.call(v2Backups(DB.vpsId), {
      body: { frequency: "daily", hour: 10, retentionCount: 2, enabled: true },
    });
    mock.clock.set("2026-03-03T10:00:10.000Z");
    const running = await mock.call(v2Backups(DB.vpsId));
    expect(running.body.schedules[0]).toEqual(
      expect.objectContaining({
        lastRun: "2026-03-03T10:00:00.000Z",
        nextRun: "2026-03-04T10:00:00.000Z",
        status: "running",
      }),
    );
    const entry = (await mock.call(v1Backups(DB.vmid))).body.data.history[0];
    expect(entry).toEqual(
      expect.objectContaining({ backup_type: "scheduled", status: "pending", size: null }),
    );
    mock.clock.advance(60_000);
    const done = await mock.call(v2Backups(DB.vpsId));
    expect(done.body.schedules[0].status).toBe("completed");
    expect(done.body.settings.scheduledBackupsActive).toBe(1);
    const job = (await mock.call(`/api/jobs/${entry.job_id}`)).body.data;
    expect(job).toEqual(expect.objectContaining({ isCompleted: true, isScheduled: true, progress: 100 }));
  });

  it("a clock jumped far ahead runs the schedule once, not once per missed day", async () => {
    await mock.call(v2Backups(DB.vpsId), {
      body: { frequency: "daily", hour: 10, retentionCount: 2, enabled: true },
    });
    mock.clock.set("2027-03-02T12:00:00.000Z");
    const history = (await mock.call(v1Backups(DB.vmid))).body.data.history;
    expect(history.filter((h: { backup_type: string }) => h.backup_type === "scheduled")).toHaveLength(1);
  });

  it("an unknown job is 404", async () => {
    const answer = await mock.call("/api/jobs/backup-1-2-3");
    expect(answer.status).toBe(404);
  });
});

describe("the VPS list with cursor paging", () => {
  it("limit=1 walks every VM of the caller through nextCursor", async () => {
    mock.state.addVm({ vmid: 10005, vpsId: "vps_zz", name: "staging" });
    mock.state.addVm({ vmid: 10006, vpsId: "vps_foreign", clientId: "99999" });
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const answer: { body: { data: { id: string }[]; hasMore: boolean; nextCursor: string | null } } =
        await mock.call(`/api/v2/vps?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      ids.push(...answer.body.data.map((v) => v.id));
      cursor = answer.body.nextCursor;
      expect(answer.body.hasMore).toBe(cursor !== null);
      if (!answer.body.hasMore) break;
    }
    expect(ids).toEqual([WEB.vpsId, DB.vpsId, "vps_zz"]);
  });

  it("filters by name (exact, case-insensitive) and primaryIp", async () => {
    expect((await mock.call("/api/v2/vps?name=WEB-1")).body.data).toEqual([
      { id: WEB.vpsId, name: "web-1", billing: { isPayg: false } },
    ]);
    expect((await mock.call("/api/v2/vps?name=web")).body.data).toEqual([]);
    expect(
      (await mock.call("/api/v2/vps?primaryIp=203.0.113.11")).body.data.map((v: { id: string }) => v.id),
    ).toEqual([DB.vpsId]);
  });

  it("a bad cursor or limit is 400 invalid_request", async () => {
    expect((await mock.call("/api/v2/vps?cursor=nope")).status).toBe(400);
    const limit = await mock.call("/api/v2/vps?limit=0", { offSpecRequest: true });
    expect(limit.status).toBe(400);
    expect(limit.body.errors[0].pointer).toBe("/limit");
  });
});

it("the harness starts at the documented instant", () => {
  expect(new Date(mock.clock.now()).toISOString()).toBe(START);
});

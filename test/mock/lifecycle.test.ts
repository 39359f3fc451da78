// One test (or a few) per documented rule of the backup and snapshot lifecycle (issue 11), as rules.test.ts does for
// the schedules; every answer is checked strictly against the bundled spec by the harness.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { toV1HistoryFields, toV2Backup, toV2Snapshots } from "../../src/sync/index.js";
import { type Answer, DB, type MockHarness, startHarness, V1_KEY, V2_TOKEN, WEB } from "./harness.js";

let mock: MockHarness;
beforeEach(async () => {
  mock = await startHarness();
});
afterEach(async () => {
  await mock.server.close();
});

const HOUR = 3_600_000;

const v2Backups = (id: string = WEB.vpsId) => `/api/v2/vps/${id}/backups`;
const v2Snapshots = (id: string = WEB.vpsId) => `/api/v2/vps/${id}/snapshots`;
const v1Backups = (vmid: number = WEB.vmid) => `/api/vm/${vmid}/backups`;
const v1Snapshots = (vmid: number = WEB.vmid) => `/api/vm/${vmid}/snapshots`;
const v1History = async (vmid: number = WEB.vmid) =>
  (await mock.call(`/api/vm/${vmid}/backup-schedules`)).body.data.history;

interface V2Backup {
  id: string;
  note: string | null;
  backupType: string;
}

/** The 202 operation envelope, with `pollUrl` the v1 jobs route of its job. */
function expectOperation(answer: Answer): string {
  expect(answer.status).toBe(202);
  expect(answer.body).toEqual({
    operation: {
      status: "queued",
      jobId: expect.any(String),
      pollUrl: `/api/jobs/${answer.body.operation.jobId}`,
      result: null,
    },
  });
  return answer.body.operation.pollUrl;
}

/** Polls a job (v1 route) until it is done; the job model finishes it at the configured poll count. */
async function waitForJob(pollUrl: string, auth = V1_KEY) {
  for (let i = 0; i < 10; i++) {
    const job = (await mock.call(pollUrl, { auth })).body.data;
    if (job.isCompleted || job.isFailed) return job;
  }
  throw new Error(`${pollUrl} never finished`);
}

function vm(ref: number | string) {
  const found = mock.state.findVm(ref);
  if (!found) throw new Error(`no VM ${ref}`);
  return found;
}

describe("backups: one row, seen in every view", () => {
  it("a manual backup (v2 POST) is queued, polled at pollUrl, then listed by v1, the v1 history and v2, quota updated", async () => {
    const before = (await mock.call(v2Backups())).body;
    expect(before.quotaInfo).toEqual({ used: 3, limit: 7, remaining: 4 });

    const pollUrl = expectOperation(await mock.call(v2Backups(), { body: { note: "Before deploy" } }));
    const pending = (await v1History())[0];
    expect(pending).toEqual(
      expect.objectContaining({
        job_id: pollUrl.slice("/api/jobs/".length),
        backup_type: "manual",
        status: "pending",
        notes: "Before deploy",
        size: null,
      }),
    );
    // Not on storage yet: neither list shows it, and a second one waits for it (in-flight job check).
    const meanwhile = (await mock.call(v2Backups())).body;
    expect(meanwhile.backups).toHaveLength(3);
    expect(meanwhile.actions.canCreateBackup).toEqual({
      allowed: false,
      reason: expect.any(String),
      code: "backup_in_progress",
    });
    const second = await mock.call(v2Backups(), { body: {} });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe("backup_in_progress");

    const job = await waitForJob(pollUrl);
    expect(job).toEqual(
      expect.objectContaining({
        isCompleted: true,
        jobName: "manual-backup",
        result: { volid: pending.volid },
      }),
    );

    const entry = (await v1History())[0];
    expect(entry).toEqual(expect.objectContaining({ id: pending.id, status: "active" }));
    const listed = (await mock.call(v1Backups())).body.data.find(
      (b: { volid: string }) => b.volid === entry.volid,
    );
    expect(listed).toEqual(
      expect.objectContaining({
        backupType: "manual",
        scheduled: false,
        scheduleId: null,
        notes: "Before deploy",
      }),
    );
    const after = (await mock.call(v2Backups())).body;
    expect(after.backups.find((b: V2Backup) => b.id === `bkp_${entry.id}`)).toEqual({
      id: `bkp_${entry.id}`,
      ...toV2Backup(listed),
    });
    expect(after.quotaInfo).toEqual({ used: 4, limit: 7, remaining: 3 });
    expect(after.actions.canCreateBackup.allowed).toBe(true);
    const settings = (await mock.call(`/api/vm/${WEB.vmid}/backup-schedules`)).body.data.settings;
    expect(settings).toEqual(expect.objectContaining({ manual_backups_active: 2, total_backups_active: 4 }));
  });

  it("the body is optional: no body, or {}, makes a backup without a note", async () => {
    expectOperation(await mock.call(v2Backups(DB.vpsId), { method: "POST" }));
    mock.clock.advance(60_000);
    expect((await v1History(DB.vmid))[0]).toEqual(
      expect.objectContaining({ status: "active", notes: null, backup_type: "manual" }),
    );
    const v2 = (await mock.call(v2Backups(DB.vpsId))).body.backups;
    expect(v2.at(-1)).toEqual(expect.objectContaining({ note: null, backupType: "manual" }));
  });

  it("a scheduled run makes a backup that every view shows as scheduled, with its schedule's id in v1", async () => {
    const saved = await mock.call(`/api/v2/vps/${DB.vpsId}/backup-schedules`, {
      body: { frequency: "daily", hour: 11, retentionCount: 2, enabled: true },
    });
    const scheduleId = Number(saved.body.id.slice("bks_".length));
    mock.clock.set("2026-03-02T11:01:30.000Z"); // past 11:00 and the job's minute
    const entry = (await v1History(DB.vmid))[0];
    expect(entry).toEqual(
      expect.objectContaining({ backup_type: "scheduled", status: "active", schedule_id: scheduleId }),
    );
    const listed = (await mock.call(v1Backups(DB.vmid))).body.data;
    expect(listed.at(-1)).toEqual(
      expect.objectContaining({ volid: entry.volid, backupType: "scheduled", scheduled: true, scheduleId }),
    );
    const v2 = (await mock.call(v2Backups(DB.vpsId))).body;
    expect(v2.backups.at(-1)).toEqual(
      expect.objectContaining({ id: `bkp_${entry.id}`, backupType: "scheduled", note: null }),
    );
    expect(v2.quotaInfo).toEqual({ used: 2, limit: 5, remaining: 3 });
  });

  it("the three views agree on every backup, through src/sync's mapping functions", async () => {
    for (const { vmid, vpsId } of [WEB, DB]) {
      const listed = (await mock.call(v1Backups(vmid))).body.data;
      const history = await v1History(vmid);
      const v2 = (await mock.call(v2Backups(vpsId))).body.backups;
      const active = history.filter((h: { status: string }) => h.status === "active");
      expect(listed.map((b: { volid: string }) => b.volid).sort()).toEqual(
        active.map((h: { volid: string }) => h.volid).sort(),
      );
      for (const item of listed) {
        const entry = active.find((h: { volid: string }) => h.volid === item.volid);
        // The list's notes are a string ("" for none), the history's null for none (the pages' own difference).
        expect({ ...toV1HistoryFields(item), notes: item.notes === "" ? null : item.notes }).toEqual({
          volid: entry.volid,
          backup_type: entry.backup_type,
          schedule_id: entry.schedule_id,
          size: entry.size,
          notes: entry.notes,
          created_at: entry.created_at,
          vm_id: entry.vm_id,
        });
        expect(v2).toContainEqual({ id: `bkp_${entry.id}`, ...toV2Backup(item) });
      }
      expect(v2).toHaveLength(listed.length);
    }
  });
});

describe("the quota: computed from the same rows, freed by a delete", () => {
  beforeEach(() => {
    mock.state.addVm({
      vmid: 10010,
      vpsId: "vps_small",
      backupCapacity: 2,
      history: [
        { backup_type: "manual", created_at: "2026-02-01T10:00:00.000Z", size: "1073741824" },
        { backup_type: "manual", created_at: "2026-02-02T10:00:00.000Z", size: "2147483648" },
      ],
    });
  });

  it("quota used up: canCreateBackup closed, POST refused 409 with its code; a v2 delete (204) frees the slot", async () => {
    const full = (await mock.call(v2Backups("vps_small"))).body;
    expect(full.quotaInfo).toEqual({ used: 2, limit: 2, remaining: 0 });
    expect(full.actions.canCreateBackup).toEqual({
      allowed: false,
      reason: "The backup quota of this VPS is used up. Delete a backup to free a slot.",
      code: "backup_quota_exceeded",
    });
    const refused = await mock.call(v2Backups("vps_small"), { body: { note: "one more" } });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("backup_quota_exceeded");

    const [oldest] = full.backups;
    const deleted = await mock.call(`${v2Backups("vps_small")}/${oldest.id}`, { method: "DELETE" });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    const freed = (await mock.call(v2Backups("vps_small"))).body;
    expect(freed.quotaInfo).toEqual({ used: 1, limit: 2, remaining: 1 });
    expect(freed.backups.map((b: V2Backup) => b.id)).not.toContain(oldest.id);
    expect(freed.actions.canCreateBackup.allowed).toBe(true);
    const entry = (await v1History(10010)).find((h: { id: number }) => `bkp_${h.id}` === oldest.id);
    expect(entry).toEqual(
      expect.objectContaining({ status: "deleted", deleted_at: "2026-03-02T10:00:00.000Z" }),
    );
    expect((await mock.call(v1Backups(10010))).body.data).toHaveLength(1);
    expectOperation(await mock.call(v2Backups("vps_small"), { body: { note: "one more" } }));
  });

  it("v1 DELETE takes the volid percent-encoded as one path segment, and frees the slot too", async () => {
    const [item] = (await mock.call(v1Backups(10010))).body.data;
    expect(item.volid).toContain(":backup/vm/10010/");
    const answer = await mock.call(`${v1Backups(10010)}/${encodeURIComponent(item.volid)}`, {
      method: "DELETE",
    });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ success: true, message: "Backup deleted successfully" });
    expect(
      (await mock.call(v1Backups(10010))).body.data.map((b: { volid: string }) => b.volid),
    ).not.toContain(item.volid);
    expect((await mock.call(v2Backups("vps_small"))).body.quotaInfo.remaining).toBe(1);
    const again = await mock.call(`${v1Backups(10010)}/${encodeURIComponent(item.volid)}`, {
      method: "DELETE",
    });
    expect(again.status).toBe(404);
    expect(again.body.code).toBe("NOT_FOUND");
  });

  it("an unencoded volid (several path segments) matches no route: 404, and nothing is deleted", async () => {
    const [item] = (await mock.call(v1Backups(10010))).body.data;
    const answer = await mock.call(`${v1Backups(10010)}/${item.volid}`, {
      method: "DELETE",
      noOperation: true,
    });
    expect(answer.status).toBe(404);
    expect((await mock.call(v1Backups(10010))).body.data).toHaveLength(2);
  });

  it("an unknown backup is 404: v2 not_found, v1 NOT_FOUND; another VM's backup is not this VM's", async () => {
    const v2 = await mock.call(`${v2Backups("vps_small")}/bkp_999999`, { method: "DELETE" });
    expect(v2.status).toBe(404);
    expect(v2.body.code).toBe("not_found");
    const dbBackup = (await mock.call(v2Backups(DB.vpsId))).body.backups[0];
    const crossed = await mock.call(`${v2Backups("vps_small")}/${dbBackup.id}`, { method: "DELETE" });
    expect(crossed.status).toBe(404);
    const v1 = await mock.call(
      `${v1Backups(10010)}/${encodeURIComponent("pbs-offsite-10g:backup/vm/10010/x")}`,
      {
        method: "DELETE",
      },
    );
    expect(v1.status).toBe(404);
    expect((await mock.call(v2Backups(DB.vpsId))).body.backups).toHaveLength(1);
  });
});

describe("restore in place: a job that stops the VM", () => {
  it("202 and a job; until it is done the VM refuses writes (v2 409 vps_not_ready, v1 409 or 422 as declared)", async () => {
    const [backup] = (await mock.call(v2Backups())).body.backups;
    const pollUrl = expectOperation(
      await mock.call(`${v2Backups()}/${backup.id}/actions/restore`, { method: "POST" }),
    );

    // Reads work, and show the state: the gates closed, v1's current entry not running.
    const list = (await mock.call(v2Backups())).body;
    expect(list.actions.canRestore).toEqual(
      expect.objectContaining({ allowed: false, code: "vps_not_ready" }),
    );
    expect(list.actions.canCreateBackup).toEqual(
      expect.objectContaining({ allowed: false, code: "vps_not_ready" }),
    );
    expect((await mock.call(v2Snapshots())).body.actions.canCreate.code).toBe("vps_not_ready");
    const current = (await mock.call(v1Snapshots())).body.data.at(-1);
    expect(current).toEqual(expect.objectContaining({ name: "current", running: 0 }));

    const v2Writes = [
      mock.call(v2Backups(), { body: { note: "during restore" } }),
      mock.call(`${v2Backups()}/${backup.id}`, { method: "DELETE" }),
      mock.call(`${v2Backups()}/${backup.id}/actions/restore`, { method: "POST" }),
      mock.call(v2Snapshots(), { body: { name: "during" } }),
      mock.call(`/api/v2/vps/${WEB.vpsId}/backup-schedules`, {
        body: { frequency: "daily", hour: 2, retentionCount: 1, enabled: true },
      }),
    ];
    for (const answer of await Promise.all(v2Writes)) {
      expect(answer.status).toBe(409);
      expect(answer.body.code).toBe("vps_not_ready");
    }
    const [item] = (await mock.call(v1Backups())).body.data;
    const v1Delete = await mock.call(`${v1Backups()}/${encodeURIComponent(item.volid)}`, {
      method: "DELETE",
    });
    expect(v1Delete.status).toBe(409);
    expect(v1Delete.body.code).toBe("VM_BUSY");
    const v1Rollback = await mock.call(`${v1Snapshots()}?action=rollback&snapname=before-upgrade`, {
      method: "DELETE",
    });
    expect(v1Rollback.status).toBe(409);
    const v1Schedule = await mock.call(`/api/vm/${WEB.vmid}/snapshot-schedules`, {
      body: { enabled: true, interval_hours: 6 },
    });
    expect(v1Schedule.status).toBe(422); // the schedule writes declare 422, not 409
    expect(v1Schedule.body.code).toBe("VM_BUSY");
    expect((await mock.call(v2Backups())).body.backups).toHaveLength(3); // nothing was changed

    const job = await waitForJob(pollUrl);
    expect(job).toEqual(
      expect.objectContaining({ type: "restore", jobName: "backup-restore", isCompleted: true }),
    );
    expect(job.result).toEqual({ volid: expect.stringContaining(":backup/vm/10000/") });
    expect((await mock.call(v1Snapshots())).body.data.at(-1).running).toBe(1);
    expectOperation(await mock.call(v2Backups(), { body: { note: "after restore" } }));
  });

  it("the restore also ends on the clock (the job's duration), without polls", async () => {
    const [backup] = (await mock.call(v2Backups())).body.backups;
    await mock.call(`${v2Backups()}/${backup.id}/actions/restore`, { method: "POST" });
    mock.clock.advance(59_000);
    expect((await mock.call(v2Backups(), { body: {} })).status).toBe(409);
    mock.clock.advance(1_000);
    expectOperation(await mock.call(v2Backups(), { body: {} }));
  });

  it("a VM without backups: canRestore closed (no_backups), and any backup id is 404", async () => {
    mock.state.addVm({ vmid: 10011, vpsId: "vps_empty" });
    const list = (await mock.call(v2Backups("vps_empty"))).body;
    expect(list).toEqual({
      backups: [],
      quotaInfo: { used: 0, limit: 7, remaining: 7 },
      actions: {
        canCreateBackup: { allowed: true, reason: null, code: null },
        canRestore: { allowed: false, reason: "There is no backup to restore.", code: "no_backups" },
        canRestoreFromAnotherVps: { allowed: true, reason: null, code: null },
      },
    });
    const answer = await mock.call(`${v2Backups("vps_empty")}/bkp_136000/actions/restore`, {
      method: "POST",
    });
    expect(answer.status).toBe(404);
  });
});

describe("restore from another VPS: the caller's own VMs only", () => {
  beforeEach(() => {
    mock.state.addVm({
      vmid: 20000,
      vpsId: "vps_foreign",
      name: "theirs",
      clientId: "99999",
      history: [{ backup_type: "manual", created_at: "2026-02-01T10:00:00.000Z" }],
    });
  });

  it("restore-sources lists the caller's other VMs with their backups: not the target, not another client's", async () => {
    const sources = (await mock.call(`${v2Backups()}/restore-sources`)).body.sources;
    const dbBackups = (await mock.call(v2Backups(DB.vpsId))).body.backups;
    expect(sources).toEqual([
      {
        id: DB.vpsId,
        name: "db-1",
        serviceStatus: "active",
        sourceType: "server",
        backups: dbBackups.map(
          (b: { id: string; displayId: string; storageKey: string; createdAt: string }) => ({
            id: b.id,
            displayId: b.displayId,
            storageKey: b.storageKey,
            createdAt: b.createdAt,
            sizeGb: 50,
          }),
        ),
      },
    ]);
    const fromDb = (await mock.call(`${v2Backups(DB.vpsId)}/restore-sources`)).body.sources;
    expect(fromDb.map((s: { id: string }) => s.id)).toEqual([WEB.vpsId]);
  });

  it("restores the target from the source's backup: a job on the target, which is stopped; the source is not", async () => {
    const [source] = (await mock.call(`${v2Backups()}/restore-sources`)).body.sources;
    const pollUrl = expectOperation(
      await mock.call(`${v2Backups()}/actions/restore-from-vps`, {
        body: { sourceVpsId: source.id, backupId: source.backups[0].id },
      }),
    );
    const target = (await mock.call(v2Backups())).body.actions;
    expect(target.canRestoreFromAnotherVps).toEqual(
      expect.objectContaining({ allowed: false, code: "vps_not_ready" }),
    );
    expect((await mock.call(v2Backups(), { body: {} })).body.code).toBe("vps_not_ready");
    expectOperation(await mock.call(v2Backups(DB.vpsId), { body: { note: "the source still works" } }));
    const job = await waitForJob(pollUrl);
    expect(job).toEqual(
      expect.objectContaining({
        vmId: String(WEB.vmid),
        jobName: "backup-restore-from-vps",
        isCompleted: true,
      }),
    );
    expect(job.result).toEqual({ volid: expect.stringContaining("/vm/10001/"), sourceVmId: String(DB.vmid) });
  });

  it("another client's VM as the source is 404 vps_not_found, as any unowned VM; nothing starts", async () => {
    const foreignBackup = `bkp_${vm("vps_foreign").history[0]?.id}`;
    const answer = await mock.call(`${v2Backups()}/actions/restore-from-vps`, {
      body: { sourceVpsId: "vps_foreign", backupId: foreignBackup },
    });
    expect(answer.status).toBe(404);
    expect(answer.body.code).toBe("vps_not_found");
    // ... and its backup under one of the caller's VMs is just an unknown backup.
    const disguised = await mock.call(`${v2Backups()}/actions/restore-from-vps`, {
      body: { sourceVpsId: DB.vpsId, backupId: foreignBackup },
    });
    expect(disguised.status).toBe(404);
    expect(disguised.body.code).toBe("not_found");
    expect((await mock.call(v2Backups())).body.actions.canRestore.allowed).toBe(true);
    // ... and the foreign VM's own routes are 404 too.
    expect((await mock.call(`${v2Backups("vps_foreign")}/restore-sources`)).status).toBe(404);
  });

  it("the target as its own source is 400 pointing at /sourceVpsId", async () => {
    const [own] = (await mock.call(v2Backups())).body.backups;
    const answer = await mock.call(`${v2Backups()}/actions/restore-from-vps`, {
      body: { sourceVpsId: WEB.vpsId, backupId: own.id },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      expect.objectContaining({ pointer: "/sourceVpsId", code: "same_vps" }),
    ]);
  });
});

describe("restore to a new pay-as-you-go VM: backup:vm and write:billing", () => {
  it("without write:billing 403, without backup:vm 403; with both a job, and then the new VM is listed", async () => {
    mock.state.credentials.set("billing-only", {
      value: "billing-only",
      clientId: "30000",
      scopes: ["read:vm", "write:billing"],
    });
    const [backup] = (await mock.call(v2Backups(DB.vpsId))).body.backups;
    const path = `${v2Backups(DB.vpsId)}/${backup.id}/actions/restore-to-payg`;
    for (const auth of ["mock-v2-nobilling", "billing-only", "mock-v2-nobackup"]) {
      const refused = await mock.call(path, { auth, body: { name: "restored-db" } });
      expect(refused.status, auth).toBe(403);
      expect(refused.body.code).toBe("forbidden");
    }
    expect((await mock.call("/api/v2/vps")).body.data).toHaveLength(2);

    const pollUrl = expectOperation(await mock.call(path, { body: { name: "restored-db", cpuCores: 2 } }));
    // The source is only read: it keeps taking writes.
    expectOperation(await mock.call(v2Backups(DB.vpsId), { body: {} }));
    mock.clock.advance(60_000);
    const vpses = (await mock.call("/api/v2/vps")).body.data;
    const created = vpses.find((v: { name: string }) => v.name === "restored-db");
    expect(created).toEqual({
      id: expect.stringMatching(/^vps_/),
      name: "restored-db",
      billing: { isPayg: true },
    });
    const job = (await mock.call(pollUrl)).body.data;
    expect(job).toEqual(expect.objectContaining({ isCompleted: true, jobName: "backup-restore-to-payg" }));
    expect(job.result).toEqual({ volid: expect.any(String), vpsId: created.id });
  });

  it("the new VM takes a free id, even when a seeded VM holds the one that would come next", async () => {
    mock.state.addVm({ vmid: 10005, vpsId: "vps_payg10002" });
    mock.state.addVm({ vmid: 9000, vpsId: "vps_payg10006" });
    const [backup] = (await mock.call(v2Backups())).body.backups;
    const pollUrl = expectOperation(
      await mock.call(`${v2Backups()}/${backup.id}/actions/restore-to-payg`, { body: { name: "copy" } }),
    );
    mock.clock.advance(60_000);
    const vpses = (await mock.call("/api/v2/vps")).body.data;
    expect(vpses.find((v: { name: string }) => v.name === "copy")?.id).toBe("vps_payg10007");
    expect((await mock.call(pollUrl)).body.data.result.vpsId).toBe("vps_payg10007");
  });

  it("with defaults (no body) the new VM is named after the source", async () => {
    const [backup] = (await mock.call(v2Backups())).body.backups;
    const pollUrl = expectOperation(
      await mock.call(`${v2Backups()}/${backup.id}/actions/restore-to-payg`, { method: "POST" }),
    );
    await waitForJob(pollUrl);
    const names = (await mock.call("/api/v2/vps")).body.data.map((v: { name: string }) => v.name);
    expect(names).toContain("web-1-restore");
  });
});

describe("snapshots: both lists, slots, names", () => {
  it("the seeded snapshot: v1 lists it and the pseudo-entry current (its parent); v2 the same through toV2Snapshots", async () => {
    const v1 = (await mock.call(v1Snapshots())).body.data;
    expect(v1).toEqual([
      { name: "before-upgrade", description: "Before package upgrade", snaptime: 1772445600, vmstate: 0 },
      {
        digest: expect.stringMatching(/^[0-9a-f]{40}$/),
        running: 1,
        name: "current",
        description: "You are here!",
        parent: "before-upgrade",
      },
    ]);
    const v2 = (await mock.call(v2Snapshots())).body;
    expect(v2.data).toEqual(toV2Snapshots(v1));
    expect(v2.data[0]).toEqual(
      expect.objectContaining({
        createdAt: "2026-03-02T10:00:00.000Z",
        expiresAt: "2026-03-03T10:00:00.000Z",
      }),
    );
    expect(v2).toEqual(
      expect.objectContaining({
        limits: { totalSnapshots: 3 },
        available: true,
        actions: {
          canCreate: { allowed: true, reason: null, code: null },
          canRestore: { allowed: true, reason: null, code: null },
        },
      }),
    );
  });

  it("create: 202, listed once its job is done, after the present state's parent; current moves to it", async () => {
    const pollUrl = expectOperation(
      await mock.call(v2Snapshots(), { body: { name: "pre_deploy-42", description: "Before deploy 42" } }),
    );
    // Being taken: not listed yet; a second one waits (the VM is locked for the snapshot).
    expect((await mock.call(v2Snapshots())).body.data.map((s: { name: string }) => s.name)).toEqual([
      "before-upgrade",
    ]);
    const busy = await mock.call(v2Snapshots(), { body: { name: "another" } });
    expect(busy.status).toBe(409);
    expect(busy.body.code).toBe("snapshot_in_progress");
    const job = await waitForJob(pollUrl);
    expect(job).toEqual(
      expect.objectContaining({ jobName: "snapshot_create", result: { snapname: "pre_deploy-42" } }),
    );

    const v1 = (await mock.call(v1Snapshots())).body.data;
    expect(v1.map((s: { name: string; parent?: string }) => [s.name, s.parent])).toEqual([
      ["before-upgrade", undefined],
      ["pre_deploy-42", "before-upgrade"],
      ["current", "pre_deploy-42"],
    ]);
    expect((await mock.call(v2Snapshots())).body.data[1]).toEqual({
      displayId: "pre_deploy-42",
      name: "pre_deploy-42",
      description: "Before deploy 42",
      createdAt: "2026-03-02T10:00:00.000Z",
      expiresAt: "2026-03-03T10:00:00.000Z",
      includesMemoryState: false,
      parentName: "before-upgrade",
    });
  });

  it("within the VM's slots: beyond them 409 snapshot_limit_reached; a delete frees a slot", async () => {
    for (const name of ["two", "three"]) {
      expectOperation(await mock.call(v2Snapshots(), { body: { name } }));
      mock.clock.advance(60_000);
    }
    const full = (await mock.call(v2Snapshots())).body;
    expect(full.data).toHaveLength(3);
    expect(full.actions.canCreate).toEqual({
      allowed: false,
      reason: "All 3 snapshot slots are in use. Delete a snapshot to free one.",
      code: "snapshot_limit_reached",
    });
    const refused = await mock.call(v2Snapshots(), { body: { name: "four" } });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("snapshot_limit_reached");
    expect((await mock.call(v1Snapshots())).body.data).toHaveLength(4); // three and current

    const deleted = await mock.call(`${v2Snapshots()}/two`, { method: "DELETE" });
    expect(deleted.status).toBe(204);
    expect(
      (await mock.call(v1Snapshots())).body.data.map((s: { name: string; parent?: string }) => [
        s.name,
        s.parent,
      ]),
    ).toEqual([
      ["before-upgrade", undefined],
      ["three", "before-upgrade"], // re-parented, as Proxmox does
      ["current", "three"],
    ]);
    expectOperation(await mock.call(v2Snapshots(), { body: { name: "four" } }));
  });

  it("a name already taken (even by one being taken) is 400 pointing at /name; so is current", async () => {
    const taken = await mock.call(v2Snapshots(), { body: { name: "before-upgrade" } });
    expect(taken.status).toBe(400);
    expect(taken.body.errors).toEqual([
      expect.objectContaining({ pointer: "/name", code: "already_exists" }),
    ]);
    expectOperation(await mock.call(v2Snapshots(), { body: { name: "fresh" } }));
    const pending = await mock.call(v2Snapshots(), { body: { name: "fresh" } });
    expect(pending.status).toBe(400);
    expect(pending.body.errors[0].pointer).toBe("/name");
    mock.clock.advance(60_000);
    const current = await mock.call(v2Snapshots(), { body: { name: "current" } });
    expect(current.status).toBe(400);
    expect(current.body.errors).toEqual([
      expect.objectContaining({ pointer: "/name", code: "reserved_name" }),
    ]);
  });

  it("names follow the spec's pattern: other characters, or more than 40, are 400 before any rule", async () => {
    for (const name of ["with space", "a".repeat(41), "dot.ted", ""]) {
      const answer = await mock.call(v2Snapshots(), { body: { name }, offSpecRequest: true });
      expect(answer.status, name).toBe(400);
      expect(answer.body.errors[0].pointer).toBe("/name");
    }
    expectOperation(await mock.call(v2Snapshots(), { body: { name: "A".repeat(40) } }));
  });

  it("a plan without snapshot slots (db-1): unavailable, canCreate closed, POST 409 snapshots_unavailable", async () => {
    const list = (await mock.call(v2Snapshots(DB.vpsId))).body;
    expect(list).toEqual({
      data: [],
      limits: { totalSnapshots: 0 },
      available: false,
      actions: {
        canCreate: {
          allowed: false,
          reason: "The current plan includes no snapshot slots.",
          code: "snapshots_unavailable",
        },
        canRestore: {
          allowed: false,
          reason: "The current plan includes no snapshot slots.",
          code: "snapshots_unavailable",
        },
      },
    });
    const answer = await mock.call(v2Snapshots(DB.vpsId), { body: { name: "nope" } });
    expect(answer.status).toBe(409);
    expect(answer.body.code).toBe("snapshots_unavailable");
    expect((await mock.call(v1Snapshots(DB.vmid))).body.data.map((s: { name: string }) => s.name)).toEqual([
      "current",
    ]);
  });
});

const v2SnapshotSchedule = (id: string = WEB.vpsId) => `/api/v2/vps/${id}/snapshot-schedules`;
const names = (list: { name: string }[]) => list.map((s) => s.name);

describe("snapshots expire about 24 hours after they were taken, on the mock's clock", () => {
  it("listed until createdAt + 24 h (expiresAt), gone from both lists at it; the slot is free again", async () => {
    // web-1's schedule would take snapshots in between: expiry alone here (scheduled runs: below)
    expect((await mock.call(v2SnapshotSchedule(), { method: "DELETE" })).status).toBe(204);
    expectOperation(await mock.call(v2Snapshots(), { body: { name: "later" } }));
    mock.clock.advance(HOUR);
    const listed = (await mock.call(v2Snapshots())).body.data;
    expect(listed.map((s: { name: string; expiresAt: string }) => [s.name, s.expiresAt])).toEqual([
      ["before-upgrade", "2026-03-03T10:00:00.000Z"],
      ["later", "2026-03-03T10:00:00.000Z"],
    ]);
    mock.clock.set("2026-03-03T09:59:59.000Z");
    expect((await mock.call(v1Snapshots())).body.data).toHaveLength(3);
    mock.clock.set("2026-03-03T10:00:00.000Z");
    expect((await mock.call(v1Snapshots())).body.data).toEqual([
      expect.objectContaining({ name: "current", description: "You are here!" }),
    ]);
    expect((await mock.call(v1Snapshots())).body.data[0].parent).toBeUndefined();
    const v2 = (await mock.call(v2Snapshots())).body;
    expect(v2.data).toEqual([]);
    expect(v2.actions.canRestore).toEqual({
      allowed: false,
      reason: "There is no snapshot to restore.",
      code: "no_snapshots",
    });
    const gone = await mock.call(`${v2Snapshots()}/before-upgrade/actions/restore`, { method: "POST" });
    expect(gone.status).toBe(404);
  });
});

describe("a snapshot schedule takes a snapshot at each run, on the mock's clock", () => {
  // web-1: 3 slots, "before-upgrade" taken at START, a schedule every 12 hours; its next run is 12:00 on START's day
  it("at its run: auto-<UTC minute>, listed by v1 and v2, the present state derives from it; lastRun and nextRun move on", async () => {
    mock.clock.set("2026-03-02T11:59:59.000Z");
    expect(names((await mock.call(v2Snapshots())).body.data)).toEqual(["before-upgrade"]);
    mock.clock.set("2026-03-02T12:00:00.000Z");
    const v2 = (await mock.call(v2Snapshots())).body.data;
    expect(v2.at(-1)).toEqual(
      expect.objectContaining({
        name: "auto-20260302-1200",
        description: "Scheduled snapshot",
        createdAt: "2026-03-02T12:00:00.000Z",
        expiresAt: "2026-03-03T12:00:00.000Z",
      }),
    );
    const v1 = (await mock.call(v1Snapshots())).body.data;
    expect(names(v1)).toEqual(["before-upgrade", "auto-20260302-1200", "current"]);
    expect(v1.at(-1)).toEqual(expect.objectContaining({ name: "current", parent: "auto-20260302-1200" }));
    expect((await mock.call(v2SnapshotSchedule())).body.schedule).toEqual(
      expect.objectContaining({ lastRun: "2026-03-02T12:00:00.000Z", nextRun: "2026-03-03T00:00:00.000Z" }),
    );
  });

  it("a run with every slot in use takes none (the schedule still moves on); a freed slot is used at the next", async () => {
    for (const name of ["second", "third"]) {
      expectOperation(await mock.call(v2Snapshots(), { body: { name } }));
      mock.clock.advance(60_000);
    }
    mock.clock.set("2026-03-02T12:00:00.000Z");
    expect(names((await mock.call(v2Snapshots())).body.data)).toEqual(["before-upgrade", "second", "third"]);
    expect((await mock.call(v2SnapshotSchedule())).body.schedule.lastRun).toBe("2026-03-02T12:00:00.000Z");
    expect((await mock.call(`${v2Snapshots()}/third`, { method: "DELETE" })).status).toBe(204);
    mock.clock.set("2026-03-03T00:00:00.000Z");
    expect(names((await mock.call(v2Snapshots())).body.data)).toEqual([
      "before-upgrade",
      "second",
      "auto-20260303-0000",
    ]);
  });

  it("after a long jump of the clock only the runs of the last 24 hours are left, each a snapshot", async () => {
    mock.clock.set("2026-03-12T10:00:00.000Z");
    expect(names((await mock.call(v1Snapshots())).body.data)).toEqual([
      "auto-20260311-1200",
      "auto-20260312-0000",
      "current",
    ]);
  });

  it("a disabled schedule takes none", async () => {
    const saved = await mock.call(v2SnapshotSchedule(), { body: { enabled: false, intervalHours: 12 } });
    expect(saved.status).toBe(200);
    mock.clock.set("2026-03-03T12:00:00.000Z");
    expect(names((await mock.call(v2Snapshots())).body.data)).toEqual([]);
  });
});

describe("rollback: through a job that stops the VM", () => {
  beforeEach(async () => {
    expectOperation(await mock.call(v2Snapshots(), { body: { name: "newer" } }));
    mock.clock.advance(60_000);
  });

  it("v1 DELETE ?action=rollback queues a job; writes are refused until it is done; then current derives from it", async () => {
    const answer = await mock.call(`${v1Snapshots()}?action=rollback&snapname=before-upgrade`, {
      method: "DELETE",
    });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({
      success: true,
      jobId: expect.stringMatching(/^snapshot_rollback-10000-/),
      action: "rollback",
      snapname: "before-upgrade",
      message: "Snapshot rollback queued",
    });
    expect((await mock.call(v1Snapshots())).body.data.at(-1)).toEqual(
      expect.objectContaining({ running: 0, parent: "newer" }),
    );
    const refused = await mock.call(`${v2Snapshots()}/newer`, { method: "DELETE" });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("vps_not_ready");

    const job = await waitForJob(`/api/jobs/${answer.body.data.jobId}`);
    expect(job).toEqual(
      expect.objectContaining({ jobName: "snapshot_rollback", result: { snapname: "before-upgrade" } }),
    );
    const after = (await mock.call(v1Snapshots())).body.data;
    expect(after.map((s: { name: string }) => s.name)).toEqual(["before-upgrade", "newer", "current"]);
    expect(after.at(-1)).toEqual(expect.objectContaining({ running: 1, parent: "before-upgrade" }));
    expect((await mock.call(`${v2Snapshots()}/newer`, { method: "DELETE" })).status).toBe(204);
  });

  it("v2 restore: 202 operation; the same job model (polled at pollUrl with the v2 token as X-API-Key)", async () => {
    const pollUrl = expectOperation(
      await mock.call(`${v2Snapshots()}/before-upgrade/actions/restore`, { method: "POST" }),
    );
    expect(pollUrl).toMatch(/^\/api\/jobs\/snapshot_rollback-10000-/);
    const list = (await mock.call(v2Snapshots())).body;
    expect(list.actions.canRestore).toEqual(
      expect.objectContaining({ allowed: false, code: "vps_not_ready" }),
    );
    expect((await mock.call(`${v2Snapshots()}/newer/actions/restore`, { method: "POST" })).status).toBe(409);
    const job = await waitForJob(pollUrl, V2_TOKEN);
    expect(job.isCompleted).toBe(true);
    expect((await mock.call(v1Snapshots())).body.data.at(-1).parent).toBe("before-upgrade");
  });

  it("an unknown snapshot is 404 (v1 NOT_FOUND, v2 not_found); current is no snapname (400)", async () => {
    const v1 = await mock.call(`${v1Snapshots()}?action=rollback&snapname=nope`, { method: "DELETE" });
    expect(v1.status).toBe(404);
    expect(v1.body.code).toBe("NOT_FOUND");
    const v2 = await mock.call(`${v2Snapshots()}/nope/actions/restore`, { method: "POST" });
    expect(v2.status).toBe(404);
    expect(v2.body.code).toBe("not_found");
    const current = await mock.call(`${v1Snapshots()}?action=delete&snapname=current`, {
      method: "DELETE",
      offSpecRequest: true,
    });
    expect(current.status).toBe(400);
    expect(current.body.details).toEqual([expect.objectContaining({ field: "snapname" })]);
  });
});

describe("snapshot delete", () => {
  it("v1 action=delete removes it at once and answers a job, which completes like the others", async () => {
    const answer = await mock.call(`${v1Snapshots()}?action=delete&snapname=before-upgrade`, {
      method: "DELETE",
    });
    expect(answer.body.data).toEqual(
      expect.objectContaining({
        action: "delete",
        snapname: "before-upgrade",
        message: "Snapshot delete queued",
      }),
    );
    expect((await mock.call(v2Snapshots())).body.data).toEqual([]);
    expect((await mock.call(v1Snapshots())).body.data.at(-1).parent).toBeUndefined();
    const job = await waitForJob(`/api/jobs/${answer.body.data.jobId}`);
    expect(job).toEqual(expect.objectContaining({ isCompleted: true, jobName: "snapshot_delete" }));
    const again = await mock.call(`${v1Snapshots()}?action=delete&snapname=before-upgrade`, {
      method: "DELETE",
    });
    expect(again.status).toBe(404);
    const v2 = await mock.call(`${v2Snapshots()}/before-upgrade`, { method: "DELETE" });
    expect(v2.status).toBe(404);
  });
});

describe("scopes: backup:vm for backup and snapshot writes, read:vm for the lists", () => {
  it("without backup:vm (mock-v1-nobackup, mock-v2-nobackup): every lifecycle write and restore-sources is 403", async () => {
    const auth = "mock-v2-nobackup";
    const [backup] = (await mock.call(v2Backups())).body.backups;
    const refused = await Promise.all([
      mock.call(v2Backups(), { auth, body: {} }),
      mock.call(`${v2Backups()}/${backup.id}`, { auth, method: "DELETE" }),
      mock.call(`${v2Backups()}/${backup.id}/actions/restore`, { auth, method: "POST" }),
      mock.call(`${v2Backups()}/restore-sources`, { auth }),
      mock.call(`${v2Backups()}/actions/restore-from-vps`, {
        auth,
        body: { sourceVpsId: DB.vpsId, backupId: backup.id },
      }),
      mock.call(v2Snapshots(), { auth, body: { name: "x" } }),
      mock.call(`${v2Snapshots()}/before-upgrade`, { auth, method: "DELETE" }),
      mock.call(`${v2Snapshots()}/before-upgrade/actions/restore`, { auth, method: "POST" }),
      mock.call(`${v1Backups()}/${encodeURIComponent("pbs-offsite-10g:backup/vm/10000/x")}`, {
        auth: "mock-v1-nobackup",
        method: "DELETE",
      }),
      mock.call(`${v1Snapshots()}?action=rollback&snapname=before-upgrade`, {
        auth: "mock-v1-nobackup",
        method: "DELETE",
      }),
    ]);
    for (const answer of refused) {
      expect(answer.status).toBe(403);
      expect(answer.body.code).toMatch(/^forbidden$/i);
    }
    // It still reads the lists, and its write:vm still saves schedules.
    expect((await mock.call(v2Backups(), { auth })).status).toBe(200);
    expect((await mock.call(v2Snapshots(), { auth })).status).toBe(200);
    expect((await mock.call(v1Backups(), { auth: "mock-v1-nobackup" })).status).toBe(200);
    expect((await mock.call(v1Snapshots(), { auth: "mock-v1-nobackup" })).status).toBe(200);
    const schedule = await mock.call(`/api/v2/vps/${DB.vpsId}/backup-schedules`, {
      auth,
      body: { frequency: "daily", hour: 2, retentionCount: 1, enabled: true },
    });
    expect(schedule.status).toBe(201);
    expect((await mock.call(v2Backups())).body.backups).toHaveLength(3);
    expect((await mock.call(v2Snapshots())).body.data).toHaveLength(1);
  });

  it("a read-only key lists backups and snapshots in both versions", async () => {
    for (const [path, auth] of [
      [v1Backups(), "mock-v1-readonly"],
      [v1Snapshots(), "mock-v1-readonly"],
      [v2Backups(), "mock-v2-readonly"],
      [v2Snapshots(), "mock-v2-readonly"],
    ] as const) {
      expect((await mock.call(path, { auth })).status, path).toBe(200);
    }
  });
});

describe("the other gates: service status, a pending order", () => {
  it("a VM not ready (provisioning): gates closed with vps_not_ready; v2 writes 409, v1 deletes 409 VPS_NOT_READY", async () => {
    mock.state.addVm({
      vmid: 10012,
      vpsId: "vps_provisioning",
      ready: false,
      history: [{ backup_type: "manual", created_at: "2026-02-01T10:00:00.000Z" }],
      snapshots: [{ name: "early" }],
    });
    const backups = (await mock.call(v2Backups("vps_provisioning"))).body;
    for (const gate of Object.values(backups.actions)) {
      expect(gate).toEqual(expect.objectContaining({ allowed: false, code: "vps_not_ready" }));
    }
    const snapshots = (await mock.call(v2Snapshots("vps_provisioning"))).body;
    expect(snapshots.actions.canRestore.code).toBe("vps_not_ready");
    const post = await mock.call(v2Backups("vps_provisioning"), { body: {} });
    expect(post.status).toBe(409);
    expect(post.body.code).toBe("vps_not_ready");
    const [item] = (await mock.call(v1Backups(10012))).body.data;
    const v1 = await mock.call(`${v1Backups(10012)}/${encodeURIComponent(item.volid)}`, { method: "DELETE" });
    expect(v1.status).toBe(409);
    expect(v1.body.code).toBe("VPS_NOT_READY");
    const rollback = await mock.call(`${v1Snapshots(10012)}?action=rollback&snapname=early`, {
      method: "DELETE",
    });
    expect(rollback.status).toBe(409);
  });

  it("a pending order closes canCreateBackup (pending_order), not the restores", async () => {
    vm(WEB.vmid).pendingOrder = true;
    const { actions } = (await mock.call(v2Backups())).body;
    expect(actions.canCreateBackup).toEqual(
      expect.objectContaining({ allowed: false, code: "pending_order" }),
    );
    expect(actions.canRestore.allowed).toBe(true);
    const refused = await mock.call(v2Backups(), { body: {} });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("pending_order");
  });

  it("no backup capacity closes canCreateBackup (no_backup_capacity)", async () => {
    vm(DB.vmid).backupCapacity = 0;
    const { actions } = (await mock.call(v2Backups(DB.vpsId))).body;
    expect(actions.canCreateBackup).toEqual(
      expect.objectContaining({ allowed: false, code: "no_backup_capacity" }),
    );
    expect((await mock.call(v2Backups(DB.vpsId), { body: {} })).status).toBe(409);
  });
});

describe("the model's own face (state), for arranging tests", () => {
  it("a seed's snapshots: a name twice, current, a name off the rule or a bad date is refused", () => {
    const bad: { name: string; createdAt?: string }[][] = [
      [{ name: "twice" }, { name: "twice" }],
      [{ name: "current" }],
      [{ name: "with space" }],
      [{ name: "ok", createdAt: "yesterday" }],
    ];
    for (const [i, snapshots] of bad.entries()) {
      expect(() => mock.state.addVm({ vmid: 10020 + i, vpsId: `vps_bad${i}`, snapshots })).toThrow(TypeError);
    }
    const ok = mock.state.addVm({
      vmid: 10030,
      vpsId: "vps_good",
      snapshots: [
        { name: "a", createdAt: "2026-03-02T09:00:00.000Z", includesMemoryState: true },
        { name: "b" },
      ],
    });
    expect(ok.snapshots.map((s) => [s.name, s.parent, s.vmstate])).toEqual([
      ["a", null, 1],
      ["b", "a", 0],
    ]);
    expect(ok.snapshotHead).toBe("b");
  });

  it("state.createBackup obeys the gate; state.restoreBackup makes the VM refuse writes", async () => {
    const web = vm(WEB.vmid);
    const job = mock.state.createBackup(web, "from the state");
    expect(mock.state.jobView(job, web)).toEqual(expect.objectContaining({ status: "queued" }));
    expect(() => mock.state.createBackup(web)).toThrow(/already in progress/);
    const [entry] = web.history.filter((h) => h.status === "active");
    mock.state.restoreBackup(web, { id: entry?.id ?? 0 });
    expect((await mock.call(v2Snapshots(), { body: { name: "x" } })).body.code).toBe("vps_not_ready");
  });
});

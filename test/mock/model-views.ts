// Every view the two versions give of one VM, read at once, and what must hold between them (model-based.test.ts):
// the v2 bodies are the v1 rows through src/sync's mapping functions (the field table's), the counts, the quota and
// the gates agree with the rows, and the little the model knows (the jobs it started, the operator's knobs) agrees
// with what the views show.
import { expect } from "vitest";
import {
  toV1HistoryFields,
  toV2Backup,
  toV2BackupFromHistory,
  toV2BackupQuota,
  toV2BackupSchedule,
  toV2BackupSettings,
  toV2SnapshotSchedule,
  toV2Snapshots,
} from "../../src/sync/index.js";
import type { MockHarness } from "./harness.js";

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, checked against the spec by the harness
type Json = any;

/** One VM, as both versions name it. */
export interface Target {
  readonly vmid: number;
  readonly vpsId: string;
}

/** What each read answers (v1: the envelope's `data`; its `timestamp` and `requestId` change on every answer). */
export interface Views {
  v1Schedules: Json;
  v1SnapshotSchedule: Json;
  v1Backups: Json[];
  v1Snapshots: Json[];
  v2Schedules: Json;
  v2SnapshotSchedule: Json;
  v2Backups: Json;
  v2Snapshots: Json;
  /** This VM as another of the client's VMs lists it among its restore sources (absent without backups). */
  asRestoreSource: Json | undefined;
}

/** How jobs progress in these runs (the mock's knobs): done a minute after they start, or at the 3rd poll. */
export const JOB_OPTIONS = { durationMs: 60_000, pollsToComplete: 3 } as const;

/** A job a write started, as the model follows it. */
export interface StartedJob {
  id: string;
  kind:
    | "backup"
    | "snapshot_create"
    | "snapshot_delete"
    | "snapshot_rollback"
    | "restore"
    | "restore_from_vps"
    | "restore_to_payg";
  startedAt: number;
  polls: number;
  snapname?: string;
  /** A restore: the v2 storageKey of the backup it restores (its job's `result` names the volid). */
  storageKey?: string;
  /** A restore to pay-as-you-go: the name the new VM gets. */
  paygName?: string;
  /** Set once the views showed the job's effect (checked once, when it finishes). */
  seenDone?: boolean;
}

export interface Model {
  vm: Target;
  /** The views as read after the last step. */
  views: Views;
  jobs: StartedJob[];
  /** The operator's knobs, changed in place (vm.pendingOrder, vm.backupCapacity). */
  pendingOrder: boolean;
  backupCapacity: number;
  /** Opaque v2 ids as first seen: v2 backup id by v1 volid, v2 schedule id by v1 id. Never reassigned. */
  backupIds: Map<string, string>;
  scheduleIds: Map<number, string>;
}

const V1_HISTORY_SHOWN = 20;
const SNAPSHOT_LIFETIME_MS = 24 * 3_600_000;

export function jobDone(job: StartedJob, now: number): boolean {
  return now - job.startedAt >= JOB_OPTIONS.durationMs || job.polls >= JOB_OPTIONS.pollsToComplete;
}

/** Another VM of the same client, whose restore sources list `vm`. */
export interface Other {
  readonly vpsId: string;
}

export async function readViews(mock: MockHarness, vm: Target, other: Other): Promise<Views> {
  const v1 = `/api/vm/${vm.vmid}`;
  const v2 = `/api/v2/vps/${vm.vpsId}`;
  const paths = [
    `${v1}/backup-schedules`,
    `${v1}/snapshot-schedules`,
    `${v1}/backups`,
    `${v1}/snapshots`,
    `${v2}/backup-schedules`,
    `${v2}/snapshot-schedules`,
    `${v2}/backups`,
    `${v2}/snapshots`,
    `/api/v2/vps/${other.vpsId}/backups/restore-sources`,
  ];
  const answers = await Promise.all(paths.map((path) => mock.call(path)));
  answers.forEach((answer, i) => {
    expect(answer.status, `GET ${paths[i]}: ${answer.text}`).toBe(200);
  });
  const [s1, ss1, b1, n1, s2, ss2, b2, n2] = answers.map((a, i) => (i < 4 ? a.body.data : a.body));
  return {
    v1Schedules: s1,
    v1SnapshotSchedule: ss1,
    v1Backups: b1,
    v1Snapshots: n1,
    v2Schedules: s2,
    v2SnapshotSchedule: ss2,
    v2Backups: b2,
    v2Snapshots: n2,
    asRestoreSource: answers[8]?.body.sources.find((source: Json) => source.id === vm.vpsId),
  };
}

/** Jobs that stop the VM while they run (the restore pages: "the target is stopped"; a rollback too). */
const STOPS_THE_VM: ReadonlySet<StartedJob["kind"]> = new Set([
  "snapshot_rollback",
  "restore",
  "restore_from_vps",
]);

/** The VM is stopped by a rollback or restore (in place, from another VPS) the model started, not yet finished. */
export function stopped(m: Model, now: number): boolean {
  return m.jobs.some((j) => STOPS_THE_VM.has(j.kind) && !jobDone(j, now));
}

/** Snapshots whose create job the model started and that has not finished: their names and slots are taken. */
export function beingTaken(m: Model, now: number): string[] {
  return m.jobs
    .filter((j) => j.kind === "snapshot_create" && !jobDone(j, now))
    .map((j) => j.snapname as string);
}

export function snapshotNames(v: Views): string[] {
  return v.v2Snapshots.data.map((s: Json) => s.name);
}

/**
 * A gate against the conditions that close it: open when none holds, else closed with a reason and the code of one
 * that holds (which one wins when several hold is the mock's order, not checked here). `null` is a code: the
 * no-capacity `canEnable` answers `code: null`.
 */
function expectGate(name: string, gate: Json, closing: [string | null, boolean][]): void {
  const codes = closing.filter(([, holds]) => holds).map(([code]) => code);
  if (codes.length === 0) {
    expect(gate, `${name} should be open`).toEqual({ allowed: true, reason: null, code: null });
    return;
  }
  expect(gate.allowed, `${name} should be closed by one of ${codes.join(", ")}`).toBe(false);
  expect(typeof gate.reason, `${name}.reason`).toBe("string");
  expect(codes, `${name}.code ${gate.code} names no condition that holds`).toContain(gate.code);
}

/** Everything that must hold between the views of one moment (and between them and the model). */
export function checkViews(v: Views, m: Model, now: number): void {
  const s1 = v.v1Schedules;
  const isStopped = stopped(m, now);
  const history: Json[] = s1.history;
  const complete = history.length < V1_HISTORY_SHOWN;

  // Backup schedules: the v2 list is the v1 rows through toV2BackupSchedule, with a stable opaque id.
  expect(s1.schedules.length, "at most one backup schedule").toBeLessThanOrEqual(1);
  expect(
    v.v2Schedules.schedules.map(({ id: _id, status: _status, ...rest }: Json) => rest),
    "v2 schedules = v1 schedules through toV2BackupSchedule",
  ).toEqual(s1.schedules.map(toV2BackupSchedule));
  s1.schedules.forEach((row: Json, i: number) => {
    const v2Id = v.v2Schedules.schedules[i].id;
    const known = m.scheduleIds.get(row.id);
    if (known !== undefined) expect(v2Id, `v2 id of v1 schedule ${row.id}`).toBe(known);
    for (const [v1Id, id] of m.scheduleIds) {
      if (v1Id !== row.id) expect(id, `v2 schedule id ${v2Id} reused`).not.toBe(v2Id);
    }
    m.scheduleIds.set(row.id, v2Id);
  });

  // When it runs: an enabled schedule's next run is after now, at its hour and minute (UTC), on its day; a new
  // last run is a scheduled backup of this schedule in the history, made at that time.
  for (const sched of s1.schedules) {
    if (sched.last_run !== null)
      expect(Date.parse(sched.last_run), "last_run is past").toBeLessThanOrEqual(now);
    const before = m.views?.v1Schedules.schedules.find((old: Json) => old.id === sched.id);
    if (complete && sched.last_run !== null && before && before.last_run !== sched.last_run) {
      expect(
        history.some((h) => h.schedule_id === sched.id && h.created_at === sched.last_run),
        `a run at ${sched.last_run} left a history entry`,
      ).toBe(true);
    }
    if (!sched.enabled) continue; // a disabled schedule's next_run: the pages do not say (it is not checked)
    const next = new Date(sched.next_run);
    expect(next.getTime(), "next_run is in the future").toBeGreaterThan(now);
    expect([next.getUTCHours(), next.getUTCMinutes()], "next_run at the schedule's time").toEqual([
      sched.hour,
      sched.minute,
    ]);
    if (sched.schedule_type === "weekly")
      expect(next.getUTCDay(), "next_run on its weekday").toBe(sched.day_of_week);
    if (sched.schedule_type === "monthly") {
      const lastDay = new Date(Date.UTC(next.getUTCFullYear(), next.getUTCMonth() + 1, 0)).getUTCDate();
      expect(next.getUTCDate(), "next_run on its day (or the month's last)").toBe(
        Math.min(sched.day_of_month, lastDay),
      );
    }
  }

  // Settings and limits: the same numbers in both versions, and the counts are the backups listed.
  expect(v.v2Schedules.settings, "v2 settings = toV2BackupSettings(v1 settings)").toEqual(
    toV2BackupSettings(s1.settings),
  );
  expect(v.v2Schedules.limits, "v2 limits = v1 limits").toEqual(s1.limits);
  const manual = v.v1Backups.filter((b) => b.backupType === "manual").length;
  const scheduled = v.v1Backups.filter((b) => b.backupType === "scheduled").length;
  expect(
    [
      s1.settings.manual_backups_active,
      s1.settings.scheduled_backups_active,
      s1.settings.total_backups_active,
    ],
    "settings count the backups v1 lists (manual, scheduled, total)",
  ).toEqual([manual, scheduled, manual + scheduled]);
  expect(s1.limits, "limits agree with the schedules and the settings").toEqual({
    maxSchedules: 1,
    totalBackups: s1.settings.max_total_backups,
    maxRetention: s1.settings.max_total_backups,
    currentSchedules: s1.schedules.length,
    manualBackupsActive: manual,
    scheduledBackupsActive: scheduled,
    availableScheduledSlots: s1.settings.available_scheduled_slots,
  });
  expect(
    s1.settings.max_total_backups,
    "the limit in force is within the purchased slots",
  ).toBeLessThanOrEqual(m.backupCapacity);

  // Backups: v2's list is v1's through toV2Backup (both oldest first), ids stable; the history agrees on each.
  const v2Backups = v.v2Backups.backups;
  expect(
    v2Backups.map(({ id: _id, ...rest }: Json) => rest),
    "v2 backups = v1 backups through toV2Backup",
  ).toEqual(v.v1Backups.map(toV2Backup));
  v.v1Backups.forEach((b, i) => {
    const v2Id = v2Backups[i].id;
    const known = m.backupIds.get(b.volid);
    if (known !== undefined) expect(v2Id, `v2 id of ${b.volid}`).toBe(known);
    m.backupIds.set(b.volid, v2Id);
  });
  expect(new Set(v2Backups.map((b: Json) => b.id)).size, "v2 backup ids are distinct").toBe(v2Backups.length);
  const existing = history.filter((h) => h.status === "active" && h.deleted_at === null);
  for (const b of v.v1Backups) {
    const entry = history.find((h) => h.volid === b.volid);
    if (!entry && !complete) continue; // older than the 20 entries v1 shows
    // The list's notes are a string, "" for none; the history's are nullable (v1-get-backups and the
    // backup-schedules page): "" in the list is null or "" in the history.
    const fields = toV1HistoryFields(b);
    expect(entry, `history entry of ${b.volid}`).toMatchObject({
      ...fields,
      notes: fields.notes === "" ? (entry?.notes ?? null) : fields.notes,
      status: "active",
      deleted_at: null,
    });
    if (fields.notes === "") expect([null, ""], `notes of ${b.volid}`).toContain(entry?.notes);
  }
  for (const entry of existing) {
    expect(
      v.v1Backups.map((b) => b.volid),
      `active history entry ${entry.id} is listed`,
    ).toContain(entry.volid);
    const shown = v2Backups.find((b: Json) => b.storageKey === toV2BackupFromHistory(entry)?.storageKey);
    expect(shown && { ...shown, id: undefined }, `v2 shows history entry ${entry.id}`).toEqual({
      ...toV2BackupFromHistory(entry),
      id: undefined,
    });
  }
  if (complete)
    expect(existing.length, "the history's existing backups are the list").toBe(v.v1Backups.length);

  // The v2 schedule's status is its last run in the v1 history.
  if (complete && s1.schedules.length === 1) {
    const last = history.find((h) => h.schedule_id === s1.schedules[0].id);
    const status = v.v2Schedules.schedules[0].status;
    if (!last) expect(status, "a schedule that never ran has status null").toBeNull();
    else if (last.status === "pending") expect(["queued", "running"]).toContain(status);
    else expect(status, `last run ${last.id}`).toBe(last.error_message ? "failed" : "completed");
  }

  // Another VM's restore sources list this VM's backups, as its own list does (sizes as whole GB: that page's type).
  if (v2Backups.length === 0)
    expect(v.asRestoreSource, "a VM without backups is no restore source").toBeUndefined();
  else {
    expect(v.asRestoreSource?.backups, "restore sources list the VM's backups").toEqual(
      v2Backups.map(({ note: _note, backupType: _type, sizeGb, ...rest }: Json) => ({
        ...rest,
        sizeGb: Math.round(sizeGb),
      })),
    );
  }

  // The quota is the settings' numbers, and counts the backups v2 lists.
  const quota = v.v2Backups.quotaInfo;
  expect(quota, "quotaInfo = toV2BackupQuota(v1 settings)").toEqual(toV2BackupQuota(s1.settings));
  expect(quota.used, "quotaInfo.used counts the backups listed").toBe(v2Backups.length);

  // Jobs the model started: a backup is pending in the history until its job is done, then it is not.
  for (const job of m.jobs.filter((j) => j.kind === "backup")) {
    const entry = history.find((h) => h.job_id === job.id);
    if (!entry) {
      expect(complete, `history entry of job ${job.id}`).toBe(false);
      continue;
    }
    if (jobDone(job, now)) expect(entry.status, `job ${job.id} is done`).not.toBe("pending");
    else expect(entry.status, `job ${job.id} runs`).toBe("pending");
  }

  // Snapshots: v2's list is v1's through toV2Snapshots; `current` last, stopped while a rollback runs.
  const names = snapshotNames(v);
  expect(v.v2Snapshots.data, "v2 snapshots = toV2Snapshots(v1 snapshots)").toEqual(
    toV2Snapshots(v.v1Snapshots),
  );
  const current = v.v1Snapshots[v.v1Snapshots.length - 1];
  expect(current?.name, "v1 lists `current` last").toBe("current");
  expect(current.running, "`current.running` is 0 exactly while a rollback or restore runs").toBe(
    isStopped ? 0 : 1,
  );
  if (current.parent !== undefined)
    expect(names, "`current` derives from a listed snapshot").toContain(current.parent);
  else expect(names, "`current` has no parent only when there is no snapshot").toEqual([]);
  for (const s of v.v2Snapshots.data) {
    expect(Date.parse(s.expiresAt), `${s.name} is listed after it expired`).toBeGreaterThan(now);
    if (s.parentName !== null) expect(names, `parent of ${s.name}`).toContain(s.parentName);
  }
  const taking = beingTaken(m, now);
  for (const name of taking) expect(names, `${name} is listed before its job is done`).not.toContain(name);
  for (const job of m.jobs) {
    if (job.seenDone || !jobDone(job, now)) continue;
    job.seenDone = true;
    const expired = now >= job.startedAt + SNAPSHOT_LIFETIME_MS;
    if (job.kind === "snapshot_create" && !expired) {
      expect(names, `snapshot ${job.snapname}: its job is done`).toContain(job.snapname);
    }
    if (job.kind === "snapshot_rollback" && names.includes(job.snapname as string)) {
      expect(current.parent, `rolled back to ${job.snapname}`).toBe(job.snapname);
    }
  }

  // Snapshot slots and schedule: the same in every view.
  const capacity = v.v1SnapshotSchedule.limits.totalSnapshots;
  expect(v.v2SnapshotSchedule.limits, "v2 snapshot-schedule limits = v1's").toEqual(
    v.v1SnapshotSchedule.limits,
  );
  expect(v.v2Snapshots.limits, "v2 snapshot limits = v1's").toEqual(v.v1SnapshotSchedule.limits);
  expect(v.v2Snapshots.available, "snapshots available").toBe(capacity > 0);
  expect(v.v2SnapshotSchedule.available, "snapshot schedule available").toBe(capacity > 0);
  expect(names.length + taking.length, "snapshots within the slots").toBeLessThanOrEqual(capacity);
  const ss1 = v.v1SnapshotSchedule.schedule;
  if (ss1?.enabled) {
    const next = Date.parse(ss1.next_run);
    expect(next, "the snapshot schedule's next run is in the future").toBeGreaterThan(now);
    if (ss1.last_run !== null) {
      expect(
        (next - Date.parse(ss1.last_run)) % (ss1.interval_hours * 3_600_000),
        "runs every interval",
      ).toBe(0);
    }
  } else if (ss1) expect(ss1.next_run, "a disabled snapshot schedule does not run").toBeNull();
  expect(v.v2SnapshotSchedule.schedule, "v2 snapshot schedule = toV2SnapshotSchedule(v1's)").toEqual(
    ss1 === null ? null : toV2SnapshotSchedule(ss1),
  );

  // The gates, against the rows and the model (the backups page: they "already include service status, quota,
  // permission, and in-flight job checks"; the schedule gates name capacity and a pending order).
  const limit = s1.settings.max_total_backups;
  const backupRunning = history.some((h) => h.status === "pending");
  const a = v.v2Backups.actions;
  expectGate("canCreateBackup", a.canCreateBackup, [
    ["vps_not_ready", isStopped],
    ["pending_order", m.pendingOrder],
    ["no_backup_capacity", limit < 1],
    ["backup_in_progress", backupRunning],
    ["backup_quota_exceeded", quota.used >= limit],
  ]);
  expectGate("canRestore", a.canRestore, [
    ["vps_not_ready", isStopped],
    ["no_backups", v2Backups.length === 0],
  ]);
  expectGate("canRestoreFromAnotherVps", a.canRestoreFromAnotherVps, [["vps_not_ready", isStopped]]);
  const sa = v.v2Snapshots.actions;
  expectGate("snapshots canCreate", sa.canCreate, [
    ["vps_not_ready", isStopped],
    ["snapshots_unavailable", capacity < 1],
    ["snapshot_in_progress", taking.length > 0],
    ["snapshot_limit_reached", names.length + taking.length >= capacity],
  ]);
  expectGate("snapshots canRestore", sa.canRestore, [
    ["vps_not_ready", isStopped],
    ["snapshots_unavailable", capacity < 1],
    ["snapshot_in_progress", taking.length > 0],
    ["no_snapshots", names.length === 0],
  ]);
  expectGate("backup-schedules canCreate", v.v2Schedules.actions.canCreate, [
    ["pending_order", m.pendingOrder],
    ["no_backup_capacity", limit < 1],
  ]);
  expectGate("snapshot-schedules canEnable", v.v2SnapshotSchedule.actions.canEnable, [
    [null, capacity < 1],
    ["pending_order", m.pendingOrder],
  ]);
  expect(v.v2SnapshotSchedule.reason === null, "reason is null exactly when snapshots are available").toBe(
    capacity > 0,
  );
}

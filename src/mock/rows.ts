// The v1 rows the model stores, built with fresh ids and the clock: a backup schedule, a history entry and its
// job, a snapshot schedule. What a new row holds is decided here once, for seeds and writes alike.
import { clampIntervalHours } from "../sync/mapping.js";
import { iso, nextBackupRun, nextSnapshotRun } from "./schedule-time.js";
import type {
  MockBackupScheduleSeed,
  MockJob,
  MockSnapshot,
  MockVm,
  MockWorld,
  V1BackupHistoryEntry,
  V1BackupSchedule,
  V1SaveBackupScheduleRequest,
  V1SnapshotSchedule,
} from "./types.js";

const SNAPSHOT_RETENTION_DAYS = 7;

/** A schedule row for `vm` from a seed or a request body; `next_run` from the clock. */
export function newScheduleRow(
  world: MockWorld,
  vm: MockVm,
  body: MockBackupScheduleSeed | V1SaveBackupScheduleRequest,
  id: number,
  createdAt: string,
): V1BackupSchedule {
  const now = world.now();
  const timing = {
    schedule_type: body.schedule_type,
    hour: body.hour,
    minute: body.minute ?? 0,
    day_of_week: body.schedule_type === "weekly" && "day_of_week" in body ? (body.day_of_week ?? null) : null,
    day_of_month:
      body.schedule_type === "monthly" && "day_of_month" in body ? (body.day_of_month ?? null) : null,
  };
  return {
    id,
    client_id: vm.clientId,
    account_id: vm.accountId,
    vm_id: String(vm.vmid),
    enabled: body.enabled ?? true,
    ...timing,
    retention_count: body.retention_count,
    backup_mode: "snapshot",
    compress: "zstd",
    notes: body.notes ?? null,
    last_run: null,
    next_run: iso(nextBackupRun(timing, now)),
    created_at: createdAt,
    updated_at: iso(now),
  };
}

/**
 * A history entry with a fresh id; a scheduled one belongs to the VM's current schedule. Its volid names the VM and
 * the time, as Proxmox's do; two backups of one VM in the same millisecond (a manual clock) get the next free one.
 */
export function newHistoryEntry(
  world: MockWorld,
  vm: MockVm,
  type: "manual" | "scheduled",
  createdAt: string,
  status: "active" | "deleted" | "pending",
): V1BackupHistoryEntry {
  const id = world.ids.history++;
  return {
    id,
    client_id: vm.clientId,
    account_id: vm.accountId,
    vm_id: String(vm.vmid),
    backup_type: type,
    schedule_id: type === "scheduled" ? (vm.schedule?.id ?? null) : null,
    volid: freeVolid(vm, Date.parse(createdAt)),
    size: null,
    notes: null,
    status,
    created_at: createdAt,
    deleted_at: null,
    job_id: `backup-${vm.vmid}-${Date.parse(createdAt)}-${id}`,
    error_message: null,
  };
}

function freeVolid(vm: MockVm, at: number): string {
  const taken = new Set(vm.history.map((h) => h.volid));
  let t = at;
  while (taken.has(volidAt(vm, t))) t++;
  return volidAt(vm, t);
}

function volidAt(vm: MockVm, at: number): string {
  return `pbs-offsite-10g:backup/vm/${vm.vmid}/${iso(at)}`;
}

/** What a new job is for: its kind and the rows it works on (see MockJob). */
export type JobWork = Pick<MockJob, "kind"> &
  Partial<Pick<MockJob, "historyId" | "volid" | "snapname" | "sourceVmid" | "paygName">>;

/**
 * A job on `vm`, with the state's job options; `finishedAt` null while it runs. Named
 * `<kind>-<vmid>-<ms>-<n>`, like the pages' `snapshot_rollback-18484-1769377616097`.
 */
export function newJob(
  world: MockWorld,
  vm: MockVm,
  work: JobWork,
  createdAt: number,
  finishedAt: number | null,
  jobId = `${work.kind}-${vm.vmid}-${createdAt}-${world.ids.job++}`,
): MockJob {
  return {
    jobId,
    kind: work.kind,
    vmid: vm.vmid,
    historyId: work.historyId ?? null,
    volid: work.volid ?? null,
    snapname: work.snapname ?? null,
    sourceVmid: work.sourceVmid ?? null,
    paygName: work.paygName ?? null,
    createdVpsId: null,
    scheduled: false,
    createdAt,
    finishedAt,
    durationMs: world.jobOptions.durationMs,
    pollsToComplete: world.jobOptions.pollsToComplete,
    polls: 0,
    failure: null,
  };
}

/** The job of a backup's history entry, named by the entry's `job_id`. */
export function newBackupJob(
  world: MockWorld,
  vm: MockVm,
  entry: V1BackupHistoryEntry,
  createdAt: number,
  finishedAt: number | null,
): MockJob {
  const work: JobWork = { kind: "backup", historyId: entry.id, volid: entry.volid };
  const job = newJob(world, vm, work, createdAt, finishedAt, entry.job_id);
  job.scheduled = entry.backup_type === "scheduled";
  return job;
}

/** A snapshot taken after the VM's present state's parent; `taken` once its create job has finished. */
export function newSnapshot(
  vm: MockVm,
  body: { name: string; description?: string | null; includesMemoryState?: boolean },
  at: number,
  taken: boolean,
): MockSnapshot {
  return {
    name: body.name,
    description: body.description ?? "",
    snaptime: Math.floor(at / 1000),
    vmstate: body.includesMemoryState ? 1 : 0,
    parent: vm.snapshotHead,
    taken,
  };
}

/**
 * A snapshot schedule row that last ran at `lastRun`, its `next_run` from the clock when enabled; replacing `old`
 * keeps its id and creation time. The interval is floored and clamped here, once, for seeds and writes alike.
 */
export function newSnapshotScheduleRow(
  world: MockWorld,
  vm: MockVm,
  body: { enabled: boolean; interval_hours: number },
  lastRun: string | null,
  old?: V1SnapshotSchedule,
): V1SnapshotSchedule {
  const now = world.now();
  const interval = clampIntervalHours(body.interval_hours);
  return {
    id: old?.id ?? String(world.ids.snapshot++),
    client_id: vm.clientId,
    account_id: vm.accountId,
    vm_id: String(vm.vmid),
    enabled: body.enabled,
    interval_hours: interval,
    retention_days: SNAPSHOT_RETENTION_DAYS,
    last_run: lastRun,
    next_run: body.enabled
      ? iso(nextSnapshotRun(interval, lastRun === null ? null : Date.parse(lastRun), now))
      : null,
    created_at: old?.created_at ?? iso(now),
    updated_at: iso(now),
  };
}

// The v1 rows the model stores, built with fresh ids and the clock: a backup schedule, a history entry and its
// job, a snapshot schedule. What a new row holds is decided here once, for seeds and writes alike.
import { clampIntervalHours } from "../sync/mapping.js";
import { iso, nextBackupRun, nextSnapshotRun } from "./schedule-time.js";
import type {
  MockBackupScheduleSeed,
  MockJob,
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

/** A history entry with a fresh id; a scheduled one belongs to the VM's current schedule. */
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
    volid: `pbs-offsite-10g:backup/vm/${vm.vmid}/${createdAt}`,
    size: null,
    notes: null,
    status,
    created_at: createdAt,
    deleted_at: null,
    job_id: `backup-${vm.vmid}-${Date.parse(createdAt)}-${id}`,
    error_message: null,
  };
}

/** The job of a history entry, with the state's job options; `finishedAt` null while it runs. */
export function newJob(
  world: MockWorld,
  vm: MockVm,
  entry: V1BackupHistoryEntry,
  createdAt: number,
  finishedAt: number | null,
): MockJob {
  return {
    jobId: entry.job_id,
    vmid: vm.vmid,
    historyId: entry.id,
    scheduled: entry.backup_type === "scheduled",
    createdAt,
    finishedAt,
    durationMs: world.jobOptions.durationMs,
    pollsToComplete: world.jobOptions.pollsToComplete,
    polls: 0,
    failure: null,
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

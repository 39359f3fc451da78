// v2 is a view of the v1 rows, through the contract suite's mapping functions (src/sync). Until src/sync lands
// this file holds the mapping it is expected to export; see the report of the mock's helper.
import type { components as V2 } from "../generated/v2.js";
import type {
  MockState,
  MockVm,
  V1BackupSchedule,
  V1SaveBackupScheduleRequest,
  V1SnapshotSchedule,
} from "./model.js";

export type V2BackupSchedule = V2["schemas"]["BackupSchedule"];
export type V2BackupSchedules = V2["schemas"]["BackupSchedules"];
export type V2SnapshotScheduleState = V2["schemas"]["SnapshotScheduleState"];
export type V2SaveBackupScheduleRequest = V2["schemas"]["SaveBackupScheduleRequest"];
export type V2VpsSummary = V2["schemas"]["VpsSummary"];

const pad = (n: number) => String(n).padStart(2, "0");

export function toV2BackupSchedule(
  s: V1BackupSchedule,
  status: V2BackupSchedule["status"],
): V2BackupSchedule {
  const day =
    s.schedule_type === "weekly" ? s.day_of_week : s.schedule_type === "monthly" ? s.day_of_month : null;
  return {
    id: `bks_${s.id}`,
    name: s.notes ?? `Auto ${s.schedule_type} backup schedule`,
    frequency: s.schedule_type,
    time: `${pad(s.hour)}:${pad(s.minute)}`,
    daySpecifier: day === null || day === undefined ? null : String(day),
    retentionCount: s.retention_count,
    enabled: s.enabled,
    lastRun: s.last_run,
    nextRun: s.enabled ? s.next_run : null,
    status,
  };
}

/** The v1 schedule id of a v2 `bks_...` id, or undefined when it names no v1 row. */
export function toV1ScheduleId(id: string): number | undefined {
  const m = /^bks_([1-9][0-9]{0,15})$/.exec(id);
  return m ? Number(m[1]) : undefined;
}

export function toV1BackupScheduleRequest(body: V2SaveBackupScheduleRequest): V1SaveBackupScheduleRequest {
  const common = {
    hour: body.hour,
    minute: 0,
    retention_count: body.retentionCount,
    enabled: body.enabled,
    ...(body.name === undefined ? {} : { notes: body.name }),
  };
  switch (body.frequency) {
    case "weekly":
      return { schedule_type: "weekly", day_of_week: body.dayOfWeek, ...common };
    case "monthly":
      return { schedule_type: "monthly", day_of_month: body.dayOfMonth, ...common };
    default:
      return { schedule_type: "daily", ...common };
  }
}

export function toV2SnapshotSchedule(s: V1SnapshotSchedule | null): V2SnapshotScheduleState["schedule"] {
  if (!s) return null;
  return { enabled: s.enabled, intervalHours: s.interval_hours, lastRun: s.last_run, nextRun: s.next_run };
}

export function backupSchedulesView(state: MockState, vm: MockVm): V2BackupSchedules {
  const settings = state.settings(vm);
  return {
    schedules: vm.schedule ? [toV2BackupSchedule(vm.schedule, state.lastRunStatus(vm))] : [],
    settings: {
      totalBackupLimit: settings.max_total_backups,
      manualBackupsActive: settings.manual_backups_active,
      scheduledBackupsActive: settings.scheduled_backups_active,
      availableScheduledSlots: settings.available_scheduled_slots,
      autoDeleteOldest: settings.auto_delete_oldest,
    },
    limits: state.limits(vm, settings),
    actions: { canCreate: state.canCreateBackupSchedule(vm) },
  };
}

export function snapshotStateView(state: MockState, vm: MockVm): V2SnapshotScheduleState {
  const gate = state.canEnableSnapshots(vm);
  const available = vm.snapshotCapacity > 0;
  return {
    schedule: toV2SnapshotSchedule(vm.snapshotSchedule),
    limits: { totalSnapshots: vm.snapshotCapacity },
    available,
    reason: available ? null : gate.reason,
    actions: { canEnable: gate },
  };
}

export function vpsSummary(vm: MockVm): V2VpsSummary {
  return { id: vm.vpsId, name: vm.name, billing: { isPayg: vm.isPayg } };
}

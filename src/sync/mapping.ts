/**
 * v1 <-> v2 mapping functions, following FIELD_MAP (./field-map.ts). Typed from the generated types.
 */
import type {
  V1BackupSchedule,
  V1BackupSchedulesData,
  V1BackupSettings,
  V1SaveBackupScheduleRequest,
  V1SaveSnapshotScheduleRequest,
  V1SnapshotSchedule,
  V2BackupSchedule,
  V2BackupSettings,
  V2SaveBackupScheduleRequest,
  V2SaveSnapshotScheduleRequest,
  V2SnapshotSchedule,
} from "../types.js";

/** A v1 schedule as GET lists it (with display fields) or as POST answers it (without). */
export type V1BackupScheduleInput = V1BackupSchedule | V1BackupSchedulesData["schedules"][number];

/** v2's schedule without what v1 cannot tell: the opaque `bks_` id and the last run's status. */
export type V2BackupScheduleFromV1 = Omit<V2BackupSchedule, "id" | "status">;

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** The day a schedule runs on: the weekday of a weekly one, the day of the month of a monthly one, else null. */
function scheduleDay(v1: V1BackupSchedule): number | null {
  const day =
    v1.schedule_type === "weekly" ? v1.day_of_week : v1.schedule_type === "monthly" ? v1.day_of_month : null;
  return day ?? null;
}

/** The fields v1's GET shows beside a stored schedule row. */
export type V1ScheduleDisplay = Pick<
  V1BackupSchedulesData["schedules"][number],
  "schedule_name" | "schedule_time" | "schedule_days"
>;

/** v1's display fields as GET derives them from the row: its notes or "Auto <type> backup schedule", "HH:MM", the day. */
export function v1ScheduleDisplay(v1: V1BackupSchedule): V1ScheduleDisplay {
  const day = scheduleDay(v1);
  return {
    schedule_name: v1.notes ?? `Auto ${v1.schedule_type} backup schedule`,
    schedule_time: `${pad(v1.hour)}:${pad(v1.minute)}`,
    schedule_days: day === null ? "" : String(day),
  };
}

/** The server's rule for a snapshot interval (v2 page): floored, then clamped to 4..24 hours. */
export function clampIntervalHours(hours: number): number {
  return Math.min(24, Math.max(4, Math.floor(hours)));
}

export function toV2BackupSchedule(v1: V1BackupScheduleInput): V2BackupScheduleFromV1 {
  const display = v1 as Partial<V1ScheduleDisplay>;
  const derived = v1ScheduleDisplay(v1);
  const day = scheduleDay(v1);
  return {
    name: display.schedule_name ?? derived.schedule_name,
    frequency: v1.schedule_type,
    time: display.schedule_time ?? derived.schedule_time,
    daySpecifier: day === null ? null : String(day),
    retentionCount: v1.retention_count,
    enabled: v1.enabled,
    lastRun: v1.last_run,
    nextRun: v1.next_run,
  };
}

export function toV2BackupSettings(v1: V1BackupSettings): V2BackupSettings {
  return {
    totalBackupLimit: v1.max_total_backups,
    manualBackupsActive: v1.manual_backups_active,
    scheduledBackupsActive: v1.scheduled_backups_active,
    availableScheduledSlots: v1.available_scheduled_slots,
    autoDeleteOldest: v1.auto_delete_oldest,
  };
}

export function toV2SnapshotSchedule(v1: V1SnapshotSchedule): V2SnapshotSchedule {
  return {
    enabled: v1.enabled,
    intervalHours: v1.interval_hours,
    lastRun: v1.last_run,
    nextRun: v1.next_run,
  };
}

export interface ToV1BackupScheduleOptions {
  /** v1 requires a minute that v2 cannot express; default 0 (v2 schedules run on the hour). */
  minute?: number;
}

export function toV1SaveBackupScheduleRequest(
  v2: V2SaveBackupScheduleRequest,
  options: ToV1BackupScheduleOptions = {},
): V1SaveBackupScheduleRequest {
  const common = {
    hour: v2.hour,
    minute: options.minute ?? 0,
    retention_count: v2.retentionCount,
    enabled: v2.enabled,
    ...(v2.name === undefined ? {} : { notes: v2.name }),
  };
  switch (v2.frequency) {
    case "weekly":
      return { schedule_type: "weekly", ...common, day_of_week: v2.dayOfWeek };
    case "monthly":
      return { schedule_type: "monthly", ...common, day_of_month: v2.dayOfMonth };
    default:
      return { schedule_type: "daily", ...common };
  }
}

export function toV1SaveSnapshotScheduleRequest(
  v2: V2SaveSnapshotScheduleRequest,
): V1SaveSnapshotScheduleRequest {
  return { enabled: v2.enabled, interval_hours: clampIntervalHours(v2.intervalHours) };
}

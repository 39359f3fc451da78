/**
 * The v1 <-> v2 field table: which v1 field each v2 field is served from (v2 backup schedules are read
 * from the legacy v1 data, see the 502 `upstream_vps_backup_schedule_shape_invalid`). Machine-readable:
 * the mapping functions in this folder follow it, and test/sync reads it against both bundled specs, so
 * a change to one version's spec that the other does not follow fails CI.
 *
 * Schema locations are JSON pointers into the bundled descriptions (dist/openapi/v1.json, v2.json).
 * A pair with both sides set must exist on both sides with the same JSON type (null aside) and, where
 * either side has an enum/const, the same set of values; `relation` names a documented difference.
 * A side set to `null` has no counterpart: `note` says what happens to it.
 */
import type { FieldGroup } from "./field-types.js";
import { LIFECYCLE_FIELDS } from "./lifecycle-fields.js";

export type { FieldGroup, FieldPair, FieldRelation } from "./field-types.js";

const V1 = "#/components/schemas";
const V2 = "#/components/schemas";

export const FIELD_MAP: readonly FieldGroup[] = [
  {
    fn: "toV2BackupSchedule",
    direction: "v1->v2",
    v1Schema: `${V1}/BackupSchedulesData/properties/schedules/items`,
    v2Schema: `${V2}/BackupSchedule`,
    fields: [
      { v1: "schedule_type", v2: "frequency", note: "same values: daily, weekly, monthly" },
      {
        v1: "schedule_name",
        v2: "name",
        note: "GET only in v1; falls back to `notes`, then `Auto <type> backup schedule`",
      },
      {
        v1: "schedule_time",
        v2: "time",
        note: "HH:MM; built from `hour` and `minute` when v1 omits it (POST answer)",
      },
      {
        v1: "schedule_days",
        v2: "daySpecifier",
        note: 'weekly: day_of_week, monthly: day_of_month; daily: v1 "" becomes null',
      },
      { v1: "retention_count", v2: "retentionCount", note: "copied" },
      { v1: "enabled", v2: "enabled", note: "copied" },
      { v1: "last_run", v2: "lastRun", note: "copied; null when it has never run" },
      { v1: "next_run", v2: "nextRun", note: "copied" },
      { v1: "hour", v2: null, note: "carried in v2 `time` (its HH part)" },
      { v1: "minute", v2: null, note: "carried only in v2 `time` (its MM part); v2 has no minute field" },
      { v1: "day_of_week", v2: null, note: "carried in v2 `daySpecifier` for weekly schedules" },
      { v1: "day_of_month", v2: null, note: "carried in v2 `daySpecifier` for monthly schedules" },
      { v1: "notes", v2: null, note: "becomes v2 `name` when v1 has no `schedule_name`" },
      { v1: "id", v2: null, note: "not mapped: v2 ids are opaque `bks_` ids that v1 never shows" },
      { v1: null, v2: "id", note: "not derivable from v1 (left out of the mapped object)" },
      { v1: null, v2: "status", note: "status of the last run; v1 has it only in `history[]` (left out)" },
    ],
  },
  {
    fn: "toV2BackupSettings",
    direction: "v1->v2",
    v1Schema: `${V1}/BackupSettings`,
    v2Schema: `${V2}/BackupSettings`,
    fields: [
      { v1: "max_total_backups", v2: "totalBackupLimit", note: "copied" },
      { v1: "manual_backups_active", v2: "manualBackupsActive", note: "copied" },
      { v1: "scheduled_backups_active", v2: "scheduledBackupsActive", note: "copied" },
      { v1: "available_scheduled_slots", v2: "availableScheduledSlots", note: "copied" },
      { v1: "auto_delete_oldest", v2: "autoDeleteOldest", note: "copied" },
    ],
  },
  {
    fn: "toV2SnapshotSchedule",
    direction: "v1->v2",
    v1Schema: `${V1}/SnapshotSchedule`,
    v2Schema: `${V2}/SnapshotSchedule`,
    fields: [
      { v1: "enabled", v2: "enabled", note: "copied" },
      {
        v1: "interval_hours",
        v2: "intervalHours",
        relation: "integer-number",
        note: "copied (v2 types it as a number)",
      },
      { v1: "last_run", v2: "lastRun", note: "copied" },
      { v1: "next_run", v2: "nextRun", note: "copied" },
      { v1: "retention_days", v2: null, note: "no v2 field (v2 snapshots are kept about 24 hours)" },
    ],
  },
  {
    fn: "(same shape)",
    direction: "v1->v2",
    v1Schema: `${V1}/SnapshotScheduleData/properties/limits`,
    v2Schema: `${V2}/SnapshotLimits`,
    fields: [{ v1: "totalSnapshots", v2: "totalSnapshots", note: "camelCase in both versions" }],
  },
  {
    fn: "toV1SaveBackupScheduleRequest",
    direction: "v2->v1",
    v1Schema: `${V1}/SaveBackupScheduleRequest`,
    v2Schema: `${V2}/SaveBackupScheduleRequest`,
    fields: [
      { v1: "schedule_type", v2: "frequency", note: "same values; selects the variant on both sides" },
      { v1: "hour", v2: "hour", note: "copied" },
      { v1: "day_of_week", v2: "dayOfWeek", note: "weekly only" },
      { v1: "day_of_month", v2: "dayOfMonth", note: "monthly only" },
      { v1: "retention_count", v2: "retentionCount", note: "copied" },
      { v1: "enabled", v2: "enabled", note: "copied" },
      { v1: "notes", v2: "name", note: "sent only when v2 `name` is set" },
      {
        v1: "minute",
        v2: null,
        note: "required by v1, absent in v2: `options.minute`, default 0 (v2 schedules run on the hour)",
      },
    ],
  },
  {
    fn: "toV1SaveSnapshotScheduleRequest",
    direction: "v2->v1",
    v1Schema: `${V1}/SaveSnapshotScheduleRequest`,
    v2Schema: `${V2}/SaveSnapshotScheduleRequest`,
    fields: [
      { v1: "enabled", v2: "enabled", note: "copied" },
      {
        v1: "interval_hours",
        v2: "intervalHours",
        relation: "integer-number",
        note: "floored and clamped to 4..24, as the v2 server does",
      },
    ],
  },
  {
    fn: "(settings PATCH)",
    direction: "v2->v1",
    v1Schema: `${V1}/BackupSettings`,
    v2Schema: `${V2}/UpdateBackupSettingsRequest`,
    fields: [
      {
        v1: "max_total_backups",
        v2: "maxTotalBackups",
        relation: "integer-number",
        note: "v1 has no settings endpoint; PATCH changes this v1 field (v2 types it as a number, whole only: multipleOf 1)",
      },
      { v1: "auto_delete_oldest", v2: "autoDeleteOldest", note: "as above" },
    ],
  },
  // backups (v1 list, v1 history, v2 list), the backup quota, and snapshots: ./lifecycle-fields.ts
  ...LIFECYCLE_FIELDS,
];

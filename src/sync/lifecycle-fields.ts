/**
 * The backup and snapshot rows of the v1 <-> v2 field table (FIELD_MAP in ./field-map.ts): one backup is seen in
 * three places (v1 `GET /api/vm/{vmid}/backups`, the `history` of v1 `GET /api/vm/{vmid}/backup-schedules`, and
 * v2 `GET /api/v2/vps/{id}/backups`), one snapshot in two (v1 and v2 `.../snapshots`). The pages differ on
 * purpose in places, and each difference is a `relation` here: v1's list gives a backup's `size` as an integer of
 * bytes, its history as a decimal string, v2 as `sizeGb`; v1's list says `scheduleId` and `backupType`, its
 * history `schedule_id` and `backup_type`; v1 times are Unix seconds (`ctime`, `snaptime`), v2's ISO 8601.
 * The functions that follow these rows are in ./backup-mapping.ts and ./snapshot-mapping.ts.
 */
import type { FieldGroup } from "./field-types.js";

const V1 = "#/components/schemas";
const V2 = "#/components/schemas";

/** The v1 backup fields that v2 does not show, the same in the list and the history. */
const v1OnlyBackupNote = "v1 only; v2 does not show it";

export const LIFECYCLE_FIELDS: readonly FieldGroup[] = [
  {
    fn: "toV2Backup",
    direction: "v1->v2",
    v1Schema: `${V1}/Backup`,
    v2Schema: `${V2}/Backup`,
    fields: [
      {
        v1: "volid",
        v2: "storageKey",
        note: "the volume part of volid: without `<storage>:` and a leading `backup/` (inferred from the v2 example `vzdump-qemu-101.vma.zst`)",
      },
      {
        v1: "ctime",
        v2: "createdAt",
        relation: "epoch-date-time",
        note: "Unix seconds as ISO 8601",
      },
      {
        v1: "size",
        v2: "sizeGb",
        relation: "bytes-gb",
        note: "bytes / 2^30, rounded to one decimal (inferred: the page's 214748366059 bytes is a 200 GiB disk; v2 shows e.g. 12.4)",
      },
      { v1: "backupType", v2: "backupType", note: "copied (same values: manual, scheduled)" },
      { v1: "notes", v2: "note", note: 'copied; v1 "" (no note) becomes null' },
      {
        v1: null,
        v2: "displayId",
        note: "built as `<createdAt> (<storageKey>)`, the page's example; just the storageKey when createdAt is null",
      },
      {
        v1: null,
        v2: "id",
        note: "not derivable from v1: an opaque `bkp_` id (left out of the mapped object)",
      },
      { v1: "content", v2: null, note: v1OnlyBackupNote },
      { v1: "files", v2: null, note: v1OnlyBackupNote },
      { v1: "format", v2: null, note: v1OnlyBackupNote },
      { v1: "protected", v2: null, note: v1OnlyBackupNote },
      { v1: "scheduleId", v2: null, note: "v2 tells only `backupType: scheduled`, not which schedule" },
      { v1: "scheduled", v2: null, note: "carried in v2 `backupType`" },
      { v1: "storage", v2: null, note: "the part of volid before the `:`, which storageKey leaves out" },
      { v1: "vmid", v2: null, note: "the VPS is the path's `{id}` in v2" },
    ],
  },
  {
    fn: "toV2BackupFromHistory",
    direction: "v1->v2",
    v1Schema: `${V1}/BackupHistoryEntry`,
    v2Schema: `${V2}/Backup`,
    fields: [
      { v1: "volid", v2: "storageKey", note: "as toV2Backup" },
      { v1: "created_at", v2: "createdAt", note: "copied (ISO 8601 in both)" },
      {
        v1: "size",
        v2: "sizeGb",
        relation: "bytes-gb",
        note: "the decimal string of bytes, as toV2Backup; null (size not known yet) becomes 0",
      },
      { v1: "backup_type", v2: "backupType", note: "copied (same values: manual, scheduled)" },
      { v1: "notes", v2: "note", note: 'copied; "" becomes null' },
      { v1: null, v2: "displayId", note: "built as in toV2Backup" },
      { v1: null, v2: "id", note: "not derivable: the history's integer `id` is not the opaque `bkp_` id" },
      {
        v1: "status",
        v2: null,
        note: "only `active` entries (and deleted_at null) are backups that exist: the others map to nothing (null)",
      },
      { v1: "deleted_at", v2: null, note: "see status" },
      { v1: "id", v2: null, note: "history row id; not the v2 id" },
      { v1: "client_id", v2: null, note: v1OnlyBackupNote },
      { v1: "account_id", v2: null, note: v1OnlyBackupNote },
      { v1: "vm_id", v2: null, note: "the VPS is the path's `{id}` in v2" },
      { v1: "schedule_id", v2: null, note: "v2 tells only `backupType: scheduled`" },
      {
        v1: "job_id",
        v2: null,
        note: "the job that made the backup; v2 shows it only while running (operation.jobId)",
      },
      { v1: "error_message", v2: null, note: v1OnlyBackupNote },
    ],
  },
  {
    fn: "toV1HistoryFields",
    direction: "v1<->v1",
    v1Schema: `${V1}/Backup`,
    v2Schema: `${V1}/BackupHistoryEntry`,
    fields: [
      { v1: "volid", v2: "volid", note: "the same backup: the key both views share" },
      { v1: "backupType", v2: "backup_type", note: "camelCase in the list, snake_case in the history" },
      { v1: "scheduleId", v2: "schedule_id", note: "camelCase in the list, snake_case in the history" },
      {
        v1: "size",
        v2: "size",
        relation: "integer-decimal-string",
        note: "an integer in the list, a decimal string in the history (`string to avoid integer overflow`)",
      },
      { v1: "notes", v2: "notes", note: "copied (nullable only in the history)" },
      {
        v1: "ctime",
        v2: "created_at",
        relation: "epoch-date-time",
        note: "Unix seconds in the list, ISO 8601 in the history",
      },
      { v1: "vmid", v2: "vm_id", note: "the same numeric string under two names" },
    ],
  },
  {
    fn: "toV2BackupQuota",
    direction: "v1->v2",
    v1Schema: `${V1}/BackupSettings`,
    v2Schema: `${V2}/BackupQuota`,
    fields: [
      {
        v1: "total_backups_active",
        v2: "used",
        note: "copied (inferred: the quota is the total of manual and scheduled backups, like totalBackupLimit)",
      },
      { v1: "max_total_backups", v2: "limit", note: "copied (inferred, as above)" },
      { v1: null, v2: "remaining", note: "limit - used, at least 0" },
    ],
  },
  {
    fn: "toV2Snapshot",
    direction: "v1->v2",
    v1Schema: `${V1}/Snapshot`,
    v2Schema: `${V2}/Snapshot`,
    fields: [
      {
        v1: "name",
        v2: "name",
        note: "copied; v1's pseudo-entry `current` is not a snapshot and is left out",
      },
      { v1: "name", v2: "displayId", note: "the name (the page's example shows displayId equal to name)" },
      { v1: "description", v2: "description", note: 'copied; "" becomes null' },
      {
        v1: "snaptime",
        v2: "createdAt",
        relation: "epoch-date-time",
        note: "Unix seconds as ISO 8601; null when v1 has no snaptime",
      },
      {
        v1: "snaptime",
        v2: "expiresAt",
        relation: "epoch-date-time",
        note: "snaptime + 24 hours (the pages: kept for about 24 hours; inferred); null when v1 has no snaptime",
      },
      {
        v1: "vmstate",
        v2: "includesMemoryState",
        relation: "integer-boolean",
        note: "1 is true; 0 or absent is false",
      },
      { v1: "parent", v2: "parentName", note: "copied; absent becomes null" },
      { v1: "digest", v2: null, note: "Proxmox's config digest; v1 only" },
      { v1: "running", v2: null, note: "only on `current`, which v2 does not list" },
    ],
  },
];

/**
 * One backup, three views: v1 `GET /api/vm/{vmid}/backups` (`Backup`), the `history` of v1
 * `GET /api/vm/{vmid}/backup-schedules` (`BackupHistoryEntry`), and v2 `GET /api/v2/vps/{id}/backups`
 * (`Backup`, with `quotaInfo`). These functions follow the rows of ./lifecycle-fields.ts; typed from the
 * generated types.
 */
import type { components as V1 } from "../generated/v1.js";
import type { components as V2 } from "../generated/v2.js";

type V1Backup = V1["schemas"]["Backup"];
type V1BackupHistoryEntry = V1["schemas"]["BackupHistoryEntry"];
type V1BackupSettings = V1["schemas"]["BackupSettings"];
type V2Backup = V2["schemas"]["Backup"];
type V2BackupQuota = V2["schemas"]["BackupQuota"];

/** v2's backup without what v1 cannot tell: the opaque `bkp_` id. */
export type V2BackupFromV1 = Omit<V2Backup, "id">;

/** The members of a history entry that the backups list also shows (under other names, see toV1HistoryFields). */
export type V1BackupHistoryFields = Pick<
  V1BackupHistoryEntry,
  "volid" | "backup_type" | "schedule_id" | "size" | "notes" | "created_at" | "vm_id"
>;

const BYTES_PER_GB = 2 ** 30;

/**
 * Bytes as v2's `sizeGb`: GiB with one decimal (inferred from the pages: 214748366059 bytes is a 200 GiB disk, and
 * v2 shows sizes like `12.4`). v1's history gives bytes as a decimal string, `null` while unknown (0 here).
 */
export function toSizeGb(bytes: number | string | null): number {
  if (bytes === null) return 0;
  return Math.round((Number(bytes) / BYTES_PER_GB) * 10) / 10;
}

/**
 * v2's `storageKey`: the volume part of a v1 `volid`, without `<storage>:` and a leading `backup/` (inferred from
 * the v2 example `vzdump-qemu-101.vma.zst`, a dump file's name, whose volid is `<storage>:backup/vzdump-...`).
 */
export function toStorageKey(volid: string): string {
  return volid.slice(volid.indexOf(":") + 1).replace(/^backup\//, "");
}

/** Unix seconds (v1 `ctime`, `snaptime`) as ISO 8601. */
export function fromUnixSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

function displayId(createdAt: string | null, storageKey: string): string {
  return createdAt === null ? storageKey : `${createdAt} (${storageKey})`;
}

function toNote(notes: string | null): string | null {
  return notes === null || notes === "" ? null : notes;
}

/** A v1 backups-list item as v2 lists it (without the `bkp_` id, which v1 cannot tell). */
export function toV2Backup(v1: V1Backup): V2BackupFromV1 {
  const storageKey = toStorageKey(v1.volid);
  const createdAt = fromUnixSeconds(v1.ctime);
  return {
    displayId: displayId(createdAt, storageKey),
    storageKey,
    createdAt,
    sizeGb: toSizeGb(v1.size),
    backupType: v1.backupType,
    note: toNote(v1.notes),
  };
}

/**
 * A v1 history entry as v2 lists it, or `null` when the entry is not a backup that exists now (`status` other than
 * `active`, or `deleted_at` set): v2 lists only those.
 */
export function toV2BackupFromHistory(entry: V1BackupHistoryEntry): V2BackupFromV1 | null {
  if (entry.status !== "active" || entry.deleted_at !== null) return null;
  const storageKey = toStorageKey(entry.volid);
  return {
    displayId: displayId(entry.created_at, storageKey),
    storageKey,
    createdAt: entry.created_at,
    sizeGb: toSizeGb(entry.size),
    backupType: entry.backup_type,
    note: toNote(entry.notes),
  };
}

/** What the backup-schedules history says about a backup of the backups list: the same facts, other names and types. */
export function toV1HistoryFields(v1: V1Backup): V1BackupHistoryFields {
  return {
    volid: v1.volid,
    backup_type: v1.backupType,
    schedule_id: v1.scheduleId,
    size: String(v1.size),
    notes: v1.notes,
    created_at: fromUnixSeconds(v1.ctime),
    vm_id: v1.vmid,
  };
}

/** v2's `quotaInfo` from v1's backup settings (inferred: the quota counts manual and scheduled backups together). */
export function toV2BackupQuota(settings: V1BackupSettings): V2BackupQuota {
  const used = settings.total_backups_active;
  const limit = settings.max_total_backups;
  return { used, limit, remaining: Math.max(0, limit - used) };
}

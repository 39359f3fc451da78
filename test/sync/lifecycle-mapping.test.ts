// Unit tests of the backup and snapshot mapping functions (src/sync/backup-mapping.ts, snapshot-mapping.ts), one per
// row kind of the lifecycle field table, on the spec's own v1 examples; and the v2 answers built from them checked
// strictly against the v2 spec, as the mock will serve them.
import { describe, expect, it } from "vitest";
import { type JsonObject, loadSpec } from "../../src/contract/spec.js";
import { validateExchange } from "../../src/contract/validate.js";
import type { components as V1 } from "../../src/generated/v1.js";
import {
  toV1HistoryFields,
  toV2Backup,
  toV2BackupFromHistory,
  toV2BackupQuota,
  toV2Snapshot,
  toV2Snapshots,
} from "../../src/sync/index.js";

type V1Backup = V1["schemas"]["Backup"];
type V1BackupHistoryEntry = V1["schemas"]["BackupHistoryEntry"];
type V1Snapshot = V1["schemas"]["Snapshot"];
type V1BackupSettings = V1["schemas"]["BackupSettings"];

const v1 = loadSpec("v1");
const v2 = loadSpec("v2");

/** The named example of an operation's 200 answer in the v1 bundle. */
function v1Example(path: string, method: string, name: string): JsonObject {
  const content = v1.doc.paths[path]?.[method]?.responses?.["200"]?.content?.["application/json"];
  const value = content?.examples?.[name]?.value;
  if (!value) throw new Error(`no example ${name} of ${method} ${path}`);
  return value;
}

const backups = v1Example("/api/vm/{vmid}/backups", "get", "manualAndScheduled").data as V1Backup[];
const [manual, scheduled] = backups as [V1Backup, V1Backup];
const snapshots = v1Example("/api/vm/{vmid}/snapshots", "get", "twoSnapshots").data as V1Snapshot[];
const settings = v1Example("/api/vm/{vmid}/backup-schedules", "get", "weekly").data
  .settings as V1BackupSettings;

/** The history entry of a listed backup, as the backup-schedules answer would show it while it exists. */
function historyEntryOf(item: V1Backup, id: number): V1BackupHistoryEntry {
  return {
    id,
    client_id: "30000",
    account_id: "20000",
    status: "active",
    deleted_at: null,
    job_id: `backup-${item.vmid}-${item.ctime * 1000}`,
    error_message: null,
    ...toV1HistoryFields(item),
  };
}

describe("backups: v1 list -> v2", () => {
  it("the page's manual backup: storage key, ISO time, GiB to one decimal, note", () => {
    expect(toV2Backup(manual)).toEqual({
      displayId: "2026-01-30T00:46:49.000Z (vm/10877/2026-02-10T00:00:00.000Z)",
      storageKey: "vm/10877/2026-02-10T00:00:00.000Z",
      createdAt: "2026-01-30T00:46:49.000Z",
      sizeGb: 200,
      backupType: "manual",
      note: "Example note",
    });
  });

  it("a dump file on a directory storage keeps only its file name; an empty note is null", () => {
    const dump = { ...manual, volid: "local:backup/vzdump-qemu-101.vma.zst", size: 13314398618, notes: "" };
    expect(toV2Backup(dump)).toMatchObject({
      storageKey: "vzdump-qemu-101.vma.zst",
      displayId: "2026-01-30T00:46:49.000Z (vzdump-qemu-101.vma.zst)",
      sizeGb: 12.4,
      note: null,
    });
  });
});

describe("backups: the v1 history is the same backup under other names", () => {
  it("toV1HistoryFields: snake_case names, size as a decimal string, ctime as ISO 8601", () => {
    expect(toV1HistoryFields(scheduled)).toEqual({
      volid: "pbs-offsite-10g:backup/vm/10000/2026-02-09T02:00:00.000Z",
      backup_type: "scheduled",
      schedule_id: 2075,
      size: "214748366060",
      notes: "Auto weekly backup schedule",
      created_at: "2026-02-09T02:00:00.000Z",
      vm_id: "10000",
    });
  });

  it("a listed backup and its history entry map to the same v2 backup", () => {
    for (const [index, item] of backups.entries()) {
      expect(toV2BackupFromHistory(historyEntryOf(item, 136000 + index))).toEqual(toV2Backup(item));
    }
  });

  it("only an active, undeleted entry is a backup v2 lists; an unknown size is 0", () => {
    const entry = historyEntryOf(manual, 1);
    expect(toV2BackupFromHistory({ ...entry, status: "pending", size: null })).toBeNull();
    expect(
      toV2BackupFromHistory({ ...entry, status: "deleted", deleted_at: "2026-02-11T00:00:00.000Z" }),
    ).toBeNull();
    expect(toV2BackupFromHistory({ ...entry, deleted_at: "2026-02-11T00:00:00.000Z" })).toBeNull();
    expect(toV2BackupFromHistory({ ...entry, status: "failed" })).toBeNull();
    expect(toV2BackupFromHistory({ ...entry, size: null })?.sizeGb).toBe(0);
  });
});

describe("backup quota", () => {
  it("used and limit from the settings' totals; remaining never below 0", () => {
    expect(toV2BackupQuota(settings)).toEqual({ used: 7, limit: 7, remaining: 0 });
    expect(toV2BackupQuota({ ...settings, total_backups_active: 2 })).toEqual({
      used: 2,
      limit: 7,
      remaining: 5,
    });
    expect(toV2BackupQuota({ ...settings, max_total_backups: 1 }).remaining).toBe(0);
  });
});

describe("snapshots: v1 -> v2", () => {
  it("drops the pseudo-entry current; times, 24-hour expiry, memory state, parent", () => {
    expect(toV2Snapshots(snapshots)).toEqual([
      {
        displayId: "before-update",
        name: "before-update",
        description: "Before the kernel update",
        createdAt: "2026-01-14T16:29:26.000Z",
        expiresAt: "2026-01-15T16:29:26.000Z",
        includesMemoryState: false,
        parentName: null,
      },
      {
        displayId: "full-prox-konfig",
        name: "full-prox-konfig",
        description: null,
        createdAt: "2026-01-25T21:36:40.000Z",
        expiresAt: "2026-01-26T21:36:40.000Z",
        includesMemoryState: true,
        parentName: "before-update",
      },
    ]);
  });

  it("a snapshot without snaptime has no times (null), not the epoch", () => {
    expect(toV2Snapshot({ name: "odd", description: "x" })).toMatchObject({
      createdAt: null,
      expiresAt: null,
      includesMemoryState: false,
      parentName: null,
    });
  });
});

describe("the v2 answers built from v1 data hold strictly to the v2 spec", () => {
  const url = "https://cloud.hostup.se/api/v2/vps/vps_01hxa3b4c5d6e7f8g9h0j1k2m3";
  const gate = { allowed: true, reason: null };

  it("GET /api/v2/vps/{id}/backups", () => {
    const body = {
      backups: backups.map((item, i) => ({ id: `bkp_0${i}`, ...toV2Backup(item) })),
      quotaInfo: toV2BackupQuota(settings),
      actions: { canCreateBackup: gate, canRestore: gate },
    };
    const exchange = { method: "GET", url: `${url}/backups`, status: 200, contentType: "application/json" };
    expect(validateExchange(v2, { ...exchange, responseBody: body })).toEqual([]);
    // and the check is strict: a v1-only field carried over by mistake is found
    const leaked = { ...body, backups: [{ ...body.backups[0], volid: manual.volid }] };
    expect(validateExchange(v2, { ...exchange, responseBody: leaked })).not.toEqual([]);
  });

  it("GET /api/v2/vps/{id}/snapshots", () => {
    const body = {
      data: toV2Snapshots(snapshots),
      limits: { totalSnapshots: 3 },
      available: true,
      actions: { canCreate: gate, canRestore: gate },
    };
    const exchange = { method: "GET", url: `${url}/snapshots`, status: 200, contentType: "application/json" };
    expect(validateExchange(v2, { ...exchange, responseBody: body })).toEqual([]);
  });

  it("the v1 examples the mapping reads are themselves valid v1 answers", () => {
    const exchange = { method: "GET", status: 200, contentType: "application/json" };
    const base = "https://cloud.hostup.se/api/vm/10000";
    for (const [path, name] of [
      ["/backups", "manualAndScheduled"],
      ["/snapshots", "twoSnapshots"],
    ] as const) {
      const responseBody = v1Example(`/api/vm/{vmid}${path}`, "get", name);
      expect(validateExchange(v1, { ...exchange, url: `${base}${path}`, responseBody })).toEqual([]);
    }
  });
});

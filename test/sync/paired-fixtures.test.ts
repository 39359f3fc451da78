// Fixture level: paired scenarios (the v1 and the v2 read of one VM, recorded together) agree after
// mapping the v1 answer with src/sync. The v2 halves were written independently of the mapping code.
// The lifecycle pairs (backups: v1 list, v1 history, v2 list; snapshots: v1 list, v2 list) are read as built, before
// the normaliser renumbers their ISO timestamps (it leaves v1's Unix seconds alone); planted mutations of each half
// prove that the comparison catches a disagreement.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pairedLifecycleScenarios } from "../../scripts/fixture-assembled.js";
import { EXAMPLES_DIR } from "../../scripts/fixture-corpus.js";
import { type Har, readHar, toExchange } from "../../src/contract/har.js";
import { loadSpecs } from "../../src/contract/spec.js";
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
import type {
  V1Backup,
  V1BackupSchedulesData,
  V1Snapshot,
  V1SnapshotScheduleData,
  V2BackupList,
  V2BackupSchedules,
  V2SnapshotList,
  V2SnapshotScheduleState,
} from "../../src/types.js";

function pair<A, B>(scenario: string): { v1: A; v2: B } {
  const entries = readHar(join(EXAMPLES_DIR, scenario, "recording.har")).log.entries.map(toExchange);
  const v1 = entries.find((e) => !e.url.includes("/api/v2/"));
  const v2 = entries.find((e) => e.url.includes("/api/v2/"));
  if (!v1 || !v2) throw new Error(`${scenario} needs one v1 and one v2 entry`);
  return { v1: (v1.responseBody as { data: A }).data, v2: v2.responseBody as B };
}

describe("paired v1/v2 fixtures agree after mapping", () => {
  it("v1-v2-paired-backup-schedules: schedules and settings", () => {
    const { v1, v2 } = pair<V1BackupSchedulesData, V2BackupSchedules>("v1-v2-paired-backup-schedules");
    expect(v1.schedules.length).toBeGreaterThan(0);
    expect(v1.schedules.map(toV2BackupSchedule)).toEqual(
      v2.schedules.map(({ id: _id, status: _s, ...rest }) => rest),
    );
    expect(toV2BackupSettings(v1.settings)).toEqual(v2.settings);
  });

  it("v1-v2-paired-snapshot-schedules: schedule and limits", () => {
    const { v1, v2 } = pair<V1SnapshotScheduleData, V2SnapshotScheduleState>(
      "v1-v2-paired-snapshot-schedules",
    );
    expect(v1.schedule).not.toBeNull();
    expect(v1.schedule ? toV2SnapshotSchedule(v1.schedule) : null).toEqual(v2.schedule);
    expect(v1.limits).toEqual(v2.limits);
  });
});

// --- the lifecycle pairs ---

const bodies = (har: Har) => har.log.entries.map((e) => toExchange(e).responseBody);

interface BackupsPair {
  list: V1Backup[];
  schedules: V1BackupSchedulesData;
  v2: V2BackupList;
}

function backupsPair(har: Har): BackupsPair {
  const [list, schedules, v2] = bodies(har) as [
    { data: V1Backup[] },
    { data: V1BackupSchedulesData },
    V2BackupList,
  ];
  return { list: list.data, schedules: schedules.data, v2 };
}

/** What disagrees between the three views of the paired backups (empty: they agree). */
function backupDisagreements({ list, schedules, v2 }: BackupsPair): string[] {
  const out: string[] = [];
  const v2WithoutIds = v2.backups.map(({ id: _id, ...rest }) => rest);
  const fromList = [...list.map(toV2Backup)].sort((a, b) => a.storageKey.localeCompare(b.storageKey));
  const fromHistory = schedules.history
    .map(toV2BackupFromHistory)
    .filter((b) => b !== null)
    .sort((a, b) => a.storageKey.localeCompare(b.storageKey));
  const sorted = [...v2WithoutIds].sort((a, b) => a.storageKey.localeCompare(b.storageKey));
  if (JSON.stringify(fromList) !== JSON.stringify(sorted)) out.push("v1 list -> v2 list");
  if (JSON.stringify(fromHistory) !== JSON.stringify(sorted)) out.push("v1 history -> v2 list");
  for (const backup of list) {
    const fields = toV1HistoryFields(backup);
    const entry = schedules.history.find((h) => h.volid === backup.volid && h.status === "active");
    const picked =
      entry && Object.fromEntries(Object.keys(fields).map((k) => [k, entry[k as keyof typeof entry]]));
    if (JSON.stringify(picked) !== JSON.stringify(fields))
      out.push(`v1 list -> v1 history (${backup.volid})`);
  }
  if (JSON.stringify(toV2BackupQuota(schedules.settings)) !== JSON.stringify(v2.quotaInfo))
    out.push("v1 settings -> v2 quotaInfo");
  return out;
}

function snapshotDisagreements(har: Har): string[] {
  const [v1, v2] = bodies(har) as [{ data: V1Snapshot[] }, V2SnapshotList];
  return JSON.stringify(toV2Snapshots(v1.data)) === JSON.stringify(v2.data) ? [] : ["v1 list -> v2 list"];
}

describe("paired v1/v2 lifecycle fixtures agree after mapping", () => {
  const specs = loadSpecs();
  const built = (name: string): Har => {
    const [v1, v2] = specs;
    const found = v1 && v2 && pairedLifecycleScenarios(v1, v2).find((b) => b.name === name);
    if (!found) throw new Error(`no paired scenario ${name}`);
    return structuredClone(found.har);
  };

  it.each(["v1-v2-paired-backups", "v1-v2-paired-snapshots"])("%s is in the corpus", (name) => {
    expect(existsSync(join(EXAMPLES_DIR, name, "recording.har"))).toBe(true);
  });

  it("v1-v2-paired-backups: the v1 list, the v1 history and the v2 list tell the same backups and quota", () => {
    const pair = backupsPair(built("v1-v2-paired-backups"));
    expect(pair.list.length).toBe(2);
    expect(pair.schedules.history.some((h) => h.status === "deleted")).toBe(true);
    expect(backupDisagreements(pair)).toEqual([]);
  });

  it("v1-v2-paired-snapshots: v1's list without `current` is v2's", () => {
    expect(snapshotDisagreements(built("v1-v2-paired-snapshots"))).toEqual([]);
  });

  // each plant changes one fact in one half; the check must name the view that no longer agrees
  type Row = Record<string, unknown>;
  const row = (value: unknown) => value as Row;
  const plants: [string, (p: BackupsPair) => void, string][] = [
    ["a v2 size", (p) => Object.assign(row(p.v2.backups[0]), { sizeGb: 12.4 }), "v1 list -> v2 list"],
    [
      "a v2 backup type",
      (p) => Object.assign(row(p.v2.backups[1]), { backupType: "manual" }),
      "v1 list -> v2 list",
    ],
    [
      "a history size",
      (p) => Object.assign(row(p.schedules.history[0]), { size: "1" }),
      "v1 history -> v2 list",
    ],
    [
      "a history schedule_id",
      (p) => Object.assign(row(p.schedules.history[0]), { schedule_id: null }),
      "v1 list -> v1 history",
    ],
    [
      "the deleted entry made active",
      (p) => Object.assign(row(p.schedules.history[2]), { status: "active", deleted_at: null }),
      "v1 history -> v2 list",
    ],
    [
      "a v1 list ctime",
      (p) => Object.assign(row(p.list[0]), { ctime: (p.list[0]?.ctime ?? 0) + 1 }),
      "v1 list -> v2 list",
    ],
    ["the quota", (p) => Object.assign(row(p.v2.quotaInfo), { used: 3 }), "v1 settings -> v2 quotaInfo"],
  ];
  it.each(plants)("a planted change (%s) is caught", (_name, plant, view) => {
    const pair = backupsPair(built("v1-v2-paired-backups"));
    plant(pair);
    expect(backupDisagreements(pair).some((d) => d.startsWith(view))).toBe(true);
  });

  it("a planted snapshot change (v1 vmstate, v2 expiresAt) is caught", () => {
    const har = built("v1-v2-paired-snapshots");
    const text = har.log.entries[1]?.response.content.text ?? "";
    const body = JSON.parse(text) as V2SnapshotList;
    (body.data[0] as { expiresAt: string | null }).expiresAt = "2026-01-16T16:29:26.000Z";
    const entry = har.log.entries[1];
    if (entry) entry.response.content.text = JSON.stringify(body);
    expect(snapshotDisagreements(har)).toEqual(["v1 list -> v2 list"]);
  });
});

// Fixture level: paired scenarios (the v1 and the v2 read of one VM, recorded together) agree after
// mapping the v1 answer with src/sync. The v2 halves were written independently of the mapping code.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXAMPLES_DIR } from "../../scripts/fixture-corpus.js";
import { readHar, toExchange } from "../../src/contract/har.js";
import { toV2BackupSchedule, toV2BackupSettings, toV2SnapshotSchedule } from "../../src/sync/index.js";
import type {
  V1BackupSchedulesData,
  V1SnapshotScheduleData,
  V2BackupSchedules,
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

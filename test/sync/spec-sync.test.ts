// Spec level: the v1 <-> v2 field table against both bundled descriptions. A change to one version's
// spec that the other does not follow (a renamed field, a changed type, an enum value added on one side)
// fails here. Planted mutations of spec copies prove that each kind is caught.
import { describe, expect, it } from "vitest";
import { type JsonObject, loadSpec, type OpenApiDoc } from "../../src/contract/spec.js";
import { FIELD_MAP } from "../../src/sync/field-map.js";
import { checkFieldMap, formatSyncProblems } from "./spec-sync.js";

const v1 = loadSpec("v1").doc;
const v2 = loadSpec("v2").doc;
const schemas = (doc: OpenApiDoc): JsonObject => doc.components?.schemas ?? {};

describe("v1 <-> v2 field table agrees with both specs", () => {
  it("every mapped field exists on both sides with the same type and enum", () => {
    const problems = checkFieldMap(v1, v2);
    if (problems.length > 0) expect.fail(`\n${formatSyncProblems(problems)}`);
  });

  it("covers every property of the v2 schedule, settings and snapshot schedule", () => {
    for (const [fn, schema] of [
      ["toV2BackupSchedule", "BackupSchedule"],
      ["toV2BackupSettings", "BackupSettings"],
      ["toV2SnapshotSchedule", "SnapshotSchedule"],
    ] as const) {
      const group = FIELD_MAP.find((g) => g.fn === fn);
      const declared = Object.keys(v2.components?.schemas?.[schema]?.properties ?? {}).sort();
      const mapped = (group?.fields ?? []).flatMap((f) => (f.v2 ? [f.v2] : [])).sort();
      expect(mapped, `${fn}: every v2 ${schema} property is in the table`).toEqual(declared);
    }
  });

  const plants: [string, (d1: typeof v1, d2: typeof v2) => void, RegExp][] = [
    [
      "a mapped field renamed in v2",
      (_d1, d2) => {
        const props = schemas(d2).BackupSchedule.properties;
        props.retention = props.retentionCount;
        delete props.retentionCount;
      },
      /retention_count <-> retentionCount: v2 has no property "retentionCount"/,
    ],
    [
      "a type changed in v1",
      (d1) => {
        schemas(d1).BackupSettings.properties.auto_delete_oldest = { type: "string" };
      },
      /auto_delete_oldest <-> autoDeleteOldest: types differ: v1 \["string"\], v2 \["boolean"\]/,
    ],
    [
      "an enum value added on one side",
      (_d1, d2) => {
        schemas(d2).BackupSchedule.properties.frequency.enum.push("hourly");
      },
      /schedule_type <-> frequency: enums differ: v1 \["daily", "monthly", "weekly"\], v2 \["daily", "hourly", "monthly", "weekly"\]/,
    ],
    [
      "a request variant's const changed in v1",
      (d1) => {
        schemas(d1).WeeklyBackupScheduleRequest.properties.schedule_type.const = "week";
      },
      /toV1SaveBackupScheduleRequest[\s\S]*enums differ/,
    ],
  ];

  it.each(plants)("catches %s (planted in a copy of the spec)", (_name, plant, message) => {
    const c1 = structuredClone(v1);
    const c2 = structuredClone(v2);
    plant(c1, c2);
    const report = formatSyncProblems(checkFieldMap(c1, c2));
    expect(report).toMatch(message);
  });
});

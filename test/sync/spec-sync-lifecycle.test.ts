// Spec level, backups and snapshots: the lifecycle rows of the field table (src/sync/lifecycle-fields.ts) against
// both bundled descriptions. One backup is seen in three places (v1 list, v1 backup-schedules history, v2 list),
// one snapshot in two; the pages' own differences (size an integer in the v1 list and a decimal string in the
// history, scheduleId vs schedule_id, Unix seconds vs ISO 8601) are relations the checker holds the specs to.
// Planted mutations of spec copies prove that each kind of drift is caught.
import { describe, expect, it } from "vitest";
import { type JsonObject, loadSpec, type OpenApiDoc } from "../../src/contract/spec.js";
import { LIFECYCLE_FIELDS } from "../../src/sync/lifecycle-fields.js";
import { checkFieldMap, formatSyncProblems } from "./spec-sync.js";

const v1 = loadSpec("v1").doc;
const v2 = loadSpec("v2").doc;
const schemas = (doc: OpenApiDoc): JsonObject => doc.components?.schemas ?? {};
const group = (fn: string) => {
  const found = LIFECYCLE_FIELDS.find((g) => g.fn === fn);
  if (!found) throw new Error(`no field group ${fn}`);
  return found;
};
const propertiesOf = (doc: OpenApiDoc, name: string) =>
  Object.keys(schemas(doc)[name]?.properties ?? {}).sort();

describe("the lifecycle rows of the field table agree with both specs", () => {
  it("every mapped field exists on its side with the type, relation and enum the table says", () => {
    const problems = checkFieldMap(v1, v2, LIFECYCLE_FIELDS);
    if (problems.length > 0) expect.fail(`\n${formatSyncProblems(problems)}`);
  });

  it.each([
    ["toV2Backup", "Backup", "Backup"],
    ["toV2BackupFromHistory", "BackupHistoryEntry", "Backup"],
    ["toV2Snapshot", "Snapshot", "Snapshot"],
    ["toV2BackupQuota", null, "BackupQuota"],
  ] as const)("%s names every property of v1 %s and of v2 %s", (fn, v1Schema, v2Schema) => {
    const fields = group(fn).fields;
    const mapped2 = [...new Set(fields.flatMap((f) => (f.v2 ? [f.v2] : [])))].sort();
    expect(mapped2, `every v2 ${v2Schema} property is in the table`).toEqual(propertiesOf(v2, v2Schema));
    if (v1Schema) {
      const mapped1 = [...new Set(fields.flatMap((f) => (f.v1 ? [f.v1] : [])))].sort();
      expect(mapped1, `every v1 ${v1Schema} property is in the table`).toEqual(propertiesOf(v1, v1Schema));
    }
  });

  it("pairs the two v1 views of a backup on every field they share, under their two names", () => {
    const pairs = group("toV1HistoryFields").fields.map((f) => `${f.v1} ${f.v2} ${f.relation ?? "same"}`);
    expect(pairs).toEqual([
      "volid volid same",
      "backupType backup_type same",
      "scheduleId schedule_id same",
      "size size integer-decimal-string",
      "notes notes same",
      "ctime created_at epoch-date-time",
      "vmid vm_id same",
    ]);
  });

  const plants: [string, (d1: OpenApiDoc, d2: OpenApiDoc) => void, RegExp][] = [
    [
      "the v1 list's size turned into the history's decimal string",
      (d1) => {
        schemas(d1).Backup.properties.size = { type: "string", pattern: "^[0-9]+$" };
      },
      /toV1HistoryFields[^\n]*\n {2}size <-> size: types differ: v1 \["string"\], v2 \["string"\] \(table says integer-decimal-string\)/,
    ],
    [
      "the history's schedule_id renamed to the list's scheduleId",
      (d1) => {
        const props = schemas(d1).BackupHistoryEntry.properties;
        props.scheduleId = props.schedule_id;
        delete props.schedule_id;
      },
      /scheduleId <-> schedule_id: v1 \(second view\) has no property "schedule_id"/,
    ],
    [
      "the history's size losing its digits-only pattern",
      (d1) => {
        delete schemas(d1).BackupHistoryEntry.properties.size.pattern;
      },
      /size <-> size: the table says integer-decimal-string, but the second side has no digits-only/,
    ],
    [
      "a backupType value added in v2 only",
      (_d1, d2) => {
        schemas(d2).Backup.properties.backupType.enum.push("restored");
      },
      /backupType <-> backupType: enums differ: v1 \["manual", "scheduled"\], v2 \["manual", "restored", "scheduled"\]/,
    ],
    [
      "v2 createdAt no longer a date-time",
      (_d1, d2) => {
        delete schemas(d2).Backup.properties.createdAt.format;
      },
      /toV2Backup [^\n]*\n {2}ctime <-> createdAt: the table says epoch-date-time, but the second side has no `format: date-time`/,
    ],
    [
      "v1 vmstate made a boolean",
      (d1) => {
        schemas(d1).Snapshot.properties.vmstate = { type: "boolean" };
      },
      /vmstate <-> includesMemoryState: types differ: v1 \["boolean"\], v2 \["boolean"\] \(table says integer-boolean\)/,
    ],
    [
      "v2 sizeGb made a string",
      (_d1, d2) => {
        schemas(d2).Backup.properties.sizeGb = { type: "string" };
      },
      /size <-> sizeGb: types differ: v1 \["integer"\], v2 \["string"\] \(table says bytes-gb\)/,
    ],
    [
      "v2 parentName renamed",
      (_d1, d2) => {
        const props = schemas(d2).Snapshot.properties;
        props.parent = props.parentName;
        delete props.parentName;
      },
      /parent <-> parentName: v2 has no property "parentName"/,
    ],
  ];

  it.each(plants)("catches %s (planted in a copy of the spec)", (_name, plant, message) => {
    const c1 = structuredClone(v1);
    const c2 = structuredClone(v2);
    plant(c1, c2);
    const report = formatSyncProblems(checkFieldMap(c1, c2, LIFECYCLE_FIELDS));
    expect(report).toMatch(message);
  });
});

/**
 * The generated method signatures (src/generated/operations-v{1,2}.ts) are the public API the hand-written
 * clients promise today, method for method: a client built from the table keeps every type users depend on.
 */
import { describe, expectTypeOf, it } from "vitest";
import type { V1Methods } from "../../src/generated/operations-v1.js";
import type { V2Methods } from "../../src/generated/operations-v2.js";
import type { V1Client, V2Client } from "../../src/index.js";

describe("generated method signatures", () => {
  it("v1: backupSchedules, snapshotSchedule and jobs.get", () => {
    expectTypeOf<V1Methods["backupSchedules"]>().toEqualTypeOf<V1Client["backupSchedules"]>();
    expectTypeOf<V1Methods["snapshotSchedule"]>().toEqualTypeOf<V1Client["snapshotSchedule"]>();
    expectTypeOf<V1Methods["jobs"]>().toEqualTypeOf<Pick<V1Client["jobs"], "get">>();
    // backups and snapshots are generated from the spec; the hand-written client has no wrapper for them
    expectTypeOf<keyof V1Methods>().toEqualTypeOf<
      "backupSchedules" | "snapshotSchedule" | "jobs" | "backups" | "snapshots"
    >();
  });

  it("v2: vps.list, backupSchedules and snapshotSchedule", () => {
    expectTypeOf<V2Methods["vps"]>().toEqualTypeOf<Pick<V2Client["vps"], "list">>();
    expectTypeOf<V2Methods["backupSchedules"]>().toEqualTypeOf<V2Client["backupSchedules"]>();
    expectTypeOf<V2Methods["snapshotSchedule"]>().toEqualTypeOf<V2Client["snapshotSchedule"]>();
    expectTypeOf<keyof V2Methods>().toEqualTypeOf<
      "vps" | "backupSchedules" | "snapshotSchedule" | "backups" | "snapshots"
    >();
  });

  it("a wrong argument does not compile", () => {
    const v2 = {} as V2Methods;
    // @ts-expect-error vpsId is a string
    void (() => v2.backupSchedules.get(42));
    const weekly = { frequency: "weekly", hour: 1, retentionCount: 1, enabled: true } as const;
    // @ts-expect-error weekly needs dayOfWeek
    void (() => v2.backupSchedules.save("vps_1", weekly));
    const v1 = {} as V1Methods;
    // @ts-expect-error vmid is a number
    void (() => v1.backupSchedules.get("10000"));
  });
});

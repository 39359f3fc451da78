/**
 * The rules modelled in the specs reach the generated types: these bodies must (or must not) compile.
 * Each `@ts-expect-error` is an assertion: vitest's typecheck fails if the line compiles.
 */
import { describe, expectTypeOf, it } from "vitest";
import type { components as V1 } from "../../src/generated/v1.js";
import type { components as V2 } from "../../src/generated/v2.js";

type V2Save = V2["schemas"]["SaveBackupScheduleRequest"];
type V2Settings = V2["schemas"]["UpdateBackupSettingsRequest"];
type V2Snapshot = V2["schemas"]["SaveSnapshotScheduleRequest"];
type V1Save = V1["schemas"]["SaveBackupScheduleRequest"];

describe("v2 request bodies", () => {
  it("accept the three documented frequencies", () => {
    expectTypeOf({
      frequency: "daily",
      hour: 2,
      retentionCount: 3,
      enabled: true,
    } as const).toExtend<V2Save>();
    expectTypeOf({
      frequency: "weekly",
      hour: 3,
      dayOfWeek: 1,
      retentionCount: 4,
      enabled: true,
    } as const).toExtend<V2Save>();
    expectTypeOf({
      frequency: "monthly",
      hour: 4,
      dayOfMonth: 15,
      retentionCount: 6,
      enabled: true,
    } as const).toExtend<V2Save>();
  });

  it("reject the day field a frequency forbids or lacks", () => {
    // @ts-expect-error weekly needs dayOfWeek
    const weeklyWithoutDay: V2Save = { frequency: "weekly", hour: 3, retentionCount: 4, enabled: true };
    // @ts-expect-error weekly forbids dayOfMonth
    const weeklyWithMonthDay: V2Save = {
      frequency: "weekly",
      hour: 3,
      dayOfWeek: 1,
      dayOfMonth: 15,
      retentionCount: 4,
      enabled: true,
    };
    // @ts-expect-error monthly forbids dayOfWeek
    const monthlyWithWeekDay: V2Save = {
      frequency: "monthly",
      hour: 4,
      dayOfMonth: 15,
      dayOfWeek: 1,
      retentionCount: 6,
      enabled: true,
    };
    // @ts-expect-error daily takes neither day field
    const dailyWithDay: V2Save = {
      frequency: "daily",
      hour: 2,
      dayOfWeek: 1,
      retentionCount: 3,
      enabled: true,
    };
    // Not only fresh literals: a widened object with the forbidden field fails too (dayOfMonth?: never).
    const wide = {
      frequency: "weekly" as const,
      hour: 3,
      dayOfWeek: 1,
      dayOfMonth: 15,
      retentionCount: 4,
      enabled: true,
    };
    // @ts-expect-error weekly with dayOfMonth, through a variable
    const widened: V2Save = wide;
    // @ts-expect-error an unknown frequency
    const hourly: V2Save = { frequency: "hourly", hour: 1, retentionCount: 1, enabled: true };
    void [weeklyWithoutDay, weeklyWithMonthDay, monthlyWithWeekDay, dailyWithDay, widened, hourly];
  });

  it("keep settings and snapshot bodies closed and complete", () => {
    // @ts-expect-error a misspelt settings field
    const typo: V2Settings = { maxTotalBackup: 5 };
    // @ts-expect-error intervalHours is required
    const noInterval: V2Snapshot = { enabled: true };
    void [typo, noInterval];
  });
});

describe("v1 request bodies", () => {
  it("accept a daily schedule without notes (the page calls notes optional)", () => {
    expectTypeOf({
      schedule_type: "daily",
      hour: 2,
      minute: 0,
      retention_count: 3,
      enabled: true,
    } as const).toExtend<V1Save>();
  });

  it("reject weekly without day_of_week and monthly with day_of_week", () => {
    // @ts-expect-error weekly needs day_of_week
    const weekly: V1Save = { schedule_type: "weekly", hour: 2, minute: 0, retention_count: 3, enabled: true };
    const monthly: V1Save = {
      schedule_type: "monthly",
      hour: 2,
      minute: 0,
      day_of_month: 1,
      // @ts-expect-error monthly forbids day_of_week
      day_of_week: 1,
      retention_count: 3,
      enabled: true,
    };
    void [weekly, monthly];
  });
});

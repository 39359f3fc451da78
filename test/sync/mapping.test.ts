// Unit tests of the mapping functions, one per row kind of the field table.
import { describe, expect, it } from "vitest";
import {
  toV1SaveBackupScheduleRequest,
  toV1SaveSnapshotScheduleRequest,
  toV2BackupSchedule,
  toV2SnapshotSchedule,
} from "../../src/sync/index.js";
import type { V1BackupSchedule } from "../../src/types.js";

const v1Daily: V1BackupSchedule = {
  id: 1001,
  client_id: "30000",
  account_id: "20000",
  vm_id: "10000",
  enabled: true,
  schedule_type: "daily",
  hour: 2,
  minute: 30,
  day_of_week: null,
  day_of_month: null,
  retention_count: 3,
  backup_mode: "snapshot",
  compress: "zstd",
  notes: "Nightly",
  last_run: null,
  next_run: "2026-01-01T02:30:00.000Z",
  created_at: "2026-01-01T00:00:00.000Z",
  updated_at: "2026-01-01T00:00:00.000Z",
};

describe("v1 -> v2", () => {
  it("a POST-shaped daily schedule: time from hour and minute, name from notes, no day", () => {
    expect(toV2BackupSchedule(v1Daily)).toEqual({
      name: "Nightly",
      frequency: "daily",
      time: "02:30",
      daySpecifier: null,
      retentionCount: 3,
      enabled: true,
      lastRun: null,
      nextRun: "2026-01-01T02:30:00.000Z",
    });
  });

  it("weekly and monthly put their day in daySpecifier; a missing name gets the server's default", () => {
    const weekly = toV2BackupSchedule({ ...v1Daily, schedule_type: "weekly", day_of_week: 0, notes: null });
    expect(weekly).toMatchObject({
      frequency: "weekly",
      daySpecifier: "0",
      name: "Auto weekly backup schedule",
    });
    const monthly = toV2BackupSchedule({ ...v1Daily, schedule_type: "monthly", day_of_month: 31 });
    expect(monthly).toMatchObject({ frequency: "monthly", daySpecifier: "31" });
  });

  it("snapshot schedule", () => {
    expect(
      toV2SnapshotSchedule({
        id: "871",
        client_id: "30000",
        account_id: "20000",
        vm_id: "10000",
        enabled: false,
        interval_hours: 6,
        retention_days: 7,
        last_run: null,
        next_run: null,
        created_at: "2026-01-01T00:00:00.000Z",
        updated_at: "2026-01-01T00:00:00.000Z",
      }),
    ).toEqual({ enabled: false, intervalHours: 6, lastRun: null, nextRun: null });
  });
});

describe("v2 -> v1", () => {
  it("v1 minute: 0 unless the caller keeps the existing one", () => {
    const daily = { frequency: "daily", hour: 2, retentionCount: 3, enabled: true } as const;
    expect(toV1SaveBackupScheduleRequest(daily)).toEqual({
      schedule_type: "daily",
      hour: 2,
      minute: 0,
      retention_count: 3,
      enabled: true,
    });
    expect(toV1SaveBackupScheduleRequest(daily, { minute: 23 })).toMatchObject({ minute: 23 });
  });

  it("weekly/monthly carry only their own day field; name becomes notes", () => {
    expect(
      toV1SaveBackupScheduleRequest({
        frequency: "weekly",
        hour: 3,
        dayOfWeek: 1,
        retentionCount: 4,
        enabled: true,
        name: "W",
      }),
    ).toEqual({
      schedule_type: "weekly",
      hour: 3,
      minute: 0,
      day_of_week: 1,
      retention_count: 4,
      enabled: true,
      notes: "W",
    });
    expect(
      toV1SaveBackupScheduleRequest({
        frequency: "monthly",
        hour: 4,
        dayOfMonth: 15,
        retentionCount: 2,
        enabled: false,
      }),
    ).toEqual({
      schedule_type: "monthly",
      hour: 4,
      minute: 0,
      day_of_month: 15,
      retention_count: 2,
      enabled: false,
    });
  });

  it("intervalHours is floored and clamped to 4..24 like the v2 server does", () => {
    expect(toV1SaveSnapshotScheduleRequest({ enabled: true, intervalHours: 12.7 })).toEqual({
      enabled: true,
      interval_hours: 12,
    });
    expect(toV1SaveSnapshotScheduleRequest({ enabled: true, intervalHours: 1 }).interval_hours).toBe(4);
    expect(toV1SaveSnapshotScheduleRequest({ enabled: true, intervalHours: 48 }).interval_hours).toBe(24);
  });
});

import type { Client } from "openapi-fetch";
import { describe, expectTypeOf, it } from "vitest";
import {
  createV1Client,
  createV2Client,
  type HostupApiError,
  type HostupClientErrorCode,
  type HostupErrorCode,
  type HostupFieldError,
  type HostupNetworkError,
  type HostupServerErrorCode,
  type HostupValidationError,
  type V1Backup,
  type V1Client,
  type V1Job,
  type V1Paths,
  type V1Snapshot,
  type V1SnapshotActionData,
  type V2BackupList,
  type V2BackupSchedule,
  type V2BackupSchedules,
  type V2Client,
  type V2ErrorCode,
  type V2OperationAccepted,
  type V2Paths,
  type V2RestoreSourceList,
  type V2SaveBackupScheduleRequest,
  type V2SnapshotList,
  type V2UpdateBackupSettingsRequest,
  type V2UpdateBackupSettingsResult,
  type V2VpsSummary,
} from "../../src/index.js";

const v2 = createV2Client({ token: "test-token" });
const v1 = createV1Client({ apiKey: "test-key" });
const VPS = "vps_1";

describe("v2 request bodies", () => {
  it("accepts each documented variant", () => {
    v2.backupSchedules.save(VPS, { frequency: "daily", hour: 2, retentionCount: 3, enabled: true });
    v2.backupSchedules.save(VPS, {
      frequency: "weekly",
      dayOfWeek: 1,
      hour: 2,
      retentionCount: 3,
      enabled: true,
    });
    v2.backupSchedules.save(VPS, {
      frequency: "monthly",
      dayOfMonth: 15,
      hour: 2,
      retentionCount: 3,
      enabled: true,
    });
    v2.backupSchedules.updateSettings(VPS, { maxTotalBackups: 4 });
    v2.snapshotSchedule.save(VPS, { enabled: true, intervalHours: 6 });
  });

  it("refuses bodies that break the spec", () => {
    // @ts-expect-error weekly needs dayOfWeek
    v2.backupSchedules.save(VPS, { frequency: "weekly", hour: 2, retentionCount: 3, enabled: true });
    // @ts-expect-error monthly forbids dayOfWeek
    v2.backupSchedules.save(VPS, {
      frequency: "monthly",
      dayOfMonth: 1,
      dayOfWeek: 2,
      hour: 2,
      retentionCount: 3,
      enabled: true,
    });
    // @ts-expect-error hour is a number
    v2.backupSchedules.save(VPS, { frequency: "daily", hour: "2", retentionCount: 3, enabled: true });
    // @ts-expect-error frequency is an enum
    v2.backupSchedules.save(VPS, { frequency: "hourly", hour: 2, retentionCount: 3, enabled: true });
    // @ts-expect-error enabled is required
    v2.snapshotSchedule.save(VPS, { intervalHours: 6 });
    // @ts-expect-error vpsId is a string
    v2.backupSchedules.get(123);
  });
});

describe("a body whose schema says minProperties: 1 (openapi-typescript does not model it)", () => {
  it("refuses {} and what sends nothing", () => {
    // @ts-expect-error send at least one of maxTotalBackups and autoDeleteOldest
    v2.backupSchedules.updateSettings(VPS, {});
    const nothing = {};
    // @ts-expect-error a variable with no members is refused as well
    v2.backupSchedules.updateSettings(VPS, nothing);
    // @ts-expect-error a member that can only be undefined is left out of the JSON: the body sent is {}
    v2.backupSchedules.updateSettings(VPS, { maxTotalBackups: undefined });
  });

  it("accepts one member, every member, and a variable of the exported request type", () => {
    v2.backupSchedules.updateSettings(VPS, { maxTotalBackups: 4 });
    v2.backupSchedules.updateSettings(VPS, { autoDeleteOldest: false });
    v2.backupSchedules.updateSettings(VPS, { maxTotalBackups: 4, autoDeleteOldest: true });
    v2.backupSchedules.updateSettings(VPS, { maxTotalBackups: 4, autoDeleteOldest: undefined });
    // it may be empty; the type cannot tell, so the run-time check (validateRequests) refuses an empty one
    const settings: V2UpdateBackupSettingsRequest = {};
    if (Math.random() > 0.5) settings.maxTotalBackups = 4;
    v2.backupSchedules.updateSettings(VPS, settings);
    const readonlyBody = { autoDeleteOldest: true } as const;
    v2.backupSchedules.updateSettings(VPS, readonlyBody);
    expectTypeOf(
      v2.backupSchedules.updateSettings(VPS, { maxTotalBackups: 4 }),
    ).resolves.toEqualTypeOf<V2UpdateBackupSettingsResult>();
  });

  it("still checks the members: the body is closed, and each member has its type", () => {
    // @ts-expect-error the member is maxTotalBackups
    v2.backupSchedules.updateSettings(VPS, { maxTotalBackup: 4 });
    // @ts-expect-error autoDelete is not a member, beside a valid one
    v2.backupSchedules.updateSettings(VPS, { maxTotalBackups: 4, autoDelete: true });
    // @ts-expect-error autoDeleteOldest is a boolean
    v2.backupSchedules.updateSettings(VPS, { autoDeleteOldest: "yes" });
    // @ts-expect-error the body is required
    v2.backupSchedules.updateSettings(VPS);
  });

  it("leaves the parameter's type as the spec's body for tools that read it, and every other body alone", () => {
    type Update = V2Client["backupSchedules"]["updateSettings"];
    expectTypeOf<Parameters<Update>[1]>().toEqualTypeOf<V2UpdateBackupSettingsRequest>();
    // @ts-expect-error a snapshot needs a name (other bodies: as openapi-typescript types them)
    v2.snapshots.create(VPS, {});
    v2.backups.create(VPS, {});
    v2.backups.restoreToPayg(VPS, "bkp_1", {});
  });
});

describe("v2 results", () => {
  it("are the spec's types", () => {
    expectTypeOf(v2.backupSchedules.get(VPS)).resolves.toEqualTypeOf<V2BackupSchedules>();
    expectTypeOf(
      v2.backupSchedules.save(VPS, {} as V2SaveBackupScheduleRequest),
    ).resolves.toEqualTypeOf<V2BackupSchedule>();
    expectTypeOf(v2.backupSchedules.delete(VPS, "bks_1")).resolves.toEqualTypeOf<undefined>();
    expectTypeOf(v2.vps.listAll()).toMatchTypeOf<AsyncIterable<V2VpsSummary>>();
  });
});

describe("the lifecycle's methods", () => {
  it("return the exported aliases; waitFor takes an accepted answer, its operation or a jobId", async () => {
    expectTypeOf(v2.backups.list(VPS)).resolves.toEqualTypeOf<V2BackupList>();
    expectTypeOf(v2.backups.create(VPS, { note: "x" })).resolves.toEqualTypeOf<V2OperationAccepted>();
    expectTypeOf(v2.backups.listRestoreSources(VPS)).resolves.toEqualTypeOf<V2RestoreSourceList>();
    expectTypeOf(v2.snapshots.list(VPS)).resolves.toEqualTypeOf<V2SnapshotList>();
    expectTypeOf(v2.snapshots.delete(VPS, "before-upgrade")).resolves.toEqualTypeOf<undefined>();
    const accepted = await v2.snapshots.create(VPS, { name: "before-upgrade" });
    expectTypeOf(v2.operations.waitFor(accepted)).resolves.toEqualTypeOf<V1Job>();
    expectTypeOf(v2.operations.waitFor(accepted.operation)).resolves.toEqualTypeOf<V1Job>();
    expectTypeOf(v2.operations.waitFor("job_1")).resolves.toEqualTypeOf<V1Job>();
    // @ts-expect-error a snapshot needs a name
    v2.snapshots.create(VPS, {});
    expectTypeOf(v1.backups.list(1)).resolves.toEqualTypeOf<V1Backup[]>();
    expectTypeOf(v1.snapshots.list(1)).resolves.toEqualTypeOf<V1Snapshot[]>();
    expectTypeOf(
      v1.snapshots.deleteOrRollback(1, { action: "rollback", snapname: "x" }),
    ).resolves.toEqualTypeOf<V1SnapshotActionData>();
    // @ts-expect-error action is delete or rollback
    v1.snapshots.deleteOrRollback(1, { action: "restore", snapname: "x" });
  });

  it("refuse wrong calls: a missing id, an unknown or mistyped member, a missing query, a misspelt option", async () => {
    const accepted = await v2.backups.restore(VPS, "bkp_1");
    expectTypeOf(accepted).toEqualTypeOf<V2OperationAccepted>();
    expectTypeOf(accepted.operation.jobId).toEqualTypeOf<string>();
    // @ts-expect-error restore needs the backupId
    v2.backups.restore(VPS);
    // @ts-expect-error restoreFromVps needs the source's backupId
    v2.backups.restoreFromVps(VPS, { sourceVpsId: VPS });
    // @ts-expect-error the member is `note`
    v2.backups.create(VPS, { notes: "x" });
    // @ts-expect-error a description is a string or null
    v2.snapshots.create(VPS, { name: "x", description: 5 });
    // @ts-expect-error the query { action, snapname } is required
    v1.snapshots.deleteOrRollback(1);
    // @ts-expect-error a volid is a string
    v1.backups.delete(1, 5);
    // @ts-expect-error waitFor takes an accepted answer, its operation or a jobId
    v2.operations.waitFor(5);
    // @ts-expect-error the option is `timeoutMs`
    v2.backups.create(VPS, undefined, { timeout: 1 });
    // @ts-expect-error the option is `intervalMs`
    v2.operations.waitFor(accepted, { interval: 1 });
    // @ts-expect-error a signal is an AbortSignal
    v2.snapshots.restore(VPS, "s1", { signal: "x" });
  });
});

describe("raw", () => {
  it("is openapi-fetch's client of the exported paths, so a helper can name its type", () => {
    expectTypeOf<V1Client["raw"]>().toEqualTypeOf<Client<V1Paths>>();
    expectTypeOf<V2Client["raw"]>().toEqualTypeOf<Client<V2Paths>>();
    expectTypeOf<keyof V2Paths>().toExtend<`/api/v2/${string}`>();
  });
});

describe("v1", () => {
  it("accepts and refuses bodies", () => {
    v1.backupSchedules.save(1, {
      schedule_type: "weekly",
      day_of_week: 3,
      hour: 19,
      minute: 0,
      retention_count: 7,
      enabled: true,
      notes: "",
    });
    // @ts-expect-error vmid is a number
    v1.backupSchedules.get("10000");
    expectTypeOf(v1.jobs.get("j")).resolves.toEqualTypeOf<V1Job>();
  });

  it("exports the field error shape", () => {
    expectTypeOf<HostupFieldError>().toEqualTypeOf<{ pointer: string; message: string; code?: string }>();
  });
});

describe("one code vocabulary", () => {
  it("each class narrows code to its own codes; HostupErrorCode names them all", () => {
    expectTypeOf<HostupNetworkError["code"]>().toEqualTypeOf<"network_error" | "timeout" | "aborted">();
    expectTypeOf<HostupValidationError["code"]>().toEqualTypeOf<"validation_failed">();
    expectTypeOf<HostupApiError["code"]>().toEqualTypeOf<HostupErrorCode>();
    expectTypeOf<"response_too_large">().toMatchTypeOf<HostupClientErrorCode>();
    expectTypeOf<HostupClientErrorCode>().toMatchTypeOf<HostupErrorCode>();
    expectTypeOf<"http_404">().toMatchTypeOf<HostupErrorCode>();
    expectTypeOf<HostupApiError["headers"]>().toEqualTypeOf<Readonly<Record<string, string>>>();
  });

  it("names the server's documented codes, so an editor offers them (`string & {}` alone offers none)", () => {
    // the codes v2's Problem lists, each shown by an error answer's example in the spec
    expectTypeOf<
      | "invalid_request"
      | "unauthorized"
      | "forbidden"
      | "not_found"
      | "vps_not_found"
      | "vps_not_ready"
      | "rate_limit_exceeded"
      | "rate_limited"
      | "internal_error"
      | "upstream_failed"
      | "upstream_vps_backup_schedule_shape_invalid"
    >().toEqualTypeOf<V2ErrorCode>();
    // v1's examples call their codes illustrative, but for the 500's INTERNAL_ERROR, which the pages show
    expectTypeOf<HostupServerErrorCode>().toEqualTypeOf<V2ErrorCode | "INTERNAL_ERROR">();
    expectTypeOf<HostupServerErrorCode>().toExtend<HostupErrorCode>();
    expectTypeOf<Extract<HostupErrorCode, "vps_not_found">>().toEqualTypeOf<"vps_not_found">();
    // still open: a code no page names yet is a HostupErrorCode too
    expectTypeOf<"a_new_code">().toExtend<HostupErrorCode>();
  });
});

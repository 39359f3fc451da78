/**
 * Readable names for the spec's schemas, taken from the generated types (never hand-copied): `V1<Name>` and
 * `V2<Name>` are `components["schemas"]["<Name>"]` of openapi/v1 and openapi/v2.
 */
import type { components as V1, operations as V1Operations, paths as V1Paths } from "./generated/v1.js";
import type { components as V2, operations as V2Operations, paths as V2Paths } from "./generated/v2.js";

type V1Schemas = V1["schemas"];
type V2Schemas = V2["schemas"];

// v1 (wrappers return the envelope's `data`)
export type V1BackupSchedule = V1Schemas["BackupSchedule"];
export type V1BackupSettings = V1Schemas["BackupSettings"];
export type V1BackupHistoryEntry = V1Schemas["BackupHistoryEntry"];
export type V1BackupLimits = V1Schemas["BackupLimits"];
export type V1BackupSchedulesData = V1Schemas["BackupSchedulesData"];
export type V1SaveBackupScheduleRequest = V1Schemas["SaveBackupScheduleRequest"];
export type V1DailyBackupScheduleRequest = V1Schemas["DailyBackupScheduleRequest"];
export type V1WeeklyBackupScheduleRequest = V1Schemas["WeeklyBackupScheduleRequest"];
export type V1MonthlyBackupScheduleRequest = V1Schemas["MonthlyBackupScheduleRequest"];
export type V1SaveBackupScheduleData = V1Schemas["SaveBackupScheduleData"];
export type V1SnapshotSchedule = V1Schemas["SnapshotSchedule"];
export type V1SnapshotScheduleData = V1Schemas["SnapshotScheduleData"];
export type V1SaveSnapshotScheduleRequest = V1Schemas["SaveSnapshotScheduleRequest"];
export type V1SaveSnapshotScheduleData = V1Schemas["SaveSnapshotScheduleData"];
export type V1Job = V1Schemas["Job"];
export type V1JobProgressDetails = V1Schemas["JobProgressDetails"];
export type V1Backup = V1Schemas["Backup"];
export type V1BackupFile = V1Schemas["BackupFile"];
export type V1DeleteBackupData = V1Schemas["DeleteBackupData"];
export type V1Snapshot = V1Schemas["Snapshot"];
export type V1SnapshotActionData = V1Schemas["SnapshotActionData"];
export type V1SnapshotActionQuery = V1Operations["deleteOrRollbackSnapshot"]["parameters"]["query"];
export type V1Error = V1Schemas["Error"];
export type V1ErrorDetail = V1Schemas["ErrorDetail"];

// v2 (wrappers return the body as the spec types it)
export type V2VpsSummary = V2Schemas["VpsSummary"];
export type V2VpsList = V2Schemas["VpsList"];
export type V2ListVpsQuery = NonNullable<V2Operations["listVps"]["parameters"]["query"]>;
export type V2BackupSchedule = V2Schemas["BackupSchedule"];
export type V2BackupSchedules = V2Schemas["BackupSchedules"];
export type V2BackupSettings = V2Schemas["BackupSettings"];
export type V2BackupLimits = V2Schemas["BackupLimits"];
export type V2ActionGate = V2Schemas["ActionGate"];
export type V2BackupScheduleActions = V2Schemas["BackupScheduleActions"];
export type V2SaveBackupScheduleRequest = V2Schemas["SaveBackupScheduleRequest"];
export type V2DailyBackupScheduleRequest = V2Schemas["DailyBackupScheduleRequest"];
export type V2WeeklyBackupScheduleRequest = V2Schemas["WeeklyBackupScheduleRequest"];
export type V2MonthlyBackupScheduleRequest = V2Schemas["MonthlyBackupScheduleRequest"];
export type V2UpdateBackupSettingsRequest = V2Schemas["UpdateBackupSettingsRequest"];
export type V2UpdateBackupSettingsResult =
  V2Operations["updateBackupSettings"]["responses"][200]["content"]["application/json"];
export type V2SnapshotSchedule = V2Schemas["SnapshotSchedule"];
export type V2SnapshotLimits = V2Schemas["SnapshotLimits"];
export type V2SnapshotScheduleActions = V2Schemas["SnapshotScheduleActions"];
export type V2SnapshotScheduleState = V2Schemas["SnapshotScheduleState"];
export type V2SaveSnapshotScheduleRequest = V2Schemas["SaveSnapshotScheduleRequest"];
export type V2Backup = V2Schemas["Backup"];
export type V2BackupList = V2Schemas["BackupList"];
export type V2BackupQuota = V2Schemas["BackupQuota"];
export type V2BackupActions = V2Schemas["BackupActions"];
export type V2CreateBackupRequest = V2Schemas["CreateBackupRequest"];
export type V2RestoreBackupToPaygRequest = V2Schemas["RestoreBackupToPaygRequest"];
export type V2RestoreBackupFromVpsRequest = V2Schemas["RestoreBackupFromVpsRequest"];
export type V2RestoreSource = V2Schemas["RestoreSource"];
export type V2RestoreSourceBackup = V2Schemas["RestoreSourceBackup"];
export type V2RestoreSourceList = V2Schemas["RestoreSourceList"];
export type V2Snapshot = V2Schemas["Snapshot"];
export type V2SnapshotList = V2Schemas["SnapshotList"];
export type V2SnapshotActions = V2Schemas["SnapshotActions"];
export type V2CreateSnapshotRequest = V2Schemas["CreateSnapshotRequest"];
export type V2Operation = V2Schemas["Operation"];
export type V2OperationAccepted = V2Schemas["OperationAccepted"];
export type V2Problem = V2Schemas["Problem"];
export type V2ProblemFieldError = V2Schemas["ProblemFieldError"];

/** openapi-typescript's `operations` and `paths` of each spec; `paths` types `raw` (`Client<V2Paths>`). */
export type { V1Operations, V1Paths, V2Operations, V2Paths };

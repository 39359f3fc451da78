export {
  toV1HistoryFields,
  toV2Backup,
  toV2BackupFromHistory,
  toV2BackupQuota,
  type V1BackupHistoryFields,
  type V2BackupFromV1,
} from "./backup-mapping.js";
export { FIELD_MAP, type FieldGroup, type FieldPair, type FieldRelation } from "./field-map.js";
export {
  type ToV1BackupScheduleOptions,
  toV1SaveBackupScheduleRequest,
  toV1SaveSnapshotScheduleRequest,
  toV2BackupSchedule,
  toV2BackupSettings,
  toV2SnapshotSchedule,
  type V1BackupScheduleInput,
  type V2BackupScheduleFromV1,
} from "./mapping.js";
export { toV2Snapshot, toV2Snapshots } from "./snapshot-mapping.js";

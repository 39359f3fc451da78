export { FIELD_MAP, type FieldGroup, type FieldPair } from "./field-map.js";
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

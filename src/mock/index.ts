// hostup-api/mock: an embedded, stateful HostUp API (v1 and v2 over one model) for tests and local runs.
export { createManualClock, type ManualClock, type MockClock, systemClock } from "./clock.js";
export { FAULT_HEADER, type MockFaults } from "./faults.js";
export { MOCK_RECORDING_COMMENT, type MockHarOptions } from "./recording.js";
export { MockRuleError } from "./rule-error.js";
export {
  DEFAULT_CLIENT_ID,
  DEFAULT_VMS,
  defaultCredentials,
  defaultSeed,
  SAMPLE_V1_KEY,
  SAMPLE_V1_NO_BACKUP_KEY,
  SAMPLE_V1_READONLY_KEY,
  SAMPLE_V2_NO_BACKUP_TOKEN,
  SAMPLE_V2_NO_BILLING_TOKEN,
  SAMPLE_V2_READONLY_TOKEN,
  SAMPLE_V2_TOKEN,
} from "./seed.js";
export { type MockServer, type MockServerOptions, startMockServer } from "./server.js";
export { MockState } from "./state.js";
export type {
  ActionGate,
  MockBackupScheduleSeed,
  MockCredential,
  MockHistorySeed,
  MockJob,
  MockJobKind,
  MockJobOptions,
  MockSeed,
  MockSnapshot,
  MockSnapshotSeed,
  MockVm,
  MockVmSeed,
  Scope,
} from "./types.js";

// hostup-api/mock: an embedded, stateful HostUp API (v1 and v2 over one model) for tests and local runs.
export { createManualClock, type ManualClock, type MockClock, systemClock } from "./clock.js";
export { FAULT_HEADER, type MockFaults } from "./faults.js";
export {
  type ActionGate,
  type MockBackupScheduleSeed,
  type MockCredential,
  type MockHistorySeed,
  type MockJob,
  type MockJobOptions,
  MockRuleError,
  type MockSeed,
  MockState,
  type MockVm,
  type MockVmSeed,
  type Scope,
} from "./model.js";
export {
  DEFAULT_CLIENT_ID,
  DEFAULT_VMS,
  defaultCredentials,
  defaultSeed,
  SAMPLE_V1_KEY,
  SAMPLE_V1_READONLY_KEY,
  SAMPLE_V2_READONLY_TOKEN,
  SAMPLE_V2_TOKEN,
} from "./seed.js";
export { type MockServer, type MockServerOptions, startMockServer } from "./server.js";

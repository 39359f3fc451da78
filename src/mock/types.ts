// The mock's data: what a seed describes, what the model stores per VM and per job, and the credentials. v1 rows
// are the source of truth (as on HostUp, where v2 backup schedules are served from the legacy v1 data).
import type { components as V1 } from "../generated/v1.js";

export type V1BackupSchedule = V1["schemas"]["BackupSchedule"];
export type V1BackupSettings = V1["schemas"]["BackupSettings"];
export type V1BackupLimits = V1["schemas"]["BackupLimits"];
export type V1BackupHistoryEntry = V1["schemas"]["BackupHistoryEntry"];
export type V1SnapshotSchedule = V1["schemas"]["SnapshotSchedule"];
export type V1SaveBackupScheduleRequest = V1["schemas"]["SaveBackupScheduleRequest"];
export type V1Job = V1["schemas"]["Job"];

export type Scope = "read:vm" | "write:vm";

/** A key the mock accepts, as `X-API-Key` (v1), `Authorization: Bearer` or the `hostup_session` cookie (v2). */
export interface MockCredential {
  value: string;
  /** The HostUp client (customer) it belongs to: it sees only that client's VMs. */
  clientId: string;
  scopes: Scope[];
}

/** One VM as a seed describes it: v1 field names, everything but the ids optional. */
export interface MockVmSeed {
  vmid: number;
  /** The v2 id, `vps_` + letters and digits. */
  vpsId: string;
  name?: string;
  clientId?: string;
  accountId?: string;
  primaryIp?: string;
  isPayg?: boolean;
  /** false: writes answer 409 `vps_not_ready` (v2) / 422 `VPS_NOT_READY` (v1). Default true. */
  ready?: boolean;
  /** true: `actions.canCreate` and `actions.canEnable` are blocked with code `pending_order`. */
  pendingOrder?: boolean;
  /**
   * Purchased backup capacity, the ceiling of the backup limit. Default 7; 0 blocks `canCreate`. Changing it in
   * place on a live VM (`vm.backupCapacity = 0`) takes effect at once: the limit is capped by it on every read.
   */
  backupCapacity?: number;
  /** The current backup limit (PATCH `maxTotalBackups`), at most `backupCapacity`. Default: the capacity. */
  maxTotalBackups?: number;
  autoDeleteOldest?: boolean;
  backupSchedule?: MockBackupScheduleSeed | null;
  /** Newest first, like the API. Each entry gets a finished job. */
  history?: MockHistorySeed[];
  /** Snapshot slots. Default 3; 0 means no snapshot capacity (`canEnable` blocked). */
  snapshotCapacity?: number;
  snapshotSchedule?: { enabled: boolean; interval_hours: number; last_run?: string | null } | null;
}

export interface MockBackupScheduleSeed {
  id?: number;
  schedule_type: "daily" | "weekly" | "monthly";
  hour: number;
  minute?: number;
  day_of_week?: number | null;
  day_of_month?: number | null;
  retention_count: number;
  enabled?: boolean;
  notes?: string | null;
  last_run?: string | null;
}

export interface MockHistorySeed {
  backup_type: "manual" | "scheduled";
  created_at: string;
  status?: "active" | "deleted" | "pending";
  size?: string | null;
  notes?: string | null;
}

export interface MockSeed {
  vms: MockVmSeed[];
  /** Replaces the default credentials when given. */
  credentials?: MockCredential[];
}

export interface MockJobOptions {
  /** A job finishes this long after it started (mock clock). Default 60 s. */
  durationMs?: number;
  /** ...or after this many polls of `GET /api/jobs/{jobId}`, whichever comes first. Default 3. */
  pollsToComplete?: number;
}

export interface MockVm {
  vmid: number;
  vpsId: string;
  name: string;
  clientId: string;
  accountId: string;
  primaryIp: string;
  isPayg: boolean;
  ready: boolean;
  pendingOrder: boolean;
  /** Purchased backup slots; caps `maxTotalBackups` on every read (see `backupLimit`). */
  backupCapacity: number;
  /** The limit PATCH sets; the limit in force is `backupLimit(vm)`. */
  maxTotalBackups: number;
  autoDeleteOldest: boolean;
  settingsId: number;
  settingsCreatedAt: string;
  settingsUpdatedAt: string;
  /** At most one: "Currently limited to 1 schedule per VM". */
  schedule: V1BackupSchedule | null;
  /** Newest first. */
  history: V1BackupHistoryEntry[];
  snapshotCapacity: number;
  snapshotSchedule: V1SnapshotSchedule | null;
}

export interface MockJob {
  jobId: string;
  vmid: number;
  historyId: number;
  scheduled: boolean;
  createdAt: number;
  finishedAt: number | null;
  durationMs: number;
  pollsToComplete: number;
  polls: number;
  failure: string | null;
}

export interface ActionGate {
  allowed: boolean;
  reason: string | null;
  code: string | null;
}

/** Fresh ids for new rows, counted on from the seed's (never reused). */
export interface MockIds {
  schedule: number;
  history: number;
  snapshot: number;
}

/** What the rules, jobs and views read and change: the state's data and its clock (MockState is one). */
export interface MockWorld {
  readonly vms: Map<number, MockVm>;
  readonly jobs: Map<string, MockJob>;
  readonly ids: MockIds;
  readonly jobOptions: Required<MockJobOptions>;
  now(): number;
}

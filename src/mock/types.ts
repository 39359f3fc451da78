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
export type V1Backup = V1["schemas"]["Backup"];
export type V1Snapshot = V1["schemas"]["Snapshot"];

/** The scopes the operations ask for (x-hostup-scope); a key needs every scope its operation lists. */
export type Scope = "read:vm" | "write:vm" | "backup:vm" | "write:billing";

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
  /** Snapshots, oldest first; each is kept about 24 hours from its `createdAt` (mock clock). */
  snapshots?: MockSnapshotSeed[];
}

export interface MockSnapshotSeed {
  /** Letters, digits, `_` and `-`, at most 40 (the v2 naming rule). */
  name: string;
  description?: string;
  /** Default: when the seed is loaded, so a seeded snapshot lives 24 hours from then on the mock's clock. */
  createdAt?: string;
  includesMemoryState?: boolean;
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
  /** Snapshots, oldest first, those still being taken included (`taken: false`). */
  snapshots: MockSnapshot[];
  /** The snapshot the VM's present state derives from: the `parent` of v1's pseudo-entry `current`. */
  snapshotHead: string | null;
}

/** One snapshot: what Proxmox's list shows of it, and whether its create job has finished. */
export interface MockSnapshot {
  name: string;
  description: string;
  /** Unix seconds. */
  snaptime: number;
  vmstate: 0 | 1;
  parent: string | null;
  /** False while its create job runs: not listed yet, but its name and slot are taken. */
  taken: boolean;
}

/**
 * What a job does. `backup`: a manual or scheduled backup (its history entry). `restore`: the VM in place from one
 * of its backups; `restore_from_vps`: the VM from another VM's backup; both stop the VM while they run (writes
 * refused). `restore_to_payg`: a new pay-as-you-go VM from a backup. `snapshot_*`: take, roll back to (the VM is
 * stopped meanwhile) or delete a snapshot.
 */
export type MockJobKind =
  | "backup"
  | "restore"
  | "restore_from_vps"
  | "restore_to_payg"
  | "snapshot_create"
  | "snapshot_rollback"
  | "snapshot_delete";

export interface MockJob {
  jobId: string;
  kind: MockJobKind;
  /** The VM it runs on: the restored VM; for restore_to_payg the VM whose backup is used. */
  vmid: number;
  /** The history entry it makes (backup) or restores from (the restores); null for snapshot jobs. */
  historyId: number | null;
  /** That entry's volid, for the job's `result`. */
  volid: string | null;
  /** The snapshot a snapshot job works on. */
  snapname: string | null;
  /** restore_from_vps: the VM the backup belongs to. */
  sourceVmid: number | null;
  /** restore_to_payg: the new VM's name (the request's, or one made from the source's), and its id once made. */
  paygName: string | null;
  createdVpsId: string | null;
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
  /** Counter of the jobs that are not backups (their ids are `<kind>-<vmid>-<ms>-<n>`). */
  job: number;
}

/** What the rules, jobs and views read and change: the state's data and its clock (MockState is one). */
export interface MockWorld {
  readonly vms: Map<number, MockVm>;
  readonly jobs: Map<string, MockJob>;
  readonly ids: MockIds;
  readonly jobOptions: Required<MockJobOptions>;
  now(): number;
  /** Adds a VM (a restore to a new pay-as-you-go VM makes one). */
  addVm(seed: MockVmSeed): MockVm;
}

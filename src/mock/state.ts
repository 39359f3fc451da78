// The mock's one in-memory state: the VMs (v1 rows, read by v2 through the mapping functions), their jobs, the
// credentials and the id counters. The rules (rules.ts), the jobs over time (jobs.ts) and the views (views.ts) are
// functions of it; its methods are the face the routes and tests use.
import type { MockClock } from "./clock.js";
import * as jobs from "./jobs.js";
import type { BackupRef } from "./lifecycle.js";
import * as lifecycle from "./lifecycle.js";
import {
  newBackupJob,
  newHistoryEntry,
  newScheduleRow,
  newSnapshot,
  newSnapshotScheduleRow,
} from "./rows.js";
import { MockRuleError } from "./rule-error.js";
import * as rules from "./rules.js";
import { iso } from "./schedule-time.js";
import { defaultSeed } from "./seed.js";
import type {
  ActionGate,
  MockCredential,
  MockIds,
  MockJob,
  MockJobOptions,
  MockSeed,
  MockSnapshotSeed,
  MockVm,
  MockVmSeed,
  MockWorld,
  V1BackupLimits,
  V1BackupSchedule,
  V1BackupSettings,
  V1Job,
  V1SaveBackupScheduleRequest,
  V1SnapshotSchedule,
} from "./types.js";
import * as views from "./views.js";

const FIRST_IDS: Readonly<MockIds> = { schedule: 2464, history: 136_000, snapshot: 871, job: 1 };

/** The v2 rule for snapshot names (`current` is v1's pseudo-entry for the present state). */
const SNAPSHOT_NAME = /^(?!current$)[A-Za-z0-9_-]{1,40}$/;

export class MockState implements MockWorld {
  readonly vms = new Map<number, MockVm>();
  readonly jobs = new Map<string, MockJob>();
  readonly credentials = new Map<string, MockCredential>();
  /** The next id of each kind of row; they keep counting across `reset()`, so no id is ever reused. */
  readonly ids: MockIds = { ...FIRST_IDS };
  readonly jobOptions: Required<MockJobOptions>;
  private readonly byVpsId = new Map<string, MockVm>();

  constructor(
    seed: MockSeed,
    readonly clock: MockClock,
    jobOptions: MockJobOptions = {},
  ) {
    this.jobOptions = { durationMs: 60_000, pollsToComplete: 3, ...jobOptions };
    this.load(seed);
  }

  /** Drops every VM, job and credential and loads `seed` (default: the documented default seed). */
  reset(seed: MockSeed = defaultSeed()): void {
    this.vms.clear();
    this.byVpsId.clear();
    this.jobs.clear();
    this.credentials.clear();
    this.load(seed);
  }

  private load(seed: MockSeed): void {
    for (const c of seed.credentials ?? []) this.credentials.set(c.value, { ...c, scopes: [...c.scopes] });
    for (const vm of seed.vms) this.addVm(vm);
  }

  now(): number {
    return this.clock.now();
  }

  /** Adds a VM (v1 and v2 views at once). Throws on a duplicate or malformed id. */
  addVm(seed: MockVmSeed): MockVm {
    if (!Number.isInteger(seed.vmid) || seed.vmid < 1) throw new TypeError(`vmid must be a positive integer`);
    if (!/^vps_[A-Za-z0-9]+$/.test(seed.vpsId)) throw new TypeError(`vpsId must match ^vps_[A-Za-z0-9]+$`);
    if (this.vms.has(seed.vmid) || this.byVpsId.has(seed.vpsId)) {
      throw new TypeError(`duplicate VM ${seed.vmid} / ${seed.vpsId}`);
    }
    checkSnapshotSeeds(seed.snapshots ?? []);
    const now = iso(this.now());
    const capacity = seed.backupCapacity ?? 7;
    const vm: MockVm = {
      vmid: seed.vmid,
      vpsId: seed.vpsId,
      name: seed.name ?? `vm-${seed.vmid}`,
      clientId: seed.clientId ?? "30000",
      accountId: seed.accountId ?? String(20_000 + this.vms.size),
      primaryIp: seed.primaryIp ?? `203.0.113.${10 + this.vms.size}`,
      isPayg: seed.isPayg ?? false,
      ready: seed.ready ?? true,
      pendingOrder: seed.pendingOrder ?? false,
      backupCapacity: capacity,
      maxTotalBackups: Math.min(seed.maxTotalBackups ?? capacity, capacity),
      autoDeleteOldest: seed.autoDeleteOldest ?? true,
      settingsId: 2312 + this.vms.size,
      settingsCreatedAt: now,
      settingsUpdatedAt: now,
      schedule: null,
      history: [],
      snapshotCapacity: seed.snapshotCapacity ?? 3,
      snapshotSchedule: null,
      snapshots: [],
      snapshotHead: null,
    };
    this.vms.set(vm.vmid, vm);
    this.byVpsId.set(vm.vpsId, vm);
    const s = seed.backupSchedule;
    if (s) {
      if (s.id !== undefined) this.ids.schedule = Math.max(this.ids.schedule, s.id + 1);
      vm.schedule = newScheduleRow(this, vm, s, s.id ?? this.ids.schedule++, now);
      vm.schedule.last_run = s.last_run ?? null;
    }
    for (const h of seed.history ?? []) {
      const entry = newHistoryEntry(this, vm, h.backup_type, h.created_at, h.status ?? "active");
      entry.size = h.status === "pending" ? null : (h.size ?? "21474836480");
      entry.notes = h.notes ?? null;
      if (entry.status === "deleted") entry.deleted_at = h.created_at;
      vm.history.push(entry);
      const created = Date.parse(h.created_at);
      const finished = entry.status === "pending" ? null : created + this.jobOptions.durationMs;
      this.jobs.set(entry.job_id, newBackupJob(this, vm, entry, created, finished));
    }
    for (const snap of seed.snapshots ?? []) {
      const at = snap.createdAt === undefined ? this.now() : Date.parse(snap.createdAt);
      vm.snapshots.push(newSnapshot(vm, snap, at, true));
      vm.snapshotHead = snap.name;
    }
    const snapshot = seed.snapshotSchedule;
    if (snapshot) vm.snapshotSchedule = newSnapshotScheduleRow(this, vm, snapshot, snapshot.last_run ?? null);
    return vm;
  }

  /** A VM by v1 `vmid` (number or numeric string) or v2 `vps_...` id. */
  findVm(ref: number | string): MockVm | undefined {
    if (typeof ref === "number") return this.vms.get(ref);
    if (ref.startsWith("vps_")) return this.byVpsId.get(ref);
    return /^[1-9][0-9]{0,15}$/.test(ref) ? this.vms.get(Number(ref)) : undefined;
  }

  /** The VM `ref` if `clientId` owns it; foreign and unknown VMs are alike (404, never 403). */
  ownedVm(ref: number | string, clientId: string): MockVm {
    const vm = this.findVm(ref);
    if (!vm || vm.clientId !== clientId)
      throw new MockRuleError("not_found", "vps_not_found", "VM not found");
    return vm;
  }

  /** VMs of `clientId`, in a stable order (by v2 id), for the VPS list. */
  vmsOf(clientId: string): MockVm[] {
    return [...this.vms.values()]
      .filter((vm) => vm.clientId === clientId)
      .sort((a, b) => (a.vpsId < b.vpsId ? -1 : 1));
  }

  // ---- views (views.ts): recomputed from the rows on every read -------------------------------------------------

  settings(vm: MockVm): V1BackupSettings {
    return views.backupSettings(vm);
  }

  limits(vm: MockVm, settings = this.settings(vm)): V1BackupLimits {
    return views.backupLimits(vm, settings);
  }

  canCreateBackupSchedule(vm: MockVm): ActionGate {
    return views.canCreateBackupSchedule(vm);
  }

  canEnableSnapshots(vm: MockVm): ActionGate {
    return views.canEnableSnapshots(vm);
  }

  jobView(job: MockJob, vm: MockVm): V1Job {
    return views.jobView(job, vm, this.now());
  }

  lastRunStatus(vm: MockVm): ReturnType<typeof views.lastRunStatus> {
    return views.lastRunStatus(this, vm);
  }

  // ---- writes (rules.ts) ----------------------------------------------------------------------------------------

  saveBackupSchedule(
    vm: MockVm,
    body: V1SaveBackupScheduleRequest,
    options: { newIdOnTypeChange?: boolean } = {},
  ): { schedule: V1BackupSchedule; created: boolean } {
    return rules.saveBackupSchedule(this, vm, body, options);
  }

  deleteBackupSchedule(vm: MockVm, id: number): void {
    rules.deleteBackupSchedule(this, vm, id);
  }

  updateBackupSettings(
    vm: MockVm,
    patch: { max_total_backups?: number; auto_delete_oldest?: boolean },
  ): void {
    rules.updateBackupSettings(this, vm, patch);
  }

  saveSnapshotSchedule(vm: MockVm, body: { enabled: boolean; interval_hours: number }): V1SnapshotSchedule {
    return rules.saveSnapshotSchedule(this, vm, body);
  }

  deleteSnapshotSchedule(vm: MockVm): void {
    rules.deleteSnapshotSchedule(this, vm);
  }

  // ---- backups and snapshots (lifecycle.ts): each write that starts work returns its job -------------------------

  /** A manual backup, as v2 `POST .../backups` makes it (the gate `canCreateBackup` applies). */
  createBackup(vm: MockVm, note?: string): MockJob {
    return lifecycle.createBackup(this, vm, note);
  }

  deleteBackup(vm: MockVm, ref: BackupRef): void {
    lifecycle.deleteBackup(this, vm, ref);
  }

  restoreBackup(vm: MockVm, ref: BackupRef): MockJob {
    return lifecycle.restoreBackup(this, vm, ref);
  }

  restoreBackupFromVps(target: MockVm, source: MockVm, ref: BackupRef): MockJob {
    return lifecycle.restoreBackupFromVps(this, target, source, ref);
  }

  restoreBackupToPayg(vm: MockVm, ref: BackupRef, name?: string): MockJob {
    return lifecycle.restoreBackupToPayg(this, vm, ref, name);
  }

  createSnapshot(vm: MockVm, body: { name: string; description?: string | null }): MockJob {
    return lifecycle.createSnapshot(this, vm, body);
  }

  /** Deletes a snapshot at once; with `queued` (v1) also returns a job for it. */
  deleteSnapshot(vm: MockVm, name: string, queued: true): MockJob;
  deleteSnapshot(vm: MockVm, name: string, queued?: false): undefined;
  deleteSnapshot(vm: MockVm, name: string, queued = false): MockJob | undefined {
    return queued ? lifecycle.deleteSnapshot(this, vm, name, true) : lifecycle.deleteSnapshot(this, vm, name);
  }

  rollbackSnapshot(vm: MockVm, name: string): MockJob {
    return lifecycle.rollbackSnapshot(this, vm, name);
  }

  // ---- jobs over time (jobs.ts) ---------------------------------------------------------------------------------

  /** Starts a backup now, whatever the gates say (what a schedule's run does); returns its job id. */
  startBackup(vm: MockVm, type: "manual" | "scheduled" = "manual", at = this.now()): string {
    return jobs.startBackup(this, vm, type, at).job_id;
  }

  pollJob(jobId: string, clientId: string): V1Job {
    return jobs.pollJob(this, jobId, clientId);
  }

  /** Brings a VM up to "now" (see jobs.ts); every route calls it before it reads or writes the VM. */
  settle(vm: MockVm): void {
    jobs.settle(this, vm);
  }
}

/** Seeded snapshots: names by the v2 rule, each once, and real dates. */
function checkSnapshotSeeds(snapshots: readonly MockSnapshotSeed[]): void {
  const names = new Set<string>();
  for (const snap of snapshots) {
    if (!SNAPSHOT_NAME.test(snap.name) || names.has(snap.name)) {
      throw new TypeError(`snapshot name ${JSON.stringify(snap.name)}: a new name matching ${SNAPSHOT_NAME}`);
    }
    if (snap.createdAt !== undefined && Number.isNaN(Date.parse(snap.createdAt))) {
      throw new TypeError(`snapshot ${snap.name}: createdAt must be an ISO 8601 date`);
    }
    names.add(snap.name);
  }
}

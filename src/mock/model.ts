// The mock's one in-memory model. v1 rows are the source of truth (as on HostUp, where v2 backup schedules are
// served from the legacy v1 data); the v2 routes read and write them through the contract suite's mapping
// functions. Every rule of the docs lives here, once, so both API versions enforce the same thing.
import type { components as V1 } from "../generated/v1.js";
import type { MockClock } from "./clock.js";
import { clampIntervalHours, iso, nextBackupRun, nextSnapshotRun } from "./schedule-time.js";
import { defaultSeed } from "./seed.js";

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

/**
 * A documented rule was broken. `kind` decides the status per version: `validation` (v1 400, v2 400),
 * `limit` (v1 422, v2 400), `gate` and `not_ready` (v1 422, v2 409), `not_found` (404 both).
 */
export class MockRuleError extends Error {
  constructor(
    readonly kind: "validation" | "limit" | "gate" | "not_ready" | "not_found",
    readonly code: string,
    message: string,
    /** The v1 field at fault, when one is. */
    readonly field?: string,
  ) {
    super(message);
  }
}

const HISTORY_KEPT = 100;
const SNAPSHOT_RETENTION_DAYS = 7;

export class MockState {
  readonly vms = new Map<number, MockVm>();
  readonly jobs = new Map<string, MockJob>();
  readonly credentials = new Map<string, MockCredential>();
  private readonly byVpsId = new Map<string, MockVm>();
  private nextScheduleId = 2464;
  private nextHistoryId = 136_000;
  private nextSnapshotId = 871;
  private readonly jobOptions: Required<MockJobOptions>;

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
    const now = this.now();
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
      settingsCreatedAt: iso(now),
      settingsUpdatedAt: iso(now),
      schedule: null,
      history: [],
      snapshotCapacity: seed.snapshotCapacity ?? 3,
      snapshotSchedule: null,
    };
    this.vms.set(vm.vmid, vm);
    this.byVpsId.set(vm.vpsId, vm);
    if (seed.backupSchedule) {
      const s = seed.backupSchedule;
      if (s.id !== undefined) this.nextScheduleId = Math.max(this.nextScheduleId, s.id + 1);
      vm.schedule = this.buildSchedule(vm, s, s.id ?? this.nextScheduleId++, iso(now));
      vm.schedule.last_run = s.last_run ?? null;
    }
    for (const h of seed.history ?? []) {
      const entry = this.buildHistory(vm, h.backup_type, h.created_at, h.status ?? "active");
      entry.size = h.status === "pending" ? null : (h.size ?? "21474836480");
      entry.notes = h.notes ?? null;
      if (entry.status === "deleted") entry.deleted_at = h.created_at;
      vm.history.push(entry);
      const created = Date.parse(h.created_at);
      this.jobs.set(entry.job_id, {
        jobId: entry.job_id,
        vmid: vm.vmid,
        historyId: entry.id,
        scheduled: h.backup_type === "scheduled",
        createdAt: created,
        finishedAt: entry.status === "pending" ? null : created + this.jobOptions.durationMs,
        durationMs: this.jobOptions.durationMs,
        pollsToComplete: this.jobOptions.pollsToComplete,
        polls: 0,
        failure: null,
      });
    }
    if (seed.snapshotSchedule) {
      vm.snapshotSchedule = this.buildSnapshotSchedule(
        vm,
        seed.snapshotSchedule.enabled,
        seed.snapshotSchedule.interval_hours,
      );
      const lastRun = seed.snapshotSchedule.last_run ?? null;
      vm.snapshotSchedule.last_run = lastRun;
      vm.snapshotSchedule.next_run = vm.snapshotSchedule.enabled
        ? iso(
            nextSnapshotRun(
              vm.snapshotSchedule.interval_hours,
              lastRun === null ? null : Date.parse(lastRun),
              now,
            ),
          )
        : null;
    }
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

  // ---- counters, settings, limits, gates: recomputed from the rows on every read -------------------------------

  private counts(vm: MockVm): { manual: number; scheduled: number } {
    let manual = 0;
    let scheduled = 0;
    for (const h of vm.history) {
      if (h.status !== "active") continue;
      if (h.backup_type === "manual") manual++;
      else scheduled++;
    }
    return { manual, scheduled };
  }

  /**
   * v1 settings. The docs' examples fix the arithmetic: the schedule reserves `retention_count` slots (at most
   * what the manual backups leave), the manual backups may use the rest, and the available scheduled slots are
   * the reservation minus the scheduled backups that exist.
   */
  settings(vm: MockVm): V1BackupSettings {
    const { manual, scheduled } = this.counts(vm);
    const max = backupLimit(vm);
    const free = Math.max(0, max - manual);
    const reserve = vm.schedule ? Math.min(vm.schedule.retention_count, free) : free;
    return {
      id: vm.settingsId,
      client_id: vm.clientId,
      account_id: vm.accountId,
      vm_id: String(vm.vmid),
      max_total_backups: max,
      max_manual_backups: vm.schedule ? max - reserve : max,
      max_scheduled_backups: reserve,
      auto_delete_oldest: vm.autoDeleteOldest,
      created_at: vm.settingsCreatedAt,
      updated_at: vm.settingsUpdatedAt,
      manual_backups_active: manual,
      scheduled_backups_active: scheduled,
      total_backups_active: manual + scheduled,
      available_scheduled_slots: Math.max(0, reserve - scheduled),
    };
  }

  limits(vm: MockVm, settings = this.settings(vm)): V1BackupLimits {
    return {
      maxSchedules: 1,
      totalBackups: settings.max_total_backups,
      maxRetention: settings.max_total_backups,
      currentSchedules: vm.schedule ? 1 : 0,
      manualBackupsActive: settings.manual_backups_active,
      scheduledBackupsActive: settings.scheduled_backups_active,
      availableScheduledSlots: settings.available_scheduled_slots,
    };
  }

  canCreateBackupSchedule(vm: MockVm): ActionGate {
    if (vm.pendingOrder) return pendingOrderGate("backups");
    if (backupLimit(vm) < 1) {
      return {
        allowed: false,
        reason: "The VPS has no backup capacity; buy backup slots first.",
        code: "no_backup_capacity",
      };
    }
    return { allowed: true, reason: null, code: null };
  }

  /** `actions.canEnable`; the no-capacity case answers `code: null`, like the spec's `noCapacity` example. */
  canEnableSnapshots(vm: MockVm): ActionGate {
    if (vm.snapshotCapacity < 1) {
      return { allowed: false, reason: "The current plan includes no snapshot slots.", code: null };
    }
    if (vm.pendingOrder) return pendingOrderGate("snapshots");
    return { allowed: true, reason: null, code: null };
  }

  // ---- writes -------------------------------------------------------------------------------------------------

  private assertReady(vm: MockVm): void {
    if (!vm.ready)
      throw new MockRuleError("not_ready", "vps_not_ready", "The VPS is not ready for this operation.");
  }

  /**
   * Creates the VM's schedule or replaces the one it has (POST creates or replaces). `newIdOnTypeChange` is the v2
   * reading of "POST updates an existing schedule with the same frequency": another frequency replaces the
   * schedule with a new one (a new id); v1 "posting again updates it" keeps the id.
   */
  saveBackupSchedule(
    vm: MockVm,
    body: V1SaveBackupScheduleRequest,
    { newIdOnTypeChange = false } = {},
  ): { schedule: V1BackupSchedule; created: boolean } {
    this.settle(vm);
    this.assertReady(vm);
    const gate = this.canCreateBackupSchedule(vm);
    if (!gate.allowed)
      throw new MockRuleError("gate", gate.code ?? "backups_unavailable", gate.reason ?? "Not allowed");
    checkDays(body);
    const limit = backupLimit(vm);
    if (body.retention_count > limit) {
      throw new MockRuleError(
        "limit",
        "RETENTION_LIMIT_EXCEEDED",
        `retention_count cannot exceed your purchased backup limit (${limit})`,
        "retention_count",
      );
    }
    const now = iso(this.now());
    const old = vm.schedule;
    const keep = old !== null && (!newIdOnTypeChange || old.schedule_type === body.schedule_type);
    const id = keep && old ? old.id : this.nextScheduleId++;
    const schedule = this.buildSchedule(vm, body, id, keep && old ? old.created_at : now);
    if (keep && old) schedule.last_run = old.last_run;
    vm.schedule = schedule;
    this.touchSettings(vm);
    return { schedule, created: !keep };
  }

  /** Deletes the schedule `id` (v1 integer id). Its backups stay; they count as scheduled backups still. */
  deleteBackupSchedule(vm: MockVm, id: number): void {
    this.settle(vm);
    this.assertReady(vm);
    if (!vm.schedule || vm.schedule.id !== id) {
      throw new MockRuleError("not_found", "not_found", "The requested resource could not be found.");
    }
    vm.schedule = null;
    this.touchSettings(vm);
  }

  /** PATCH: `max_total_backups` within 1..purchased capacity and not below the schedule's retention count. */
  updateBackupSettings(
    vm: MockVm,
    patch: { max_total_backups?: number; auto_delete_oldest?: boolean },
  ): void {
    this.settle(vm);
    this.assertReady(vm);
    const max = patch.max_total_backups;
    if (max !== undefined) {
      if (max > vm.backupCapacity) {
        throw new MockRuleError(
          "limit",
          "exceeds_purchased_capacity",
          `maxTotalBackups cannot exceed the purchased backup capacity (${vm.backupCapacity})`,
          "max_total_backups",
        );
      }
      if (vm.schedule && max < vm.schedule.retention_count) {
        throw new MockRuleError(
          "limit",
          "below_retention_count",
          `maxTotalBackups cannot be below the schedule's retention count (${vm.schedule.retention_count})`,
          "max_total_backups",
        );
      }
      vm.maxTotalBackups = max;
    }
    if (patch.auto_delete_oldest !== undefined) vm.autoDeleteOldest = patch.auto_delete_oldest;
    this.touchSettings(vm);
  }

  /** Creates or replaces the singleton snapshot schedule; the interval is floored and clamped to 4..24. */
  saveSnapshotSchedule(vm: MockVm, body: { enabled: boolean; interval_hours: number }): V1SnapshotSchedule {
    this.settle(vm);
    this.assertReady(vm);
    const gate = this.canEnableSnapshots(vm);
    if (!gate.allowed) {
      throw new MockRuleError(
        "gate",
        gate.code ?? "snapshots_unavailable",
        gate.reason ?? "Not allowed",
        "enabled",
      );
    }
    const interval = clampIntervalHours(body.interval_hours);
    const old = vm.snapshotSchedule;
    const schedule = this.buildSnapshotSchedule(vm, body.enabled, interval, old ?? undefined);
    const lastRun = old?.last_run ?? null;
    schedule.last_run = lastRun;
    schedule.next_run = body.enabled
      ? iso(nextSnapshotRun(interval, lastRun === null ? null : Date.parse(lastRun), this.now()))
      : null;
    vm.snapshotSchedule = schedule;
    return schedule;
  }

  deleteSnapshotSchedule(vm: MockVm): void {
    this.settle(vm);
    this.assertReady(vm);
    vm.snapshotSchedule = null;
  }

  /** Starts a backup now (what the dashboard's "back up now" does) and returns its job id. */
  startBackup(vm: MockVm, type: "manual" | "scheduled" = "manual", at = this.now()): string {
    const entry = this.buildHistory(vm, type, iso(at), "pending");
    vm.history.unshift(entry);
    if (vm.history.length > HISTORY_KEPT) vm.history.length = HISTORY_KEPT;
    this.jobs.set(entry.job_id, {
      jobId: entry.job_id,
      vmid: vm.vmid,
      historyId: entry.id,
      scheduled: type === "scheduled",
      createdAt: at,
      finishedAt: null,
      durationMs: this.jobOptions.durationMs,
      pollsToComplete: this.jobOptions.pollsToComplete,
      polls: 0,
      failure: null,
    });
    return entry.job_id;
  }

  /** A poll of `GET /api/jobs/{jobId}`: counts the poll, settles the VM, answers the job as v1 shows it. */
  pollJob(jobId: string, clientId: string): V1Job {
    const job = this.jobs.get(jobId);
    const vm = job ? this.vms.get(job.vmid) : undefined;
    if (!job || !vm || vm.clientId !== clientId) {
      throw new MockRuleError("not_found", "not_found", "Job not found");
    }
    if (job.finishedAt === null) job.polls++;
    this.settle(vm);
    return this.jobView(job, vm);
  }

  private progress(job: MockJob): number {
    if (job.finishedAt !== null) return 100;
    const byTime = (this.now() - job.createdAt) / Math.max(1, job.durationMs);
    const byPolls = job.polls / Math.max(1, job.pollsToComplete);
    return Math.max(0, Math.min(100, Math.floor(Math.max(byTime, byPolls) * 100)));
  }

  jobView(job: MockJob, vm: MockVm): V1Job {
    const progress = this.progress(job);
    const done = job.finishedAt !== null;
    const failed = done && job.failure !== null;
    const waiting = !done && progress === 0;
    const status = failed ? "failed" : done ? "completed" : waiting ? "queued" : "running";
    const entry = vm.history.find((h) => h.id === job.historyId);
    const message = failed
      ? job.failure
      : done
        ? "Backup finished"
        : waiting
          ? "Waiting in queue"
          : "Uploading backup";
    return {
      jobId: job.jobId,
      queueType: "backup",
      type: "backup",
      state: failed ? "failed" : done ? "completed" : waiting ? "waiting" : "active",
      status,
      progress,
      progressTextKey: `jobs.progress.${status}`,
      progressDetails: { percentage: progress, message, current: progress, total: 100 },
      progressMessage: message,
      result: done && !failed && entry ? { volid: entry.volid } : null,
      isCompleted: done && !failed,
      isFailed: failed,
      isRunning: !done && !waiting,
      isWaiting: waiting,
      createdAt: iso(job.createdAt),
      finishedAt: job.finishedAt === null ? null : iso(job.finishedAt),
      jobName: job.scheduled ? "scheduled-backup" : "manual-backup",
      vmId: String(vm.vmid),
      hostbillAccountId: vm.accountId,
      isScheduled: job.scheduled,
      delay: 0,
      statusKey: `jobs.status.${status}`,
    };
  }

  /** The state of the latest run of the VM's schedule, for v2 `status`: null until it has run. */
  lastRunStatus(vm: MockVm): "completed" | "running" | "queued" | "failed" | null {
    const schedule = vm.schedule;
    if (!schedule) return null;
    const entry = vm.history.find((h) => h.schedule_id === schedule.id);
    if (!entry) return null;
    const job = this.jobs.get(entry.job_id);
    if (!job) return entry.status === "pending" ? "running" : "completed";
    if (job.finishedAt !== null) return job.failure ? "failed" : "completed";
    return this.progress(job) === 0 ? "queued" : "running";
  }

  /**
   * Brings a VM up to "now": runs a backup schedule that came due (at most one run per call, so a clock jumped
   * far ahead costs one run, not thousands), finishes the jobs whose time or polls are up, applies retention,
   * and moves the snapshot schedule on. Called by every route before it reads or writes the VM.
   */
  settle(vm: MockVm): void {
    const now = this.now();
    const s = vm.schedule;
    if (s?.enabled && Date.parse(s.next_run) <= now) {
      const due = Date.parse(s.next_run);
      this.startBackup(vm, "scheduled", due);
      s.last_run = iso(due);
      s.next_run = iso(nextBackupRun(s, now));
    }
    for (const entry of vm.history) {
      if (entry.status !== "pending") continue;
      const job = this.jobs.get(entry.job_id);
      if (job && job.finishedAt === null && this.progress(job) >= 100) this.finishBackup(vm, entry, job, now);
    }
    const snap = vm.snapshotSchedule;
    if (snap?.enabled && snap.next_run !== null && Date.parse(snap.next_run) <= now) {
      const step = snap.interval_hours * 3_600_000;
      const due = Date.parse(snap.next_run);
      const last = due + Math.floor((now - due) / step) * step;
      snap.last_run = iso(last);
      snap.next_run = iso(nextSnapshotRun(snap.interval_hours, last, now));
    }
  }

  private finishBackup(vm: MockVm, entry: V1BackupHistoryEntry, job: MockJob, now: number): void {
    job.finishedAt = Math.max(job.createdAt, Math.min(now, job.createdAt + job.durationMs));
    const { manual, scheduled } = this.counts(vm);
    const limit = backupLimit(vm);
    const overLimit = manual + scheduled >= limit;
    if (overLimit && !vm.autoDeleteOldest) {
      job.failure = `Backup limit reached (${limit}) and auto_delete_oldest is off`;
      entry.status = "deleted";
      entry.deleted_at = iso(job.finishedAt);
      entry.error_message = job.failure;
      return;
    }
    entry.status = "active";
    entry.size = String(21_474_836_480 + entry.id);
    // Retention: a schedule keeps its newest `retention_count` backups; the limit drops the oldest of any type.
    const active = vm.history.filter((h) => h.status === "active");
    if (entry.backup_type === "scheduled" && vm.schedule && entry.schedule_id === vm.schedule.id) {
      const own = active.filter((h) => h.schedule_id === entry.schedule_id);
      for (const old of own.slice(vm.schedule.retention_count)) this.dropBackup(old, job.finishedAt);
    }
    const stillActive = vm.history.filter((h) => h.status === "active");
    for (const old of stillActive.slice(limit)) this.dropBackup(old, job.finishedAt);
  }

  private dropBackup(entry: V1BackupHistoryEntry, at: number): void {
    entry.status = "deleted";
    entry.deleted_at = iso(at);
  }

  private touchSettings(vm: MockVm): void {
    vm.settingsUpdatedAt = iso(this.now());
  }

  private buildSchedule(
    vm: MockVm,
    body: MockBackupScheduleSeed | V1SaveBackupScheduleRequest,
    id: number,
    createdAt: string,
  ): V1BackupSchedule {
    const now = this.now();
    const timing = {
      schedule_type: body.schedule_type,
      hour: body.hour,
      minute: body.minute ?? 0,
      day_of_week:
        body.schedule_type === "weekly" && "day_of_week" in body ? (body.day_of_week ?? null) : null,
      day_of_month:
        body.schedule_type === "monthly" && "day_of_month" in body ? (body.day_of_month ?? null) : null,
    };
    return {
      id,
      client_id: vm.clientId,
      account_id: vm.accountId,
      vm_id: String(vm.vmid),
      enabled: body.enabled ?? true,
      ...timing,
      retention_count: body.retention_count,
      backup_mode: "snapshot",
      compress: "zstd",
      notes: body.notes ?? null,
      last_run: null,
      next_run: iso(nextBackupRun(timing, now)),
      created_at: createdAt,
      updated_at: iso(now),
    };
  }

  private buildHistory(
    vm: MockVm,
    type: "manual" | "scheduled",
    createdAt: string,
    status: "active" | "deleted" | "pending",
  ): V1BackupHistoryEntry {
    const id = this.nextHistoryId++;
    return {
      id,
      client_id: vm.clientId,
      account_id: vm.accountId,
      vm_id: String(vm.vmid),
      backup_type: type,
      schedule_id: type === "scheduled" ? (vm.schedule?.id ?? null) : null,
      volid: `pbs-offsite-10g:backup/vm/${vm.vmid}/${createdAt}`,
      size: null,
      notes: null,
      status,
      created_at: createdAt,
      deleted_at: null,
      job_id: `backup-${vm.vmid}-${Date.parse(createdAt)}-${id}`,
      error_message: null,
    };
  }

  private buildSnapshotSchedule(
    vm: MockVm,
    enabled: boolean,
    intervalHours: number,
    old?: V1SnapshotSchedule,
  ): V1SnapshotSchedule {
    const now = iso(this.now());
    return {
      id: old?.id ?? String(this.nextSnapshotId++),
      client_id: vm.clientId,
      account_id: vm.accountId,
      vm_id: String(vm.vmid),
      enabled,
      interval_hours: clampIntervalHours(intervalHours),
      retention_days: SNAPSHOT_RETENTION_DAYS,
      last_run: null,
      next_run: null,
      created_at: old?.created_at ?? now,
      updated_at: now,
    };
  }
}

/**
 * The backup limit in force: the PATCHed `maxTotalBackups`, capped by the purchased `backupCapacity`. Derived on
 * every read, so a capacity changed in place (bought or cancelled slots) applies at once.
 */
export function backupLimit(vm: MockVm): number {
  return Math.min(vm.maxTotalBackups, vm.backupCapacity);
}

function pendingOrderGate(what: string): ActionGate {
  return {
    allowed: false,
    reason: `A pending order must be completed before ${what} can be scheduled.`,
    code: "pending_order",
  };
}

/** The day rules, for bodies that reach the model without the spec's validator (seeds, tests). */
function checkDays(body: V1SaveBackupScheduleRequest): void {
  const b = body as { schedule_type: string; day_of_week?: unknown; day_of_month?: unknown };
  const has = (k: "day_of_week" | "day_of_month") => b[k] !== undefined && b[k] !== null;
  if (b.schedule_type === "weekly" && !has("day_of_week")) {
    throw new MockRuleError(
      "validation",
      "missing_required",
      "day_of_week is required for weekly schedules",
      "day_of_week",
    );
  }
  if (b.schedule_type === "monthly" && !has("day_of_month")) {
    throw new MockRuleError(
      "validation",
      "missing_required",
      "day_of_month is required for monthly schedules",
      "day_of_month",
    );
  }
  if (b.schedule_type !== "weekly" && has("day_of_week")) {
    throw new MockRuleError(
      "validation",
      "not_allowed",
      `day_of_week is not allowed for ${b.schedule_type} schedules`,
      "day_of_week",
    );
  }
  if (b.schedule_type !== "monthly" && has("day_of_month")) {
    throw new MockRuleError(
      "validation",
      "not_allowed",
      `day_of_month is not allowed for ${b.schedule_type} schedules`,
      "day_of_month",
    );
  }
}

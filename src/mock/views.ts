// What the API shows of a VM, derived from its rows on every read (never stored, so a row changed in place shows at
// once): v1 settings and limits, the action gates, a job as v1 shows it, the last run's status for v2.
import { iso } from "./schedule-time.js";
import type {
  ActionGate,
  MockJob,
  MockJobKind,
  MockVm,
  MockWorld,
  V1BackupLimits,
  V1BackupSettings,
  V1Job,
} from "./types.js";

/**
 * The backup limit in force: the PATCHed `maxTotalBackups`, capped by the purchased `backupCapacity`, so a capacity
 * changed in place (slots bought or cancelled) applies at once.
 */
export function backupLimit(vm: MockVm): number {
  return Math.min(vm.maxTotalBackups, vm.backupCapacity);
}

/** Active backups by type. */
export function activeBackups(vm: MockVm): { manual: number; scheduled: number } {
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
export function backupSettings(vm: MockVm): V1BackupSettings {
  const { manual, scheduled } = activeBackups(vm);
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

export function backupLimits(vm: MockVm, settings = backupSettings(vm)): V1BackupLimits {
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

function pendingOrderGate(what: string): ActionGate {
  return {
    allowed: false,
    reason: `A pending order must be completed before ${what} can be scheduled.`,
    code: "pending_order",
  };
}

/** `actions.canCreate`: closed by a pending order or by no backup capacity. */
export function canCreateBackupSchedule(vm: MockVm): ActionGate {
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
export function canEnableSnapshots(vm: MockVm): ActionGate {
  if (vm.snapshotCapacity < 1) {
    return { allowed: false, reason: "The current plan includes no snapshot slots.", code: null };
  }
  if (vm.pendingOrder) return pendingOrderGate("snapshots");
  return { allowed: true, reason: null, code: null };
}

/** 0..100: by the time the job has run or by the polls it has had, whichever is further. */
export function jobProgress(job: MockJob, now: number): number {
  if (job.finishedAt !== null) return 100;
  const byTime = (now - job.createdAt) / Math.max(1, job.durationMs);
  const byPolls = job.polls / Math.max(1, job.pollsToComplete);
  return Math.max(0, Math.min(100, Math.floor(Math.max(byTime, byPolls) * 100)));
}

/** How each kind of job names itself: queue, type, job name, and its message while it runs and once done. */
const JOB_TEXTS: Record<
  MockJobKind,
  { queue: string; type: string; name: string; running: string; done: string }
> = {
  backup: {
    queue: "backup",
    type: "backup",
    name: "manual-backup",
    running: "Uploading backup",
    done: "Backup finished",
  },
  restore: {
    queue: "backup",
    type: "restore",
    name: "backup-restore",
    running: "Restoring backup",
    done: "Restore finished",
  },
  restore_from_vps: {
    queue: "backup",
    type: "restore",
    name: "backup-restore-from-vps",
    running: "Restoring backup from another VPS",
    done: "Restore finished",
  },
  restore_to_payg: {
    queue: "backup",
    type: "restore",
    name: "backup-restore-to-payg",
    running: "Restoring backup to a new Cloud VM",
    done: "Cloud VM restored",
  },
  snapshot_create: {
    queue: "snapshot",
    type: "snapshot",
    name: "snapshot_create",
    running: "Taking snapshot",
    done: "Snapshot taken",
  },
  snapshot_rollback: {
    queue: "snapshot",
    type: "snapshot",
    name: "snapshot_rollback",
    running: "Rolling back to snapshot",
    done: "Snapshot rollback finished",
  },
  snapshot_delete: {
    queue: "snapshot",
    type: "snapshot",
    name: "snapshot_delete",
    running: "Deleting snapshot",
    done: "Snapshot deleted",
  },
};

/** What a finished job says it did (the spec leaves `result` open): the backup, the snapshot, the new VM. */
function jobResult(job: MockJob): Record<string, unknown> {
  switch (job.kind) {
    case "backup":
    case "restore":
      return { volid: job.volid };
    case "restore_from_vps":
      return { volid: job.volid, sourceVmId: String(job.sourceVmid) };
    case "restore_to_payg":
      return { volid: job.volid, vpsId: job.createdVpsId };
    default:
      return { snapname: job.snapname };
  }
}

/** A job as `GET /api/jobs/{jobId}` shows it. */
export function jobView(job: MockJob, vm: MockVm, now: number): V1Job {
  const progress = jobProgress(job, now);
  const done = job.finishedAt !== null;
  const failed = done && job.failure !== null;
  const waiting = !done && progress === 0;
  const status = failed ? "failed" : done ? "completed" : waiting ? "queued" : "running";
  const texts = JOB_TEXTS[job.kind];
  const message = failed ? job.failure : done ? texts.done : waiting ? "Waiting in queue" : texts.running;
  return {
    jobId: job.jobId,
    queueType: texts.queue,
    type: texts.type,
    state: failed ? "failed" : done ? "completed" : waiting ? "waiting" : "active",
    status,
    progress,
    progressTextKey: `jobs.progress.${status}`,
    progressDetails: { percentage: progress, message, current: progress, total: 100 },
    progressMessage: message,
    result: done && !failed ? jobResult(job) : null,
    isCompleted: done && !failed,
    isFailed: failed,
    isRunning: !done && !waiting,
    isWaiting: waiting,
    createdAt: iso(job.createdAt),
    finishedAt: job.finishedAt === null ? null : iso(job.finishedAt),
    jobName: job.scheduled ? "scheduled-backup" : texts.name,
    vmId: String(vm.vmid),
    hostbillAccountId: vm.accountId,
    isScheduled: job.scheduled,
    delay: 0,
    statusKey: `jobs.status.${status}`,
  };
}

/** The state of the latest run of the VM's schedule, for v2 `status`: null until it has run. */
export function lastRunStatus(
  world: MockWorld,
  vm: MockVm,
): "completed" | "running" | "queued" | "failed" | null {
  const schedule = vm.schedule;
  if (!schedule) return null;
  const entry = vm.history.find((h) => h.schedule_id === schedule.id);
  if (!entry) return null;
  const job = world.jobs.get(entry.job_id);
  if (!job) return entry.status === "pending" ? "running" : "completed";
  if (job.finishedAt !== null) return job.failure ? "failed" : "completed";
  return jobProgress(job, world.now()) === 0 ? "queued" : "running";
}

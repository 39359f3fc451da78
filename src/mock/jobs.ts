// Backups, restores and snapshots over time: a backup started by hand or by its schedule, a poll of a job, and
// `settle`, which brings a VM up to "now" before any route reads or writes it: due schedules run, jobs whose
// time or polls are up finish (and do what they were for), snapshots past their 24 hours go.

import { SNAPSHOT_LIFETIME_SECONDS } from "../sync/snapshot-mapping.js";
import { canCreateSnapshot, snapshotExpiry } from "./lifecycle-views.js";
import { newBackupJob, newHistoryEntry, newSnapshot } from "./rows.js";
import { MockRuleError } from "./rule-error.js";
import { iso, nextBackupRun, nextSnapshotRun } from "./schedule-time.js";
import type { MockJob, MockSnapshot, MockVm, MockWorld, V1BackupHistoryEntry, V1Job } from "./types.js";
import { activeBackups, backupLimit, jobProgress, jobView } from "./views.js";

/**
 * History entries kept per VM, newest first. Only deleted entries are trimmed: every view reads the backups that
 * exist (and the ones being made) from the history, so dropping one of those would make a backup vanish.
 */
const HISTORY_KEPT = 100;

/**
 * Starts a backup (what the dashboard's "back up now" does, or a schedule's run) and returns its pending history
 * entry. The entry's time is whole seconds, as Proxmox's `ctime` is, so the v1 list and the history agree on it.
 */
export function startBackup(
  world: MockWorld,
  vm: MockVm,
  type: "manual" | "scheduled" = "manual",
  at = world.now(),
): V1BackupHistoryEntry {
  const entry = newHistoryEntry(world, vm, type, iso(Math.floor(at / 1000) * 1000), "pending");
  vm.history.unshift(entry);
  trimHistory(vm);
  world.jobs.set(entry.job_id, newBackupJob(world, vm, entry, at, null));
  return entry;
}

/** Drops the oldest deleted entries beyond HISTORY_KEPT. */
function trimHistory(vm: MockVm): void {
  let excess = vm.history.length - HISTORY_KEPT;
  for (let i = vm.history.length - 1; i >= 0 && excess > 0; i--) {
    if (vm.history[i]?.status !== "deleted") continue;
    vm.history.splice(i, 1);
    excess--;
  }
}

/** A poll of `GET /api/jobs/{jobId}`: counts the poll, settles the VM, answers the job as v1 shows it. */
export function pollJob(world: MockWorld, jobId: string, clientId: string): V1Job {
  const job = world.jobs.get(jobId);
  const vm = job ? world.vms.get(job.vmid) : undefined;
  if (!job || !vm || vm.clientId !== clientId) {
    throw new MockRuleError("not_found", "not_found", "Job not found");
  }
  if (job.finishedAt === null) job.polls++;
  settle(world, vm);
  return jobView(job, vm, world.now());
}

/**
 * Brings a VM up to "now": runs a backup schedule that came due (at most one run per call, so a clock jumped
 * far ahead costs one run, not thousands), finishes the jobs whose time or polls are up, applies retention,
 * and moves the snapshot schedule on.
 */
export function settle(world: MockWorld, vm: MockVm): void {
  const now = world.now();
  const s = vm.schedule;
  if (s?.enabled && Date.parse(s.next_run) <= now) {
    const due = Date.parse(s.next_run);
    startBackup(world, vm, "scheduled", due);
    s.last_run = iso(due);
    s.next_run = iso(nextBackupRun(s, now));
  }
  for (const entry of vm.history) {
    if (entry.status !== "pending") continue;
    const job = world.jobs.get(entry.job_id);
    if (job && job.finishedAt === null && jobProgress(job, now) >= 100) finishBackup(vm, entry, job, now);
  }
  for (const job of world.jobs.values()) {
    if (job.vmid !== vm.vmid || job.kind === "backup" || job.finishedAt !== null) continue;
    if (jobProgress(job, now) >= 100) finishWork(world, vm, job, now);
  }
  const snap = vm.snapshotSchedule;
  if (snap?.enabled && snap.next_run !== null && Date.parse(snap.next_run) <= now) {
    const step = snap.interval_hours * 3_600_000;
    const due = Date.parse(snap.next_run);
    const last = due + Math.floor((now - due) / step) * step;
    // Each run takes a snapshot; a run whose snapshot would have expired by now is not replayed.
    const first = Math.max(due, due + Math.ceil((now - SNAPSHOT_LIFETIME_MS - due) / step) * step);
    for (let run = first; run <= last; run += step) takeScheduledSnapshot(world, vm, run);
    snap.last_run = iso(last);
    snap.next_run = iso(nextSnapshotRun(snap.interval_hours, last, now));
  }
  dropExpiredSnapshots(vm, now);
}

const SNAPSHOT_LIFETIME_MS = SNAPSHOT_LIFETIME_SECONDS * 1000;

function dropExpiredSnapshots(vm: MockVm, at: number): void {
  for (const snapshot of vm.snapshots.filter((s) => snapshotExpiry(s) <= at)) dropSnapshot(vm, snapshot);
}

/**
 * A scheduled run at `at`: a snapshot named `auto-YYYYMMDD-HHMM` (UTC; the pages do not say how HostUp names them),
 * taken at once, the VM's present state deriving from it, when the create gate is open (a slot free once the
 * snapshots expired by then are gone, none being taken, the VM not being restored); otherwise the run takes none.
 */
function takeScheduledSnapshot(world: MockWorld, vm: MockVm, at: number): void {
  dropExpiredSnapshots(vm, at);
  const name = `auto-${iso(at).slice(0, 16).replace(/[-:]/g, "").replace("T", "-")}`;
  if (vm.snapshots.some((s) => s.name === name) || !canCreateSnapshot(world, vm).allowed) return;
  vm.snapshots.push(newSnapshot(vm, { name, description: "Scheduled snapshot" }, at, true));
  vm.snapshotHead = name;
}

/** When a job whose time or polls are up finished: at its duration, or now if the polls ended it sooner. */
function finishedAt(job: MockJob, now: number): number {
  return Math.max(job.createdAt, Math.min(now, job.createdAt + job.durationMs));
}

/**
 * A job other than a backup finishes and does what it was for: a snapshot is taken (and the present state derives
 * from it), a rollback makes its snapshot the present state's parent, a restore to pay-as-you-go makes the new VM.
 * Restores in place need nothing more: the VM takes writes again because no restore runs on it.
 */
function finishWork(world: MockWorld, vm: MockVm, job: MockJob, now: number): void {
  job.finishedAt = finishedAt(job, now);
  const snapshot = vm.snapshots.find((s) => s.name === job.snapname);
  switch (job.kind) {
    case "snapshot_create":
      if (snapshot) {
        snapshot.taken = true;
        vm.snapshotHead = snapshot.name;
      }
      return;
    case "snapshot_rollback":
      if (snapshot) vm.snapshotHead = snapshot.name;
      return;
    case "restore_to_payg": {
      // The next free vmid whose v2 id is free too (a seed may hold any id).
      const vpsIds = new Set([...world.vms.values()].map((v) => v.vpsId));
      let vmid = Math.max(...world.vms.keys()) + 1;
      while (vpsIds.has(`vps_payg${vmid}`)) vmid++;
      const created = world.addVm({
        vmid,
        vpsId: `vps_payg${vmid}`,
        name: job.paygName ?? `${vm.name}-restore`,
        clientId: vm.clientId,
        isPayg: true,
      });
      job.createdVpsId = created.vpsId;
      return;
    }
    default:
      return;
  }
}

/**
 * Removes a snapshot (deleted, or past its 24 hours), as Proxmox does: the snapshots taken after it, and the
 * present state if it derived from it, now derive from its parent.
 */
export function dropSnapshot(vm: MockVm, snapshot: MockSnapshot): void {
  vm.snapshots = vm.snapshots.filter((s) => s !== snapshot);
  for (const s of vm.snapshots) if (s.parent === snapshot.name) s.parent = snapshot.parent;
  if (vm.snapshotHead === snapshot.name) vm.snapshotHead = snapshot.parent;
}

function finishBackup(vm: MockVm, entry: V1BackupHistoryEntry, job: MockJob, now: number): void {
  job.finishedAt = finishedAt(job, now);
  const { manual, scheduled } = activeBackups(vm);
  const limit = backupLimit(vm);
  if (manual + scheduled >= limit && !vm.autoDeleteOldest) {
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
    for (const old of own.slice(vm.schedule.retention_count)) dropBackup(old, job.finishedAt);
  }
  const stillActive = vm.history.filter((h) => h.status === "active");
  for (const old of stillActive.slice(limit)) dropBackup(old, job.finishedAt);
}

function dropBackup(entry: V1BackupHistoryEntry, at: number): void {
  entry.status = "deleted";
  entry.deleted_at = iso(at);
}

// What the API shows of a VM's backups and snapshots, derived from its rows on every read: v1's Proxmox lists
// (backups, snapshots with the pseudo-entry `current`) and the action gates of both lists. v2's bodies are built
// from these through src/sync (v2-view.ts).
import { SNAPSHOT_LIFETIME_SECONDS, V1_CURRENT_STATE } from "../sync/snapshot-mapping.js";
import type {
  ActionGate,
  MockJob,
  MockSnapshot,
  MockVm,
  MockWorld,
  V1Backup,
  V1BackupHistoryEntry,
  V1Snapshot,
} from "./types.js";
import { activeBackups, backupLimit, jobProgress } from "./views.js";

const OPEN: ActionGate = { allowed: true, reason: null, code: null };

/** The size of a backup's configuration file, as Proxmox Backup Server lists it beside the disk image. */
const CONFIG_BLOB_BYTES = 631;

/** Kinds of job that stop the VM while they run: every write to it is refused until they finish. */
const STOPS_THE_VM = new Set(["restore", "restore_from_vps", "snapshot_rollback"]);

/** The unfinished jobs of `vm` (by the clock and their polls: a job due to finish counts as finished). */
export function runningJobs(world: MockWorld, vm: MockVm): MockJob[] {
  const now = world.now();
  return [...world.jobs.values()].filter(
    (job) => job.vmid === vm.vmid && job.finishedAt === null && jobProgress(job, now) < 100,
  );
}

/** The restore or rollback running on `vm`, if one is: the VM is stopped and takes no write. */
export function restoreInProgress(world: MockWorld, vm: MockVm): MockJob | undefined {
  return runningJobs(world, vm).find((job) => STOPS_THE_VM.has(job.kind));
}

/** The backups that exist (v1 `GET .../backups` lists them; pending and deleted history entries are not on storage). */
export function activeEntries(vm: MockVm): V1BackupHistoryEntry[] {
  return vm.history.filter((h) => h.status === "active" && h.deleted_at === null);
}

/**
 * A history entry as Proxmox lists the backup (`GET /api/vm/{vmid}/backups`): the fields the two views share are
 * the inverse of `toV1HistoryFields` (test/mock checks the round trip), the rest is what a PBS datastore shows.
 */
export function v1Backup(entry: V1BackupHistoryEntry): V1Backup {
  const size = Number(entry.size ?? 0);
  return {
    backupType: entry.backup_type,
    content: "pbs-vm",
    ctime: Math.floor(Date.parse(entry.created_at) / 1000),
    files: [
      { "crypt-mode": "none", filename: "qemu-server.conf.blob", size: CONFIG_BLOB_BYTES },
      { "crypt-mode": "none", filename: "drive-scsi0.img.fidx", size: Math.max(0, size - CONFIG_BLOB_BYTES) },
    ],
    format: "pbs",
    notes: entry.notes ?? "",
    protected: false,
    scheduleId: entry.schedule_id,
    scheduled: entry.backup_type === "scheduled",
    size,
    storage: entry.volid.slice(0, entry.volid.indexOf(":")),
    vmid: entry.vm_id,
    volid: entry.volid,
  };
}

/** The snapshots that exist now (taken, not yet expired). */
export function takenSnapshots(vm: MockVm): MockSnapshot[] {
  return vm.snapshots.filter((s) => s.taken);
}

/** When a snapshot is removed on its own (epoch ms): about 24 hours after it was taken. */
export function snapshotExpiry(snapshot: MockSnapshot): number {
  return (snapshot.snaptime + SNAPSHOT_LIFETIME_SECONDS) * 1000;
}

/** Proxmox's snapshot list: the snapshots, then `current` (the VM's present state; `running` 0 while it is stopped). */
export function v1Snapshots(world: MockWorld, vm: MockVm): V1Snapshot[] {
  const snapshots: V1Snapshot[] = takenSnapshots(vm).map((s) => ({
    name: s.name,
    description: s.description,
    snaptime: s.snaptime,
    vmstate: s.vmstate,
    ...(s.parent === null ? {} : { parent: s.parent }),
  }));
  snapshots.push({
    digest: configDigest(vm),
    running: restoreInProgress(world, vm) ? 0 : 1,
    name: V1_CURRENT_STATE,
    description: "You are here!",
    ...(vm.snapshotHead === null ? {} : { parent: vm.snapshotHead }),
  });
  return snapshots;
}

/** A stable stand-in for Proxmox's config digest (40 hex digits), from the VM's id and snapshot head. */
function configDigest(vm: MockVm): string {
  let h = 2166136261;
  for (const c of `${vm.vmid}:${vm.snapshotHead ?? ""}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h.toString(16).padStart(8, "0").repeat(5);
}

function closed(reason: string, code: string): ActionGate {
  return { allowed: false, reason, code };
}

/** Service status, shared by every gate: a VM still provisioning, or stopped by a restore, takes no write. */
function serviceGate(world: MockWorld, vm: MockVm): ActionGate | undefined {
  if (!vm.ready) return closed("The VPS is not ready for this operation.", "vps_not_ready");
  if (restoreInProgress(world, vm)) {
    return closed("The VPS is being restored; try again when the job has finished.", "vps_not_ready");
  }
  return undefined;
}

/** `actions.canCreateBackup`: service status, a pending order, capacity, a backup in flight, the quota. */
export function canCreateBackup(world: MockWorld, vm: MockVm): ActionGate {
  const service = serviceGate(world, vm);
  if (service) return service;
  if (vm.pendingOrder) {
    return closed("A pending order must be completed before a backup can be made.", "pending_order");
  }
  const limit = backupLimit(vm);
  if (limit < 1)
    return closed("The VPS has no backup capacity; buy backup slots first.", "no_backup_capacity");
  if (runningJobs(world, vm).some((job) => job.kind === "backup")) {
    return closed("A backup of this VPS is already in progress.", "backup_in_progress");
  }
  const { manual, scheduled } = activeBackups(vm);
  if (manual + scheduled >= limit) {
    return closed(
      "The backup quota of this VPS is used up. Delete a backup to free a slot.",
      "backup_quota_exceeded",
    );
  }
  return OPEN;
}

/** `actions.canRestore` (in place, and to a new pay-as-you-go VM): service status, a backup to restore. */
export function canRestoreBackup(world: MockWorld, vm: MockVm): ActionGate {
  const service = serviceGate(world, vm);
  if (service) return service;
  if (activeEntries(vm).length === 0) return closed("There is no backup to restore.", "no_backups");
  return OPEN;
}

/** `actions.canRestoreFromAnotherVps`, on the target: service status only (the source is named per request). */
export function canRestoreFromAnotherVps(world: MockWorld, vm: MockVm): ActionGate {
  return serviceGate(world, vm) ?? OPEN;
}

function snapshotsUnavailable(vm: MockVm): ActionGate | undefined {
  if (vm.snapshotCapacity < 1) {
    return closed("The current plan includes no snapshot slots.", "snapshots_unavailable");
  }
  return undefined;
}

function snapshotInFlight(world: MockWorld, vm: MockVm): ActionGate | undefined {
  if (runningJobs(world, vm).some((job) => job.kind === "snapshot_create")) {
    return closed("A snapshot of this VPS is being taken.", "snapshot_in_progress");
  }
  return undefined;
}

/** Snapshot `actions.canCreate`: service status, slots on the plan, a snapshot being taken, a free slot. */
export function canCreateSnapshot(world: MockWorld, vm: MockVm): ActionGate {
  const blocked = serviceGate(world, vm) ?? snapshotsUnavailable(vm) ?? snapshotInFlight(world, vm);
  if (blocked) return blocked;
  if (vm.snapshots.length >= vm.snapshotCapacity) {
    return closed(
      `All ${vm.snapshotCapacity} snapshot slots are in use. Delete a snapshot to free one.`,
      "snapshot_limit_reached",
    );
  }
  return OPEN;
}

/** Snapshot `actions.canRestore`: service status, slots on the plan, a snapshot being taken, one to restore. */
export function canRestoreSnapshot(world: MockWorld, vm: MockVm): ActionGate {
  const blocked = serviceGate(world, vm) ?? snapshotsUnavailable(vm) ?? snapshotInFlight(world, vm);
  if (blocked) return blocked;
  if (takenSnapshots(vm).length === 0) return closed("There is no snapshot to restore.", "no_snapshots");
  return OPEN;
}

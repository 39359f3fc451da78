// The documented rules of backups and snapshots, once for both versions: a manual backup within the quota, a
// backup deleted (its slot freed), restored in place, from another VM of the same client, or to a new
// pay-as-you-go VM; a snapshot taken within the slots under a free name, rolled back to, deleted. Each write
// that starts work returns its job; the routes answer it as their version does (v1 `jobId`, v2 `operation`).
import { V1_CURRENT_STATE } from "../sync/snapshot-mapping.js";
import { dropSnapshot, settle, startBackup } from "./jobs.js";
import {
  activeEntries,
  canCreateBackup,
  canCreateSnapshot,
  canRestoreBackup,
  canRestoreFromAnotherVps,
  canRestoreSnapshot,
  takenSnapshots,
} from "./lifecycle-views.js";
import { type JobWork, newJob, newSnapshot } from "./rows.js";
import { MockRuleError } from "./rule-error.js";
import { assertWritable } from "./rules.js";
import { iso } from "./schedule-time.js";
import type { ActionGate, MockJob, MockSnapshot, MockVm, MockWorld, V1BackupHistoryEntry } from "./types.js";

/** Which backup a route names: v1 by its `volid`, v2 by the history id behind its `bkp_` id. */
export type BackupRef = { volid: string } | { id: number };

function refuse(gate: ActionGate): MockRuleError {
  return new MockRuleError("gate", gate.code ?? "not_allowed", gate.reason ?? "Not allowed");
}

function startJob(world: MockWorld, vm: MockVm, work: JobWork): MockJob {
  const job = newJob(world, vm, work, world.now(), null);
  world.jobs.set(job.jobId, job);
  return job;
}

/** A backup of `vm` that exists now; any other (unknown, pending, deleted) is 404, as on a foreign VM. */
export function findBackup(vm: MockVm, ref: BackupRef): V1BackupHistoryEntry {
  const entry = activeEntries(vm).find((h) => ("volid" in ref ? h.volid === ref.volid : h.id === ref.id));
  if (!entry) throw new MockRuleError("not_found", "not_found", "Backup not found");
  return entry;
}

function findSnapshot(vm: MockVm, name: string): MockSnapshot {
  const snapshot = takenSnapshots(vm).find((s) => s.name === name);
  if (!snapshot) throw new MockRuleError("not_found", "not_found", "Snapshot not found");
  return snapshot;
}

/** A manual backup (v2 `POST .../backups`), if `actions.canCreateBackup` allows it; returns its job. */
export function createBackup(world: MockWorld, vm: MockVm, note?: string): MockJob {
  settle(world, vm);
  assertWritable(world, vm);
  const gate = canCreateBackup(world, vm);
  if (!gate.allowed) throw refuse(gate);
  const entry = startBackup(world, vm, "manual");
  entry.notes = note ?? null;
  return world.jobs.get(entry.job_id) as MockJob;
}

/** Deletes a backup: it leaves the lists, stays in the history as `deleted`, and its quota slot is free again. */
export function deleteBackup(world: MockWorld, vm: MockVm, ref: BackupRef): void {
  settle(world, vm);
  assertWritable(world, vm);
  const entry = findBackup(vm, ref);
  entry.status = "deleted";
  entry.deleted_at = iso(world.now());
}

/** Restores `vm` in place from one of its backups: a job that stops the VM (writes refused) until it finishes. */
export function restoreBackup(world: MockWorld, vm: MockVm, ref: BackupRef): MockJob {
  settle(world, vm);
  assertWritable(world, vm);
  const entry = findBackup(vm, ref);
  const gate = canRestoreBackup(world, vm);
  if (!gate.allowed) throw refuse(gate);
  return startJob(world, vm, { kind: "restore", historyId: entry.id, volid: entry.volid });
}

/**
 * Restores `target` from a backup of `source`, another VM of the same client (the route found both as the
 * caller's: another client's VM is 404 before this runs). The target is stopped until the job finishes.
 */
export function restoreBackupFromVps(
  world: MockWorld,
  target: MockVm,
  source: MockVm,
  ref: BackupRef,
): MockJob {
  settle(world, target);
  settle(world, source);
  assertWritable(world, target);
  if (source === target) {
    throw new MockRuleError(
      "validation",
      "same_vps",
      "sourceVpsId must be another VPS than the target; restore a VPS's own backup in place",
      "sourceVpsId",
    );
  }
  const entry = findBackup(source, ref);
  const gate = canRestoreFromAnotherVps(world, target);
  if (!gate.allowed) throw refuse(gate);
  return startJob(world, target, {
    kind: "restore_from_vps",
    historyId: entry.id,
    volid: entry.volid,
    sourceVmid: source.vmid,
  });
}

/** A new pay-as-you-go VM from a backup of `vm` (which is only read): the VM appears when the job finishes. */
export function restoreBackupToPayg(world: MockWorld, vm: MockVm, ref: BackupRef, name?: string): MockJob {
  settle(world, vm);
  const entry = findBackup(vm, ref);
  const gate = canRestoreBackup(world, vm);
  if (!gate.allowed) throw refuse(gate);
  return startJob(world, vm, {
    kind: "restore_to_payg",
    historyId: entry.id,
    volid: entry.volid,
    paygName: name ?? `${vm.name}-restore`,
  });
}

/**
 * Takes a snapshot: a free name (one being taken counts; `current` names the VM's present state in Proxmox's list
 * and is refused), then `actions.canCreate` (a slot free, none being taken). Listed once its job has finished.
 */
export function createSnapshot(
  world: MockWorld,
  vm: MockVm,
  body: { name: string; description?: string | null },
): MockJob {
  settle(world, vm);
  assertWritable(world, vm);
  if (body.name === V1_CURRENT_STATE) {
    throw new MockRuleError(
      "validation",
      "reserved_name",
      "`current` names the VM's present state and cannot name a snapshot",
      "name",
    );
  }
  if (vm.snapshots.some((s) => s.name === body.name)) {
    throw new MockRuleError(
      "validation",
      "already_exists",
      `A snapshot named ${body.name} already exists on this VPS`,
      "name",
    );
  }
  const gate = canCreateSnapshot(world, vm);
  if (!gate.allowed) throw refuse(gate);
  vm.snapshots.push(newSnapshot(vm, body, world.now(), false));
  return startJob(world, vm, { kind: "snapshot_create", snapname: body.name });
}

/**
 * Deletes a snapshot at once (its slot is free); v1 answers a job for it (`queued: true`), which completes on the
 * clock like the others, v2 answers 204.
 */
export function deleteSnapshot(world: MockWorld, vm: MockVm, name: string, queued: true): MockJob;
export function deleteSnapshot(world: MockWorld, vm: MockVm, name: string, queued?: false): undefined;
export function deleteSnapshot(
  world: MockWorld,
  vm: MockVm,
  name: string,
  queued = false,
): MockJob | undefined {
  settle(world, vm);
  assertWritable(world, vm);
  dropSnapshot(vm, findSnapshot(vm, name));
  return queued ? startJob(world, vm, { kind: "snapshot_delete", snapname: name }) : undefined;
}

/** Rolls the VM back to a snapshot (v1 `action=rollback`, v2 restore): a job that stops the VM until it finishes. */
export function rollbackSnapshot(world: MockWorld, vm: MockVm, name: string): MockJob {
  settle(world, vm);
  assertWritable(world, vm);
  findSnapshot(vm, name);
  const gate = canRestoreSnapshot(world, vm);
  if (!gate.allowed) throw refuse(gate);
  return startJob(world, vm, { kind: "snapshot_rollback", snapname: name });
}

// v2 is a view of the v1 rows, through the contract suite's mapping functions (src/sync): the mock adds only
// what v1 cannot tell, the opaque `bks_` and `bkp_` ids, the last run's status and the action gates.
import type { components as V2 } from "../generated/v2.js";
import {
  toV1SaveBackupScheduleRequest,
  toV2BackupFromHistory,
  toV2BackupQuota,
  toV2BackupSchedule,
  toV2BackupSettings,
  toV2SnapshotSchedule,
  toV2Snapshots,
} from "../sync/index.js";
import {
  activeEntries,
  canCreateBackup,
  canCreateSnapshot,
  canRestoreBackup,
  canRestoreFromAnotherVps,
  canRestoreSnapshot,
  v1Snapshots,
} from "./lifecycle-views.js";
import type { MockState } from "./state.js";
import type { ActionGate, MockJob, MockVm, Scope, V1BackupHistoryEntry, V1BackupSchedule } from "./types.js";

export type V2BackupSchedule = V2["schemas"]["BackupSchedule"];
export type V2BackupSchedules = V2["schemas"]["BackupSchedules"];
export type V2SnapshotScheduleState = V2["schemas"]["SnapshotScheduleState"];
export type V2SaveBackupScheduleRequest = V2["schemas"]["SaveBackupScheduleRequest"];
export type V2VpsSummary = V2["schemas"]["VpsSummary"];
export type V2Backup = V2["schemas"]["Backup"];
export type V2BackupList = V2["schemas"]["BackupList"];
export type V2SnapshotList = V2["schemas"]["SnapshotList"];
export type V2RestoreSourceList = V2["schemas"]["RestoreSourceList"];
export type V2OperationAccepted = V2["schemas"]["OperationAccepted"];

export { toV1SaveBackupScheduleRequest };

/** The v2 id of a v1 schedule row: `bks_` and the v1 integer id. */
export function toV2ScheduleId(id: number): string {
  return `bks_${id}`;
}

/** The v1 schedule id of a v2 `bks_...` id, or undefined when it names no v1 row. */
export function toV1ScheduleId(id: string): number | undefined {
  const m = /^bks_([1-9][0-9]{0,15})$/.exec(id);
  return m ? Number(m[1]) : undefined;
}

export function v2BackupSchedule(s: V1BackupSchedule, status: V2BackupSchedule["status"]): V2BackupSchedule {
  return { id: toV2ScheduleId(s.id), ...toV2BackupSchedule(s), status };
}

export function backupSchedulesView(state: MockState, vm: MockVm): V2BackupSchedules {
  const settings = state.settings(vm);
  return {
    schedules: vm.schedule ? [v2BackupSchedule(vm.schedule, state.lastRunStatus(vm))] : [],
    settings: toV2BackupSettings(settings),
    limits: state.limits(vm, settings),
    actions: { canCreate: state.canCreateBackupSchedule(vm) },
  };
}

export function snapshotStateView(state: MockState, vm: MockVm): V2SnapshotScheduleState {
  const gate = state.canEnableSnapshots(vm);
  const available = vm.snapshotCapacity > 0;
  return {
    schedule: vm.snapshotSchedule ? toV2SnapshotSchedule(vm.snapshotSchedule) : null,
    limits: { totalSnapshots: vm.snapshotCapacity },
    available,
    reason: available ? null : gate.reason,
    actions: { canEnable: gate },
  };
}

export function vpsSummary(vm: MockVm): V2VpsSummary {
  return { id: vm.vpsId, name: vm.name, billing: { isPayg: vm.isPayg } };
}

/** The v2 id of a backup (a v1 history entry): `bkp_` and the entry's integer id. */
export function toV2BackupId(historyId: number): string {
  return `bkp_${historyId}`;
}

/** The history id of a v2 `bkp_...` id, or undefined when it names no v1 row (then: 404). */
export function toV1HistoryId(id: string): number | undefined {
  const m = /^bkp_([1-9][0-9]{0,15})$/.exec(id);
  return m ? Number(m[1]) : undefined;
}

/**
 * The backups v2 lists: the history's existing backups through toV2BackupFromHistory, oldest first as the page's
 * examples (and v1's list) show them; the history is newest first.
 */
function v2Backups(vm: MockVm): V2Backup[] {
  return [...vm.history].reverse().flatMap((entry: V1BackupHistoryEntry) => {
    const backup = toV2BackupFromHistory(entry);
    return backup ? [{ id: toV2BackupId(entry.id), ...backup }] : [];
  });
}

/** The scope every backup and snapshot write needs (restore-to-payg also needs write:billing, which no gate names). */
const LIFECYCLE_SCOPE: Scope = "backup:vm";

/**
 * The gates "already include ... permission" (the backups page): a caller without backup:vm sees each closed, as
 * its write would be refused 403. The pages give no code for it, so `code` is null (the schema allows it).
 */
function permitted(scopes: readonly Scope[], gate: () => ActionGate): ActionGate {
  if (scopes.includes(LIFECYCLE_SCOPE)) return gate();
  return {
    allowed: false,
    reason: `The credential lacks the ${LIFECYCLE_SCOPE} scope this action requires.`,
    code: null,
  };
}

/** `GET .../backups` as the caller (whose scopes the gates include) sees it. */
export function backupListView(state: MockState, vm: MockVm, scopes: readonly Scope[]): V2BackupList {
  return {
    backups: v2Backups(vm),
    quotaInfo: toV2BackupQuota(state.settings(vm)),
    actions: {
      canCreateBackup: permitted(scopes, () => canCreateBackup(state, vm)),
      canRestore: permitted(scopes, () => canRestoreBackup(state, vm)),
      canRestoreFromAnotherVps: permitted(scopes, () => canRestoreFromAnotherVps(state, vm)),
    },
  };
}

/** The caller's other VMs that have a backup to restore onto `target` (another client's are never looked at). */
export function restoreSourcesView(state: MockState, target: MockVm): V2RestoreSourceList {
  const others = state.vmsOf(target.clientId).filter((vm) => vm !== target);
  for (const vm of others) state.settle(vm);
  const sources = others
    .filter((vm) => activeEntries(vm).length > 0)
    .map((vm) => ({
      id: vm.vpsId,
      name: vm.name,
      serviceStatus: "active",
      sourceType: "server" as const,
      // The page types this list's sizeGb as an integer (the VPS's own list: a number).
      backups: v2Backups(vm).map(({ id, displayId, storageKey, createdAt, sizeGb }) => ({
        id,
        displayId,
        storageKey,
        createdAt,
        sizeGb: Math.round(sizeGb),
      })),
    }));
  return { sources };
}

/** `GET .../snapshots` as the caller (whose scopes the gates include, as the backups' do) sees it. */
export function snapshotListView(state: MockState, vm: MockVm, scopes: readonly Scope[]): V2SnapshotList {
  return {
    data: toV2Snapshots(v1Snapshots(state, vm)),
    limits: { totalSnapshots: vm.snapshotCapacity },
    available: vm.snapshotCapacity > 0,
    actions: {
      canCreate: permitted(scopes, () => canCreateSnapshot(state, vm)),
      canRestore: permitted(scopes, () => canRestoreSnapshot(state, vm)),
    },
  };
}

const OPERATION_STATUS = {
  queued: "queued",
  running: "in_progress",
  completed: "completed",
  failed: "failed",
} as const;

/** The 202 of a v2 write that started `job`: poll `pollUrl`, the v1 jobs route, which answers the same job. */
export function operationAccepted(state: MockState, job: MockJob, vm: MockVm): V2OperationAccepted {
  const view = state.jobView(job, vm);
  return {
    operation: {
      status: OPERATION_STATUS[view.status as keyof typeof OPERATION_STATUS] ?? "pending",
      jobId: job.jobId,
      pollUrl: `/api/jobs/${job.jobId}`,
      result: view.result,
    },
  };
}

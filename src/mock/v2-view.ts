// v2 is a view of the v1 rows, through the contract suite's mapping functions (src/sync): the mock adds only
// what v1 cannot tell, the opaque `bks_` id and the last run's status.
import type { components as V2 } from "../generated/v2.js";
import {
  toV1SaveBackupScheduleRequest,
  toV2BackupSchedule,
  toV2BackupSettings,
  toV2SnapshotSchedule,
} from "../sync/index.js";
import type { MockState } from "./state.js";
import type { MockVm, V1BackupSchedule } from "./types.js";

export type V2BackupSchedule = V2["schemas"]["BackupSchedule"];
export type V2BackupSchedules = V2["schemas"]["BackupSchedules"];
export type V2SnapshotScheduleState = V2["schemas"]["SnapshotScheduleState"];
export type V2SaveBackupScheduleRequest = V2["schemas"]["SaveBackupScheduleRequest"];
export type V2VpsSummary = V2["schemas"]["VpsSummary"];

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

// The documented write rules of the schedules, once for both versions (the routes map v2 bodies to v1 first):
// a writable VM, the gates, the day rules, retention within the backup limit, one schedule per VM, the singleton
// snapshot schedule. The backups' and snapshots' own rules are in lifecycle.ts.

import { settle } from "./jobs.js";
import { restoreInProgress } from "./lifecycle-views.js";
import { newScheduleRow, newSnapshotScheduleRow } from "./rows.js";
import { MockRuleError } from "./rule-error.js";
import { iso } from "./schedule-time.js";
import type {
  MockVm,
  MockWorld,
  V1BackupSchedule,
  V1SaveBackupScheduleRequest,
  V1SnapshotSchedule,
} from "./types.js";
import { backupLimit, canCreateBackupSchedule, canEnableSnapshots } from "./views.js";

/**
 * A VM takes writes when it is ready (not still provisioning) and no restore or rollback runs on it (the VM is
 * stopped meanwhile). Both are the documented v2 409 `vps_not_ready`; v1 answers them as its operation declares.
 */
export function assertWritable(world: MockWorld, vm: MockVm): void {
  if (!vm.ready)
    throw new MockRuleError("not_ready", "vps_not_ready", "The VPS is not ready for this operation.");
  if (restoreInProgress(world, vm)) {
    throw new MockRuleError(
      "not_ready",
      "vm_busy",
      "The VM is being restored; try again when the job has finished.",
    );
  }
}

function touchSettings(world: MockWorld, vm: MockVm): void {
  vm.settingsUpdatedAt = iso(world.now());
}

/**
 * Creates the VM's schedule or replaces the one it has (POST creates or replaces). `newIdOnTypeChange` is the v2
 * reading of "POST updates an existing schedule with the same frequency": another frequency replaces the
 * schedule with a new one (a new id); v1 "posting again updates it" keeps the id.
 */
export function saveBackupSchedule(
  world: MockWorld,
  vm: MockVm,
  body: V1SaveBackupScheduleRequest,
  { newIdOnTypeChange = false } = {},
): { schedule: V1BackupSchedule; created: boolean } {
  settle(world, vm);
  assertWritable(world, vm);
  const gate = canCreateBackupSchedule(vm);
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
  const now = iso(world.now());
  const old = vm.schedule;
  const keep = old !== null && (!newIdOnTypeChange || old.schedule_type === body.schedule_type);
  const id = keep && old ? old.id : world.ids.schedule++;
  const schedule = newScheduleRow(world, vm, body, id, keep && old ? old.created_at : now);
  if (keep && old) schedule.last_run = old.last_run;
  vm.schedule = schedule;
  touchSettings(world, vm);
  return { schedule, created: !keep };
}

/** Deletes the schedule `id` (v1 integer id). Its backups stay; they count as scheduled backups still. */
export function deleteBackupSchedule(world: MockWorld, vm: MockVm, id: number): void {
  settle(world, vm);
  assertWritable(world, vm);
  if (!vm.schedule || vm.schedule.id !== id) {
    throw new MockRuleError("not_found", "not_found", "The requested resource could not be found.");
  }
  vm.schedule = null;
  touchSettings(world, vm);
}

/** PATCH: `max_total_backups` within 1..purchased capacity and not below the schedule's retention count. */
export function updateBackupSettings(
  world: MockWorld,
  vm: MockVm,
  patch: { max_total_backups?: number; auto_delete_oldest?: boolean },
): void {
  settle(world, vm);
  assertWritable(world, vm);
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
  touchSettings(world, vm);
}

/** Creates or replaces the singleton snapshot schedule (the interval floored and clamped to 4..24). */
export function saveSnapshotSchedule(
  world: MockWorld,
  vm: MockVm,
  body: { enabled: boolean; interval_hours: number },
): V1SnapshotSchedule {
  settle(world, vm);
  assertWritable(world, vm);
  const gate = canEnableSnapshots(vm);
  if (!gate.allowed) {
    throw new MockRuleError(
      "gate",
      gate.code ?? "snapshots_unavailable",
      gate.reason ?? "Not allowed",
      "enabled",
    );
  }
  const old = vm.snapshotSchedule ?? undefined;
  vm.snapshotSchedule = newSnapshotScheduleRow(world, vm, body, old?.last_run ?? null, old);
  return vm.snapshotSchedule;
}

export function deleteSnapshotSchedule(world: MockWorld, vm: MockVm): void {
  settle(world, vm);
  assertWritable(world, vm);
  vm.snapshotSchedule = null;
}

/** The day rules, for bodies that reach the model without the spec's validator (seeds, tests). */
function checkDays(body: V1SaveBackupScheduleRequest): void {
  const b = body as { schedule_type: string; day_of_week?: unknown; day_of_month?: unknown };
  const has = (k: "day_of_week" | "day_of_month") => b[k] !== undefined && b[k] !== null;
  const rule = (code: string, message: string, field: string) =>
    new MockRuleError("validation", code, message, field);
  if (b.schedule_type === "weekly" && !has("day_of_week")) {
    throw rule("missing_required", "day_of_week is required for weekly schedules", "day_of_week");
  }
  if (b.schedule_type === "monthly" && !has("day_of_month")) {
    throw rule("missing_required", "day_of_month is required for monthly schedules", "day_of_month");
  }
  if (b.schedule_type !== "weekly" && has("day_of_week")) {
    throw rule("not_allowed", `day_of_week is not allowed for ${b.schedule_type} schedules`, "day_of_week");
  }
  if (b.schedule_type !== "monthly" && has("day_of_month")) {
    throw rule("not_allowed", `day_of_month is not allowed for ${b.schedule_type} schedules`, "day_of_month");
  }
}

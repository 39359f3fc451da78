// The v1 routes: `/api/vm/{vmid}/backup-schedules`, `/api/vm/{vmid}/snapshot-schedules`, `/api/jobs/{jobId}`.
import type { HostupFieldError } from "../errors.js";
import {
  validateParamJobId,
  validateParamVmid,
  validateSaveBackupScheduleBody,
  validateSaveSnapshotScheduleBody,
} from "../generated/validators-v1.js";
import { toFieldErrors } from "../validation.js";
import { MockRuleError, type MockVm, type V1SaveBackupScheduleRequest } from "./model.js";
import { type Reply, v1Error, v1Success } from "./replies.js";
import { type RouteContext, type RouteTable, snapshotIntervalErrors } from "./routing.js";

const HISTORY_SHOWN = 20;

function displayed(vm: MockVm) {
  const s = vm.schedule;
  if (!s) return [];
  const days =
    s.schedule_type === "weekly" ? s.day_of_week : s.schedule_type === "monthly" ? s.day_of_month : null;
  const pad = (n: number) => String(n).padStart(2, "0");
  return [
    {
      ...s,
      schedule_name: s.notes ?? `Auto ${s.schedule_type} backup schedule`,
      schedule_time: `${pad(s.hour)}:${pad(s.minute)}`,
      schedule_days: days === null || days === undefined ? "" : String(days),
    },
  ];
}

function ownedVm(ctx: RouteContext): MockVm {
  const raw = ctx.params.vmid ?? "";
  const vmid = /^-?\d+$/.test(raw) ? Number(raw) : raw;
  if (!validateParamVmid(vmid)) {
    throw new MockRuleError("validation", "INVALID_PARAMETER", "vmid must be a positive integer", "vmid");
  }
  const vm = ctx.state.ownedVm(vmid as number, ctx.credential.clientId);
  ctx.state.settle(vm);
  return vm;
}

function bodyErrors(
  ok: boolean,
  errors: Parameters<typeof toFieldErrors>[0] | null | undefined,
): HostupFieldError[] {
  return ok ? [] : toFieldErrors(errors ?? []);
}

export const v1Routes: RouteTable = [
  {
    method: "GET",
    path: ["api", "vm", ":vmid", "backup-schedules"],
    scope: "read:vm",
    handle(ctx) {
      const vm = ownedVm(ctx);
      const settings = ctx.state.settings(vm);
      return v1Success(ctx.state.now(), {
        success: true,
        schedules: displayed(vm),
        settings,
        history: vm.history.slice(0, HISTORY_SHOWN),
        limits: ctx.state.limits(vm, settings),
      });
    },
  },
  {
    method: "POST",
    path: ["api", "vm", ":vmid", "backup-schedules"],
    scope: "write:vm",
    handle(ctx) {
      const vm = ownedVm(ctx);
      const ok = validateSaveBackupScheduleBody(ctx.body);
      const errors = bodyErrors(ok, validateSaveBackupScheduleBody.errors);
      if (errors.length) return validationFailed(ctx, errors);
      const { schedule, created } = ctx.state.saveBackupSchedule(vm, ctx.body as V1SaveBackupScheduleRequest);
      return v1Success(ctx.state.now(), {
        success: true,
        schedule,
        message: created ? "Backup schedule created successfully" : "Backup schedule updated successfully",
      });
    },
  },
  {
    method: "GET",
    path: ["api", "vm", ":vmid", "snapshot-schedules"],
    scope: "read:vm",
    handle(ctx) {
      const vm = ownedVm(ctx);
      return v1Success(ctx.state.now(), {
        success: true,
        limits: { totalSnapshots: vm.snapshotCapacity },
        schedule: vm.snapshotSchedule,
      });
    },
  },
  {
    method: "POST",
    path: ["api", "vm", ":vmid", "snapshot-schedules"],
    scope: "write:vm",
    handle(ctx) {
      const vm = ownedVm(ctx);
      const ok = validateSaveSnapshotScheduleBody(ctx.body);
      const errors = snapshotIntervalErrors(
        ctx.body,
        "interval_hours",
        bodyErrors(ok, validateSaveSnapshotScheduleBody.errors),
      );
      if (errors.length) return validationFailed(ctx, errors);
      const body = ctx.body as { enabled: boolean; interval_hours: number };
      const schedule = ctx.state.saveSnapshotSchedule(vm, body);
      return v1Success(ctx.state.now(), { success: true, message: "Snapshot schedule saved", schedule });
    },
  },
  {
    method: "GET",
    path: ["api", "jobs", ":jobId"],
    scope: "read:vm",
    handle(ctx) {
      const jobId = ctx.params.jobId ?? "";
      if (!validateParamJobId(jobId)) {
        throw new MockRuleError("validation", "INVALID_PARAMETER", "jobId is not a job id", "jobId");
      }
      return v1Success(ctx.state.now(), ctx.state.pollJob(jobId, ctx.credential.clientId));
    },
  },
];

function validationFailed(ctx: RouteContext, details: HostupFieldError[]): Reply {
  return v1Error(ctx.state.now(), {
    status: 400,
    code: "VALIDATION_ERROR",
    message: "Validation failed",
    details,
  });
}

/** A broken rule as v1 answers it: 400 for bad input, 422 for a well-formed request that cannot be applied. */
export function v1RuleError(now: number, error: MockRuleError): Reply {
  const details = error.field
    ? [{ pointer: `/${error.field}`, message: error.message, code: error.code }]
    : [];
  switch (error.kind) {
    case "validation":
      return v1Error(now, { status: 400, code: "VALIDATION_ERROR", message: "Validation failed", details });
    case "not_found":
      return v1Error(now, { status: 404, code: "NOT_FOUND", message: error.message });
    default:
      return v1Error(now, { status: 422, code: error.code.toUpperCase(), message: error.message, details });
  }
}

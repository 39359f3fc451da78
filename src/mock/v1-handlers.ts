// The v1 operations: `/api/vm/{vmid}/backup-schedules`, `/api/vm/{vmid}/snapshot-schedules`, `/api/jobs/{jobId}`.
import { clampIntervalHours, v1ScheduleDisplay } from "../sync/mapping.js";
import { type Reply, v1Error, v1Success } from "./replies.js";
import type { RequestProblem } from "./request-checks.js";
import type { HandlerMap, RouteContext } from "./routing.js";
import type { MockRuleError } from "./rule-error.js";
import type { MockVm, V1SaveBackupScheduleRequest } from "./types.js";

const HISTORY_SHOWN = 20;

/** The VM's schedules as GET lists them: the row with v1's display fields (from the mapping, not a copy). */
function displayed(vm: MockVm) {
  return vm.schedule ? [{ ...vm.schedule, ...v1ScheduleDisplay(vm.schedule) }] : [];
}

function ownedVm(ctx: RouteContext): MockVm {
  const vm = ctx.state.ownedVm(ctx.params.vmid as number, ctx.credential.clientId);
  ctx.state.settle(vm);
  return vm;
}

/** The route floors and clamps the interval to 4..24 before reading it (v2's page), as v1 is served alike. */
function clampInterval(body: unknown): unknown {
  const b = body as { interval_hours?: unknown } | null;
  if (typeof b !== "object" || b === null || Array.isArray(b) || typeof b.interval_hours !== "number")
    return body;
  return { ...b, interval_hours: clampIntervalHours(b.interval_hours) };
}

/** What each v1 operation does, by operationId; paths, auth and request checks come from the table. */
export const v1Handlers: HandlerMap = {
  getBackupSchedules: {
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
  saveBackupSchedule: {
    handle(ctx) {
      const vm = ownedVm(ctx);
      const { schedule, created } = ctx.state.saveBackupSchedule(vm, ctx.body as V1SaveBackupScheduleRequest);
      return v1Success(ctx.state.now(), {
        success: true,
        schedule,
        message: created ? "Backup schedule created successfully" : "Backup schedule updated successfully",
      });
    },
  },
  getSnapshotSchedule: {
    handle(ctx) {
      const vm = ownedVm(ctx);
      return v1Success(ctx.state.now(), {
        success: true,
        limits: { totalSnapshots: vm.snapshotCapacity },
        schedule: vm.snapshotSchedule,
      });
    },
  },
  saveSnapshotSchedule: {
    prepareBody: clampInterval,
    handle(ctx) {
      const vm = ownedVm(ctx);
      const body = ctx.body as { enabled: boolean; interval_hours: number };
      const schedule = ctx.state.saveSnapshotSchedule(vm, body);
      return v1Success(ctx.state.now(), { success: true, message: "Snapshot schedule saved", schedule });
    },
  },
  getJob: {
    handle(ctx) {
      return v1Success(
        ctx.state.now(),
        ctx.state.pollJob(ctx.params.jobId as string, ctx.credential.clientId),
      );
    },
  },
};

/** A request that failed the spec's checks: 400 `VALIDATION_ERROR` with `details[]`. */
export function v1InvalidRequest(now: number, problem: RequestProblem): Reply {
  return v1Error(now, {
    status: 400,
    code: "VALIDATION_ERROR",
    message: problem.errors.length ? "Validation failed" : problem.detail,
    details: problem.errors,
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

// The v1 operations: `/api/vm/{vmid}/backup-schedules`, `/snapshot-schedules`, `/backups`, `/snapshots`, and
// `/api/jobs/{jobId}`, which also answers the jobs of v2's operations (their `pollUrl`).
import { clampIntervalHours, v1ScheduleDisplay } from "../sync/mapping.js";
import { activeEntries, v1Backup, v1Snapshots } from "./lifecycle-views.js";
import { type Reply, v1Error, v1Success } from "./replies.js";
import type { RequestProblem } from "./request-checks.js";
import { type HandlerMap, type RouteContext, routeVm } from "./routing.js";
import { MockRuleError } from "./rule-error.js";
import type { MockVm, V1SaveBackupScheduleRequest } from "./types.js";

const HISTORY_SHOWN = 20;

/** The VM's schedules as GET lists them: the row with v1's display fields (from the mapping, not a copy). */
function displayed(vm: MockVm) {
  return vm.schedule ? [{ ...vm.schedule, ...v1ScheduleDisplay(vm.schedule) }] : [];
}

function ownedVm(ctx: RouteContext): MockVm {
  return routeVm(ctx, "vmid");
}

/**
 * The backup and snapshot writes declare v1's 409 Conflict, not 422, for a write the VM's state refuses (still
 * provisioning, being restored, a gate closed): their answer for what the schedule writes answer 422.
 */
function conflictIfRefused(ctx: RouteContext, write: () => Reply): Reply {
  try {
    return write();
  } catch (error) {
    if (!(error instanceof MockRuleError) || error.kind === "validation" || error.kind === "not_found") {
      throw error;
    }
    return v1Error(ctx.state.now(), {
      status: 409,
      code: error.code.toUpperCase(),
      message: error.message,
    });
  }
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
  listBackups: {
    handle(ctx) {
      // Oldest first, as the page's example lists them (the history is newest first).
      const backups = activeEntries(ownedVm(ctx)).map(v1Backup).reverse();
      return v1Success(ctx.state.now(), backups);
    },
  },
  deleteBackup: {
    handle(ctx) {
      const vm = ownedVm(ctx);
      return conflictIfRefused(ctx, () => {
        // The router splits the path first and decodes each segment: an encoded volid arrives whole.
        ctx.state.deleteBackup(vm, { volid: ctx.params.volid as string });
        return v1Success(ctx.state.now(), { success: true, message: "Backup deleted successfully" });
      });
    },
  },
  listSnapshots: {
    handle(ctx) {
      return v1Success(ctx.state.now(), v1Snapshots(ctx.state, ownedVm(ctx)));
    },
  },
  deleteOrRollbackSnapshot: {
    handle(ctx) {
      const vm = ownedVm(ctx);
      const { action, snapname } = ctx.query as { action: "delete" | "rollback"; snapname: string };
      return conflictIfRefused(ctx, () => {
        const job =
          action === "delete"
            ? ctx.state.deleteSnapshot(vm, snapname, true)
            : ctx.state.rollbackSnapshot(vm, snapname);
        return v1Success(ctx.state.now(), {
          success: true,
          jobId: job.jobId,
          action,
          snapname,
          message: action === "delete" ? "Snapshot delete queued" : "Snapshot rollback queued",
        });
      });
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

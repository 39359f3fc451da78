// The v2 operations: `/api/v2/vps` and the schedules of `/api/v2/vps/{id}/...` (backups and snapshots:
// v2-lifecycle-handlers.ts), answered from the v1 rows through the v2 views.
import { clampIntervalHours, toV1SaveSnapshotScheduleRequest } from "../sync/mapping.js";
import type { V2SaveSnapshotScheduleRequest } from "../types.js";
import { problem, type Reply } from "./replies.js";
import type { RequestProblem } from "./request-checks.js";
import { type HandlerMap, type RouteContext, routeVm } from "./routing.js";
import { MockRuleError } from "./rule-error.js";
import type { MockVm } from "./types.js";
import { v2LifecycleHandlers } from "./v2-lifecycle-handlers.js";
import {
  backupSchedulesView,
  snapshotStateView,
  toV1SaveBackupScheduleRequest,
  toV1ScheduleId,
  type V2SaveBackupScheduleRequest,
  v2BackupSchedule,
  vpsSummary,
} from "./v2-view.js";

const DEFAULT_PAGE = 20;

/** v1 field -> v2 member, for the pointers of errors the model raises in v1 terms. */
const V2_FIELD: Record<string, string> = {
  retention_count: "retentionCount",
  max_total_backups: "maxTotalBackups",
  day_of_week: "dayOfWeek",
  day_of_month: "dayOfMonth",
  interval_hours: "intervalHours",
  enabled: "enabled",
};

/** A request that failed the spec's checks: 400 `invalid_request` problem details with `errors[]`. */
export function v2InvalidRequest(now: number, instance: string, found: RequestProblem): Reply {
  return problem(now, {
    status: 400,
    code: "invalid_request",
    detail: found.detail,
    instance,
    errors: found.errors,
  });
}

function ownedVm(ctx: RouteContext): MockVm {
  return routeVm(ctx, "id");
}

/** The route floors and clamps `intervalHours` to 4..24 before reading it (v2 page), so that is no error. */
function clampInterval(body: unknown): unknown {
  const b = body as { intervalHours?: unknown } | null;
  if (typeof b !== "object" || b === null || Array.isArray(b) || typeof b.intervalHours !== "number")
    return body;
  return { ...b, intervalHours: clampIntervalHours(b.intervalHours) };
}

function encodeCursor(vpsId: string): string {
  return Buffer.from(JSON.stringify({ id: vpsId })).toString("base64url");
}

function decodeCursor(cursor: string): string | undefined {
  try {
    const id = (JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { id?: unknown }).id;
    return typeof id === "string" && /^vps_[A-Za-z0-9]+$/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

/** What each v2 operation does, by operationId; paths, auth and request checks come from the table. */
export const v2Handlers: HandlerMap = {
  listVps: {
    handle(ctx) {
      const q = ctx.query as { limit?: number; cursor?: string; name?: string; primaryIp?: string };
      const limit = q.limit ?? DEFAULT_PAGE;
      const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
      if (q.cursor !== undefined && after === undefined) {
        return v2InvalidRequest(ctx.state.now(), ctx.path, {
          detail: "The query failed validation.",
          errors: [
            {
              pointer: "/cursor",
              message: "`cursor` is not a cursor this API issued",
              code: "invalid_cursor",
            },
          ],
        });
      }
      const name = q.name?.toLowerCase();
      let vms = ctx.state.vmsOf(ctx.credential.clientId);
      // A restore to a new pay-as-you-go VM adds one when its job finishes: bring the caller's VMs up to now.
      for (const vm of vms) ctx.state.settle(vm);
      vms = ctx.state.vmsOf(ctx.credential.clientId);
      if (name !== undefined) vms = vms.filter((vm) => vm.name.toLowerCase() === name);
      if (q.primaryIp !== undefined) vms = vms.filter((vm) => vm.primaryIp === q.primaryIp);
      if (after !== undefined) vms = vms.filter((vm) => vm.vpsId > after);
      const page = vms.slice(0, limit);
      const hasMore = vms.length > page.length;
      const last = page[page.length - 1];
      return {
        status: 200,
        body: {
          data: page.map(vpsSummary),
          hasMore,
          nextCursor: hasMore && last ? encodeCursor(last.vpsId) : null,
        },
      };
    },
  },
  getBackupSchedules: {
    handle(ctx) {
      return { status: 200, body: backupSchedulesView(ctx.state, ownedVm(ctx)) };
    },
  },
  saveBackupSchedule: {
    handle(ctx) {
      const vm = ownedVm(ctx);
      const v1Body = toV1SaveBackupScheduleRequest(ctx.body as V2SaveBackupScheduleRequest);
      const { schedule } = ctx.state.saveBackupSchedule(vm, v1Body, { newIdOnTypeChange: true });
      return { status: 201, body: v2BackupSchedule(schedule, ctx.state.lastRunStatus(vm)) };
    },
  },
  updateBackupSettings: {
    handle(ctx) {
      const vm = ownedVm(ctx);
      const body = ctx.body as { maxTotalBackups?: number; autoDeleteOldest?: boolean };
      ctx.state.updateBackupSettings(vm, {
        ...(body.maxTotalBackups === undefined ? {} : { max_total_backups: body.maxTotalBackups }),
        ...(body.autoDeleteOldest === undefined ? {} : { auto_delete_oldest: body.autoDeleteOldest }),
      });
      return { status: 200, body: { settings: backupSchedulesView(ctx.state, vm).settings } };
    },
  },
  deleteBackupSchedule: {
    handle(ctx) {
      const vm = ownedVm(ctx);
      const id = toV1ScheduleId(ctx.params.scheduleId as string);
      if (id === undefined)
        throw new MockRuleError("not_found", "not_found", "The requested resource could not be found.");
      ctx.state.deleteBackupSchedule(vm, id);
      return { status: 204 };
    },
  },
  getSnapshotSchedule: {
    handle(ctx) {
      return { status: 200, body: snapshotStateView(ctx.state, ownedVm(ctx)) };
    },
  },
  saveSnapshotSchedule: {
    prepareBody: clampInterval,
    handle(ctx) {
      const vm = ownedVm(ctx);
      ctx.state.saveSnapshotSchedule(
        vm,
        toV1SaveSnapshotScheduleRequest(ctx.body as V2SaveSnapshotScheduleRequest),
      );
      return { status: 200, body: snapshotStateView(ctx.state, vm) };
    },
  },
  deleteSnapshotSchedule: {
    handle(ctx) {
      ctx.state.deleteSnapshotSchedule(ownedVm(ctx));
      return { status: 204 };
    },
  },
  ...v2LifecycleHandlers,
};

/** A broken rule as v2 answers it: 400 `invalid_request` with `errors[]`, 409 for gates, 404 `vps_not_found`. */
export function v2RuleError(now: number, instance: string, error: MockRuleError): Reply {
  const field = error.field ? (V2_FIELD[error.field] ?? error.field) : undefined;
  const errors = field
    ? [
        {
          pointer: `/${field}`,
          message: error.message.replace(error.field ?? "", field),
          code: error.code.toLowerCase(),
        },
      ]
    : [];
  switch (error.kind) {
    case "validation":
    case "limit":
      return problem(now, {
        status: 400,
        code: "invalid_request",
        detail: "The request body failed validation.",
        instance,
        errors,
      });
    case "not_found":
      return problem(now, {
        status: 404,
        code: error.code === "vps_not_found" ? "vps_not_found" : "not_found",
        detail: error.code === "vps_not_found" ? "The VPS could not be found." : error.message,
        instance,
      });
    case "not_ready":
      return problem(now, { status: 409, code: "vps_not_ready", detail: error.message, instance });
    case "gate":
      return problem(now, { status: 409, code: error.code, detail: error.message, instance });
  }
}

// The v2 routes: `/api/v2/vps` and `/api/v2/vps/{id}/...`, answered from the v1 rows through the v2 views.
import type { HostupFieldError } from "../errors.js";
import {
  validateParamScheduleId,
  validateParamVpsId,
  validateSaveBackupScheduleBody,
  validateSaveSnapshotScheduleBody,
  validateUpdateBackupSettingsBody,
} from "../generated/validators-v2.js";
import { toV1SaveSnapshotScheduleRequest } from "../sync/index.js";
import type { V2SaveSnapshotScheduleRequest } from "../types.js";
import { toFieldErrors, type Validator } from "../validation.js";
import { MockRuleError, type MockVm } from "./model.js";
import { problem, type Reply } from "./replies.js";
import { type RouteContext, type RouteTable, snapshotIntervalErrors } from "./routing.js";
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

function invalid(
  ctx: RouteContext,
  errors: HostupFieldError[],
  detail = "The request body failed validation.",
): Reply {
  return problem(ctx.state.now(), {
    status: 400,
    code: "invalid_request",
    detail,
    instance: ctx.path,
    errors,
  });
}

function check(validate: Validator, value: unknown, root = "", label = "body"): HostupFieldError[] {
  return validate(value) ? [] : toFieldErrors(validate.errors ?? [], root, label);
}

function ownedVm(ctx: RouteContext): MockVm {
  const id = ctx.params.id ?? "";
  if (!validateParamVpsId(id))
    throw new MockRuleError("validation", "invalid_request", "id is not a vps_ id", "id");
  const vm = ctx.state.ownedVm(id, ctx.credential.clientId);
  ctx.state.settle(vm);
  return vm;
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

export const v2Routes: RouteTable = [
  {
    method: "GET",
    path: ["api", "v2", "vps"],
    scope: "read:vm",
    handle(ctx) {
      const q = ctx.query;
      const errors: HostupFieldError[] = [];
      const limitRaw = q.get("limit");
      const limit = limitRaw === null ? DEFAULT_PAGE : Number(limitRaw);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
        errors.push({
          pointer: "/limit",
          message: "`limit` must be an integer from 1 to 100",
          code: "out_of_range",
        });
      }
      const cursor = q.get("cursor");
      const after = cursor === null ? undefined : decodeCursor(cursor);
      if (cursor !== null && after === undefined) {
        errors.push({
          pointer: "/cursor",
          message: "`cursor` is not a cursor this API issued",
          code: "invalid_cursor",
        });
      }
      const include = q.get("include");
      if (include !== null && include !== "pendingMaintenance") {
        errors.push({
          pointer: "/include",
          message: "`include` must be pendingMaintenance",
          code: "invalid_enum",
        });
      }
      if (errors.length) return invalid(ctx, errors, "The query failed validation.");
      const name = q.get("name")?.toLowerCase();
      const ip = q.get("primaryIp");
      let vms = ctx.state.vmsOf(ctx.credential.clientId);
      if (name) vms = vms.filter((vm) => vm.name.toLowerCase() === name);
      if (ip) vms = vms.filter((vm) => vm.primaryIp === ip);
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
  {
    method: "GET",
    path: ["api", "v2", "vps", ":id", "backup-schedules"],
    scope: "read:vm",
    handle(ctx) {
      return { status: 200, body: backupSchedulesView(ctx.state, ownedVm(ctx)) };
    },
  },
  {
    method: "POST",
    path: ["api", "v2", "vps", ":id", "backup-schedules"],
    scope: "write:vm",
    handle(ctx) {
      const vm = ownedVm(ctx);
      const errors = check(validateSaveBackupScheduleBody, ctx.body);
      if (errors.length) return invalid(ctx, errors);
      const v1Body = toV1SaveBackupScheduleRequest(ctx.body as V2SaveBackupScheduleRequest);
      const { schedule } = ctx.state.saveBackupSchedule(vm, v1Body, { newIdOnTypeChange: true });
      return { status: 201, body: v2BackupSchedule(schedule, ctx.state.lastRunStatus(vm)) };
    },
  },
  {
    method: "PATCH",
    path: ["api", "v2", "vps", ":id", "backup-schedules"],
    scope: "write:vm",
    handle(ctx) {
      const vm = ownedVm(ctx);
      const errors = check(validateUpdateBackupSettingsBody, ctx.body);
      if (errors.length) return invalid(ctx, errors);
      const body = ctx.body as { maxTotalBackups?: number; autoDeleteOldest?: boolean };
      ctx.state.updateBackupSettings(vm, {
        ...(body.maxTotalBackups === undefined ? {} : { max_total_backups: body.maxTotalBackups }),
        ...(body.autoDeleteOldest === undefined ? {} : { auto_delete_oldest: body.autoDeleteOldest }),
      });
      return { status: 200, body: { settings: backupSchedulesView(ctx.state, vm).settings } };
    },
  },
  {
    method: "DELETE",
    path: ["api", "v2", "vps", ":id", "backup-schedules", ":scheduleId"],
    scope: "write:vm",
    handle(ctx) {
      const vm = ownedVm(ctx);
      const scheduleId = ctx.params.scheduleId ?? "";
      const errors = check(validateParamScheduleId, scheduleId, "/scheduleId", "scheduleId");
      if (errors.length) return invalid(ctx, errors, "The path failed validation.");
      const id = toV1ScheduleId(scheduleId);
      if (id === undefined)
        throw new MockRuleError("not_found", "not_found", "The requested resource could not be found.");
      ctx.state.deleteBackupSchedule(vm, id);
      return { status: 204 };
    },
  },
  {
    method: "GET",
    path: ["api", "v2", "vps", ":id", "snapshot-schedules"],
    scope: "read:vm",
    handle(ctx) {
      return { status: 200, body: snapshotStateView(ctx.state, ownedVm(ctx)) };
    },
  },
  {
    method: "POST",
    path: ["api", "v2", "vps", ":id", "snapshot-schedules"],
    scope: "write:vm",
    handle(ctx) {
      const vm = ownedVm(ctx);
      const errors = snapshotIntervalErrors(
        ctx.body,
        "intervalHours",
        check(validateSaveSnapshotScheduleBody, ctx.body),
      );
      if (errors.length) return invalid(ctx, errors);
      ctx.state.saveSnapshotSchedule(
        vm,
        toV1SaveSnapshotScheduleRequest(ctx.body as V2SaveSnapshotScheduleRequest),
      );
      return { status: 200, body: snapshotStateView(ctx.state, vm) };
    },
  },
  {
    method: "DELETE",
    path: ["api", "v2", "vps", ":id", "snapshot-schedules"],
    scope: "write:vm",
    handle(ctx) {
      ctx.state.deleteSnapshotSchedule(ownedVm(ctx));
      return { status: 204 };
    },
  },
];

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

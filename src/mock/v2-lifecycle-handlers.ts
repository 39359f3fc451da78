// The v2 backup and snapshot operations: `/api/v2/vps/{id}/backups...` and `/snapshots...`. Lists are served from
// the v1 rows through the v2 views; writes that start work answer 202 with the operation envelope, whose
// `pollUrl` the v1 jobs route answers.
import type { Reply } from "./replies.js";
import { type HandlerMap, type RouteContext, routeVm } from "./routing.js";
import { MockRuleError } from "./rule-error.js";
import type { MockJob, MockVm } from "./types.js";
import {
  backupListView,
  operationAccepted,
  restoreSourcesView,
  snapshotListView,
  toV1HistoryId,
} from "./v2-view.js";

function ownedVm(ctx: RouteContext): MockVm {
  return routeVm(ctx, "id");
}

/** The backup a `bkp_` id names; an id no row has is 404 like an unknown backup. */
function backupRef(id: unknown): { id: number } {
  const historyId = toV1HistoryId(String(id));
  if (historyId === undefined) throw new MockRuleError("not_found", "not_found", "Backup not found");
  return { id: historyId };
}

function accepted(ctx: RouteContext, job: MockJob, vm: MockVm): Reply {
  return { status: 202, body: operationAccepted(ctx.state, job, vm) };
}

export const v2LifecycleHandlers: HandlerMap = {
  listBackups: {
    handle(ctx) {
      return { status: 200, body: backupListView(ctx.state, ownedVm(ctx), ctx.credential.scopes) };
    },
  },
  createBackup: {
    handle(ctx) {
      const vm = ownedVm(ctx);
      const body = ctx.body as { note?: string } | undefined;
      return accepted(ctx, ctx.state.createBackup(vm, body?.note), vm);
    },
  },
  deleteBackup: {
    handle(ctx) {
      ctx.state.deleteBackup(ownedVm(ctx), backupRef(ctx.params.backupId));
      return { status: 204 };
    },
  },
  restoreBackup: {
    handle(ctx) {
      const vm = ownedVm(ctx);
      return accepted(ctx, ctx.state.restoreBackup(vm, backupRef(ctx.params.backupId)), vm);
    },
  },
  restoreBackupToPayg: {
    handle(ctx) {
      const vm = ownedVm(ctx);
      const body = ctx.body as { name?: string } | undefined;
      const job = ctx.state.restoreBackupToPayg(vm, backupRef(ctx.params.backupId), body?.name);
      return accepted(ctx, job, vm);
    },
  },
  listBackupRestoreSources: {
    handle(ctx) {
      return { status: 200, body: restoreSourcesView(ctx.state, ownedVm(ctx)) };
    },
  },
  restoreBackupFromVps: {
    handle(ctx) {
      const target = ownedVm(ctx);
      const body = ctx.body as { sourceVpsId: string; backupId: string };
      // The source is looked up as the caller's like any VM: another client's is 404, never restored from.
      const source = ctx.state.ownedVm(body.sourceVpsId, ctx.credential.clientId);
      const job = ctx.state.restoreBackupFromVps(target, source, backupRef(body.backupId));
      return accepted(ctx, job, target);
    },
  },
  listSnapshots: {
    handle(ctx) {
      return { status: 200, body: snapshotListView(ctx.state, ownedVm(ctx), ctx.credential.scopes) };
    },
  },
  createSnapshot: {
    handle(ctx) {
      const vm = ownedVm(ctx);
      const body = ctx.body as { name: string; description?: string | null };
      return accepted(ctx, ctx.state.createSnapshot(vm, body), vm);
    },
  },
  deleteSnapshot: {
    handle(ctx) {
      ctx.state.deleteSnapshot(ownedVm(ctx), ctx.params.snapshotId as string);
      return { status: 204 };
    },
  },
  restoreSnapshot: {
    handle(ctx) {
      const vm = ownedVm(ctx);
      return accepted(ctx, ctx.state.rollbackSnapshot(vm, ctx.params.snapshotId as string), vm);
    },
  },
};

// The mock is driven by the generated operation tables: every operation of the bundled spec has a row in the
// table and a handler in the mock. A missing handler fails this test (planted below); the mock still starts and
// answers that operation 501, so only the tests that use it fail.
import { describe, expect, it } from "vitest";
import { listOperations, loadSpec } from "../../src/contract/spec.js";
import { operations as v1Operations } from "../../src/generated/operations-v1.js";
import { operations as v2Operations } from "../../src/generated/operations-v2.js";
import {
  buildRoutes,
  handlerCoverage,
  matchRoute,
  type OperationHandler,
  pathSegments,
} from "../../src/mock/routing.js";
import { v1Handlers } from "../../src/mock/v1-handlers.js";
import { v2Handlers } from "../../src/mock/v2-handlers.js";
import { apiVersions } from "../../src/mock/versions.js";
import type { OperationTable } from "../../src/operation-table.js";
import { startHarness, WEB } from "./harness.js";

const tables = {
  v1: {
    operations: v1Operations as OperationTable,
    handlers: v1Handlers as Record<string, OperationHandler>,
  },
  v2: {
    operations: v2Operations as OperationTable,
    handlers: v2Handlers as Record<string, OperationHandler>,
  },
};

describe("every operation of the spec is served", () => {
  for (const version of ["v1", "v2"] as const) {
    it(`${version}: the spec's operations, the table's and the mock's handlers are the same set`, () => {
      const inSpec = listOperations(loadSpec(version))
        .map((op) => op.operationId)
        .sort();
      const { operations, handlers } = tables[version];
      expect(Object.keys(operations).sort()).toEqual(inSpec);
      expect(handlerCoverage(operations, handlers)).toEqual({ missing: [], stray: [] });
      const routes = buildRoutes(operations, handlers);
      for (const op of listOperations(loadSpec(version))) {
        const segments = pathSegments(op.path.replace(/\{[^}]+\}/g, "x"));
        expect(matchRoute(routes, op.method, segments).match?.route.operationId).toBe(op.operationId);
      }
    });
  }

  it("the server's routes are the tables' (both versions build)", () => {
    const versions = apiVersions();
    expect(versions.map((v) => [v.name, v.routes.map((r) => r.operationId).sort()])).toEqual([
      ["v2", Object.keys(v2Operations).sort()],
      ["v1", Object.keys(v1Operations).sort()],
    ]);
  });
});

describe("a table and its handlers that disagree (planted)", () => {
  const planted = {
    ...v2Operations,
    getPlanted: {
      ...v2Operations.getBackupSchedules,
      client: "planted.get",
      path: "/api/v2/vps/{id}/planted",
    },
  } satisfies OperationTable;

  it("an operation in the table without a handler", () => {
    expect(handlerCoverage(planted, v2Handlers)).toEqual({ missing: ["getPlanted"], stray: [] });
    const route = buildRoutes(planted, v2Handlers).find((r) => r.operationId === "getPlanted");
    expect(route?.handler).toBeUndefined();
  });

  it("a handler map missing one", () => {
    const { deleteSnapshotSchedule: _gone, ...handlers } = v2Handlers;
    expect(handlerCoverage(v2Operations, handlers)).toEqual({
      missing: ["deleteSnapshotSchedule"],
      stray: [],
    });
  });

  it("the server answers an operation without a handler 501 in the version's shape; the others still work", async () => {
    const removed = v2Handlers.deleteSnapshotSchedule;
    Reflect.deleteProperty(v2Handlers, "deleteSnapshotSchedule");
    const mock = await startHarness();
    try {
      expect(handlerCoverage(v2Operations, v2Handlers).missing).toEqual(["deleteSnapshotSchedule"]);
      const answer = await mock.call(`/api/v2/vps/${WEB.vpsId}/snapshot-schedules`, {
        method: "DELETE",
        noOperation: true,
      });
      expect(answer.status).toBe(501);
      expect(answer.body.detail).toContain("deleteSnapshotSchedule");
      expect((await mock.call(`/api/v2/vps/${WEB.vpsId}/snapshot-schedules`)).status).toBe(200);
    } finally {
      Object.assign(v2Handlers, { deleteSnapshotSchedule: removed });
      await mock.server.close();
    }
  });

  it("a handler whose operation left the spec is reported, and never routed", () => {
    const { deleteSnapshotSchedule: _gone, ...operations } = v2Operations;
    expect(handlerCoverage(operations, v2Handlers)).toEqual({
      missing: [],
      stray: ["deleteSnapshotSchedule"],
    });
    expect(buildRoutes(operations, v2Handlers).map((r) => r.operationId)).not.toContain(
      "deleteSnapshotSchedule",
    );
  });

  it("a planted operation with a handler is routed by the table's path and method", () => {
    const handler: OperationHandler = { handle: () => ({ status: 200, body: {} }) };
    const routes = buildRoutes(planted, { ...v2Handlers, getPlanted: handler });
    const found = matchRoute(routes, "GET", ["api", "v2", "vps", "vps_1", "planted"]);
    expect(found.match?.route.operationId).toBe("getPlanted");
    expect(found.match?.params).toEqual({ id: "vps_1" });
    expect(matchRoute(routes, "POST", ["api", "v2", "vps", "vps_1", "planted"]).allowed).toEqual(["GET"]);
  });
});

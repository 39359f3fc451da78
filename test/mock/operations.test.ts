// The mock is driven by the generated operation tables: every operation of the bundled spec has a row in the
// table and a handler in the mock, and the mock refuses to start when one is missing (planted below).
import { describe, expect, it } from "vitest";
import { listOperations, loadSpec } from "../../scripts/contract/spec.js";
import { operations as v1Operations } from "../../src/generated/operations-v1.js";
import { operations as v2Operations } from "../../src/generated/operations-v2.js";
import { buildRoutes, matchRoute, type OperationHandler, pathSegments } from "../../src/mock/routing.js";
import { v1Handlers } from "../../src/mock/v1-handlers.js";
import { v2Handlers } from "../../src/mock/v2-handlers.js";
import { apiVersions } from "../../src/mock/versions.js";
import type { OperationTable } from "../../src/operation-table.js";

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
      expect(Object.keys(handlers).sort()).toEqual(inSpec);
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

describe("a table and its handlers that disagree stop the mock (planted)", () => {
  const planted = {
    ...v2Operations,
    getPlanted: {
      ...v2Operations.getBackupSchedules,
      client: "planted.get",
      path: "/api/v2/vps/{id}/planted",
    },
  } satisfies OperationTable;

  it("an operation in the table without a handler", () => {
    expect(() => buildRoutes(planted, v2Handlers)).toThrow("no mock handler for operation getPlanted");
  });

  it("a handler map missing one", () => {
    const { deleteSnapshotSchedule: _gone, ...handlers } = v2Handlers;
    expect(() => buildRoutes(v2Operations, handlers)).toThrow(
      "no mock handler for operation deleteSnapshotSchedule",
    );
  });

  it("a handler for no operation", () => {
    const handlers = { ...v1Handlers, getPlanted: v1Handlers.getJob };
    expect(() => buildRoutes(v1Operations, handlers)).toThrow("mock handler for no operation: getPlanted");
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

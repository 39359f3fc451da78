/**
 * The client reads `clientTable`, a compact view of the operation table generated into the same module (defaults
 * left out, nothing only a server needs). Both come from the spec in one generator run; this holds the view to the
 * full table entry by entry, so that the client and the mock cannot disagree about an operation. (v2's
 * `operations.waitFor` polls through v1's `clientJobs`, the same object as v1's `clientTable.jobs`.)
 */
import { describe, expect, it } from "vitest";
import * as v1 from "../../src/generated/operations-v1.js";
import * as v2 from "../../src/generated/operations-v2.js";
import type { ClientTable, OperationTable } from "../../src/operation-table.js";

/** What the client must read of each entry of `operations`, grouped by client name. */
function expectedView(operations: OperationTable): Record<string, Record<string, unknown>> {
  const view: Record<string, Record<string, unknown>> = {};
  for (const [id, entry] of Object.entries(operations)) {
    const [namespace = "", name = ""] = entry.client.split(".");
    view[namespace] ??= {};
    view[namespace][name] = {
      id,
      route: `${entry.method} ${entry.path}`,
      ...(entry.pathParams.length > 0 && {
        args: entry.pathParams.map((p) => [p.name, p.argument, p.validate]),
      }),
      ...(entry.body && { body: entry.body.validate }),
      ...(entry.body && !entry.body.required && { optionalBody: true }),
      ...(entry.query && { query: entry.query.validate }),
      ...(entry.success.mediaType === undefined && { noContent: true }),
      ...(entry.envelope !== undefined && { envelope: entry.envelope }),
      ...(entry.envelopeArray && { envelopeArray: true }),
      ...(entry.job && { job: entry.job }),
      ...(!entry.idempotent && { idempotent: false }),
      ...(entry.pagination && {
        page: {
          items: entry.pagination.items,
          hasMore: entry.pagination.hasMore,
          nextCursor: entry.pagination.nextCursor,
        },
      }),
    };
  }
  return view;
}

/** Every media type of every entry's `accept`, in order of appearance. */
const acceptOf = (operations: OperationTable) =>
  [...new Set(Object.values(operations).flatMap((entry) => entry.accept))].join(", ");

describe.each([
  ["v1", v1],
  ["v2", v2],
] as const)("%s: the client's table is the operation table's view", (_version, module) => {
  it("entry by entry: route, path arguments and validators, body, query, success, envelope, job, retries, paging", () => {
    expect(module.clientTable).toEqual(expectedView(module.operations));
  });

  it("each namespace is exported alone too, the same object the table holds", () => {
    for (const [namespace, operations] of Object.entries(module.clientTable as ClientTable)) {
      const name = `client${namespace.charAt(0).toUpperCase()}${namespace.slice(1)}`;
      expect((module as Record<string, unknown>)[name]).toBe(operations);
    }
  });

  it("Accept is every media type the operations declare", () => {
    expect(module.accept).toBe(acceptOf(module.operations));
  });

  it("a view that lost a fact is caught (planted: one operation made non-idempotent)", () => {
    const [namespace, methods] = Object.entries(module.clientTable as ClientTable)[0] ?? [];
    const [name, operation] = Object.entries(methods ?? {})[0] ?? [];
    if (!namespace || !name || !operation) throw new Error("empty client table");
    const planted = {
      ...module.clientTable,
      [namespace]: { ...methods, [name]: { ...operation, idempotent: false } },
    };
    expect(planted).not.toEqual(expectedView(module.operations));
  });
});

describe("the writes that start work name their job", () => {
  it("v2: every 202 answer must carry operation.jobId and operation.pollUrl; no other operation has a job", () => {
    for (const [id, entry] of Object.entries(v2.operations as OperationTable)) {
      const expected = entry.success.status === 202 ? ["operation.jobId", "operation.pollUrl"] : undefined;
      expect([id, entry.job]).toEqual([id, expected]);
    }
  });

  it("v1: only the snapshot action, whose data is the queued job (`jobId`)", () => {
    const withJob = Object.entries(v1.operations as OperationTable).filter(([, entry]) => entry.job);
    expect(withJob.map(([id, entry]) => [id, entry.job])).toEqual([["deleteOrRollbackSnapshot", ["jobId"]]]);
  });
});

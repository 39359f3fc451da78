/**
 * The operation tables (src/generated/operations-v{1,2}.ts) against the spec they come from: the committed tables
 * are fresh and a stale one is refused (what `npm run generate:check` runs), every operation of a bundle is in its
 * version's table with what the runtime needs, and what the table cannot express fails generation by name.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateOperations, operationsSource } from "../../scripts/generate-operations.js";
import { operationEntries } from "../../scripts/operation-entries.js";
import * as v1 from "../../src/generated/operations-v1.js";
import * as v2 from "../../src/generated/operations-v2.js";

type Json = Record<string, unknown>;
const root = join(import.meta.dirname, "..", "..");
const bundlePath = (version: string) => join(root, "dist", "openapi", `${version}.json`);
const bundle = (version: string) => JSON.parse(readFileSync(bundlePath(version), "utf8")) as Json;
const scratch = mkdtempSync(join(tmpdir(), "hostup-operation-table-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("generate:check", () => {
  it.each(["v1", "v2"] as const)("%s: the committed table is what the spec generates", (version) => {
    const out = join(root, "src", "generated", `operations-${version}.ts`);
    expect(() =>
      generateOperations({ version, bundle: bundlePath(version), out, check: true }),
    ).not.toThrow();
  });

  it("refuses a stale table (planted: one scope changed by hand) and a missing one", () => {
    const stale = join(scratch, "operations-v2.ts");
    copyFileSync(join(root, "src", "generated", "operations-v2.ts"), stale);
    writeFileSync(stale, readFileSync(stale, "utf8").replace('scope: "write:vm"', 'scope: "read:vm"'));
    const check = (out: string) => () =>
      generateOperations({ version: "v2", bundle: bundlePath("v2"), out, check: true });
    expect(check(stale)).toThrow(/operations-v2\.ts is stale .*run `npm run generate`/);
    expect(check(join(scratch, "missing.ts"))).toThrow(/is stale/);
  });
});

describe("the tables hold every operation of the spec", () => {
  for (const [version, module] of [
    ["v1", v1],
    ["v2", v2],
  ] as const) {
    it(`${version}: one entry per operationId, each with its client name, method and path`, () => {
      const doc = bundle(version);
      const expected: Record<string, unknown> = {};
      for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
        for (const [method, operation] of Object.entries(item)) {
          if (typeof operation !== "object" || operation === null || !("operationId" in operation)) continue;
          const op = operation as Json;
          // x-hostup-scope is one scope or a list of all of them: `scopes` is the list, `scope` its first
          const scopes = [op["x-hostup-scope"]].flat();
          expected[String(op.operationId)] = {
            client: op["x-hostup-client"],
            method: method.toUpperCase(),
            path,
            scope: scopes[0],
            scopes,
          };
        }
      }
      const table = module.operations as Record<string, Json>;
      const actual = Object.fromEntries(
        Object.entries(table).map(([id, { client, method, path, scope, scopes }]) => [
          id,
          { client, method, path, scope, scopes },
        ]),
      );
      expect(actual).toEqual(expected);
    });
  }

  it("what the runtime needs beyond the path: arguments, envelope, idempotency, paging, auth", () => {
    expect(v2.operations.deleteBackupSchedule.pathParams.map((p) => [p.name, p.argument])).toEqual([
      ["id", "vpsId"],
      ["scheduleId", "scheduleId"],
    ]);
    expect(v1.operations.getJob.pathParams.map((p) => [p.name, p.argument, p.type])).toEqual([
      ["jobId", "jobId", "string"],
    ]);
    expect(v1.operations.getBackupSchedules.pathParams[0]?.type).toBe("integer");
    for (const entry of Object.values(v1.operations)) expect(entry.envelope).toBe("data");
    for (const entry of Object.values(v2.operations)) expect("envelope" in entry).toBe(false);
    expect(v2.operations.deleteSnapshotSchedule.success).toEqual({ status: 204 });
    expect(v2.operations.saveBackupSchedule.success).toEqual({ status: 201, mediaType: "application/json" });
    expect(v2.operations.listVps.pagination).toEqual({
      cursor: "cursor",
      items: "data",
      hasMore: "hasMore",
      nextCursor: "nextCursor",
    });
    expect(v2.operations.listVps.query.params).toEqual({
      limit: "integer",
      cursor: "string",
      name: "string",
      primaryIp: "string",
      include: "string",
    });
    expect(v2.operations.getSnapshotSchedule.accept).toEqual([
      "application/json",
      "application/problem+json",
    ]);
    expect(v2.operations.getSnapshotSchedule.security).toEqual(["BearerAuth", "SessionCookie"]);
    expect(v2.securitySchemes.SessionCookie).toEqual({
      type: "apiKey",
      in: "cookie",
      name: "hostup_session",
    });
    expect(v1.securitySchemes.ApiKeyAuth).toEqual({ type: "apiKey", in: "header", name: "X-API-Key" });
    // restoring a backup to a new pay-as-you-go VM needs both scopes; the others need one
    expect(v2.operations.restoreBackupToPayg.scopes).toEqual(["backup:vm", "write:billing"]);
    expect(v2.operations.createBackup.scopes).toEqual(["backup:vm"]);
    // the validators are the generated ones, by reference
    expect(v2.operations.saveBackupSchedule.body.validate(null)).toBe(false);
    expect(v2.operations.listVps.query.validate({ limit: 101 })).toBe(false);
  });
});

describe("a body whose schema asks for a member (minProperties >= 1)", () => {
  /** The generated source with `schemas` changed; what lies between `name(` ... `): Promise` is the signature. */
  const generated = (change: (schemas: Record<string, Json>) => void = () => {}) => {
    const doc = bundle("v2");
    change((doc.components as Json).schemas as Record<string, Json>);
    return operationsSource(doc, "v2", "a test");
  };
  const bodyOf = (source: string, method: string) =>
    new RegExp(`\\n {4}${method}(<[^(]*)?\\([^)]*\\n {6}body\\??: ([^\\n]*),\\n`).exec(source)?.[2];

  it("types the body NonEmptyBody where the spec says so, and only there, leaving the table alone", () => {
    const source = generated();
    expect(bodyOf(source, "updateSettings")).toBe(
      'NonEmptyBody<Body, NonNullable<Op["updateBackupSettings"]["requestBody"]>["content"]["application/json"]>',
    );
    expect(source.match(/: NonEmptyBody</g)).toHaveLength(1);
    expect(bodyOf(source, "create")).toBe(
      'NonNullable<Op["createBackup"]["requestBody"]>["content"]["application/json"]',
    );
  });

  it("follows the spec: without minProperties the body is the plain type; with it, another body gets it", () => {
    const without = generated((schemas) => {
      delete (schemas.UpdateBackupSettingsRequest as Json).minProperties;
    });
    expect(without).not.toContain("NonEmptyBody");
    expect(bodyOf(without, "updateSettings")).toBe(
      'NonNullable<Op["updateBackupSettings"]["requestBody"]>["content"]["application/json"]',
    );
    const zero = generated((schemas) => {
      (schemas.UpdateBackupSettingsRequest as Json).minProperties = 0;
    });
    expect(zero).toBe(without);
    const planted = generated((schemas) => {
      (schemas.RestoreBackupToPaygRequest as Json).minProperties = 1;
    });
    expect(planted.match(/: NonEmptyBody</g)).toHaveLength(2);
    expect(bodyOf(planted, "restoreToPayg")).toBe(
      'NonEmptyBody<Body, NonNullable<Op["restoreBackupToPayg"]["requestBody"]>["content"]["application/json"]>',
    );
    // the method types change; the operation table (data) does not
    const table = (source: string) => source.slice(0, source.indexOf("export interface V2Methods"));
    expect(table(planted)).toBe(table(generated()));
  });
});

describe("idempotency", () => {
  it("GET is idempotent, DELETE unless it states otherwise; a POST or PATCH is what it states", () => {
    for (const [version, table] of [
      ["v1", v1.operations],
      ["v2", v2.operations],
    ] as const) {
      const doc = bundle(version);
      for (const entry of Object.values(table)) {
        const item = (doc.paths as Record<string, Json>)[entry.path] as Json;
        const stated = (item[entry.method.toLowerCase()] as Json)["x-hostup-idempotent"];
        if (entry.method === "GET") expect(entry.idempotent).toBe(true);
        if (entry.method === "DELETE") expect(entry.idempotent).toBe(stated !== false);
      }
    }
    // v1's snapshot DELETE with action=rollback queues a rollback job each time: the spec says so
    expect(v1.operations.deleteOrRollbackSnapshot.idempotent).toBe(false);
    expect(v2.operations.createBackup.idempotent).toBe(false);
    const doc = bundle("v2");
    const save = (doc.paths as Record<string, Json>)["/api/v2/vps/{id}/backup-schedules"]?.post as Json;
    save["x-hostup-idempotent"] = false;
    const entry = operationEntries(doc).find((e) => e.operationId === "saveBackupSchedule");
    expect(entry?.idempotent).toBe(false);
  });
});

describe("what the table cannot express fails generation, naming the operation", () => {
  const withChange = (change: (paths: Record<string, Json>) => void) => {
    const doc = bundle("v2");
    change(doc.paths as Record<string, Json>);
    return () => operationEntries(doc);
  };
  const snapshots = (paths: Record<string, Json>) => paths["/api/v2/vps/{id}/snapshot-schedules"] as Json;

  it("two 2xx answers", () => {
    const generate = withChange((paths) => {
      const responses = (snapshots(paths).get as Json).responses as Json;
      responses["202"] = responses["200"];
    });
    expect(generate).toThrow(
      /getSnapshotSchedule \(GET \/api\/v2\/vps\/\{id\}\/snapshot-schedules\): needs exactly one 2xx/,
    );
  });

  it("a header parameter", () => {
    const generate = withChange((paths) => {
      (snapshots(paths).get as Json).parameters = [
        { name: "X-Trace", in: "header", schema: { type: "string" } },
      ];
    });
    expect(generate).toThrow(/getSnapshotSchedule .*header parameters are not supported/);
  });

  it("an envelope member the answer does not require", () => {
    const generate = withChange((paths) => {
      (snapshots(paths).get as Json)["x-hostup-envelope"] = "data";
    });
    expect(generate).toThrow(/getSnapshotSchedule .*x-hostup-envelope `data` is not a required member/);
  });

  it("a path parameter without x-hostup-argument", () => {
    const generate = withChange((paths) => {
      const item = snapshots(paths);
      item.parameters = [{ name: "id", in: "path", required: true, schema: { type: "string" } }];
    });
    expect(generate).toThrow(/getSnapshotSchedule .*\{id\} has no x-hostup-argument/);
  });

  it("two operations with one client name", () => {
    const generate = withChange((paths) => {
      (snapshots(paths).delete as Json)["x-hostup-client"] = "snapshotSchedule.get";
    });
    expect(generate).toThrow(
      /deleteSnapshotSchedule and getSnapshotSchedule are both x-hostup-client `snapshotSchedule.get`/,
    );
  });

  it("two operations with one operationId (the table is keyed by it: one would replace the other)", () => {
    const generate = withChange((paths) => {
      (snapshots(paths).delete as Json).operationId = "getSnapshotSchedule";
    });
    expect(generate).toThrow(
      "operationId getSnapshotSchedule is both GET /api/v2/vps/{id}/snapshot-schedules and DELETE /api/v2/vps/{id}/snapshot-schedules",
    );
  });
});

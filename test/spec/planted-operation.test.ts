/**
 * Adding an operation to the spec adds its method, removing one removes it, with no hand-written code: on a
 * scratch copy of the project, plant `GET /api/v2/vps/{id}/planted` (x-hostup-client: planted.get) and delete
 * v2's deleteSnapshotSchedule, regenerate, and check the operation table and the client's method interface
 * gained and lost exactly those, that the project's sources still build against the regenerated files, and that
 * the built client calls the new method over HTTP (a loopback server) and no longer has the removed one.
 */
import { writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as projectTable from "../../src/generated/operations-v2.js";
import * as projectValidators from "../../src/generated/validators-v2.js";
import { editYaml, type ScratchProject, scratchProject } from "./scratch-project.js";

const PLANTED_PATH = "/api/v2/vps/{id}/planted";
const REMOVED = "deleteSnapshotSchedule";
const VPS = "vps_01hxa3b4c5d6e7f8g9h0j1k2m3";

const plantedOperation = `
parameters:
  - $ref: ../components/parameters/VpsId.yaml
get:
  operationId: getPlanted
  summary: Get the planted resource
  description: |-
    Planted by a test: the generator must add its method with no hand-written code.

    Required scope: \`read:vm\`
  tags: [VPS]
  x-hostup-scope: read:vm
  x-hostup-client: planted.get
  security:
    - BearerAuth: []
    - SessionCookie: []
  responses:
    "200":
      description: The planted resource.
      content:
        application/json:
          schema:
            type: object
            required: [planted]
            properties:
              planted: { type: boolean }
          example: { planted: true }
    "401": { $ref: ../components/responses/Unauthorized.yaml }
    "429": { $ref: ../components/responses/TooManyRequests.yaml }
    "500": { $ref: ../components/responses/InternalError.yaml }
`;

/** Type-level assertions on the regenerated interface, compiled with the copy's sources by `build()`. */
const probe = `
import type { V2Methods } from "./generated/operations-v2.js";
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
export const gained: Equal<
  keyof V2Methods,
  "vps" | "backupSchedules" | "snapshotSchedule" | "backups" | "snapshots" | "planted"
> = true;
export const lost: Equal<keyof V2Methods["snapshotSchedule"], "get" | "save"> = true;
export const argument: Equal<Parameters<V2Methods["planted"]["get"]>[0], string> = true;
export const result: Equal<Awaited<ReturnType<V2Methods["planted"]["get"]>>, { planted: boolean }> = true;
`;

/** The plant and the removal, on the copy's openapi/ folder. */
function plantAndRemove(openapi: string): void {
  writeFileSync(join(openapi, "v2", "paths", "api_v2_vps_{id}_planted.yaml"), plantedOperation);
  editYaml(join(openapi, "v2", "openapi.yaml"), (doc) => {
    (doc.paths as Record<string, unknown>)[PLANTED_PATH] = { $ref: "paths/api_v2_vps_{id}_planted.yaml" };
  });
  editYaml(join(openapi, "v2", "paths", "api_v2_vps_{id}_snapshot-schedules.yaml"), (doc) => {
    delete doc.delete;
  });
}

type Table = Record<string, Record<string, unknown>>;

/** A table with each validator replaced by its export name, so tables of two module instances compare. */
function named(table: Table, validators: Record<string, unknown>): unknown {
  const names = new Map(Object.entries(validators).map(([name, fn]) => [fn, name]));
  return JSON.parse(
    JSON.stringify(table, (_key, value) => (typeof value === "function" ? names.get(value) : value)),
  );
}

let scratch: ScratchProject;
beforeAll(async () => {
  scratch = await scratchProject(plantAndRemove);
}, 120_000);
afterAll(() => scratch?.remove());

describe("an operation planted in the spec, and one removed", () => {
  it("the table gains getPlanted, loses deleteSnapshotSchedule, and the rest is unchanged", async () => {
    const generated = join(scratch.dir, "src", "generated");
    const table = (await import(join(generated, "operations-v2.ts"))).operations as Table;
    const validators = await import(join(generated, "validators-v2.ts"));
    const before = named(projectTable.operations as unknown as Table, projectValidators) as Table;
    const after = named(table, validators) as Table;

    const { [REMOVED]: removed, ...kept } = before;
    expect(removed).toBeDefined();
    const { getPlanted, ...rest } = after;
    expect(rest).toEqual(kept);
    expect(getPlanted).toEqual({
      client: "planted.get",
      method: "GET",
      path: PLANTED_PATH,
      pathParams: [{ name: "id", argument: "vpsId", type: "string", validate: "validateParamVpsId" }],
      success: { status: 200, mediaType: "application/json" },
      accept: ["application/json", "application/problem+json"],
      idempotent: true,
      security: ["BearerAuth", "SessionCookie"],
      scope: "read:vm",
      scopes: ["read:vm"],
    });
  });

  it("the method interface has planted.get typed from the spec, and no snapshotSchedule.delete", () => {
    const source = scratch.read("src/generated/operations-v2.ts");
    expect(source).toContain("planted: {");
    expect(source).toContain("/** Get the planted resource (`getPlanted`: GET /api/v2/vps/{id}/planted) */");
    expect(source).not.toContain(REMOVED);
    // the type-level proof is the probe, compiled by the build below
  });

  it("the project's sources build against the regenerated files", async () => {
    writeFileSync(join(scratch.dir, "src", "planted-probe.ts"), probe);
    // no hand-written client code names an operation: everything builds
    expect(await scratch.build()).toEqual([]);
    // tsc over the whole copy: over the default 20 s when the full suite loads both cores
  }, 90_000);

  it("the built client calls the planted method over HTTP, and has no removed one", async () => {
    const requests: string[] = [];
    const server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url} ${req.headers.authorization}`);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ planted: true }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const built = await import(join(scratch.dir, "dist", "index.js"));
      const v2 = built.createV2Client({
        token: "test-token",
        baseUrl: `http://127.0.0.1:${port}`,
        retry: false,
      });
      await expect(v2.planted.get(VPS)).resolves.toEqual({ planted: true });
      expect(requests).toEqual([`GET /api/v2/vps/${VPS}/planted Bearer test-token`]);
      // the planted method checks its path argument like every other
      await expect(v2.planted.get("not-a-vps-id")).rejects.toMatchObject({
        code: "validation_failed",
        operation: "getPlanted",
      });
      expect(v2.snapshotSchedule.delete).toBeUndefined();
      expect(Object.keys(v2.snapshotSchedule).sort()).toEqual(["get", "save"]);
      expect(requests).toHaveLength(1);
    } finally {
      server.close();
    }
  });
});

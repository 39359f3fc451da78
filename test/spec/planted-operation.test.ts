/**
 * Adding an operation to the spec adds its method, removing one removes it, with no hand-written code: on a
 * scratch copy of the project, plant `GET /api/v2/vps/{id}/planted` (x-hostup-client: planted.get) and delete
 * v2's deleteSnapshotSchedule, regenerate, and check the operation table and the client's method interface
 * gained and lost exactly those, and that the project's sources still build against the regenerated files.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as projectTable from "../../src/generated/operations-v2.js";
import * as projectValidators from "../../src/generated/validators-v2.js";
import { editYaml, type ScratchProject, scratchProject } from "./scratch-project.js";

const PLANTED_PATH = "/api/v2/vps/{id}/planted";
const REMOVED = "deleteSnapshotSchedule";

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
    const errors = await scratch.build();
    // A hand-written wrapper that calls the removed operation by name cannot build without it; every other
    // file must. (Once the client's methods come from the table, no wrapper names an operation.)
    const handWritten = ["src/v1/client.ts", "src/v2/client.ts"].filter((file) =>
      readFileSync(join(scratch.dir, file), "utf8").includes(REMOVED),
    );
    const unexpected = errors.filter((error) => !handWritten.some((file) => error.startsWith(`${file}(`)));
    expect(unexpected).toEqual([]);
  });
});

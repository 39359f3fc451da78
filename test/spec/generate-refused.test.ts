/**
 * `npm run generate` on a spec that fails lint leaves src/generated as it was: the generators run side by side with
 * the lint, so without care they write types and validators made from a spec the lint then refuses (the write phase
 * is undone when the lint fails; without the undo this test fails). Planted in
 * a scratch copy of the project: a path parameter that its path lacks (openapi-typescript and Ajv accept it, only
 * the lint refuses it).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bundle } from "../../scripts/generate.js";
import { runPhases } from "../../scripts/run-phases.js";
import { copyProject, editYaml, GENERATE_INPUTS, generatedFilePhases } from "./scratch-project.js";

const root = join(import.meta.dirname, "..", "..");
const generated = (dir: string) =>
  Object.fromEntries(
    readdirSync(join(dir, "src", "generated"))
      .sort()
      .map((name) => [name, readFileSync(join(dir, "src", "generated", name), "utf8")]),
  );

// No build runs here: the copies hold what the phases up to the generated files read and write.
const copy = copyProject(
  (openapi) => {
    editYaml(join(openapi, "v2", "paths", "api_v2_vps_{id}_snapshot-schedules.yaml"), (doc) => {
      (doc.delete as Record<string, unknown>).parameters = [
        { name: "foo", in: "path", required: true, "x-hostup-argument": "foo", schema: { type: "string" } },
      ];
    });
  },
  { paths: GENERATE_INPUTS },
);
afterAll(() => copy.remove());

describe("npm run generate on a spec that fails lint", () => {
  it("fails naming the problem and leaves src/generated as it was", async () => {
    const before = generated(copy.dir);
    await expect(runPhases(generatedFilePhases(copy.steps))).rejects.toThrow(
      /path-parameters-defined\s+Path parameter `foo` is not used in the path `\/api\/v2\/vps\/\{id\}\/snapshot-schedules`/,
    );
    expect(generated(copy.dir)).toEqual(before);
    // the copy starts as the project is: the plant, not a stale project, is what the lint refuses
    expect(before).toEqual(generated(root));
  }, 90_000);
});

describe("npm run generate on a spec that does not bundle", () => {
  // A $ref to a file that is not there: the bundler (in generate's own process) refuses it.
  const broken = copyProject(
    (openapi) => {
      editYaml(join(openapi, "v2", "paths", "api_v2_vps_{id}_snapshot-schedules.yaml"), (doc) => {
        (doc.delete as Record<string, unknown>).responses = { "204": { $ref: "../no-such-file.yaml" } };
      });
    },
    { paths: GENERATE_INPUTS },
  );
  afterAll(() => broken.remove());

  it("fails at the bundle, naming the API, the missing file and where the $ref is; src/generated and dist/openapi as they were", async () => {
    const before = generated(broken.dir);
    // the bundles of an earlier generate: v1 still bundles, v2 does not; neither file may change (v1 was rewritten
    // before v2 failed when a CLI process wrote each API in turn)
    const bundles = join(broken.dir, "dist", "openapi");
    mkdirSync(bundles, { recursive: true });
    for (const name of ["v1.yaml", "v1.json", "v2.yaml", "v2.json"])
      writeFileSync(join(bundles, name), "earlier");
    const failure = runPhases(generatedFilePhases(broken.steps));
    await expect(failure).rejects.toThrow(/^bundle: v2 does not bundle: .*no-such-file\.yaml/);
    await expect(failure).rejects.toThrow(
      /api_v2_vps_\{id\}_snapshot-schedules\.yaml#\/delete\/responses\/204/,
    );
    expect(generated(broken.dir)).toEqual(before);
    expect(readdirSync(bundles).map((name) => readFileSync(join(bundles, name), "utf8"))).toEqual(
      Array(4).fill("earlier"),
    );
  });
});

describe("npm run generate on a redocly.yaml that does not name both APIs", () => {
  // The bundle reads the APIs and their roots from redocly.yaml: one that names only v1, none, or does not parse
  // fails at the bundle, naming redocly.yaml and what it lacks, and leaves the earlier bundles (all four) as they
  // were. Before: v1 was written before v2 was found missing; without `apis` the layout's roots were bundled without
  // a word and the lint then failed with "Cannot read properties of undefined (reading 'v1')" (npm run contract
  // and fixtures:build passed).
  // the bundle alone: redocly.yaml and the specs
  const config = copyProject(() => {}, { paths: ["openapi", "redocly.yaml"] });
  afterAll(() => config.remove());
  const redoclyYaml = join(config.dir, "redocly.yaml");
  const original = readFileSync(redoclyYaml, "utf8");
  const bundles = join(config.dir, "dist", "openapi");
  const earlier = () => {
    mkdirSync(bundles, { recursive: true });
    for (const name of ["v1.yaml", "v1.json", "v2.yaml", "v2.json"])
      writeFileSync(join(bundles, name), "earlier");
  };
  const asBefore = () =>
    expect(readdirSync(bundles).map((name) => readFileSync(join(bundles, name), "utf8"))).toEqual(
      Array(4).fill("earlier"),
    );

  it.for([
    [
      "names only v1",
      (doc: Record<string, unknown>) => {
        delete (doc.apis as Record<string, unknown>).v2;
      },
      /^bundle: redocly\.yaml: apis\.v2\.root is missing/,
    ],
    [
      "has no apis",
      (doc: Record<string, unknown>) => {
        delete doc.apis;
      },
      /^bundle: redocly\.yaml: apis\.v1\.root is missing/,
    ],
  ] as const)("one that %s is refused, naming it; the earlier bundles stay", async ([, change, message]) => {
    try {
      editYaml(redoclyYaml, change);
      earlier();
      await expect(bundle(bundles, config.dir)).rejects.toThrow(message);
      asBefore();
    } finally {
      writeFileSync(redoclyYaml, original);
    }
  });

  it("one that does not parse is refused, naming it", async () => {
    try {
      writeFileSync(redoclyYaml, `${original}\napis:\n  v1: [\n`);
      earlier();
      await expect(bundle(bundles, config.dir)).rejects.toThrow(/^bundle: redocly\.yaml: .*line \d+/);
      asBefore();
    } finally {
      writeFileSync(redoclyYaml, original);
    }
  });
});

/**
 * The lint rules of redocly.yaml are checks too, and a check that cannot fail is worth nothing: lint a planted
 * description that breaks each rule once, with the project's own per-API rules, and expect every rule to fire.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";

const root = join(import.meta.dirname, "..", "..");
const plantedDir = join(import.meta.dirname, "planted");
const scratch = mkdtempSync(join(tmpdir(), "hostup-lint-rules-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Problem {
  ruleId: string;
  severity: "error" | "warn";
  message: string;
  location: { pointer: string; source: { ref: string } }[];
}

type Version = "v1" | "v2";
const plantedFiles = [
  "every-rule-broken.yaml",
  "operation-extensions-broken.yaml",
  "scope-broken.yaml",
] as const;
type Planted = (typeof plantedFiles)[number];
/** Each planted description under a name of its own, so that every problem says which lint it belongs to. */
const copyOf = (version: Version, planted: Planted) => join(scratch, `${version}-${planted}`);

/** The Arazzo workflows, linted in the same process with redocly.yaml's top-level rules (as `redocly lint <file>`). */
const workflowsDir = join(root, "openapi", "workflows");
const workflows = readdirSync(workflowsDir)
  .filter((file) => file.endsWith(".arazzo.yaml"))
  .map((file) => join(workflowsDir, file));

/**
 * Every planted description linted with redocly.yaml's rules for each version (plugins resolved from the project),
 * in one Redocly process: a config with one API per (version, planted file), and one per workflow (a process of
 * their own cost about 0.4 CPU-s). Redocly's JSON format writes one report per API; a problem belongs to the copy
 * its location names.
 */
let problems: Problem[] = [];
beforeAll(() => {
  const config = parse(readFileSync(join(root, "redocly.yaml"), "utf8"));
  const apis: Record<string, { root: string; rules?: unknown }> = {};
  for (const version of ["v1", "v2"] as const) {
    for (const planted of plantedFiles) {
      copyFileSync(join(plantedDir, planted), copyOf(version, planted));
      apis[`${version}-${planted}`] = { root: copyOf(version, planted), rules: config.apis[version].rules };
    }
  }
  for (const workflow of workflows) apis[`workflow-${basename(workflow)}`] = { root: workflow };
  config.apis = apis;
  config.plugins = (config.plugins ?? []).map((plugin: string) => join(root, plugin));
  const configFile = join(scratch, "redocly.yaml");
  writeFileSync(configFile, stringify(config));
  const result = spawnSync(
    process.execPath,
    [
      join(root, "node_modules", "@redocly", "cli", "bin", "cli.js"),
      "lint",
      ...Object.keys(apis),
      "--config",
      configFile,
      "--format",
      "json",
    ],
    { cwd: root, encoding: "utf8", env: { ...process.env, REDOCLY_TELEMETRY: "off" } },
  );
  expect(result.status, "lint must fail on the planted descriptions").not.toBe(0);
  // one JSON report per API, back to back: "}{" where one ends and the next begins
  const text = result.stdout.slice(result.stdout.indexOf("{"));
  const reports: { problems: Problem[] }[] = text
    .split(/^\}(?=\{)/m)
    .map((part, i, all) => JSON.parse(i < all.length - 1 ? `${part}}` : part));
  expect(reports.length, "one report per planted lint").toBe(Object.keys(apis).length);
  problems = reports.flatMap((report) => report.problems);
});

/** The problems of one planted description linted with `version`'s rules. */
function lint(version: Version, planted: Planted): Problem[] {
  const file = copyOf(version, planted);
  const mine = problems.filter((problem) => resolve(root, problem.location[0]?.source.ref ?? "") === file);
  expect(mine.length, `lint must fail on ${planted} with the ${version} rules`).toBeGreaterThan(0);
  return mine;
}

const lintAs = (version: "v1" | "v2") =>
  new Set(lint(version, "every-rule-broken.yaml").map((problem) => problem.ruleId));

const sharedRules = [
  "rule/operation-id-grammar",
  "rule/operation-scope",
  "rule/operation-scope-in-description",
  "rule/operation-security",
  "rule/shared-error-responses",
  "rule/shared-error-responses-are-refs",
  "rule/rate-limit-headers",
  "rule/rate-limit-header-names",
  "rule/request-body-schema-type",
  // recommended's, made stricter in redocly.yaml
  "no-invalid-media-type-examples",
  "no-unused-components",
];

describe("redocly.yaml's own rules catch what they are for", () => {
  it("v1: the shared rules and snake_case property names", () => {
    const fired = lintAs("v1");
    for (const rule of [...sharedRules, "rule/v1-property-names-snake-case"]) expect(fired).toContain(rule);
  });

  it("v2: the shared rules, camelCase names and problem details for 4xx and 5xx", () => {
    const fired = lintAs("v2");
    for (const rule of [
      ...sharedRules,
      "rule/v2-property-names-camel-case",
      "operation-4xx-problem-details-rfc7807",
      "rule/v2-5xx-problem-details",
    ]) {
      expect(fired).toContain(rule);
    }
  });
});

describe("the rules on the extensions the client and the mock are generated from", () => {
  const extensionRules = [
    "rule/operation-client-name",
    "hostup/client-name-unique",
    "rule/path-parameter-argument",
    "hostup/idempotency",
    "hostup/pagination",
    "rule/v1-envelope",
  ];
  const found = (version: "v1" | "v2") =>
    lint(version, "operation-extensions-broken.yaml")
      .filter((problem) => extensionRules.includes(problem.ruleId))
      .map((problem) => `${problem.ruleId} ${problem.location[0]?.pointer}`)
      .sort();
  const paged = "#/paths/~1items/get/x-hostup-pagination";
  const shared = [
    "rule/operation-client-name #/paths/~1vps~1{id}/get/x-hostup-client",
    "rule/operation-client-name #/paths/~1vps~1{id}/post/x-hostup-client",
    "rule/operation-client-name #/paths/~1vps~1{id}/delete/x-hostup-client",
    "hostup/client-name-unique #/paths/~1vps~1{id}~1disks/put/x-hostup-client",
    "rule/path-parameter-argument #/paths/~1vps~1{id}/parameters/0/x-hostup-argument",
    "rule/path-parameter-argument #/paths/~1vps~1{id}~1disks/parameters/0/x-hostup-argument",
    "hostup/idempotency #/paths/~1vps~1{id}/post",
    "hostup/idempotency #/paths/~1vps~1{id}/patch/x-hostup-idempotent",
    `hostup/pagination ${paged}/cursor`,
    `hostup/pagination ${paged}/items`,
    `hostup/pagination ${paged}/hasMore`,
    `hostup/pagination ${paged}/nextCursor`,
    "hostup/pagination #/paths/~1items/post/x-hostup-pagination",
  ];

  it("v2: client names (present, valid, unique), path arguments, idempotency, pagination", () => {
    expect(found("v2")).toEqual([...shared].sort());
  });

  it("v1: the same, and every operation states x-hostup-envelope: data", () => {
    expect(found("v1")).toEqual(
      [
        ...shared,
        "rule/v1-envelope #/paths/~1vps~1{id}~1disks/get/x-hostup-envelope",
        "rule/v1-envelope #/paths/~1vps~1{id}~1disks/put/x-hostup-envelope",
      ].sort(),
    );
  });
});

describe("the scope rules: x-hostup-scope is one scope or a list, and the description says the same", () => {
  const scopeRules = [
    "rule/operation-id-grammar",
    "rule/operation-scope",
    "rule/operation-scope-in-description",
    "hostup/scope",
  ];
  it.each(["v1", "v2"] as const)("%s", (version) => {
    const found = lint(version, "scope-broken.yaml")
      .filter((problem) => scopeRules.includes(problem.ruleId))
      .map((problem) => `${problem.ruleId} ${problem.location[0]?.pointer}`)
      .sort();
    const at = "#/paths/~1backups";
    expect(found).toEqual(
      [
        `hostup/scope ${at}/put/description`,
        `hostup/scope ${at}/patch/x-hostup-scope`,
        `hostup/scope ${at}/delete/x-hostup-scope`,
        `rule/operation-scope ${at}~1{id}/get/x-hostup-scope`,
        `hostup/scope ${at}~1{id}/get/description`,
        `rule/operation-id-grammar ${at}~1{id}/post/operationId`,
        `rule/operation-scope-in-description ${at}~1{id}/post/description`,
      ].sort(),
    );
  });
});

describe("the workflows lint clean", () => {
  it("redocly lint openapi/workflows/*.arazzo.yaml: no error", () => {
    expect(workflows.length).toBeGreaterThan(0);
    // every problem outside the planted copies is the workflows' (or of the descriptions they name)
    const planted = new Set((["v1", "v2"] as const).flatMap((v) => plantedFiles.map((p) => copyOf(v, p))));
    const theirs = problems.filter(
      (problem) => !planted.has(resolve(root, problem.location[0]?.source.ref ?? "")),
    );
    expect(theirs.filter((problem) => problem.severity === "error")).toEqual([]);
  });
});

/**
 * The lint rules of redocly.yaml are checks too, and a check that cannot fail is worth nothing: lint a planted
 * description that breaks each rule once, with the project's own per-API rules, and expect every rule to fire.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";

const root = join(import.meta.dirname, "..", "..");
const plantedDir = join(import.meta.dirname, "planted");
const scratch = mkdtempSync(join(tmpdir(), "hostup-lint-rules-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Problem {
  ruleId: string;
  location: { pointer: string }[];
}

/** Lints a planted description with redocly.yaml's rules for `version` (plugins resolved from the project). */
function lint(version: "v1" | "v2", planted: string): Problem[] {
  const config = parse(readFileSync(join(root, "redocly.yaml"), "utf8"));
  config.apis = { [version]: { root: join(plantedDir, planted), rules: config.apis[version].rules } };
  config.plugins = (config.plugins ?? []).map((plugin: string) => join(root, plugin));
  const configFile = join(scratch, `redocly.${version}.yaml`);
  writeFileSync(configFile, stringify(config));
  const result = spawnSync(
    join(root, "node_modules", ".bin", "redocly"),
    ["lint", version, "--config", configFile, "--format", "json"],
    { encoding: "utf8", env: { ...process.env, REDOCLY_TELEMETRY: "off" } },
  );
  expect(result.status, "lint must fail on the planted description").not.toBe(0);
  return JSON.parse(result.stdout.slice(result.stdout.indexOf("{"))).problems;
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

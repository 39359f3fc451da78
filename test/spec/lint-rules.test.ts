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
const planted = join(import.meta.dirname, "planted", "every-rule-broken.yaml");
const scratch = mkdtempSync(join(tmpdir(), "hostup-lint-rules-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function lintAs(version: "v1" | "v2"): Set<string> {
  const config = parse(readFileSync(join(root, "redocly.yaml"), "utf8"));
  config.apis = { [version]: { root: planted, rules: config.apis[version].rules } };
  const configFile = join(scratch, `redocly.${version}.yaml`);
  writeFileSync(configFile, stringify(config));
  const result = spawnSync(
    join(root, "node_modules", ".bin", "redocly"),
    ["lint", version, "--config", configFile, "--format", "json"],
    { encoding: "utf8", env: { ...process.env, REDOCLY_TELEMETRY: "off" } },
  );
  expect(result.status, "lint must fail on the planted description").not.toBe(0);
  const report = JSON.parse(result.stdout.slice(result.stdout.indexOf("{")));
  return new Set(report.problems.map((p: { ruleId: string }) => p.ruleId));
}

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

// Check 1: every request and response of every fixture validates against the bundled spec of its
// operation, status and media type, strictly (undeclared properties are drift).
import { describe, expect, it } from "vitest";
import {
  formatScenarioFindings,
  INVALID_FIXTURES_DIR,
  listScenarios,
  scenarios,
  specs_,
  validateScenario,
} from "./fixtures.js";

describe("every fixture validates against the bundled spec", () => {
  const all = scenarios();
  it("has a corpus", () => {
    expect(all.length).toBeGreaterThan(100);
  });
  it.each(all.map((s) => [s.name, s] as const))("%s", (_name, scenario) => {
    const findings = validateScenario(specs_(), scenario);
    if (findings.length > 0) expect.fail(`\n${formatScenarioFindings(findings)}`);
  });
});

describe("fixtures that must fail (test/fixtures-invalid)", () => {
  it("the docs' _truncated history element is drift, named with fixture, operation and pointer", () => {
    const [scenario] = listScenarios(INVALID_FIXTURES_DIR).filter((s) => s.name.includes("truncated"));
    expect(scenario).toBeDefined();
    if (!scenario) return;
    const report = formatScenarioFindings(validateScenario(specs_(), scenario));
    expect(report).toContain("v1-get-backup-schedules-truncated-artefact");
    expect(report).toContain("v1 getBackupSchedules (GET /api/vm/{vmid}/backup-schedules)");
    expect(report).toContain("/data/history/2/_truncated");
    expect(report).toContain('no property "_truncated"');
  });
});

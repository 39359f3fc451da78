// Check 2: every operation × documented status of both descriptions has a fixture, and no fixture
// entry falls outside the descriptions. Prints the coverage table.

import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { computeCoverage, formatCoverageTable } from "../../scripts/contract/check.js";
import { buildEntry, buildHar, writeHar } from "../../scripts/contract/har.js";
import { scenarios, specs_ } from "./fixtures.js";

describe("coverage of operation × documented status", () => {
  const coverage = computeCoverage(specs_(), scenarios());

  it("covers every pair (table below)", () => {
    console.log(`\n${formatCoverageTable(coverage)}\n`);
    const missing = coverage.rows.filter((r) => r.fixtures.length === 0);
    expect(missing.map((r) => `${r.version} ${r.operationId} ${r.status}`)).toEqual([]);
    expect(coverage.rows.length).toBeGreaterThan(90);
  });

  it("has no fixture entry that matches no operation or an undocumented status", () => {
    expect(coverage.unmatched).toEqual([]);
  });

  it("reports a fixture that matches no operation, and a missing pair", () => {
    const dir = mkdtempSync(join(tmpdir(), "hostup-coverage-"));
    mkdirSync(join(dir, "stray"));
    const path = join(dir, "stray", "recording.har");
    writeHar(
      path,
      buildHar([
        buildEntry({
          method: "GET",
          url: "https://cloud.hostup.se/api/v2/dns/zones",
          status: 200,
          responseBody: {},
        }),
      ]),
    );
    const result = computeCoverage(specs_(), [{ name: "stray", path }]);
    expect(result.unmatched).toEqual([
      { fixture: "stray", entry: 0, request: "GET https://cloud.hostup.se/api/v2/dns/zones", status: 200 },
    ]);
    expect(formatCoverageTable(result)).toContain("MISSING");
  });
});

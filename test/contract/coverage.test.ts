// Check 2: every operation × documented status of both descriptions has a fixture, and no fixture
// entry falls outside the descriptions. Prints the coverage table.

import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import {
  computeCoverage,
  coverageTotals,
  formatCoverageTable,
  sourcesCell,
} from "../../scripts/contract/check.js";
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

  it("says for every pair how it is covered (live / page example / spec example), with totals", () => {
    expect(coverage.unsourced).toEqual([]);
    const totals = coverageTotals(coverage);
    expect(totals.live + totals.page + totals.spec).toBe(coverage.rows.length);
    const table = formatCoverageTable(coverage);
    expect(table).toContain("covered by");
    expect(table).toContain(
      `${totals.live} by a live recording, ${totals.page} at best by a reference page's own example, ${totals.spec} only by the spec's own examples`,
    );
    const v1Get200 = coverage.rows.find(
      (r) => r.version === "v1" && r.operationId === "getBackupSchedules" && r.status === "200",
    );
    expect(v1Get200 && sourcesCell(v1Get200)).toBe("page example + spec example");
    const v2Delete404 = coverage.rows.find(
      (r) => r.version === "v2" && r.operationId === "deleteBackupSchedule" && r.status === "404",
    );
    expect(v2Delete404 && sourcesCell(v2Delete404)).toBe("spec example");
  });

  it("reports a fixture that matches no operation, and a missing pair", () => {
    const dir = mkdtempSync(join(tmpdir(), "hostup-coverage-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
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
        buildEntry({
          method: "GET",
          url: "https://cloud.hostup.se/api/v2/vps?limit=2",
          status: 200,
          responseHeaders: { "content-type": "application/json" },
          responseBody: { data: [], hasMore: false, nextCursor: null },
          comment: "recorded from live API",
        }),
      ]),
    );
    const result = computeCoverage(specs_(), [{ name: "stray", path }]);
    expect(result.unmatched).toEqual([
      { fixture: "stray", entry: 0, request: "GET https://cloud.hostup.se/api/v2/dns/zones", status: 200 },
    ]);
    expect(result.unsourced).toEqual([{ fixture: "stray", entry: 0, comment: "" }]);
    const table = formatCoverageTable(result);
    expect(table).toContain("MISSING");
    expect(table).toMatch(/\| listVps +\| GET +\| \/api\/v2\/vps +\| 200 +\| live +\|/);
    expect(coverageTotals(result)).toEqual({ live: 1, page: 0, spec: 0 });
  });
});

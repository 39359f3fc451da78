// Check 2: every operation × documented status of both descriptions has a fixture, and no fixture
// entry falls outside the descriptions. Prints the coverage table.

import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import {
  coverageTotals,
  formatCorpusCoverage,
  sourcesCell,
  unsourced,
} from "../../scripts/fixture-provenance.js";
import { computeCoverage, formatCoverageTable, touchedRows } from "../../src/contract/coverage.js";
import { buildEntry, buildHar, writeHar } from "../../src/contract/har.js";
import { exchangesOf, readRecordings } from "../../src/contract/recordings.js";
import { FIXTURES_DIR, scenarios, specs_ } from "./fixtures.js";

const exchanges = (paths: string[]) => exchangesOf(readRecordings(paths)).exchanges;
const fixtureName = (file: string) => file.slice(FIXTURES_DIR.length + 1).replace(/\/recording\.har$/, "");

describe("coverage of operation × documented status", () => {
  const corpus = exchanges(scenarios().map((s) => s.path));
  const coverage = computeCoverage(specs_(), corpus);

  it("covers every pair (table below)", () => {
    console.log(`\n${formatCorpusCoverage(coverage, fixtureName)}\n`);
    const missing = coverage.rows.filter((r) => r.hits.length === 0);
    expect(missing.map((r) => `${r.version} ${r.operationId} ${r.status}`)).toEqual([]);
    expect(coverage.rows.length).toBeGreaterThan(90);
  });

  it("has no fixture entry that matches no operation or an undocumented status", () => {
    expect(coverage.unmatched).toEqual([]);
  });

  it("says for every pair how it is covered (live / page example / local recording / spec example), with totals", () => {
    expect(unsourced(corpus)).toEqual([]);
    const totals = coverageTotals(coverage);
    expect(totals.live + totals.page + totals.local + totals.spec).toBe(coverage.rows.length);
    const table = formatCorpusCoverage(coverage, fixtureName);
    expect(table).toContain("covered by");
    expect(table).toContain(
      `${totals.live} by a live recording, ${totals.page} at best by a reference page's own example, ${totals.local} at best by a recording of a local stand-in, ${totals.spec} only by the spec's own examples`,
    );
    const v1Get200 = coverage.rows.find(
      (r) => r.version === "v1" && r.operationId === "getBackupSchedules" && r.status === "200",
    );
    expect(v1Get200 && sourcesCell(v1Get200)).toMatch(/^page example \+ (local recording \+ )?spec example$/);
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
    const stray = exchanges([path]);
    const result = computeCoverage(specs_(), stray);
    expect(result.unmatched).toEqual([
      { file: path, entry: 0, request: "GET https://cloud.hostup.se/api/v2/dns/zones", status: 200 },
    ]);
    expect(unsourced(stray)).toEqual([{ file: path, entry: 0, comment: "" }]);
    const table = formatCorpusCoverage(result, () => "stray");
    expect(table).toContain("MISSING");
    expect(table).toMatch(/\| listVps +\| GET +\| \/api\/v2\/vps +\| 200 +\| live +\|/);
    expect(coverageTotals(result)).toEqual({ live: 1, page: 0, local: 0, spec: 0 });
    // the users' table (hostup-contract): only the versions the traffic touched, with counts
    const rows = touchedRows(result);
    expect(new Set(rows.map((r) => r.version))).toEqual(new Set(["v2"]));
    const users = formatCoverageTable(rows);
    expect(users).toMatch(
      /\| v2 +\| listVps +\| GET +\| \/api\/v2\/vps +\| 200 +\| 1 +\| .*recording\.har +\|/,
    );
    expect(users).toContain(`1/${rows.length} operation × status pairs exercised`);
  });
});

// Fixture-level checks shared by the contract tests and `npm run contract`: validate every entry of a
// HAR against the description it belongs to, and tabulate coverage of operation × documented status.
import { displayPath, type Exchange, listScenarios, readHar, type Scenario, toExchange } from "./har.js";
import { type ProvenanceKind, parseProvenance } from "./provenance.js";
import { documentedStatuses, type LoadedSpec, listOperations, matchOperation } from "./spec.js";
import { type DriftFinding, formatFindings, validateExchange } from "./validate.js";

export interface FixtureFinding extends DriftFinding {
  fixture: string;
  /** Path of the HAR file, relative to the working directory. */
  file: string;
  entry: number;
}

/** The description an exchange belongs to: the one with a matching operation, else the first by path prefix. */
export function specFor(specs: LoadedSpec[], exchange: Pick<Exchange, "method" | "url">): LoadedSpec {
  const matched = specs.find((s) => matchOperation(s, exchange.method, exchange.url));
  if (matched) return matched;
  const v2 = /\/api\/v2\//.test(new URL(exchange.url, "https://placeholder.invalid").pathname);
  return specs.find((s) => s.version === (v2 ? "v2" : "v1")) ?? (specs[0] as LoadedSpec);
}

export function validateScenario(specs: LoadedSpec[], scenario: Scenario): FixtureFinding[] {
  const har = readHar(scenario.path);
  const out: FixtureFinding[] = [];
  har.log.entries.forEach((entry, index) => {
    const exchange = toExchange(entry);
    for (const f of validateExchange(specFor(specs, exchange), exchange)) {
      out.push({ ...f, fixture: scenario.name, file: displayPath(scenario.path), entry: index });
    }
  });
  return out;
}

export function formatFixtureFindings(findings: FixtureFinding[]): string {
  return findings.map((f) => formatFindings([f], `${f.fixture} (${f.file}), entry #${f.entry}`)).join("\n\n");
}

export interface CoverageRow {
  version: string;
  operationId: string;
  method: string;
  path: string;
  status: string;
  fixtures: string[];
  /** How many fixture entries cover the pair, by provenance (see provenance.ts). */
  sources: Record<ProvenanceKind, number>;
}

/** The best source of a row: a live recording beats a page's own example beats the spec's own example. */
export function coveredBy(row: CoverageRow): ProvenanceKind | undefined {
  return (["live", "page", "spec"] as const).find((k) => row.sources[k] > 0);
}

const SOURCE_LABEL: Record<ProvenanceKind, string> = {
  live: "live",
  page: "page example",
  spec: "spec example",
};

export interface Coverage {
  rows: CoverageRow[];
  /** Fixture entries that match no operation or an undocumented status. */
  unmatched: { fixture: string; entry: number; request: string; status: number }[];
  /** Fixture entries whose comment says in none of the three forms where they came from. */
  unsourced: { fixture: string; entry: number; comment: string }[];
}

function statusMatches(documented: string, actual: number): boolean {
  return documented === String(actual) || documented === `${String(actual)[0]}XX`;
}

export function computeCoverage(specs: LoadedSpec[], scenarios: Scenario[]): Coverage {
  const rows: CoverageRow[] = [];
  for (const spec of specs) {
    for (const op of listOperations(spec)) {
      for (const status of documentedStatuses(op)) {
        rows.push({
          version: spec.version,
          operationId: op.operationId,
          method: op.method,
          path: op.path,
          status,
          fixtures: [],
          sources: { live: 0, page: 0, spec: 0 },
        });
      }
    }
  }
  const unmatched: Coverage["unmatched"] = [];
  const unsourced: Coverage["unsourced"] = [];
  for (const scenario of scenarios) {
    readHar(scenario.path).log.entries.forEach((entry, index) => {
      const x = toExchange(entry);
      const source = parseProvenance(entry.comment);
      if (!source) unsourced.push({ fixture: scenario.name, entry: index, comment: entry.comment ?? "" });
      const spec = specFor(specs, x);
      const match = matchOperation(spec, x.method, x.url);
      const row = match
        ? rows.find(
            (r) =>
              r.version === spec.version &&
              r.operationId === match.operationId &&
              statusMatches(r.status, x.status),
          )
        : undefined;
      if (!row) {
        unmatched.push({
          fixture: scenario.name,
          entry: index,
          request: `${x.method} ${x.url}`,
          status: x.status,
        });
      } else {
        if (!row.fixtures.includes(scenario.name)) row.fixtures.push(scenario.name);
        if (source) row.sources[source.kind]++;
      }
    });
  }
  return { rows, unmatched, unsourced };
}

export function formatCoverageTable(coverage: Coverage): string {
  const header = ["version", "operationId", "method", "path", "status", "covered by", "fixtures"];
  const body = coverage.rows.map((r) => [
    r.version,
    r.operationId,
    r.method,
    r.path,
    r.status,
    sourcesCell(r),
    r.fixtures.length === 0
      ? "MISSING"
      : `${r.fixtures.length} (${r.fixtures[0]}${r.fixtures.length > 1 ? ", ..." : ""})`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  const covered = coverage.rows.filter((r) => r.fixtures.length > 0).length;
  const t = coverageTotals(coverage);
  return [
    line(header),
    `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
    ...body.map(line),
    "",
    `${covered}/${coverage.rows.length} operation × status pairs covered: ${t.live} by a live recording, ` +
      `${t.page} at best by a reference page's own example, ${t.spec} only by the spec's own examples ` +
      "(written by the spec's authors, not shown on any page) until live recordings replace them",
  ].join("\n");
}

export { listScenarios };

/** The "covered by" cell: every kind of source of the pair, best first, e.g. "page example + spec example". */
export function sourcesCell(row: CoverageRow): string {
  const kinds = (["live", "page", "spec"] as const).filter((k) => row.sources[k] > 0);
  return kinds.length === 0 ? "-" : kinds.map((k) => SOURCE_LABEL[k]).join(" + ");
}

/** Pairs by their best source: live recording, else a page's own example, else only the spec's examples. */
export function coverageTotals(coverage: Coverage): Record<ProvenanceKind, number> {
  const totals: Record<ProvenanceKind, number> = { live: 0, page: 0, spec: 0 };
  for (const row of coverage.rows) {
    const best = coveredBy(row);
    if (best) totals[best]++;
  }
  return totals;
}

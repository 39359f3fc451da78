// Fixture-level checks shared by the contract tests and `npm run contract`: validate every entry of a
// HAR against the description it belongs to, and tabulate coverage of operation × documented status.
import { displayPath, type Exchange, listScenarios, readHar, type Scenario, toExchange } from "./har.js";
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
}

export interface Coverage {
  rows: CoverageRow[];
  /** Fixture entries that match no operation or an undocumented status. */
  unmatched: { fixture: string; entry: number; request: string; status: number }[];
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
        });
      }
    }
  }
  const unmatched: Coverage["unmatched"] = [];
  for (const scenario of scenarios) {
    readHar(scenario.path).log.entries.forEach((entry, index) => {
      const x = toExchange(entry);
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
      } else if (!row.fixtures.includes(scenario.name)) {
        row.fixtures.push(scenario.name);
      }
    });
  }
  return { rows, unmatched };
}

export function formatCoverageTable(coverage: Coverage): string {
  const header = ["version", "operationId", "method", "path", "status", "fixtures"];
  const body = coverage.rows.map((r) => [
    r.version,
    r.operationId,
    r.method,
    r.path,
    r.status,
    r.fixtures.length === 0
      ? "MISSING"
      : `${r.fixtures.length} (${r.fixtures[0]}${r.fixtures.length > 1 ? ", ..." : ""})`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  const covered = coverage.rows.filter((r) => r.fixtures.length > 0).length;
  return [
    line(header),
    `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
    ...body.map(line),
    "",
    `${covered}/${coverage.rows.length} operation × status pairs covered`,
  ].join("\n");
}

export { listScenarios };

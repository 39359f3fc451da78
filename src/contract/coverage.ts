// Coverage of operation × documented status: which pairs of the descriptions a set of recorded exchanges
// exercises, and which exchanges fall outside them (no operation, or a status the operation does not document).
import { matchOperation, specFor } from "./match.js";
import type { RecordedExchange } from "./recordings.js";
import { documentedStatuses, type LoadedSpec, listOperations } from "./spec.js";

export interface CoverageHit {
  file: string;
  entry: number;
  /** The HAR entry's comment (where it came from, for recordings that say so). */
  comment?: string;
}

export interface CoverageRow {
  version: string;
  operationId: string;
  method: string;
  path: string;
  /** As the spec writes it: "200", "4XX", "default". */
  status: string;
  hits: CoverageHit[];
}

export interface Coverage {
  rows: CoverageRow[];
  /** Exchanges that match no operation, or a status their operation does not document. */
  unmatched: { file: string; entry: number; request: string; status: number }[];
}

function statusMatches(documented: string, actual: number): boolean {
  return documented === String(actual) || documented === `${String(actual)[0]}XX`;
}

/** One row per operation × documented status of `specs`, with the exchanges that hit it. */
export function computeCoverage(
  specs: readonly LoadedSpec[],
  exchanges: readonly RecordedExchange[],
): Coverage {
  const rows: CoverageRow[] = specs.flatMap((spec) =>
    listOperations(spec).flatMap((op) =>
      documentedStatuses(op).map((status) => ({
        version: spec.version,
        operationId: op.operationId,
        method: op.method,
        path: op.path,
        status,
        hits: [],
      })),
    ),
  );
  const unmatched: Coverage["unmatched"] = [];
  for (const { file, entry, har, exchange: x } of exchanges) {
    const spec = specFor(specs, x);
    const match = matchOperation(spec, x.method, x.url);
    const candidates = match
      ? rows.filter((r) => r.version === spec.version && r.operationId === match.operationId)
      : [];
    // an exact status beats its "4XX" range; "default" takes what nothing else documents
    const row =
      candidates.find((r) => r.status === String(x.status)) ??
      candidates.find((r) => statusMatches(r.status, x.status)) ??
      candidates.find((r) => r.status === "default");
    if (!row) unmatched.push({ file, entry, request: `${x.method} ${x.url}`, status: x.status });
    else row.hits.push({ file, entry, ...(har.comment ? { comment: har.comment } : {}) });
  }
  return { rows, unmatched };
}

export function formatTable(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(line)].join("\n");
}

/** The rows of the versions that `coverage` has any hit in (a recording of v2 calls is not judged on v1's). */
export function touchedRows(coverage: Coverage): CoverageRow[] {
  const versions = new Set(coverage.rows.filter((r) => r.hits.length > 0).map((r) => r.version));
  return coverage.rows.filter((r) => versions.has(r.version));
}

/** The coverage table: operation, status, how many exchanges hit it (and the first file), and a total line. */
export function formatCoverageTable(rows: readonly CoverageRow[]): string {
  const body = rows.map((r) => [
    r.version,
    r.operationId,
    r.method,
    r.path,
    r.status,
    r.hits.length === 0 ? "-" : String(r.hits.length),
    r.hits[0] ? `${r.hits[0].file}${r.hits.length > 1 ? ", ..." : ""}` : "",
  ]);
  const covered = rows.filter((r) => r.hits.length > 0).length;
  return [
    formatTable(["version", "operationId", "method", "path", "status", "exchanges", "recorded in"], body),
    "",
    `${covered}/${rows.length} operation × status pairs exercised`,
  ].join("\n");
}

// Where a fixture entry came from, written in its HAR `comment` in a fixed, machine-readable form:
//
//   recorded from live API[; <details>]
//   built from documented example: <page file>[; <details>]     the page (a copy of HostUp's reference) shows it
//   recorded from a loopback server (not the live API)[; ...]   `npm run record` against a local stand-in
//   built from spec example (not shown on any page)[; <details>] the spec's authors wrote it
//
// Only a handful of the spec's examples are a reference page's own example (PAGE_EXAMPLES); every other
// example, and so most of the documented-example corpus, was written by the spec's authors. The coverage
// table counts the kinds so that a reader sees how much is covered only by the spec's own examples
// until live recordings replace them.
import type { Coverage, CoverageRow } from "../src/contract/coverage.js";
import { formatTable } from "../src/contract/coverage.js";
import type { RecordedExchange } from "../src/contract/recordings.js";

export type ProvenanceKind = "live" | "page" | "local" | "spec";

/** Best first: a live recording, a page's own example, a recording of a local stand-in, the spec's own example. */
export const PROVENANCE_KINDS: readonly ProvenanceKind[] = ["live", "page", "local", "spec"];

export interface Provenance {
  kind: ProvenanceKind;
  /** The page file, for kind "page" (e.g. v1-get-backup-schedules.txt, lifecycle/v1-get-snapshots.txt). */
  page?: string;
  /** Whatever follows the first "; ", if anything. */
  details?: string;
}

export const LIVE_COMMENT = "recorded from live API";
export const LOCAL_COMMENT = "recorded from a loopback server (not the live API)";
export const PAGE_PREFIX = "built from documented example: ";
export const SPEC_COMMENT = "built from spec example (not shown on any page)";

/** The reference page files (the copies in ../shared/api-docs/) and the operation each documents in full. */
export const PAGE_FILES: Readonly<Record<string, string>> = {
  "v1 getBackupSchedules": "v1-get-backup-schedules.txt",
  "v1 saveBackupSchedule": "v1-post-backup-schedules.txt",
  "v2 saveBackupSchedule": "v2-post-backup-schedules.md",
  "v2 updateBackupSettings": "v2-patch-backup-schedules.txt",
  "v2 saveSnapshotSchedule": "v2-post-snapshot-schedules.txt",
  "v1 listBackups": "lifecycle/v1-get-backups.txt",
  "v1 deleteBackup": "lifecycle/v1-delete-backup-volid.txt",
  "v1 listSnapshots": "lifecycle/v1-get-snapshots.txt",
  "v1 deleteOrRollbackSnapshot": "lifecycle/v1-delete-snapshots.txt",
  "v1 getJob": "lifecycle/v1-get-job.txt",
  "v2 listBackups": "lifecycle/v2-get-backups.txt",
  "v2 createBackup": "lifecycle/v2-post-backups.txt",
  "v2 deleteBackup": "lifecycle/v2-delete-backup.txt",
  "v2 restoreBackupToPayg": "lifecycle/v2-post-backup-restore-to-payg.txt",
  "v2 listBackupRestoreSources": "lifecycle/v2-get-backups-restore-sources.txt",
  "v2 restoreBackupFromVps": "lifecycle/v2-post-backups-restore-from-vps.txt",
  "v2 listSnapshots": "lifecycle/v2-get-snapshots.txt",
  "v2 createSnapshot": "lifecycle/v2-post-snapshots.txt",
  "v2 restoreSnapshot": "lifecycle/v2-post-snapshot-restore.txt",
};

export interface PageExample {
  version: "v1" | "v2";
  operationId: string;
  /** Response status, or "request" for a request-body example. */
  status: string;
  /** The example's name in the spec. */
  example: string;
  page: string;
  /**
   * JSON pointers where the spec's example differs from the page's (a documented artefact of the page that
   * the spec corrects), with what was changed; empty when the spec's example is the page's verbatim.
   */
  adapted?: { pointers: string[]; what: string };
}

/**
 * The spec examples that are a reference page's own example. Checked against the pages by
 * test/contract/provenance.test.ts (both ways: each listed one is on its page, no unlisted one is).
 */
export const PAGE_EXAMPLES: readonly PageExample[] = [
  {
    version: "v1",
    operationId: "getBackupSchedules",
    status: "200",
    example: "weekly",
    page: "v1-get-backup-schedules.txt",
    adapted: {
      pointers: ["/data/history/2"],
      what: 'without the page\'s {"_truncated": ...} history element',
    },
  },
  {
    version: "v1",
    operationId: "saveBackupSchedule",
    status: "request",
    example: "daily",
    page: "v1-post-backup-schedules.txt",
  },
  {
    version: "v1",
    operationId: "saveBackupSchedule",
    status: "200",
    example: "daily",
    page: "v1-post-backup-schedules.txt",
    adapted: {
      pointers: ["/data/schedule/hour", "/data/schedule/retention_count", "/data/schedule/next_run"],
      what: "hour 2 and retention_count 3 as requested (the page answers 19 and 7), next_run to match",
    },
  },
  {
    version: "v2",
    operationId: "saveBackupSchedule",
    status: "request",
    example: "daily",
    page: "v2-post-backup-schedules.md",
  },
  {
    version: "v2",
    operationId: "saveBackupSchedule",
    status: "201",
    example: "daily",
    page: "v2-post-backup-schedules.md",
  },
  {
    version: "v2",
    operationId: "updateBackupSettings",
    status: "request",
    example: "updateRetention",
    page: "v2-patch-backup-schedules.txt",
  },
  {
    version: "v2",
    operationId: "updateBackupSettings",
    status: "200",
    example: "updated",
    page: "v2-patch-backup-schedules.txt",
  },
  {
    version: "v2",
    operationId: "saveSnapshotSchedule",
    status: "request",
    example: "every12Hours",
    page: "v2-post-snapshot-schedules.txt",
  },
  {
    version: "v2",
    operationId: "saveSnapshotSchedule",
    status: "200",
    example: "saved",
    page: "v2-post-snapshot-schedules.txt",
  },
  {
    version: "v1",
    operationId: "deleteBackup",
    status: "200",
    example: "deleted",
    page: "lifecycle/v1-delete-backup-volid.txt",
    adapted: { pointers: ["/requestId"], what: 'a whole UUID for the page\'s cut "2121ae20-..."' },
  },
  {
    version: "v1",
    operationId: "listSnapshots",
    status: "200",
    example: "onlyCurrent",
    page: "lifecycle/v1-get-snapshots.txt",
  },
  {
    version: "v1",
    operationId: "deleteOrRollbackSnapshot",
    status: "200",
    example: "rollback",
    page: "lifecycle/v1-delete-snapshots.txt",
  },
  {
    version: "v2",
    operationId: "createBackup",
    status: "request",
    example: "withNote",
    page: "lifecycle/v2-post-backups.txt",
  },
];

/** The page entry of a spec example, if the example is a page's own. */
export function pageExample(
  version: string,
  operationId: string,
  status: string,
  example: string,
): PageExample | undefined {
  return PAGE_EXAMPLES.find(
    (p) =>
      p.version === version && p.operationId === operationId && p.status === status && p.example === example,
  );
}

/** The comment of an entry: the provenance, then details after "; ". */
export function provenanceComment(p: Provenance): string {
  const head =
    p.kind === "live"
      ? LIVE_COMMENT
      : p.kind === "local"
        ? LOCAL_COMMENT
        : p.kind === "page"
          ? `${PAGE_PREFIX}${p.page ?? ""}`
          : SPEC_COMMENT;
  return p.details ? `${head}; ${p.details}` : head;
}

/** Reads an entry's comment; undefined when it is in none of the forms. */
export function parseProvenance(comment: string | undefined): Provenance | undefined {
  if (comment === undefined) return undefined;
  const cut = comment.indexOf("; ");
  const head = cut < 0 ? comment : comment.slice(0, cut);
  const details = cut < 0 ? undefined : comment.slice(cut + 2);
  const extra = details ? { details } : {};
  if (head === LIVE_COMMENT) return { kind: "live", ...extra };
  if (head === LOCAL_COMMENT) return { kind: "local", ...extra };
  if (head === SPEC_COMMENT) return { kind: "spec", ...extra };
  if (head.startsWith(PAGE_PREFIX)) {
    const page = head.slice(PAGE_PREFIX.length);
    if (Object.values(PAGE_FILES).includes(page)) return { kind: "page", page, ...extra };
  }
  return undefined;
}

/** Every JSON object written out on a page (the pages' examples), in page order. */
export function pageJsonObjects(text: string): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== "{") continue;
    let depth = 0;
    let inString = false;
    let escaped = false;
    for (let j = i; j < text.length; j++) {
      const c = text[j];
      if (inString) {
        if (escaped) escaped = false;
        else if (c === "\\") escaped = true;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === "{") depth++;
      else if (c === "}" && --depth === 0) {
        try {
          const value: unknown = JSON.parse(text.slice(i, j + 1));
          if (value && typeof value === "object" && Object.keys(value).length > 0) {
            out.push(value);
            i = j;
          }
        } catch {
          // prose in braces, not JSON
        }
        break;
      }
    }
  }
  return out;
}

/** JSON pointers where `a` and `b` differ (object key order ignored). */
export function jsonDiff(a: unknown, b: unknown, pointer = ""): string[] {
  if (a === b) return [];
  if (a && b && typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) =>
      jsonDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${pointer}/${k}`),
    );
  }
  return [pointer];
}

// --- the corpus's coverage: which kinds of source cover each operation × status pair ---

const SOURCE_LABEL: Record<ProvenanceKind, string> = {
  live: "live",
  page: "page example",
  local: "local recording",
  spec: "spec example",
};

/** How many of a row's hits come from each kind of source (a hit whose comment says nothing counts nowhere). */
export function sourcesOf(row: CoverageRow): Record<ProvenanceKind, number> {
  const counts: Record<ProvenanceKind, number> = { live: 0, page: 0, local: 0, spec: 0 };
  for (const hit of row.hits) {
    const kind = parseProvenance(hit.comment)?.kind;
    if (kind) counts[kind]++;
  }
  return counts;
}

/** The best source of a row (see PROVENANCE_KINDS). */
export function coveredBy(row: CoverageRow): ProvenanceKind | undefined {
  const counts = sourcesOf(row);
  return PROVENANCE_KINDS.find((k) => counts[k] > 0);
}

/** The "covered by" cell: every kind of source of the pair, best first, e.g. "page example + spec example". */
export function sourcesCell(row: CoverageRow): string {
  const counts = sourcesOf(row);
  const kinds = PROVENANCE_KINDS.filter((k) => counts[k] > 0);
  return kinds.length === 0 ? "-" : kinds.map((k) => SOURCE_LABEL[k]).join(" + ");
}

/** Pairs by their best source. */
export function coverageTotals(coverage: Coverage): Record<ProvenanceKind, number> {
  const totals: Record<ProvenanceKind, number> = { live: 0, page: 0, local: 0, spec: 0 };
  for (const row of coverage.rows) {
    const best = coveredBy(row);
    if (best) totals[best]++;
  }
  return totals;
}

/** Entries whose comment is in none of the forms above. */
export function unsourced(
  exchanges: readonly RecordedExchange[],
): { file: string; entry: number; comment: string }[] {
  return exchanges
    .filter((x) => !parseProvenance(x.har.comment))
    .map((x) => ({ file: x.file, entry: x.entry, comment: x.har.comment ?? "" }));
}

/** The corpus's coverage table: each pair, how it is covered and by which fixtures; `name` names a fixture file. */
export function formatCorpusCoverage(coverage: Coverage, name: (file: string) => string): string {
  const body = coverage.rows.map((r) => {
    const fixtures = [...new Set(r.hits.map((h) => name(h.file)))];
    return [
      r.version,
      r.operationId,
      r.method,
      r.path,
      r.status,
      sourcesCell(r),
      fixtures.length === 0
        ? "MISSING"
        : `${fixtures.length} (${fixtures[0]}${fixtures.length > 1 ? ", ..." : ""})`,
    ];
  });
  const covered = coverage.rows.filter((r) => r.hits.length > 0).length;
  const t = coverageTotals(coverage);
  return [
    formatTable(["version", "operationId", "method", "path", "status", "covered by", "fixtures"], body),
    "",
    `${covered}/${coverage.rows.length} operation × status pairs covered: ${t.live} by a live recording, ` +
      `${t.page} at best by a reference page's own example, ${t.local} at best by a recording of a local stand-in, ` +
      `${t.spec} only by the spec's own examples (written by the spec's authors, not shown on any page) until live ` +
      "recordings replace them",
  ].join("\n");
}

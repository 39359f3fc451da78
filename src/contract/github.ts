// GitHub Actions: one `::error` workflow command per finding (an annotation on the file, at the entry's line where
// it can be found) and a Markdown job summary appended to the file GITHUB_STEP_SUMMARY names.
// Workflow commands: https://docs.github.com/actions/reference/workflow-commands-for-github-actions
import { printable } from "../printable.js";
import type { CheckResult } from "./check.js";
import { verdict } from "./check.js";
import { touchedRows } from "./coverage.js";
import type { Recording } from "./recordings.js";

/**
 * The message part of a workflow command: "%", CR and LF escaped as the runner reads them, and any other control or
 * format character (a terminal escape from a recording's keys) as printable writes it.
 */
const escapeData = (s: string) =>
  printable(s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A"), Number.POSITIVE_INFINITY);
/** A property value: the message's escapes, and ":" and "," too. */
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

function command(properties: Record<string, string | number | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(",");
  return `::error ${props}::${escapeData(message)}`;
}

/**
 * The line of each entry of a recording: the line of its `"url"` member, found in order (the n-th entry's URL after
 * the previous one's). Undefined where it cannot be found (a HAR written on one line gives line 1 for every entry).
 */
export function entryLines(recording: Recording): (number | undefined)[] {
  let from = 0;
  return recording.har.log.entries.map((entry) => {
    const at = recording.text.indexOf(JSON.stringify(entry.request.url), from);
    if (at < 0) return undefined;
    from = at + 1;
    return recording.text.slice(0, at).split("\n").length;
  });
}

/** One `::error` command per drift finding and per secret finding. */
export function annotations(result: CheckResult, recordings: readonly Recording[]): string {
  const lines = new Map(recordings.map((r) => [r.file, entryLines(r)]));
  const out = result.findings.map((f) =>
    command(
      { file: f.file, line: lines.get(f.file)?.[f.entry], title: `hostup-contract: drift in ${f.operation}` },
      `entry #${f.entry}, ${f.location} ${f.pointer || "(whole value)"}: expected by the spec: ${f.expected}; found in the recording: ${f.found}`,
    ),
  );
  for (const s of result.secrets) {
    out.push(
      command(
        { file: s.file, line: s.line, title: `hostup-contract: secret (${s.kind})` },
        `${s.path ? `at ${s.path}: ` : ""}${s.excerpt}: only a "REDACTED" placeholder is allowed here; remove the credential from the recording (and rotate it if it was real)`,
      ),
    );
  }
  return out.length > 0 ? `${out.join("\n")}\n` : "";
}

/** A Markdown table cell: "|" escaped, no line breaks, code spans for values. */
const cell = (s: string | number) => String(s).replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

function table(header: string[], rows: (string | number)[][]): string {
  return [
    `| ${header.join(" | ")} |`,
    `|${header.map(() => " --- ").join("|")}|`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
  ].join("\n");
}

/** The job summary: the verdict, the drift and secret findings, and the coverage table. */
export function summaryMarkdown(result: CheckResult): string {
  const parts = [`## ${verdict(result)}`];
  if (result.findings.length > 0) {
    parts.push(
      "### Drift",
      table(
        ["file", "entry", "operation", "where", "expected by the spec", "found in the recording"],
        result.findings.map((f) => [
          f.file,
          f.entry,
          f.operation,
          `${f.location} ${f.pointer || "(whole value)"}`,
          f.expected,
          f.found,
        ]),
      ),
    );
  }
  if (result.secrets.length > 0) {
    parts.push(
      "### Secrets",
      table(
        ["file", "where", "kind", "excerpt (masked)"],
        result.secrets.map((s) => [
          s.file,
          s.line !== undefined ? `line ${s.line}` : (s.path ?? ""),
          s.kind,
          s.excerpt,
        ]),
      ),
    );
  }
  const rows = touchedRows(result.coverage);
  if (rows.length > 0) {
    const covered = rows.filter((r) => r.hits.length > 0).length;
    parts.push(
      `### Coverage: ${covered}/${rows.length} operation × status pairs exercised`,
      "<details><summary>operation × status</summary>",
      table(
        ["version", "operation", "method", "path", "status", "exchanges"],
        rows.map((r) => [r.version, r.operationId, r.method, r.path, r.status, r.hits.length || "-"]),
      ),
      "</details>",
    );
  }
  return `${parts.join("\n\n")}\n`;
}

// The output formats of `hostup-contract check`: text (diff-like findings, secret findings, the coverage table),
// JSON (the whole result) and JUnit XML (one test case per exchange and per file's secret scan, for CI test reports).
import { type CheckResult, verdict } from "./check.js";
import { type CoverageRow, formatCoverageTable, touchedRows } from "./coverage.js";
import { formatFindings } from "./findings.js";
import type { ExchangeFinding } from "./recordings.js";
import { formatSecretFindings } from "./secrets.js";

export type ReportFormat = "text" | "json" | "junit";
export const REPORT_FORMATS: readonly ReportFormat[] = ["text", "json", "junit"];

/** Where a finding is: "recording.har, entry #3". */
export const findingPlace = (f: ExchangeFinding): string => `${f.file}, entry #${f.entry}`;

export function formatText(result: CheckResult): string {
  const parts: string[] = [];
  if (result.findings.length > 0)
    parts.push(result.findings.map((f) => formatFindings([f], findingPlace(f))).join("\n\n"));
  if (result.secrets.length > 0) parts.push(`secrets:\n${formatSecretFindings(result.secrets)}`);
  const rows = touchedRows(result.coverage);
  if (rows.length > 0) parts.push(`coverage:\n${formatCoverageTable(rows)}`);
  parts.push(verdict(result));
  return `${parts.join("\n\n")}\n`;
}

const coverageJson = (rows: readonly CoverageRow[]) =>
  rows.map(({ hits, ...row }) => ({ ...row, exchanges: hits.length, hits }));

export function formatJson(result: CheckResult): string {
  return `${JSON.stringify(
    {
      tool: "hostup-contract",
      exitCode: result.exitCode,
      files: result.files,
      exchanges: result.exchanges,
      skipped: result.skipped,
      findings: result.findings,
      secrets: result.secrets,
      coverage: { rows: coverageJson(result.coverage.rows), unmatched: result.coverage.unmatched },
    },
    null,
    2,
  )}\n`;
}

/** XML 1.0 text: the five escapes, and the characters XML cannot hold at all dropped. */
function xml(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&apos;")
  );
}

function testcase(
  classname: string,
  name: string,
  failures: { message: string; type: string; body: string }[],
) {
  const open = `    <testcase classname="${xml(classname)}" name="${xml(name)}"`;
  if (failures.length === 0) return `${open}/>`;
  const inner = failures.map(
    (f) => `      <failure message="${xml(f.message)}" type="${xml(f.type)}">${xml(f.body)}</failure>`,
  );
  return [`${open}>`, ...inner, "    </testcase>"].join("\n");
}

export function formatJunit(result: CheckResult): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  const suite = (name: string, cases: string[], failed: number) => {
    tests += cases.length;
    failures += failed;
    suites.push(
      [
        `  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${failed}" errors="0" skipped="0">`,
        ...cases,
        "  </testsuite>",
      ].join("\n"),
    );
  };
  for (const file of result.files) {
    const entries = new Map<number, ExchangeFinding[]>();
    for (const f of result.findings.filter((x) => x.file === file))
      entries.set(f.entry, [...(entries.get(f.entry) ?? []), f]);
    const mine = result.coverage.rows.flatMap((r) =>
      r.hits
        .filter((h) => h.file === file)
        .map((h) => ({ entry: h.entry, name: `${r.version} ${r.operationId} -> ${r.status}` })),
    );
    const names = new Map(mine.map((m) => [m.entry, m.name]));
    const indexes = [...new Set([...names.keys(), ...entries.keys()])].sort((a, b) => a - b);
    const cases = indexes.map((entry) => {
      const found = entries.get(entry) ?? [];
      const name = `entry #${entry}: ${names.get(entry) ?? found[0]?.operation ?? "exchange"}`;
      return testcase(
        `hostup-contract.drift.${file}`,
        name,
        found.map((f) => ({
          message: `${f.location} ${f.pointer || "(whole value)"}: expected ${f.expected}, found ${f.found}`,
          type: f.kind,
          body: formatFindings([f], `${file}, entry #${entry}`),
        })),
      );
    });
    suite(`drift: ${file}`, cases, [...entries.keys()].length);
  }
  const secretCases = result.files.map((file) => {
    const found = result.secrets.filter((s) => s.file === file);
    return testcase(
      "hostup-contract.secrets",
      file,
      found.map((s) => ({
        message: `${s.kind}: ${s.excerpt}`,
        type: "secret",
        body: formatSecretFindings([s]),
      })),
    );
  });
  suite(
    "secret scan",
    secretCases,
    result.files.filter((f) => result.secrets.some((s) => s.file === f)).length,
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="hostup-contract" tests="${tests}" failures="${failures}" errors="0">`,
    ...suites,
    "</testsuites>",
    "",
  ].join("\n");
}

export function formatReport(result: CheckResult, format: ReportFormat): string {
  return format === "json"
    ? formatJson(result)
    : format === "junit"
      ? formatJunit(result)
      : formatText(result);
}

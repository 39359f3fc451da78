/** docs:check's output: a readable report, or the result as JSON. */
import { printable } from "../../src/printable.js";
import type { DocsCheckResult } from "./check.js";
import type { Difference } from "./compare.js";
import type { Departure } from "./departures.js";

/**
 * One difference in words, e.g. `response 200 data.schedules[].hour: type: the page says integer, the spec string`.
 * One line: what a (fetched, perhaps hostile) page says is shown with its control characters escaped.
 */
export function describeDifference(
  d: Pick<Difference, "where" | "field" | "kind" | "page" | "spec">,
): string {
  return printable(differenceWords(d), Number.POSITIVE_INFINITY);
}

function differenceWords(d: Pick<Difference, "where" | "field" | "kind" | "page" | "spec">): string {
  const at = [d.where, d.field].filter(Boolean).join(" ");
  switch (d.kind) {
    case "page":
      return `reference page ${d.page} (${d.spec})`;
    case "field":
    case "status":
    case "parameter":
      if (d.page === "absent") return `${at}: in the spec${words(d.spec, "declared")}, not on the page`;
      if (d.spec === "absent") return `${at}: on the page${words(d.page, "documented")}, not in the spec`;
      return `${at}: the page has ${d.page}, the spec ${d.spec}`;
    case "related-endpoint":
      return `${at}: named under the page's Related Endpoints, not in the spec`;
    case "operation":
      return `the page documents ${d.page}, the spec has ${d.spec}`;
    default:
      return `${at}: ${d.kind}: the page says ${d.page}, the spec ${d.spec}`;
  }
}

const words = (text: string, plain: string) => (text === plain ? "" : ` (${text})`);

const departureLine = (x: Departure) => `${x.operation} ${describeDifference(x)}\n      why: ${x.why}`;

export function formatText(result: DocsCheckResult, departuresFile: string): string {
  const out: string[] = [];
  const checked = result.operations.filter((op) => op.readFrom);
  out.push(`docs:check: HostUp's reference pages against the spec`);
  out.push(`Pages from ${result.source}.`);
  out.push(`Compared ${checked.length} of ${result.operations.length} operations:`);
  for (const op of checked) {
    out.push(`  ${op.operation.padEnd(28)} ${op.endpoint}`);
    const excerpt =
      op.excerpt === "cut" ? ", an excerpt cut short: only what it shows" : op.excerpt ? ", an excerpt" : "";
    out.push(`  ${"".padEnd(28)} ${op.readFrom} (${op.rendering}, ${op.fields} fields${excerpt})`);
  }
  const notChecked = result.operations.filter((op) => op.notChecked);
  if (notChecked.length > 0) {
    out.push("", `Not compared (${notChecked.length}):`);
    for (const op of notChecked)
      out.push(`  ${op.operation.padEnd(28)} ${printable(op.notChecked ?? "", Number.POSITIVE_INFINITY)}`);
  }

  out.push("");
  if (result.remaining.length === 0)
    out.push("✔ The spec and the pages agree (the declared departures aside).");
  else {
    out.push(`✘ ${result.remaining.length} difference(s) between the pages and the spec:`);
    const byOperation = new Map<string, Difference[]>();
    for (const d of result.remaining) {
      const key = `${d.operation}  ${d.endpoint}`;
      byOperation.set(key, [...(byOperation.get(key) ?? []), d]);
    }
    for (const [operation, differences] of byOperation) {
      out.push(`  ${operation}`);
      for (const d of differences) out.push(`    ${describeDifference(d)}`);
    }
    out.push(
      "",
      "  For each: if HostUp changed the API, edit openapi/ (and its fixtures), then run `npm run spec:diff`",
      "  and add its entry to CHANGELOG.md; if the page contradicts itself, resolve it in the spec (saying why",
      `  in the description) and declare the departure in ${departuresFile}.`,
    );
  }

  if (result.noLongerNeeded.length > 0) {
    out.push(
      "",
      `✘ ${result.noLongerNeeded.length} departure(s) no longer needed: the page or the spec changed. Remove each`,
      `  from ${departuresFile} and revisit the spec's description that explains it:`,
    );
    for (const x of result.noLongerNeeded) out.push(`    ${departureLine(x)}`);
  }
  if (result.applied.length > 0) {
    out.push("", `Departures declared in ${departuresFile}, set aside (${result.applied.length}):`);
    for (const x of result.applied) out.push(`    ${departureLine(x)}`);
  }
  if (result.notChecked.length > 0) {
    out.push("", `Departures of operations not compared in this run (${result.notChecked.length}):`);
    for (const x of result.notChecked) out.push(`    ${x.operation} ${describeDifference(x)}`);
  }
  const inferred = result.operations.reduce((sum, op) => sum + (op.inferred?.length ?? 0), 0);
  if (inferred > 0) {
    out.push(
      "",
      `On no page, and marked x-hostup-source: inferred in the spec: ${inferred} field(s), status(es) or ` +
        "parameter(s) (listed by --format json).",
    );
  }
  return `${out.join("\n")}\n`;
}

export function formatJson(result: DocsCheckResult, departuresFile: string): string {
  return `${JSON.stringify({ ...result, departuresFile }, null, 2)}\n`;
}

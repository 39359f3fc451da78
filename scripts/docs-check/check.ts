/**
 * docs:check's run: for every operation of the bundled specs, read the page its `externalDocs.url` names from a
 * page source, parse it, compare, and set the reviewed departures aside.
 */
import type { OpenApiDoc } from "../../src/contract/spec.js";
import { pageName } from "../reference-pages/local-copies.js";
import { parseReferencePage } from "../reference-pages/parse.js";
import type { PageSource } from "../reference-pages/sources.js";
import { bodySchema } from "../spec-fields.js";
import { type Operation, operationsOf, route } from "../spec-operations.js";
import { compareOperation, type Difference, operationName } from "./compare.js";
import { type AppliedDepartures, applyDepartures, type Departure } from "./departures.js";

export interface CheckedOperation {
  operation: string;
  endpoint: string;
  url?: string;
  /** The file or address the page was read from; undefined when it was not read. */
  readFrom?: string;
  rendering?: string;
  /** Fields the parser found on the page: a page that yields none is suspect, and the report says so. */
  fields?: number;
  /** Why the page was not compared. */
  notChecked?: string;
  /** What the spec declares and this page does not name, marked `x-hostup-source: inferred` in the spec. */
  inferred?: string[];
}

export interface DocsCheckResult extends AppliedDepartures {
  source: string;
  operations: CheckedOperation[];
  /** True when the spec and the pages agree (departures aside) and every departure is still needed. */
  ok: boolean;
}

export async function checkReferencePages({
  specs,
  source,
  departures,
}: {
  specs: ReadonlyMap<string, OpenApiDoc>;
  source: PageSource;
  departures: Departure[];
}): Promise<DocsCheckResult> {
  const all = operationsOf(specs);
  const differences: Difference[] = [];
  const operations: CheckedOperation[] = [];
  const checked = new Set<string>();
  for (const op of all) {
    const url: unknown = op.operation.externalDocs?.url;
    const entry: CheckedOperation = {
      operation: operationName(op),
      endpoint: route(op),
      ...(typeof url === "string" ? { url } : {}),
    };
    operations.push(entry);
    if (typeof url !== "string") {
      differences.push(missing(op, "records no reference page", "no externalDocs.url"));
      continue;
    }
    const name = pageName(url);
    const page = await source.read(name, url);
    if (!page) {
      if (source.kind === "folder") entry.notChecked = `no copy of ${name} in ${source.describe}`;
      else differences.push(missing(op, "not found", url));
      continue;
    }
    const parsed = parseReferencePage(name, page.text);
    entry.readFrom = page.from;
    entry.rendering = parsed.rendering;
    entry.fields = parsed.fields.length;
    checked.add(entry.operation);
    // A page in which the parser recognises nothing would otherwise agree with anything.
    if (parsed.fields.length === 0 && hasBody(op)) {
      differences.push(missing(op, "no field recognised (has its rendering changed?)", "declares a body"));
    }
    const comparison = compareOperation(op, parsed, all);
    differences.push(...comparison.differences);
    entry.inferred = comparison.inferred;
  }
  const applied = applyDepartures(differences, departures, checked);
  return {
    source: source.describe,
    operations,
    ...applied,
    ok: applied.remaining.length === 0 && applied.noLongerNeeded.length === 0,
  };
}

/** The operation sends or answers a body with content (so its page must document fields). */
function hasBody(op: Operation): boolean {
  const responses = Object.entries(op.operation.responses ?? {});
  return (
    bodySchema(op.doc, op.operation.requestBody) !== undefined ||
    responses.some(
      ([status, response]) => status.startsWith("2") && bodySchema(op.doc, response) !== undefined,
    )
  );
}

function missing(op: Operation, page: string, spec: string): Difference {
  return {
    operation: operationName(op),
    endpoint: route(op),
    where: "page",
    field: "",
    kind: "page",
    page,
    spec,
  };
}

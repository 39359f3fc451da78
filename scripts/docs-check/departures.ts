/**
 * The reviewed list of the spec's deliberate departures from HostUp's reference pages: where a page contradicts
 * itself (a field marked required and described as optional) and the spec takes the reading a client must
 * survive, saying why in its `description`. Each entry names one difference exactly as docs:check reports it,
 * so that it is not reported again; an entry that no longer matches anything (the page was fixed, or the spec
 * changed) is reported as no longer needed.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { type Difference, type DifferenceKind, differenceKinds } from "./compare.js";

export interface Departure {
  operation: string;
  where: string;
  field: string;
  kind: DifferenceKind;
  page: string;
  spec: string;
  /** Why the spec departs from the page: a sentence for the reviewer, pointing at the spec's description. */
  why: string;
}

const keys = ["operation", "where", "field", "kind", "page", "spec", "why"] as const;

/** Reads and checks the list; a malformed entry is an error naming the entry and the field. */
export function loadDepartures(file: string): Departure[] {
  const parsed = parse(readFileSync(file, "utf8")) as unknown;
  const list = (parsed as { departures?: unknown })?.departures;
  if (!Array.isArray(list)) throw new Error(`${file}: expected a top-level "departures:" list`);
  return list.map((entry: unknown, index) => {
    const at = `${file}: departures[${index}]`;
    if (typeof entry !== "object" || entry === null) throw new Error(`${at}: expected a mapping`);
    const record = entry as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!(keys as readonly string[]).includes(key)) {
        throw new Error(`${at}: unknown key "${key}" (expected ${keys.join(", ")})`);
      }
    }
    const departure = {} as Record<(typeof keys)[number], string>;
    for (const key of keys) {
      const value = record[key] ?? (key === "field" ? "" : undefined);
      if (typeof value !== "string" && typeof value !== "number") {
        throw new Error(
          `${at}.${key}: expected a string${key === "why" ? " saying why the spec departs" : ""}`,
        );
      }
      departure[key] = String(value).trim();
    }
    if (!(differenceKinds as readonly string[]).includes(departure.kind)) {
      throw new Error(`${at}.kind: expected one of ${differenceKinds.join(", ")}, got "${departure.kind}"`);
    }
    if (departure.why === "") throw new Error(`${at}.why: say why the spec departs from the page`);
    return departure as Departure;
  });
}

const sameDifference = (d: Difference, x: Departure) =>
  d.operation === x.operation &&
  d.where === x.where &&
  d.field === x.field &&
  d.kind === x.kind &&
  d.page === x.page &&
  d.spec === x.spec;

export interface AppliedDepartures {
  /** Differences no departure declares: what the report lists. */
  remaining: Difference[];
  /** Departures that matched a difference. */
  applied: Departure[];
  /** Departures of a checked operation that matched nothing: the page or the spec has changed. */
  noLongerNeeded: Departure[];
  /** Departures of an operation whose page was not read in this run. */
  notChecked: Departure[];
}

export function applyDepartures(
  differences: Difference[],
  departures: Departure[],
  checkedOperations: ReadonlySet<string>,
): AppliedDepartures {
  const used = new Set<Departure>();
  const remaining = differences.filter((difference) => {
    const departure = departures.find((x) => sameDifference(difference, x));
    if (departure) used.add(departure);
    return !departure;
  });
  return {
    remaining,
    applied: departures.filter((x) => used.has(x)),
    noLongerNeeded: departures.filter((x) => !used.has(x) && checkedOperations.has(x.operation)),
    notChecked: departures.filter((x) => !used.has(x) && !checkedOperations.has(x.operation)),
  };
}

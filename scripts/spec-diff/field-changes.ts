/**
 * What a change to one field means for the package's users, by the direction the data flows:
 *
 * - in a request (the client writes, the server reads) the server must still accept everything it accepted:
 *   a narrower type, a removed enum value, a tighter bound, a newly required or removed field break callers;
 * - in a response (the server writes, the client reads) the client must still understand everything it gets:
 *   a removed field, a wider type or a field that may now be absent break readers; an added enum value breaks an
 *   exhaustive `switch` and a newly nullable field breaks code that never checks for null (risky).
 *
 * Everything else (an added optional field, a looser request bound, a narrower response type) is compatible.
 */
import { boundKeys, type FieldFacts } from "../spec-fields.js";

export type Impact = "breaking" | "risky" | "compatible";
export type Direction = "request" | "response";

/** One change between two versions of the specs, as spec:diff reports it (a field's, an operation's, a status's). */
export interface Change {
  impact: Impact;
  kind: string;
  /** The API (v1, v2). */
  api: string;
  operationId: string;
  /** `GET /api/v2/vps` (after the change; before it for a removed operation). */
  endpoint: string;
  /** `operation`, `request body`, `response 200`, `query parameter limit`, `statuses`, `servers`... */
  where: string;
  field?: string;
  before?: string;
  after?: string;
  summary: string;
}

export interface FieldChange {
  impact: Impact;
  kind: string;
  field: string;
  before?: string;
  after?: string;
  /** A sentence for the reader, e.g. "type narrowed from number to integer". */
  summary: string;
}

const isRequest = (direction: Direction) => direction === "request";

/** The path holding `path`: `a.b` → `a`, `a[]` → `a`, `a<daily>` → `a`, `<daily>.x` → `<daily>`. */
export function parentOf(path: string): string | undefined {
  if (path === "") return undefined;
  if (path.endsWith("[]")) return path.slice(0, -2);
  if (path.endsWith(">")) return path.slice(0, path.lastIndexOf("<"));
  const dot = path.lastIndexOf(".");
  return dot < 0 ? "" : path.slice(0, dot);
}

const typeWords = (f: FieldFacts) => (f.types.length === 0 ? "any" : f.types.join("|"));
const list = (values: readonly unknown[]) => values.map((v) => JSON.stringify(v)).join(", ");
const covers = (types: string[], type: string) =>
  types.length === 0 || types.includes(type) || (type === "integer" && types.includes("number"));

/** Every change between two flattenings of the same body (`variants: true`), outermost first. */
export function fieldChanges(
  before: Map<string, FieldFacts>,
  after: Map<string, FieldFacts>,
  direction: Direction,
): FieldChange[] {
  const changes: FieldChange[] = [];
  const request = isRequest(direction);
  const reported = (path: string, from: Map<string, FieldFacts>) => {
    // A removed (or added) field's members are not reported one by one.
    for (let parent = parentOf(path); parent !== undefined; parent = parentOf(parent)) {
      if (from.has(parent) && !(from === before ? after : before).has(parent)) return true;
    }
    return false;
  };
  for (const [path, old] of before) {
    if (after.has(path) || reported(path, before)) continue;
    const variant = path.endsWith(">");
    changes.push({
      impact: request || !variant ? "breaking" : "compatible",
      kind: variant ? "variant-removed" : "field-removed",
      field: path,
      before: typeWords(old),
      summary: variant
        ? request
          ? "variant removed: requests of this shape are refused"
          : "variant removed: responses no longer take this shape"
        : request
          ? "request field removed: a request that sends it is refused"
          : "response field removed",
    });
  }
  for (const [path, now] of after) {
    if (before.has(path) || reported(path, after)) continue;
    const variant = path.endsWith(">");
    if (variant) {
      changes.push({
        impact: request ? "compatible" : "risky",
        kind: "variant-added",
        field: path,
        after: typeWords(now),
        summary: request
          ? "variant added: requests of a new shape are accepted"
          : "variant added: responses may take a shape a client does not handle",
      });
      continue;
    }
    const required = now.required && !path.endsWith("[]");
    changes.push({
      impact: request && required ? "breaking" : "compatible",
      kind: "field-added",
      field: path,
      after: `${typeWords(now)}${required ? ", required" : ""}`,
      summary: request
        ? required
          ? "request field added as required: existing requests lack it"
          : "optional request field added"
        : "response field added",
    });
  }
  for (const [path, old] of before) {
    const now = after.get(path);
    if (now) changes.push(...factChanges(path, old, now, direction));
  }
  return changes;
}

function factChanges(path: string, old: FieldFacts, now: FieldFacts, direction: Direction): FieldChange[] {
  const changes: FieldChange[] = [];
  const request = isRequest(direction);
  const add = (impact: Impact, kind: string, before: string, after: string, summary: string) =>
    changes.push({ impact, kind, field: path, before, after, summary });

  const oldTypes = typeWords(old);
  const newTypes = typeWords(now);
  if (oldTypes !== newTypes) {
    const narrowed = now.types.every((t) => covers(old.types, t)) && now.types.length > 0;
    const widened = old.types.every((t) => covers(now.types, t)) && old.types.length > 0;
    if (narrowed) {
      add(request ? "breaking" : "compatible", "type-narrowed", oldTypes, newTypes, "type narrowed");
    } else if (widened) {
      // integer → number changes no TypeScript type (both are number), only what values may come.
      const numeric = old.types.join() === "integer" && now.types.join() === "number";
      add(
        request ? "compatible" : numeric ? "risky" : "breaking",
        "type-widened",
        oldTypes,
        newTypes,
        "type widened",
      );
    } else add("breaking", "type-changed", oldTypes, newTypes, "type changed");
  }
  if (old.nullable !== now.nullable && !(old.types.length === 0 || now.types.length === 0)) {
    if (now.nullable) {
      add(request ? "compatible" : "risky", "made-nullable", "not nullable", "nullable", "made nullable");
    } else
      add(
        request ? "breaking" : "compatible",
        "made-non-nullable",
        "nullable",
        "not nullable",
        "null no longer allowed",
      );
  }
  if (old.required !== now.required && path !== "" && !path.endsWith("[]") && !path.endsWith(">")) {
    if (now.required)
      add(request ? "breaking" : "compatible", "made-required", "optional", "required", "newly required");
    else {
      add(
        request ? "compatible" : "breaking",
        "made-optional",
        "required",
        "optional",
        request ? "no longer required" : "may now be absent",
      );
    }
  }
  changes.push(...enumChanges(path, old, now, request));
  changes.push(...constraintChanges(path, old, now, request));
  if (old.closed !== now.closed) {
    if (now.closed) {
      add(
        request ? "risky" : "compatible",
        "closed",
        "open",
        "closed",
        "no longer accepts undeclared members",
      );
    } else add("compatible", "opened", "closed", "open", "accepts undeclared members");
  }
  if (!old.deprecated && now.deprecated) add("compatible", "deprecated", "", "deprecated", "deprecated");
  return changes;
}

function enumChanges(path: string, old: FieldFacts, now: FieldFacts, request: boolean): FieldChange[] {
  const changes: FieldChange[] = [];
  if (!old.enum && !now.enum) return changes;
  if (!old.enum && now.enum) {
    changes.push({
      impact: request ? "breaking" : "compatible",
      kind: "enum-introduced",
      field: path,
      after: list(now.enum),
      summary: `now restricted to ${list(now.enum)}`,
    });
    return changes;
  }
  if (old.enum && !now.enum) {
    changes.push({
      impact: request ? "compatible" : "risky",
      kind: "enum-dropped",
      field: path,
      before: list(old.enum),
      summary: `no longer restricted to ${list(old.enum)}`,
    });
    return changes;
  }
  const before = old.enum ?? [];
  const after = now.enum ?? [];
  for (const value of after.filter((v) => !before.includes(v))) {
    changes.push({
      impact: request ? "compatible" : "risky",
      kind: "enum-value-added",
      field: path,
      after: JSON.stringify(value),
      summary: request
        ? `enum value ${JSON.stringify(value)} added`
        : `enum value ${JSON.stringify(value)} added: an exhaustive switch over it misses a case`,
    });
  }
  for (const value of before.filter((v) => !after.includes(v))) {
    changes.push({
      impact: request ? "breaking" : "compatible",
      kind: "enum-value-removed",
      field: path,
      before: JSON.stringify(value),
      summary: `enum value ${JSON.stringify(value)} removed`,
    });
  }
  return changes;
}

const lower = new Set(["minimum", "exclusiveMinimum", "minLength", "minItems"]);

function constraintChanges(path: string, old: FieldFacts, now: FieldFacts, request: boolean): FieldChange[] {
  const changes: FieldChange[] = [];
  const tightened = (kind: string, before: string, after: string) =>
    changes.push({
      impact: request ? "breaking" : "compatible",
      kind: `${kind}-tightened`,
      field: path,
      before,
      after,
      summary: `${kind} tightened`,
    });
  const loosened = (kind: string, before: string, after: string) =>
    changes.push({
      impact: request ? "compatible" : "risky",
      kind: `${kind}-loosened`,
      field: path,
      before,
      after,
      summary: `${kind} loosened`,
    });
  for (const key of boundKeys) {
    const x = old[key];
    const y = now[key];
    if (x === y) continue;
    const shown = (v?: number) => (v === undefined ? "none" : String(v));
    const tighter =
      x === undefined
        ? true
        : y === undefined
          ? false
          : key === "multipleOf"
            ? x % y !== 0 // looser only when the new step divides the old one: every old value still fits
            : lower.has(key)
              ? y > x
              : y < x;
    if (tighter) tightened(key, shown(x), shown(y));
    else loosened(key, shown(x), shown(y));
  }
  for (const key of ["pattern", "format"] as const) {
    const x = old[key];
    const y = now[key];
    if (x === y) continue;
    if (y === undefined) loosened(key, String(x), "none");
    else tightened(key, String(x ?? "none"), y);
  }
  return changes;
}

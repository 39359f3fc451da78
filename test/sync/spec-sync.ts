// Reads FIELD_MAP against both bundled descriptions: every mapped field exists on its side, and paired
// fields agree in type and enum. Used by spec-sync.test.ts (and by its planted-mutation test).
import { deref, type JsonObject, type OpenApiDoc, resolvePointer } from "../../src/contract/spec.js";
import { FIELD_MAP, type FieldGroup, type FieldPair, type FieldRelation } from "../../src/sync/field-map.js";

/** Every schema reachable from `schema` through $ref/allOf/oneOf/anyOf that declares `name`. */
export function findProperty(
  doc: OpenApiDoc,
  schema: JsonObject | undefined,
  name: string,
  depth = 0,
): JsonObject[] {
  const node = deref(doc, schema);
  if (!node || depth > 20) return [];
  const own = node.properties?.[name] ? [deref(doc, node.properties[name]) as JsonObject] : [];
  const nested = ["allOf", "oneOf", "anyOf"].flatMap((k) =>
    Array.isArray(node[k]) ? node[k].flatMap((s: JsonObject) => findProperty(doc, s, name, depth + 1)) : [],
  );
  return [...own, ...nested];
}

/** The JSON types a property schema allows, null left out (nullability differs on purpose, see README). */
export function typesOf(doc: OpenApiDoc, schema: JsonObject): Set<string> {
  const out = new Set<string>();
  const visit = (s: JsonObject | undefined) => {
    const n = deref(doc, s);
    if (!n) return;
    const t = n.type;
    for (const x of Array.isArray(t) ? t : t ? [t] : []) if (x !== "null") out.add(String(x));
    if (n.const !== undefined && t === undefined) out.add(typeof n.const);
    for (const k of ["oneOf", "anyOf", "allOf"]) if (Array.isArray(n[k])) for (const sub of n[k]) visit(sub);
  };
  visit(schema);
  return out;
}

/** The enum/const values of a property across all its declarations; undefined when none has any. */
export function enumOf(doc: OpenApiDoc, schemas: JsonObject[]): Set<unknown> | undefined {
  let out: Set<unknown> | undefined;
  for (const s of schemas) {
    const n = deref(doc, s);
    const values = n?.enum ?? (n?.const !== undefined ? [n.const] : undefined);
    if (values) {
      out ??= new Set();
      for (const v of values) if (v !== null) out.add(v);
    }
  }
  return out;
}

export interface SyncProblem {
  group: string;
  pair: string;
  problem: string;
}

function show(set: Set<unknown> | undefined): string {
  return set
    ? `[${[...set]
        .map((v) => JSON.stringify(v))
        .sort()
        .join(", ")}]`
    : "none";
}

export function checkFieldMap(
  v1: OpenApiDoc,
  v2: OpenApiDoc,
  groups: readonly FieldGroup[] = FIELD_MAP,
): SyncProblem[] {
  const problems: SyncProblem[] = [];
  for (const group of groups) {
    // a v1<->v1 group pairs two v1 views of one row: its second side is in the v1 description too
    const second = group.direction === "v1<->v1" ? v1 : v2;
    const side2 = group.direction === "v1<->v1" ? "v1 (second view)" : "v2";
    const s1 = resolvePointer(v1, group.v1Schema);
    const s2 = resolvePointer(second, group.v2Schema);
    const name = `${group.fn} (${group.v1Schema} <-> ${group.v2Schema})`;
    if (!s1) problems.push({ group: name, pair: "", problem: `v1 schema ${group.v1Schema} is missing` });
    if (!s2)
      problems.push({ group: name, pair: "", problem: `${side2} schema ${group.v2Schema} is missing` });
    if (!s1 || !s2) continue;
    for (const pair of group.fields) {
      const label = `${pair.v1 ?? "-"} <-> ${pair.v2 ?? "-"}`;
      const p1 = pair.v1 ? findProperty(v1, s1, pair.v1) : [];
      const p2 = pair.v2 ? findProperty(second, s2, pair.v2) : [];
      if (pair.v1 && p1.length === 0)
        problems.push({ group: name, pair: label, problem: `v1 has no property "${pair.v1}"` });
      if (pair.v2 && p2.length === 0)
        problems.push({ group: name, pair: label, problem: `${side2} has no property "${pair.v2}"` });
      if (p1.length === 0 || p2.length === 0) continue;
      problems.push(...comparePair(v1, second, name, label, pair, p1, p2));
    }
  }
  return problems;
}

/** A relation other than "same": the type(s) the v1 side may have, and the one type the other side must have. */
const RELATIONS: Record<Exclude<FieldRelation, "same">, { from: string[]; to: string }> = {
  "integer-number": { from: ["integer"], to: "number" },
  "number-integer": { from: ["number"], to: "integer" },
  "epoch-date-time": { from: ["integer"], to: "string" },
  "integer-decimal-string": { from: ["integer"], to: "string" },
  "bytes-gb": { from: ["integer", "string"], to: "number" },
  "integer-boolean": { from: ["integer"], to: "boolean" },
};

/** Whether the two sides' types (null left out) are what the relation says. */
function typesAgree(relation: FieldRelation, t1: Set<string>, t2: Set<string>): boolean {
  if (relation === "same") return t1.size === t2.size && [...t1].every((t) => t2.has(t));
  const { from, to } = RELATIONS[relation];
  return t1.size === 1 && from.includes([...t1][0] as string) && t2.size === 1 && t2.has(to);
}

/** What a relation asks of the second side beyond its type: a date-time format, a digits-only pattern. */
function relationProblems(doc: OpenApiDoc, relation: FieldRelation, p2: JsonObject[]): string[] {
  const schemas = p2.map((s) => deref(doc, s) as JsonObject);
  if (relation === "epoch-date-time" && !schemas.some((s) => s.format === "date-time"))
    return ["the table says epoch-date-time, but the second side has no `format: date-time`"];
  if (relation === "integer-decimal-string" && !schemas.some((s) => s.pattern === "^[0-9]+$"))
    return [
      "the table says integer-decimal-string, but the second side has no digits-only `pattern: ^[0-9]+$`",
    ];
  return [];
}

function comparePair(
  v1: OpenApiDoc,
  v2: OpenApiDoc,
  group: string,
  label: string,
  pair: FieldPair,
  p1: JsonObject[],
  p2: JsonObject[],
): SyncProblem[] {
  const out: SyncProblem[] = [];
  const t1 = new Set(p1.flatMap((s) => [...typesOf(v1, s)]));
  const t2 = new Set(p2.flatMap((s) => [...typesOf(v2, s)]));
  const relation = pair.relation ?? "same";
  if (!typesAgree(relation, t1, t2)) {
    out.push({
      group,
      pair: label,
      problem: `types differ: v1 ${show(t1)}, v2 ${show(t2)}${relation === "same" ? "" : ` (table says ${relation})`}`,
    });
  }
  for (const problem of relationProblems(v2, relation, p2)) out.push({ group, pair: label, problem });
  const e1 = enumOf(v1, p1);
  const e2 = enumOf(v2, p2);
  if (e1 || e2) {
    const equal = e1 && e2 && e1.size === e2.size && [...e1].every((v) => e2.has(v));
    if (!equal) out.push({ group, pair: label, problem: `enums differ: v1 ${show(e1)}, v2 ${show(e2)}` });
  }
  return out;
}

export function formatSyncProblems(problems: SyncProblem[]): string {
  return problems.map((p) => `${p.group}\n  ${p.pair}: ${p.problem}`).join("\n");
}

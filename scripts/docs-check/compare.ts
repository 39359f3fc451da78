/**
 * What one reference page says about its operation against what the bundled spec says: every difference, one
 * record each, in a form a departure (departures.ts) can name exactly.
 *
 * Rules, so that a difference means something:
 * - a field, parameter or status the page names and the spec lacks is always a difference;
 * - one the spec declares and the page does not name is a difference unless the spec marks it (or what holds
 *   it) `x-hostup-source: inferred`: the spec then says itself that no page shows it;
 * - bounds are compared when the page states a bound for the field (the spec may take bounds from a page's prose,
 *   "Hour of day (0-23)", that no rendering lists);
 * - fields are compared where the page documents the body's fields (the `.md` rendering documents error bodies
 *   by example only, so theirs are not).
 */
import { deref, type JsonObject, type OpenApiDoc } from "../../src/contract/spec.js";
import type { DocField, DocLocation, ReferencePage } from "../reference-pages/parse.js";
import { bodySchema, type FieldFacts, flattenSchema, operationParameters } from "../spec-fields.js";
import { type Operation, route } from "../spec-operations.js";

export const differenceKinds = [
  "page",
  "operation",
  "scope",
  "status",
  "parameter",
  "field",
  "type",
  "nullable",
  "required",
  "enum",
  "minimum",
  "maximum",
  "related-endpoint",
] as const;
export type DifferenceKind = (typeof differenceKinds)[number];

export interface Difference {
  /** `v1 getBackupSchedules`: the API and the operationId. */
  operation: string;
  /** `GET /api/vm/{vmid}/backup-schedules` */
  endpoint: string;
  /** `request body`, `response 200`, `parameters`, `statuses`, `scope`, `operation`, `related endpoints`. */
  where: string;
  /** The field path, parameter, status or endpoint the difference is about; "" for the operation. */
  field: string;
  kind: DifferenceKind;
  /** What the page says, in a few words (`nullable`, `integer`, `documented`, `has unknown`). */
  page: string;
  /** What the spec says, in the same words. */
  spec: string;
}

export const operationName = (op: Pick<Operation, "api" | "operationId">) => `${op.api} ${op.operationId}`;

/** `/api/v2/vps/{id}/x` and `/api/v2/vps/{vpsId}/x` are the same route. */
const routeKey = (method: string, path: string) =>
  `${method.toUpperCase()} ${path.replace(/\{[^}]*\}/g, "{}")}`;

const scalarList = (values: readonly unknown[]) => values.map(String).join(", ");

function typeWords(facts: FieldFacts): string {
  return facts.types.length === 0 ? "any type" : facts.types.join("|");
}

export interface Comparison {
  differences: Difference[];
  /** What the spec declares, the page does not name, and the spec marks inferred (`response 409`, ...). */
  inferred: string[];
}

/** Compares one page with its operation; `all` are every operation of every API (for Related Endpoints). */
export function compareOperation(op: Operation, page: ReferencePage, all: Operation[]): Comparison {
  const differences: Difference[] = [];
  const inferred: string[] = [];
  const add = (where: string, field: string, kind: DifferenceKind, pageSays: string, specSays: string) =>
    differences.push({
      operation: operationName(op),
      endpoint: route(op),
      where,
      field,
      kind,
      page: pageSays,
      spec: specSays,
    });
  const { doc, operation } = op;

  if (
    page.operation &&
    routeKey(page.operation.method, page.operation.path) !== routeKey(op.method, op.path)
  ) {
    add("operation", "", "operation", `${page.operation.method} ${page.operation.path}`, route(op));
  }

  if (page.scopes) {
    const declared = [operation["x-hostup-scope"] ?? []].flat().map(String).sort();
    const documented = [...page.scopes].sort();
    if (documented.join(", ") !== declared.join(", ")) {
      add("scope", "", "scope", documented.join(", "), declared.join(", ") || "none");
    }
  }

  const responses = (operation.responses ?? {}) as JsonObject;
  const specStatuses = Object.keys(responses).filter((status) => /^[1-5]\d\d$/.test(status));
  if (page.statuses) {
    for (const status of page.statuses) {
      if (!specStatuses.includes(status)) add("statuses", status, "status", "documented", "absent");
    }
    for (const status of specStatuses) {
      if (page.statuses.includes(status)) continue;
      if (isInferredResponse(doc, responses[status])) {
        inferred.push(`response ${status}`);
        continue;
      }
      add("statuses", status, "status", "absent", "declared");
    }
  }

  compareParameters(op, page, add, inferred);

  const byLocation = new Map<string, { location: DocLocation; fields: DocField[] }>();
  for (const field of page.fields) {
    const key = field.location === "request" ? "request" : field.location.status;
    const entry = byLocation.get(key) ?? { location: field.location, fields: [] };
    entry.fields.push(field);
    byLocation.set(key, entry);
  }
  for (const { location, fields } of byLocation.values()) {
    let holder: unknown;
    let where: string;
    if (location === "request") {
      holder = operation.requestBody;
      where = "request body";
      if (!holder) {
        add(where, "", "field", "documented", "absent");
        continue;
      }
    } else {
      const status =
        location.status === "2xx" ? specStatuses.filter((s) => s.startsWith("2")).sort()[0] : location.status;
      if (!status || !responses[status]) {
        // A labelled status the spec lacks is reported with the statuses.
        if (location.status === "2xx") add("statuses", "2xx", "status", "documented", "absent");
        continue;
      }
      holder = responses[status];
      where = `response ${status}`;
    }
    const body = bodySchema(doc, holder);
    if (!body) {
      add(where, "", "field", "documented with fields", "no body");
      continue;
    }
    const facts = flattenSchema(doc, body.schema, { inferred: body.inferred });
    compareFields(where, fields, facts, page, add, inferred);
  }

  const known = new Set(all.map((other) => routeKey(other.method, other.path)));
  for (const related of page.related) {
    if (!known.has(routeKey(related.method, related.path))) {
      add("related endpoints", `${related.method} ${related.path}`, "related-endpoint", "names it", "absent");
    }
  }
  return { differences, inferred };
}

type Add = (where: string, field: string, kind: DifferenceKind, page: string, spec: string) => void;

/** The response (or the component it refers to) says it is inferred. */
function isInferredResponse(doc: OpenApiDoc, holder: unknown): boolean {
  if (typeof holder !== "object" || holder === null) return false;
  const target = deref(doc, holder as JsonObject);
  return (
    (holder as JsonObject)["x-hostup-source"] === "inferred" || target?.["x-hostup-source"] === "inferred"
  );
}

function compareParameters(op: Operation, page: ReferencePage, add: Add, inferred: string[]): void {
  const declared = operationParameters(op.doc, op.pathItem, op.operation);
  const documented = new Set<string>();
  for (const param of page.parameters) {
    if (param.in === "header") continue;
    const key = `${param.in} ${param.name}`;
    documented.add(key);
    const spec = declared.get(key);
    const label = `${param.in} ${param.name}`;
    if (!spec) {
      add("parameters", label, "parameter", `${param.type}, ${word(param.required)}`, "absent");
      continue;
    }
    const facts = flattenSchema(op.doc, spec.schema).get("") as FieldFacts;
    if (facts.types.join("|") !== param.type) add("parameters", label, "type", param.type, typeWords(facts));
    if (param.required !== (spec.required === true)) {
      add("parameters", label, "required", word(param.required), word(spec.required === true));
    }
    compareBounds("parameters", label, param, facts, add);
  }
  for (const [key, spec] of declared) {
    if (documented.has(key) || !["path", "query"].includes(String(spec.in))) continue;
    if (spec["x-hostup-source"] === "inferred") {
      inferred.push(`parameter ${key}`);
      continue;
    }
    add("parameters", key, "parameter", "absent", "declared");
  }
}

const word = (required: boolean) => (required ? "required" : "optional");

function compareBounds(
  where: string,
  field: string,
  documented: { minimum?: number; maximum?: number },
  facts: FieldFacts,
  add: Add,
): void {
  if (documented.minimum === undefined && documented.maximum === undefined) return;
  for (const key of ["minimum", "maximum"] as const) {
    const pageValue = documented[key];
    const specValue = facts[key];
    if (pageValue !== specValue)
      add(where, field, key, String(pageValue ?? "none"), String(specValue ?? "none"));
  }
}

function compareFields(
  where: string,
  fields: DocField[],
  facts: Map<string, FieldFacts>,
  page: ReferencePage,
  add: Add,
  inferred: string[],
): void {
  const named = new Set(fields.map((field) => field.path));
  for (const field of fields) {
    const spec = facts.get(field.path);
    if (!spec) {
      add(where, field.path, "field", pageFieldWords(field), "absent");
      continue;
    }
    if (spec.types.join("|") !== field.type) add(where, field.path, "type", field.type, typeWords(spec));
    if (field.nullable !== spec.nullable) {
      add(where, field.path, "nullable", nullableWord(field.nullable), nullableWord(spec.nullable));
    }
    if (field.required !== spec.required) {
      add(where, field.path, "required", word(field.required), word(spec.required));
    }
    const specValues = spec.enum?.map(String);
    if (field.enum) {
      if (!specValues) {
        add(
          where,
          field.path,
          "enum",
          `allows only ${[...field.enum].sort().join(", ")}`,
          "allows any value",
        );
      } else {
        for (const value of field.enum.filter((v) => !specValues.includes(v))) {
          add(where, field.path, "enum", `has ${value}`, `lacks ${value}`);
        }
        for (const value of specValues.filter((v) => !field.enum?.includes(v))) {
          add(where, field.path, "enum", `lacks ${value}`, `has ${value}`);
        }
      }
    } else if (specValues && page.rendering !== "run-together") {
      add(where, field.path, "enum", "allows any value", `allows only ${scalarList(specValues)}`);
    }
    compareBounds(where, field.path, field, spec, add);
  }
  for (const [path, spec] of facts) {
    // The body itself, array items (`a[]`, named by their array) and what the spec infers are not on a page.
    if (path === "" || path.endsWith("[]") || named.has(path)) continue;
    if (spec.inferred) inferred.push(`${where} ${path}`);
    else add(where, path, "field", "absent", specFieldWords(spec));
  }
}

const nullableWord = (nullable: boolean) => (nullable ? "nullable" : "not nullable");

/** `string|null, required`: a field in the words of a difference. */
const pageFieldWords = (field: DocField) =>
  `${field.type}${field.nullable ? "|null" : ""}, ${word(field.required)}`;
const specFieldWords = (facts: FieldFacts) =>
  `${typeWords(facts)}${facts.nullable && facts.types.length > 0 ? "|null" : ""}, ${word(facts.required)}`;

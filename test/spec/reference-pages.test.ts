/**
 * Every field that HostUp's reference pages name is in the spec, with the documented type, nullability and enum.
 *
 * The pages are read from $HOSTUP_API_DOCS, or else from ../shared/api-docs beside the clone. Where
 * HOSTUP_API_DOCS is set (.ci/run sets it) the pages must be there; a clone with neither skips these tests and
 * says why (a console line, and the skip note vitest's verbose reporter shows).
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import {
  type DocField,
  parseFieldLines,
  parseMarkdownBullets,
  parseRunTogether,
} from "../../scripts/reference-pages/parse.js";

const root = join(import.meta.dirname, "..", "..");
const docsDir = resolve(process.env.HOSTUP_API_DOCS ?? join(root, "..", "shared", "api-docs"));
const haveDocs = existsSync(join(docsDir, "v1-get-backup-schedules.txt"));
if (!haveDocs && process.env.HOSTUP_API_DOCS) {
  throw new Error(
    `HOSTUP_API_DOCS=${docsDir} holds no reference pages: the spec cannot be checked against them`,
  );
}
const skipReason = `HostUp's reference pages are not in ${docsDir}; set HOSTUP_API_DOCS to their folder to run these tests`;
if (!haveDocs) console.warn(`test/spec/reference-pages.test.ts: every test skipped: ${skipReason}`);

type Schema = { [key: string]: unknown } | boolean;
type Spec = { paths: Record<string, Record<string, unknown>>; [key: string]: unknown };

const loadSpec = (version: string): Spec =>
  JSON.parse(readFileSync(join(root, "dist", "openapi", `${version}.json`), "utf8"));

function deref(spec: Spec, node: unknown): Schema {
  let current = node;
  while (typeof current === "object" && current !== null && "$ref" in current) {
    const ref = String((current as { $ref: string }).$ref);
    current = ref
      .slice(2)
      .split("/")
      .map((t) => t.replaceAll("~1", "/").replaceAll("~0", "~"))
      .reduce<unknown>((at, key) => (at as Record<string, unknown>)?.[key], spec);
  }
  return current as Schema;
}

/** The schema and every schema it combines (allOf/oneOf/anyOf), $refs resolved. */
function branches(spec: Spec, node: unknown): Exclude<Schema, boolean>[] {
  const schema = deref(spec, node);
  if (typeof schema !== "object" || schema === null) return [];
  const nested = ["allOf", "oneOf", "anyOf"].flatMap((key) =>
    Array.isArray(schema[key]) ? (schema[key] as unknown[]).flatMap((s) => branches(spec, s)) : [],
  );
  return [schema, ...nested];
}

function child(spec: Spec, schemas: Exclude<Schema, boolean>[], segment: string): Exclude<Schema, boolean>[] {
  const isItems = segment.endsWith("[]");
  const name = isItems ? segment.slice(0, -2) : segment;
  let found = schemas.flatMap((s) => {
    const properties = s.properties as Record<string, unknown> | undefined;
    return properties && name in properties ? branches(spec, properties[name]) : [];
  });
  if (isItems) found = found.flatMap((s) => (s.items === undefined ? [] : branches(spec, s.items)));
  return found;
}

function facts(schemas: Exclude<Schema, boolean>[]): { types: Set<string>; enum: Set<string> } {
  const types = new Set<string>();
  const values = new Set<string>();
  for (const s of schemas) {
    for (const t of [s.type].flat()) if (typeof t === "string") types.add(t);
    for (const v of [s.enum ?? [], s.const === undefined ? [] : [s.const]].flat() as unknown[]) {
      if (v === null) types.add("null");
      else values.add(String(v));
    }
  }
  return { types, enum: values };
}

function rootSchema(spec: Spec, path: string, method: string, location: DocField["location"]): unknown {
  const operation = spec.paths[path]?.[method] as Record<string, unknown> | undefined;
  if (!operation) throw new Error(`${method.toUpperCase()} ${path} is not in the spec`);
  const holder =
    location === "request"
      ? deref(spec, operation.requestBody)
      : deref(spec, (operation.responses as Record<string, unknown>)[location.status]);
  if (typeof holder !== "object" || holder === null) return undefined;
  const content = holder.content as Record<string, { schema?: unknown }> | undefined;
  return content ? Object.values(content)[0]?.schema : undefined;
}

/** What the spec gets wrong about one documented field, or nothing. */
function problemsOf(spec: Spec, path: string, method: string, field: DocField): string[] {
  const where = `${field.page}: ${field.location === "request" ? "request body" : field.location.status} ${field.path}`;
  const start = rootSchema(spec, path, method, field.location);
  if (start === undefined) return [`${where}: the spec has no ${JSON.stringify(field.location)} body here`];
  let schemas = branches(spec, start);
  for (const segment of field.path.split(".")) schemas = child(spec, schemas, segment);
  if (schemas.length === 0) return [`${where}: missing from the spec`];
  const { types, enum: values } = facts(schemas);
  const problems: string[] = [];
  const typeOk = types.has(field.type);
  if (!typeOk)
    problems.push(`${where}: documented ${field.type}, spec has ${[...types].join("|") || "no type"}`);
  if (field.nullable && !types.has("null"))
    problems.push(`${where}: documented nullable, spec does not allow null`);
  if (field.enum && field.enum.length > 0) {
    const documented = [...field.enum].sort().join(", ");
    const declared = [...values].sort().join(", ");
    if (documented !== declared)
      problems.push(`${where}: documented enum [${documented}], spec has [${declared}]`);
  }
  return problems;
}

interface Page {
  file: string;
  version: "v1" | "v2";
  path: string;
  method: string;
  parse: (page: string, text: string) => DocField[];
  /** A floor on what the parser finds, so that a parser that silently finds nothing fails. */
  atLeast: number;
}

const pages: Page[] = [
  {
    file: "v1-get-backup-schedules.txt",
    version: "v1",
    path: "/api/vm/{vmid}/backup-schedules",
    method: "get",
    parse: parseFieldLines,
    atLeast: 60,
  },
  {
    file: "v1-post-backup-schedules.txt",
    version: "v1",
    path: "/api/vm/{vmid}/backup-schedules",
    method: "post",
    parse: parseFieldLines,
    atLeast: 30,
  },
  {
    file: "v2-post-backup-schedules.md",
    version: "v2",
    path: "/api/v2/vps/{id}/backup-schedules",
    method: "post",
    parse: (page, text) => parseMarkdownBullets(page, text, "201"),
    atLeast: 15,
  },
  {
    file: "v2-patch-backup-schedules.txt",
    version: "v2",
    path: "/api/v2/vps/{id}/backup-schedules",
    method: "patch",
    parse: parseFieldLines,
    atLeast: 20,
  },
  {
    file: "v2-post-snapshot-schedules.txt",
    version: "v2",
    path: "/api/v2/vps/{id}/snapshot-schedules",
    method: "post",
    parse: (page, text) => parseRunTogether(page, text, "schedule"),
    atLeast: 10,
  },
];

describe("the spec holds every field of HostUp's reference pages", () => {
  beforeEach((context) => {
    if (!haveDocs) context.skip(skipReason);
  });

  it.each(pages)("$file", (page) => {
    const fields = page.parse(page.file, readFileSync(join(docsDir, page.file), "utf8"));
    expect(fields.length).toBeGreaterThanOrEqual(page.atLeast);
    const spec = loadSpec(page.version);
    expect(fields.flatMap((field) => problemsOf(spec, page.path, page.method, field))).toEqual([]);
  });

  it("catches a field removed, retyped, made non-nullable or given another enum (planted in a copy)", () => {
    const page = pages[0] as Page;
    const fields = page.parse(page.file, readFileSync(join(docsDir, page.file), "utf8"));
    const spec = loadSpec("v1");
    const schemas = (spec.components as { schemas: Record<string, { properties: Record<string, unknown> }> })
      .schemas;
    const schedule = schemas.BackupSchedule?.properties ?? {};
    delete schedule.compress;
    schedule.hour = { type: "string" };
    schedule.day_of_week = { type: "integer" };
    const history = schemas.BackupHistoryEntry?.properties ?? {};
    history.backup_type = { type: "string", enum: ["manual"] };
    const problems = fields.flatMap((field) => problemsOf(spec, page.path, page.method, field)).join("\n");
    expect(problems).toMatch(/200 data\.schedules\[\]\.compress: missing from the spec/);
    expect(problems).toMatch(/200 data\.schedules\[\]\.hour: documented integer, spec has string/);
    expect(problems).toMatch(/200 data\.schedules\[\]\.day_of_week: documented nullable/);
    expect(problems).toMatch(
      /data\.history\[\]\.backup_type: documented enum \[manual, scheduled\], spec has \[manual\]/,
    );
  });
});

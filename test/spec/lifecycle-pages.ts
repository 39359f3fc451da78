/**
 * Reads the lifecycle reference pages (../shared/api-docs/lifecycle/: backups, snapshots, restores) into the fields
 * they document, and holds a bundled spec to them. These copies are excerpts in several renderings, cut short in
 * places, so a field records what its page says and no more: `required` is `undefined` where the copy was cut before
 * the page said, `type` where it was cut inside the type. Unlike reference-pages.ts (the schedule pages), the checks
 * here also cover parameters, `required` in both directions, and bounds.
 */

export type PageType = "string" | "integer" | "number" | "boolean" | "object" | "array";

/** Where a documented field lives: the request body, the answer of one status, or a parameter (path or query). */
export type PageLocation = "request" | "param" | { status: string };

export interface PageField {
  page: string;
  location: PageLocation;
  /** Dotted path as the page writes it, `[]` for array items, e.g. `sources[].backups[].id`. */
  path: string;
  /** Undefined when the copy was cut inside the type. */
  type?: PageType;
  nullable: boolean;
  /** Undefined when the copy was cut before the page said (or the rendering never says). */
  required?: boolean;
  enum?: string[];
  minimum?: number;
  maximum?: number;
}

const TYPES =
  "array<object>|array<string>|array|stringnull|objectnull|integernull|numbernull|booleannull|string|integer|number|boolean|object";

function parseType(raw: string): { type: PageType; nullable: boolean } {
  if (raw.startsWith("array")) return { type: "array", nullable: false };
  if (raw.endsWith("null")) return { type: raw.slice(0, -4) as PageType, nullable: true };
  return { type: raw as PageType, nullable: false };
}

/** Where a copy was cut: `[...CUT]`, `[...]`, or a word cut in half before one (`require[...CUT]`). */
const CUT = /^\s*(?:[a-z]*)\[\.\.\./;

/**
 * The field lines of the HTML and run-together renderings, e.g. `backups[].createdAt stringnull required · Example:
 * ...`, `vmid integer · min: 1 required`, `action string · enum required · Example: rollback [enum: delete
 * rollback]`, several on one line or one per line. A field's text runs to the next field; its modifiers come before
 * `Example`. Enum values are a bracketed list, or the bare words after the example (on its line or on lines below).
 */
export function parseFieldTokens(
  page: string,
  text: string,
  location: PageLocation,
  options: { requiredUnknown?: boolean } = {},
): PageField[] {
  const token = new RegExp(`(?<=^|[\\s·(])([A-Za-z_][\\w.\\[\\]-]*) (${TYPES})(?=[\\s·]|$)`, "gm");
  const matches = [...text.matchAll(token)];
  return matches.map((match, i) => {
    const [, path = "", rawType = ""] = match;
    const end = (match.index ?? 0) + match[0].length;
    const tail = text.slice(end, matches[i + 1]?.index ?? text.length);
    const field: PageField = { page, location, path, ...parseType(rawType) };
    const modifiers = /^[^E\n[]*/.exec(tail)?.[0] ?? "";
    if (/·\s*nullable/.test(modifiers)) field.nullable = true;
    const min = /min: (-?\d+)/.exec(modifiers);
    const max = /max: (-?\d+)/.exec(modifiers);
    if (min) field.minimum = Number(min[1]);
    if (max) field.maximum = Number(max[1]);
    if (!options.requiredUnknown) {
      if (/\brequired\b/.test(modifiers)) field.required = true;
      else if (!CUT.test(tail.slice(modifiers.length)) && !/\brequire$/.test(modifiers.trim()))
        field.required = false;
    }
    if (/·\s*enum\b/.test(modifiers)) field.enum = enumValues(tail.slice(modifiers.length));
    return field;
  });
}

/** Enum values: `[a, b]`, `[enum: a b]`, `a / b / c`, or bare words (on the example's line or on lines below). */
function enumValues(rest: string): string[] {
  const bracket = /\[(?:enum:\s*)?([^\]]+)\]/.exec(rest);
  if (bracket?.[1] !== undefined) return bracket[1].split(/[\s,]+/).filter((v) => v !== "");
  // a reader's remark in the copy, `(<- ...)`, is not the page's
  const values = rest.replace(/^\s*·?\s*Example:\s*\S+/, "").replace(/\(<-[^)]*\)/g, "");
  if (values.includes(" / "))
    return values
      .split("/")
      .map((v) => v.trim())
      .filter((v) => v !== "");
  return values.split(/\s+/).filter((word) => /^[a-z_]+$/.test(word));
}

/**
 * The Markdown rendering (`.md` copies): `- \`note\` (string, optional)`, `- \`cpuCores\` (integer, optional) [min: 1,
 * max: 32]`, `- \`id\` (path, string, required)`, under `### Parameters`, `### Request Body` and `### Response
 * Schema` (the success answer); enums as `Allowed values: a, b` on the line below.
 */
export function parseMarkdownFields(page: string, text: string, successStatus: string): PageField[] {
  const fields: PageField[] = [];
  let location: PageLocation | undefined;
  let current: PageField | undefined;
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) {
      location =
        line === "### Parameters"
          ? "param"
          : line === "### Request Body"
            ? "request"
            : line === "### Response Schema"
              ? { status: successStatus }
              : undefined;
      current = undefined;
      continue;
    }
    const bullet =
      /^- `([\w.[\]-]+)` \((?:(?:path|query), )?([a-z<>,]+), (required|optional)\)(?: \[([^\]]*)\])?/.exec(
        line,
      );
    if (bullet && location) {
      const [, path = "", types = "", required, bounds = ""] = bullet;
      const [first = "string", ...rest] = types.split(",");
      current = {
        page,
        location,
        path,
        ...parseType(first),
        nullable: rest.includes("null"),
        required: required === "required",
      };
      const min = /min: (-?\d+)/.exec(bounds);
      const max = /max: (-?\d+)/.exec(bounds);
      if (min) current.minimum = Number(min[1]);
      if (max) current.maximum = Number(max[1]);
      fields.push(current);
      continue;
    }
    const allowed = /^\s+Allowed values: (.*)$/.exec(line);
    if (allowed?.[1] !== undefined && current)
      current.enum = allowed[1].split(/,\s*/).filter((v) => v !== "");
  }
  return fields;
}

/** The first JSON object after the `markers` (found in turn) in `text` (balanced braces, strings respected). */
export function jsonAfter(text: string, markers: readonly string[]): unknown {
  let at = 0;
  for (const marker of markers) {
    const found = text.indexOf(marker, at);
    if (found < 0) throw new Error(`no ${JSON.stringify(marker)} in the page`);
    at = found + marker.length;
  }
  const marker = markers.join(" … ");
  const start = text.indexOf("{", at);
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return JSON.parse(text.slice(start, i + 1));
  }
  throw new Error(`the JSON after ${JSON.stringify(marker)} is cut`);
}

/** The scopes a page names ("Required API scope: `read:vm`", "Required API scopes: `backup:vm`, `write:billing`"). */
export function pageScopes(text: string): string[] | undefined {
  const line = /Required API scopes?: (.*)$/m.exec(text)?.[1];
  return line === undefined ? undefined : [...line.matchAll(/[a-z]+:[a-z]+/g)].map((m) => m[0]);
}

// ---- the spec side ----

type Schema = { [key: string]: unknown };
export type Spec = { paths: Record<string, Record<string, unknown>>; [key: string]: unknown };

function deref(spec: Spec, node: unknown): unknown {
  let current = node;
  while (typeof current === "object" && current !== null && "$ref" in current) {
    const ref = String((current as { $ref: string }).$ref);
    current = ref
      .slice(2)
      .split("/")
      .map((t) => t.replaceAll("~1", "/").replaceAll("~0", "~"))
      .reduce<unknown>((at, key) => (at as Record<string, unknown>)?.[key], spec);
  }
  return current;
}

/** The schema and every schema it combines (allOf/oneOf/anyOf), $refs resolved. */
function branches(spec: Spec, node: unknown): Schema[] {
  const schema = deref(spec, node);
  if (typeof schema !== "object" || schema === null) return [];
  const s = schema as Schema;
  const nested = ["allOf", "oneOf", "anyOf"].flatMap((key) =>
    Array.isArray(s[key]) ? (s[key] as unknown[]).flatMap((b) => branches(spec, b)) : [],
  );
  return [s, ...nested];
}

interface Step {
  /** The schemas of the field. */
  schemas: Schema[];
  /** Whether the field's parent lists it in `required` (for a parameter: its `required`). */
  required: boolean;
}

function step(spec: Spec, parents: Schema[], segment: string): Step {
  const isItems = segment.endsWith("[]");
  const name = isItems ? segment.slice(0, -2) : segment;
  const holders = parents.filter((s) => {
    const properties = s.properties as Record<string, unknown> | undefined;
    return properties !== undefined && name in properties;
  });
  let schemas = holders.flatMap((s) => branches(spec, (s.properties as Record<string, unknown>)[name]));
  const required = parents.some((s) => Array.isArray(s.required) && s.required.includes(name));
  if (isItems) schemas = schemas.flatMap((s) => (s.items === undefined ? [] : branches(spec, s.items)));
  return { schemas, required };
}

function start(spec: Spec, operation: Record<string, unknown>, field: PageField): Step | string {
  if (field.location === "param") {
    const [name] = field.path.split(".");
    const item = Object.values(spec.paths).find((p) => Object.values(p).includes(operation)) ?? {};
    const parameters = [
      ...((item.parameters as unknown[]) ?? []),
      ...((operation.parameters as unknown[]) ?? []),
    ]
      .map((p) => deref(spec, p) as Schema)
      .filter((p) => p.name === name);
    const parameter = parameters.at(-1);
    if (!parameter) return "no such parameter";
    return { schemas: branches(spec, parameter.schema), required: parameter.required === true };
  }
  const holder =
    field.location === "request"
      ? deref(spec, operation.requestBody)
      : deref(spec, (operation.responses as Record<string, unknown>)[field.location.status]);
  if (typeof holder !== "object" || holder === null) return `no ${describe(field.location)} in the spec`;
  const content = (holder as Schema).content as Record<string, { schema?: unknown }> | undefined;
  const schema = content ? Object.values(content)[0]?.schema : undefined;
  if (schema === undefined) return `no ${describe(field.location)} body in the spec`;
  let at: Step = { schemas: branches(spec, schema), required: true };
  for (const segment of field.path.split(".")) {
    at = step(spec, at.schemas, segment);
    if (at.schemas.length === 0) return "missing from the spec";
  }
  return at;
}

function describe(location: PageLocation): string {
  return location === "request"
    ? "request body"
    : location === "param"
      ? "parameter"
      : `${location.status} answer`;
}

/** What the spec gets wrong about one documented field (empty when nothing). */
export function fieldProblems(spec: Spec, path: string, method: string, field: PageField): string[] {
  const where = `${field.page}: ${describe(field.location)} ${field.path}`;
  const operation = spec.paths[path]?.[method] as Record<string, unknown> | undefined;
  if (!operation) return [`${where}: ${method.toUpperCase()} ${path} is not in the spec`];
  const at = start(spec, operation, field);
  if (typeof at === "string") return [`${where}: ${at}`];
  const types = new Set<string>();
  const values = new Set<string>();
  for (const s of at.schemas) {
    for (const t of [s.type].flat()) if (typeof t === "string") types.add(t);
    for (const v of [s.enum ?? [], s.const === undefined ? [] : [s.const]].flat() as unknown[]) {
      if (v === null) types.add("null");
      else values.add(String(v));
    }
  }
  const problems: string[] = [];
  if (field.type && !types.has(field.type))
    problems.push(`${where}: documented ${field.type}, spec has ${[...types].join("|") || "no type"}`);
  if (field.nullable && !types.has("null"))
    problems.push(`${where}: documented nullable, spec does not allow null`);
  if (field.required === true && !at.required)
    problems.push(`${where}: documented required, spec makes it optional`);
  if (field.required === false && at.required)
    problems.push(`${where}: documented optional, spec requires it`);
  if (field.enum && field.enum.length > 0) {
    const documented = [...field.enum].sort().join(", ");
    const declared = [...values].sort().join(", ");
    if (documented !== declared)
      problems.push(`${where}: documented enum [${documented}], spec has [${declared}]`);
  }
  for (const [bound, value] of [
    ["minimum", field.minimum],
    ["maximum", field.maximum],
  ] as const) {
    if (value === undefined) continue;
    const declared = at.schemas.map((s) => s[bound]).find((v) => v !== undefined);
    if (declared !== value)
      problems.push(`${where}: documented ${bound} ${value}, spec has ${String(declared)}`);
  }
  return problems;
}

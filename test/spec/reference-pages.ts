/**
 * Reads HostUp's reference pages (the copies in ../shared/api-docs) into a list of documented fields, so that a
 * test can hold the spec to them: every field a page names is in the spec, with the documented type, nullability
 * and enum. The pages come in three renderings (see each parser); the parsers are deliberately literal.
 */

export type DocType = "string" | "integer" | "number" | "boolean" | "object" | "array";

export interface DocField {
  page: string;
  /** Where the field lives: the request body, or the response of one status. */
  location: "request" | { status: string };
  /** Dotted path as the page writes it, `[]` for array items, e.g. `data.schedules[].hour`. */
  path: string;
  type: DocType;
  nullable: boolean;
  enum?: string[];
}

const typePattern =
  "(array<object>|array<string>|stringnull|objectnull|string|integer|number|boolean|object)";

function parseType(raw: string): { type: DocType; nullable: boolean } {
  if (raw.startsWith("array")) return { type: "array", nullable: false };
  if (raw.endsWith("null")) return { type: raw.slice(0, -4) as DocType, nullable: true };
  return { type: raw as DocType, nullable: false };
}

/**
 * The "Body / Responses" rendering (v1 pages, the v2 PATCH page): one field a line,
 * `data.schedules[].day_of_week integer · nullable required · Example: 5`, enum values on their own lines below
 * the field's description, responses introduced by a line starting with the status code.
 */
export function parseFieldLines(page: string, text: string): DocField[] {
  const fields: DocField[] = [];
  const fieldLine = new RegExp(
    `^([A-Za-z_][\\w.\\[\\]]*) ${typePattern}( · nullable)?( · enum)?( required)?(?: ·|$)`,
  );
  let location: DocField["location"] | undefined;
  let current: DocField | undefined;
  let section: "params" | "body" | "responses" | "other" = "other";
  for (const line of text.split("\n").map((l) => l.trim())) {
    if (line === "Path Parameters") section = "params";
    else if (line === "Body") section = "body";
    else if (line === "Responses") section = "responses";
    if (/^(GET|POST|PATCH|DELETE|PUT) https:\/\//.test(line)) section = "other";
    if (section === "body" && location === undefined) location = "request";
    const status = /^([1-5]\d\d)\b/.exec(line);
    if (section === "responses" && status?.[1]) {
      location = { status: status[1] };
      current = undefined;
      continue;
    }
    const match = fieldLine.exec(line);
    if (match && (section === "body" || section === "responses") && location) {
      const [, path = "", rawType = "", nullable, isEnum] = match;
      const { type, nullable: typeNullable } = parseType(rawType);
      current = { page, location, path, type, nullable: typeNullable || Boolean(nullable) };
      if (isEnum) current.enum = [];
      fields.push(current);
      continue;
    }
    // Enum values: single bare words below an enum field's description.
    if (current?.enum && /^[a-z_]+$/.test(line)) current.enum.push(line);
  }
  return fields;
}

/**
 * The Markdown rendering (v2 POST backup-schedules): `- \`hour\` (integer, required) [min: 0, max: 23]`, under
 * `### Request Body` and `### Response Schema` (the 2xx body), enums as `Allowed values: a, b, c` below.
 */
export function parseMarkdownBullets(page: string, text: string, successStatus: string): DocField[] {
  const fields: DocField[] = [];
  let location: DocField["location"] | undefined;
  let current: DocField | undefined;
  for (const line of text.split("\n")) {
    if (line.startsWith("### ")) {
      location =
        line === "### Request Body"
          ? "request"
          : line === "### Response Schema"
            ? { status: successStatus }
            : undefined;
      current = undefined;
      continue;
    }
    const bullet = /^- `([\w.[\]]+)` \(([a-z,]+), (?:required|optional)\)/.exec(line);
    if (bullet && location) {
      const [, path = "", types = ""] = bullet;
      const [first = "string", ...rest] = types.split(",");
      current = { page, location, path, type: first as DocType, nullable: rest.includes("null") };
      fields.push(current);
      continue;
    }
    const allowed = /^\s+Allowed values: (.*)$/.exec(line);
    if (allowed?.[1] !== undefined && current) {
      // The page's list may end with an empty value (", "): the rendering of null for a string|null field.
      current.enum = allowed[1]
        .split(",")
        .map((v) => v.trim())
        .filter((v) => v !== "");
    }
  }
  return fields;
}

/**
 * The run-together rendering (v2 POST snapshot-schedules): fields follow each other on few lines, as
 * `intervalHours number required · Example: 12 schedule objectnull required`. The request body comes first (after
 * the path parameter and the Accept/Content-Type header names), then the 200 body, then problem details (those
 * are covered by the other v2 pages, so they are left out here).
 */
export function parseRunTogether(page: string, text: string, firstResponseField: string): DocField[] {
  const body = text.slice(text.indexOf("Content-Type Example"), text.indexOf("type string"));
  const fields: DocField[] = [];
  const token = new RegExp(`(?:^|[\\s·])([a-z][A-Za-z.]*) ${typePattern}(?= |\\n|$)`, "g");
  let location: DocField["location"] = "request";
  for (const match of body.matchAll(token)) {
    const [, path = "", rawType = ""] = match;
    if (path === firstResponseField) location = { status: "200" };
    fields.push({ page, location, path, ...parseType(rawType) });
  }
  return fields;
}

/**
 * Reads one of HostUp's reference pages into what it documents about its operation: the fields of the request
 * body and of each response, the parameters, the response statuses, the API scope and the "Related Endpoints".
 * `npm run docs:check` holds the spec to it, and test/spec/reference-pages.test.ts uses it on the stored copies.
 *
 * A page comes in one of three renderings (see each parser): the `.md` copy (Markdown bullets), the HTML page
 * as text with one field a line ("field lines"), and the same text with the fields run together on few lines.
 * The parsers are deliberately literal: a line they do not recognise is prose, never a guess.
 */

export type DocType = "string" | "integer" | "number" | "boolean" | "object" | "array";

/**
 * Where a field lives: the request body, or the response of one status. `2xx` is the success body of a
 * rendering that does not label its status (the run-together one).
 */
export type DocLocation = "request" | { status: string };

export interface DocField {
  page: string;
  location: DocLocation;
  /** Dotted path as the page writes it, `[]` for array items, e.g. `data.schedules[].hour`. */
  path: string;
  type: DocType;
  nullable: boolean;
  /** The page marks the field required (within its parent object). */
  required: boolean;
  enum?: string[];
  minimum?: number;
  maximum?: number;
}

export interface DocParameter {
  name: string;
  in: "path" | "query" | "header";
  type: DocType;
  required: boolean;
  minimum?: number;
  maximum?: number;
}

export interface RelatedEndpoint {
  method: string;
  path: string;
  summary?: string;
}

export type Rendering = "markdown" | "field-lines" | "run-together";

/** Everything one page documents about its operation. */
export interface ReferencePage {
  page: string;
  rendering: Rendering;
  /** The operation the page itself names (`POST /api/v2/vps/{id}/backup-schedules`). */
  operation?: { method: string; path: string };
  /** The API scopes the page requires; undefined when the page names none. */
  scopes?: string[];
  /** The response statuses the page lists; undefined when the rendering labels none. */
  statuses?: string[];
  parameters: DocParameter[];
  fields: DocField[];
  related: RelatedEndpoint[];
}

const methods = "GET|POST|PUT|PATCH|DELETE";
const typePattern =
  "(array<[a-z]+>(?:null)?|(?:string|integer|number|boolean|object|array)(?:null)?)(?=$|[\\s·])";
const scopePattern = /Required API scope:\s*`?([a-z]+:[a-z]+)`?/;

function parseType(raw: string): { type: DocType; nullable: boolean } {
  const nullable = raw.endsWith("null");
  if (raw.startsWith("array")) return { type: "array", nullable };
  return { type: (nullable ? raw.slice(0, -4) : raw) as DocType, nullable };
}

interface Attributes {
  nullable: boolean;
  enum: boolean;
  required: boolean;
  minimum?: number;
  maximum?: number;
}

/**
 * What follows the type on a field line: `· nullable`, `· enum`, `· min: 1`, `· max: 23`, `required`, then an
 * optional `Example: ...`. Anything else means the line is not a field line (undefined).
 */
function parseAttributes(rest: string): Attributes | undefined {
  const attributes: Attributes = { nullable: false, enum: false, required: false };
  // what precedes `Example:` without the spaces and `·` before it (found with indexOf: a regex with a leading
  // `\s*` retries from every space, quadratic in a long run of them)
  const example = rest.indexOf("Example:");
  let text = example < 0 ? rest : rest.slice(0, example).trimEnd();
  if (example >= 0 && text.endsWith("·")) text = text.slice(0, -1).trimEnd();
  const token = /\s*(?:·\s*)?(nullable|enum|required|(min|max): (-?\d+(?:\.\d+)?))/y;
  let at = 0;
  for (let match = token.exec(text); match; match = token.exec(text)) {
    at = token.lastIndex;
    const [, word = "", bound, value] = match;
    if (bound === "min") attributes.minimum = Number(value);
    else if (bound === "max") attributes.maximum = Number(value);
    else if (word === "nullable" || word === "enum" || word === "required") attributes[word] = true;
  }
  return /^[\s·]*$/.test(text.slice(at)) ? attributes : undefined;
}

const fieldHead = new RegExp(`^([A-Za-z_][\\w.[\\]]*) ${typePattern}(.*)$`);

/**
 * The "Body / Responses" rendering (v1 pages, the v2 PATCH page): one field a line,
 * `data.schedules[].day_of_week integer · nullable required · Example: 5`, enum values on their own lines below
 * the field's description, responses introduced by a line starting with the status code.
 */
export function parseFieldLinesPage(page: string, text: string): ReferencePage {
  const result: ReferencePage = { page, rendering: "field-lines", parameters: [], fields: [], related: [] };
  const statuses: string[] = [];
  let location: DocLocation | undefined;
  let current: DocField | undefined;
  type Section = "path" | "query" | "headers" | "body" | "responses" | "related" | "other";
  let section: Section = "other" as Section;
  const headings: Record<string, Section> = {
    "Path Parameters": "path",
    "Query Parameters": "query",
    Headers: "headers",
    Body: "body",
    Responses: "responses",
    "Related Endpoints": "related",
  };
  for (const line of text.split("\n").map((l) => l.trim())) {
    const heading = headings[line];
    if (heading) {
      section = heading;
      current = undefined;
      continue;
    }
    const own = new RegExp(`^(${methods}) https?://[^/\\s]+(/\\S*)$`).exec(line);
    if (own) {
      result.operation = { method: own[1] as string, path: own[2] as string };
      section = "other";
      continue;
    }
    const scope = scopePattern.exec(line);
    if (scope?.[1]) result.scopes = [...new Set([...(result.scopes ?? []), scope[1]])];
    if (section === "related") {
      const related = new RegExp(`^(${methods}) (/\\S+)\\s*[:-]?\\s*(.*)$`).exec(line);
      if (related) result.related.push(relatedEndpoint(related[1], related[2], related[3]));
      continue;
    }
    if (section === "body" && location === undefined) location = "request";
    const status = /^([1-5]\d\d)\b/.exec(line);
    if (section === "responses" && status?.[1]) {
      location = { status: status[1] };
      statuses.push(status[1]);
      current = undefined;
      continue;
    }
    const head = fieldHead.exec(line);
    const attributes = head ? parseAttributes(head[3] ?? "") : undefined;
    if (head && attributes) {
      const [, path = "", rawType = ""] = head;
      const { type, nullable } = parseType(rawType);
      if (section === "path" || section === "query") {
        result.parameters.push({
          name: path,
          in: section,
          type,
          required: attributes.required,
          ...bounds(attributes),
        });
        continue;
      }
      if ((section === "body" || section === "responses") && location) {
        current = {
          page,
          location,
          path,
          type,
          nullable: nullable || attributes.nullable,
          required: attributes.required,
          ...bounds(attributes),
        };
        if (attributes.enum) current.enum = [];
        result.fields.push(current);
        continue;
      }
    }
    // Enum values: single bare words below an enum field's description (a snapshot name may be `Before-Greg`).
    if (current?.enum && /^[A-Za-z0-9][\w-]*$/.test(line) && !/^[A-Z][a-z]+$/.test(line))
      current.enum.push(line);
  }
  if (statuses.length > 0) result.statuses = statuses;
  return result;
}

/** The fields of a page in the field-lines rendering. */
export function parseFieldLines(page: string, text: string): DocField[] {
  return parseFieldLinesPage(page, text).fields;
}

function bounds(from: { minimum?: number; maximum?: number }): { minimum?: number; maximum?: number } {
  return {
    ...(from.minimum === undefined ? {} : { minimum: from.minimum }),
    ...(from.maximum === undefined ? {} : { maximum: from.maximum }),
  };
}

function boundsOf(bracket: string | undefined): { minimum?: number; maximum?: number } {
  const min = /\bmin: (-?\d+(?:\.\d+)?)/.exec(bracket ?? "");
  const max = /\bmax: (-?\d+(?:\.\d+)?)/.exec(bracket ?? "");
  return bounds({
    ...(min ? { minimum: Number(min[1]) } : {}),
    ...(max ? { maximum: Number(max[1]) } : {}),
  });
}

function relatedEndpoint(method = "", path = "", summary = ""): RelatedEndpoint {
  return { method, path, ...(summary.trim() ? { summary: summary.trim() } : {}) };
}

/**
 * The Markdown rendering (the `.md` copy of a page, e.g. v2 POST backup-schedules): `## POST /api/...`, then
 * `### Related Endpoints`, `### Headers` (with the scope), `### Parameters`, `### Request Body` and
 * `### Response Schema` (the 2xx body) as bullets `- \`hour\` (integer, required) [min: 0, max: 23]`, enums as
 * `Allowed values: a, b, c` below, and `### Responses` with a `#### 201 - ...` heading per status.
 */
export function parseMarkdownPage(page: string, text: string): ReferencePage {
  const result: ReferencePage = { page, rendering: "markdown", parameters: [], fields: [], related: [] };
  const lines = text.split("\n");
  const statuses = lines.flatMap((line) => /^#### ([1-5]\d\d)\b/.exec(line)?.[1] ?? []);
  if (statuses.length > 0) result.statuses = statuses;
  const success = statuses.find((s) => s.startsWith("2")) ?? "2xx";
  result.fields = parseMarkdownBullets(page, text, success);
  let section = "";
  for (const line of lines) {
    const own = new RegExp(`^## (${methods}) (/\\S+)`).exec(line);
    if (own) result.operation = { method: own[1] as string, path: own[2] as string };
    if (line.startsWith("### ")) section = line.slice(4).trim();
    const scope = scopePattern.exec(line);
    if (scope?.[1]) result.scopes = [...new Set([...(result.scopes ?? []), scope[1]])];
    if (section === "Related Endpoints") {
      const related = new RegExp(`^- \`(${methods}) (/[^\`]+)\`:?\\s*(.*)$`).exec(line);
      if (related) result.related.push(relatedEndpoint(related[1], related[2], related[3]));
    }
    if (section === "Parameters") {
      const param =
        /^- `([\w.-]+)` \((path|query|header), ([a-z]+), (required|optional)\)(?: \[([^\]]*)\])?/.exec(line);
      if (param) {
        result.parameters.push({
          name: param[1] as string,
          in: param[2] as DocParameter["in"],
          type: param[3] as DocType,
          required: param[4] === "required",
          ...boundsOf(param[5]),
        });
      }
    }
  }
  return result;
}

/**
 * The bullets of the Markdown rendering: `### Request Body` and `### Response Schema` (the body of
 * `successStatus`).
 */
export function parseMarkdownBullets(page: string, text: string, successStatus: string): DocField[] {
  const fields: DocField[] = [];
  let location: DocLocation | undefined;
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
    const bullet = /^- `([\w.[\]]+)` \(([a-z,]+), (required|optional)\)(?: \[([^\]]*)\])?/.exec(line);
    if (bullet && location) {
      const [, path = "", types = "", required, bracket] = bullet;
      const [first = "string", ...rest] = types.split(",");
      current = {
        page,
        location,
        path,
        type: first as DocType,
        nullable: rest.includes("null"),
        required: required === "required",
        ...boundsOf(bracket),
      };
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
 * The run-together rendering (e.g. v2 POST snapshot-schedules): fields follow each other on few lines, as
 * `intervalHours number required · Example: 12 schedule objectnull required`. The request body comes first
 * (after the path parameter and the Accept/Content-Type header names), then the success body, then problem
 * details (those are left out: the other renderings of the v2 pages document them). Nothing marks where the
 * request ends: `firstResponseField` names the first field of the response.
 */
export function parseRunTogether(
  page: string,
  text: string,
  firstResponseField: string,
  successStatus = "200",
): DocField[] {
  const start = text.indexOf("Content-Type Example");
  const end = text.indexOf("type string", start);
  const body = text.slice(start, end < 0 ? undefined : end);
  const fields: DocField[] = [];
  const token = new RegExp(`(?:^|[\\s·])([a-z][A-Za-z.]*) ${typePattern}( required)?`, "g");
  let location: DocLocation = "request";
  for (const match of body.matchAll(token)) {
    const [, path = "", rawType = "", required] = match;
    if (path === firstResponseField) location = { status: successStatus };
    fields.push({ page, location, path, required: Boolean(required), ...parseType(rawType) });
  }
  return fields;
}

/**
 * A whole page in the run-together rendering. Its statuses are not labelled (its success body is `2xx`); where
 * the response starts is read from the page's own curl example: the first top-level field that the example's
 * request body (`-d '{...}'`) does not hold. A page without a request example has no request body.
 */
/**
 * The first `<url> curl -X <METHOD>`: each ` curl -X` found, then the URL in the word before it. One regex over the
 * whole text retried its `\S+` from every `http` of a long word: quadratic.
 */
function ownRunTogetherOperation(text: string): { method: string; path: string } | undefined {
  for (const curl of text.matchAll(new RegExp(` curl -X (${methods})\\b`, "g"))) {
    let start = curl.index;
    while (start > 0 && !/\s/.test(text[start - 1] as string)) start--;
    const url = /https?:\/\/[^/\s]+(\/\S+)$/.exec(text.slice(start, curl.index));
    if (url) return { method: curl[1] as string, path: url[1] as string };
  }
  return undefined;
}

export function parseRunTogetherPage(page: string, text: string): ReferencePage {
  const result: ReferencePage = { page, rendering: "run-together", parameters: [], fields: [], related: [] };
  const own = ownRunTogetherOperation(text);
  if (own) result.operation = own;
  const lines = text.split("\n").map((l) => l.trim());
  const scopes = lines.filter((line) => /^[a-z]+:[a-z]+$/.test(line));
  const named = lines.flatMap((line) => scopePattern.exec(line)?.[1] ?? []);
  if (scopes.length + named.length > 0) result.scopes = [...new Set([...scopes, ...named])];
  // Parameters: `id string required` lines before the header names.
  const headerAt = lines.findIndex((line) => line.startsWith("Accept Example"));
  for (const line of lines.slice(0, headerAt < 0 ? 0 : headerAt)) {
    const param = /^([A-Za-z]\w*) (string|integer|number|boolean)( required)?$/.exec(line);
    if (!param) continue;
    const name = param[1] as string;
    const inPath = result.operation?.path.includes(`{${name}}`) ?? true;
    result.parameters.push({
      name,
      in: inPath ? "path" : "query",
      type: param[2] as DocType,
      required: Boolean(param[3]),
    });
  }
  const requestKeys = requestExampleKeys(text);
  const all = parseRunTogether(page, text, "\u0000", "2xx");
  const first = all.find((field) => !requestKeys.has(field.path.split(".")[0] ?? ""));
  result.fields = first ? parseRunTogether(page, text, first.path, "2xx") : all;
  return result;
}

function requestExampleKeys(text: string): Set<string> {
  const example = /-d '(\{[\s\S]*?\})'/.exec(text)?.[1];
  if (!example) return new Set();
  try {
    return new Set(Object.keys(JSON.parse(example) as object));
  } catch {
    return new Set();
  }
}

/** Which rendering a page's text is in. */
export function detectRendering(text: string): Rendering {
  if (
    new RegExp(`^## (${methods}) /`, "m").test(text) ||
    /^### (Request Body|Response Schema)\s*$/m.test(text)
  )
    return "markdown";
  if (/^Responses\s*$/m.test(text) && /^[1-5]\d\d\b/m.test(text)) return "field-lines";
  return "run-together";
}

/** Reads a page in whichever of the three renderings it is. */
export function parseReferencePage(page: string, text: string): ReferencePage {
  const normalised = text.replaceAll("\r\n", "\n");
  switch (detectRendering(normalised)) {
    case "markdown":
      return parseMarkdownPage(page, normalised);
    case "field-lines":
      return parseFieldLinesPage(page, normalised);
    case "run-together":
      return parseRunTogetherPage(page, normalised);
  }
}

/**
 * A stored excerpt of a page rather than the page: a file that starts with a `SOURCE:` line (where it came from
 * and how complete it is), marks each place the copy was cut with `[...CUT]`, may hold several renderings of the
 * page one after another (`---- variant A ----`), and holds a reader's observations on lines starting `NOTE:`.
 */
export interface Excerpt {
  /** The `SOURCE:` line, without the `SOURCE:`. */
  source: string;
  /** The page's words: the text without the `SOURCE:` line and the reader's `NOTE:` lines. */
  text: string;
  /** The copy was cut short: a `[...CUT]` mark, or the `SOURCE:` line says so. */
  cut: boolean;
  /** The file holds more than one rendering of the page. */
  variants: number;
}

/**
 * A reader writes an enum's values the page lists one a line on the field's line (`... · Example: manual
 * [manual, scheduled]`, `[enum: delete rollback]`) or on one line (`a / b / c   (<- remark)`): back to one a line.
 */
function readersEnumValues(line: string): string {
  const inline = /^(.*· enum\b.*?)\s+\[(?:enum:\s*)?([^\]]+)\]\s*$/.exec(line);
  if (inline) return [inline[1], ...splitValues(inline[2] ?? "")].join("\n");
  const listed = /^\s*(\S+(?: \/ \S+)+)(?:\s+\(<-.*\))?\s*$/.exec(line);
  if (listed) return splitValues(listed[1] ?? "").join("\n");
  return line;
}

const splitValues = (list: string) =>
  list
    .split(/\s*[,/]\s*|\s+/)
    .map((value) => value.trim())
    .filter((value) => value !== "");

/** The excerpt a stored copy is, or undefined when it is a page (no `SOURCE:` line first). */
export function readExcerpt(text: string): Excerpt | undefined {
  const lines = text.replaceAll("\r\n", "\n").split("\n");
  const first = /^SOURCE(?: [A-Z])?:\s*(.*)$/.exec(lines[0] ?? "");
  if (!first) return undefined;
  const source = (first[1] ?? "").trim();
  const kept = lines.slice(1).filter((line) => !/^\s*NOTE:/.test(line));
  // Renderings are separated by `---- variant A ----` lines; text before the first separator is one more.
  const separators = kept.flatMap((line, at) => (/^-{3,} .*-{3,}\s*$/.test(line) ? [at] : []));
  const before = kept.slice(0, separators[0] ?? kept.length).some((line) => line.trim() !== "");
  const variants = separators.length + (before ? 1 : 0);
  return {
    source,
    text: kept.map(readersEnumValues).join("\n"),
    cut: /\[\.\.\.CUT\]/.test(text) || /\bcut\b/i.test(source),
    variants: Math.max(1, variants),
  };
}

/**
 * The renderings an excerpt holds, each up to its first cut: a line that holds `[...CUT]` and what follows it
 * are left out (the line's last field may be cut in the middle of its type or attributes).
 */
export function excerptRenderings(excerpt: Excerpt): string[] {
  let renderings: string[][] = [[]];
  for (const line of excerpt.text.split("\n")) {
    // A newer layout of the page supersedes what the excerpt held before it.
    if (/^-{3,} .*\bnewer\b.*-{3,}\s*$/i.test(line)) renderings = [[]];
    else if (/^-{3,} .*-{3,}\s*$/.test(line)) renderings.push([]);
    else renderings[renderings.length - 1]?.push(line);
  }
  return renderings
    .map((lines) => {
      const cutAt = lines.findIndex((line) => line.includes("[...CUT]"));
      return (cutAt < 0 ? lines : lines.slice(0, cutAt)).join("\n");
    })
    .filter((text) => text.trim() !== "");
}

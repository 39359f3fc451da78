// The fixture normaliser: turns a raw recording (record mode) into the committed form, and leaves a
// committed fixture unchanged (it is idempotent, and the unit tests prove both). It
// - scrubs credentials: the auth headers and cookies become "REDACTED" placeholders, and every occurrence
//   of a secret value passed in `secrets` (the API key, the token) anywhere in the HAR is replaced, in any of
//   the forms a server may echo it in: plain, JSON-escaped (`\/` as PHP writes it, `\uXXXX`, at any depth of
//   nesting) or percent-encoded. It does so on the raw strings and again on every string as it is written back
//   (a JSON body is parsed and re-serialised, which turns `\/` and `\u` escapes into plain text);
// - keeps only the headers the contract looks at, lower-cased and sorted;
// - pins volatile values: start times and timings, request ids (v1 UUIDs, v2 req_ ids), timestamps
//   (renumbered in time order, so "lastRun < nextRun" survives), and renumbers ids consistently within a
//   scenario (VM, account and client ids, schedule/settings/history ids, job ids, vps_/bks_ ids), so the
//   same value always maps to the same placeholder and references between entries stay intact;
// - drops the docs' `{"_truncated": "... and N more items"}` artefact from arrays (see README).
import { buildEntry, type Har, type HarEntry, type HarNameValue, mediaType, PINNED_START } from "./har.js";

export const PLACEHOLDER = "REDACTED";

/** A credential shorter than this cannot be scrubbed safely: replacing it everywhere would rewrite other text. */
export const MIN_SECRET_LENGTH = 8;

export interface NormaliseOptions {
  /** Credential values to remove wherever they occur (e.g. HOSTUP_API_KEY, HOSTUP_TOKEN); 8 characters or more. */
  secrets?: string[];
}

const REQUEST_HEADERS = new Set(["accept", "authorization", "content-type", "cookie", "x-api-key"]);
const RESPONSE_HEADERS = new Set([
  "content-type",
  "location",
  "retry-after",
  "set-cookie",
  "x-ratelimit-limit",
  "x-ratelimit-remaining",
  "x-ratelimit-reset",
]);

const ISO_TIMESTAMP = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})/g;
const PREFIXED_ID = /\b(vps|bks|req)_[A-Za-z0-9]{4,}\b/g;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const HOUR_MS = 3_600_000;

type IdClass = "vm" | "account" | "client" | "entity" | "job";
const ID_KEYS: Record<string, IdClass> = {
  vm_id: "vm",
  vmId: "vm",
  vmid: "vm",
  account_id: "account",
  accountId: "account",
  hostbillAccountId: "account",
  client_id: "client",
  clientId: "client",
  id: "entity",
  schedule_id: "entity",
  job_id: "job",
  jobId: "job",
};
const ID_BASE: Record<Exclude<IdClass, "job">, number> = {
  vm: 10000,
  account: 20000,
  client: 30000,
  entity: 1000,
};

/** First-seen-order renumbering: the same raw value always gets the same placeholder. */
class Renumber {
  private readonly maps = new Map<string, Map<string, string>>();
  get(kind: string, raw: string, make: (n: number) => string): string {
    let map = this.maps.get(kind);
    if (!map) {
      map = new Map();
      this.maps.set(kind, map);
    }
    let value = map.get(raw);
    if (value === undefined) {
      value = make(map.size + 1);
      map.set(raw, value);
    }
    return value;
  }
}

const anyCaseHex = (n: number, width: number) =>
  n
    .toString(16)
    .padStart(width, "0")
    .replace(/[a-f]/g, (c) => `[${c}${c.toUpperCase()}]`);

/** The ways one character of a secret can be written in a HAR: itself, JSON-escaped, percent-encoded. */
function characterForms(char: string): string {
  // inside JSON strings, a quote or backslash is escaped once per level of nesting (a body inside the HAR)
  const forms =
    char === '"' ? ['\\\\*"'] : char === "\\" ? ["\\\\+"] : [char.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")];
  if (char === "/") forms.push("\\\\+/"); // PHP's json_encode writes "\/"
  const short: Record<string, string> = { "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t" };
  if (short[char]) forms.push(`\\\\+${short[char]}`);
  const units = Array.from({ length: char.length }, (_u, i) => char.charCodeAt(i));
  forms.push(units.map((u) => `\\\\+u${anyCaseHex(u, 4)}`).join(""));
  forms.push([...Buffer.from(char, "utf8")].map((b) => `%${anyCaseHex(b, 2)}`).join(""));
  return `(?:${forms.join("|")})`;
}

const patternSources = new Map<string, string>();

/** Matches `secret` written in any mix of the forms above, character by character (a new RegExp each call). */
export function secretPattern(secret: string): RegExp {
  let source = patternSources.get(secret);
  if (source === undefined) {
    source = [...secret].map(characterForms).join("");
    patternSources.set(secret, source);
  }
  return new RegExp(source, "g");
}

/** Replaces every occurrence of each secret, in any form (see secretPattern), with the placeholder. */
export function scrubSecrets(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) out = out.replace(secretPattern(secret), PLACEHOLDER);
  return out;
}

function scrubDeep<T>(value: T, secrets: string[]): T {
  if (secrets.length === 0) return value;
  return JSON.parse(JSON.stringify(value), (_k, v) =>
    typeof v === "string" ? scrubSecrets(v, secrets) : v,
  ) as T;
}

function credentialHeader(name: string, value: string): string {
  if (name === "authorization") return `${value.split(/\s+/)[0] || "Bearer"} ${PLACEHOLDER}`;
  if (name === "x-api-key") return PLACEHOLDER;
  if (name === "cookie") {
    return value
      .split(";")
      .map((c) => c.trim())
      .filter(Boolean)
      .map((c) => `${c.split("=")[0]}=${PLACEHOLDER}`)
      .join("; ");
  }
  if (name === "set-cookie") return `${value.split("=")[0]}=${PLACEHOLDER}`;
  return value;
}

function normaliseHeaders(headers: HarNameValue[], keep: Set<string>): HarNameValue[] {
  return headers
    .map((h) => ({ name: h.name.toLowerCase(), value: h.value }))
    .filter((h) => keep.has(h.name))
    .map((h) => ({ name: h.name, value: credentialHeader(h.name, h.value) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.value < b.value ? -1 : 1));
}

function isJson(type: string | undefined): boolean {
  return Boolean(type && /json/.test(type));
}

function parse(
  text: string | undefined,
  type: string | undefined,
): { json: true; value: unknown } | { json: false } {
  if (text === undefined || text === "" || !isJson(type)) return { json: false };
  try {
    return { json: true, value: JSON.parse(text) };
  } catch {
    return { json: false };
  }
}

function dropTruncated(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value
      .filter((item) => !(item && typeof item === "object" && !Array.isArray(item) && "_truncated" in item))
      .map(dropTruncated);
  }
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, dropTruncated(v)]));
  }
  return value;
}

/** Visits every string of an entry in a fixed order (URL, request body, response headers, response body). */
function forEachString(value: unknown, fn: (s: string) => void): void {
  if (typeof value === "string") fn(value);
  else if (Array.isArray(value)) for (const v of value) forEachString(v, fn);
  else if (value && typeof value === "object") for (const v of Object.values(value)) forEachString(v, fn);
}

interface Context {
  ids: Renumber;
  timestamps: Map<string, string>;
  secrets: string[];
}

function renumberId(ctx: Context, cls: IdClass, raw: string | number): string | number {
  if (cls === "job") {
    const text = String(raw);
    const prefix = /^([A-Za-z]+)[-_:]/.exec(text)?.[1] ?? "job";
    return ctx.ids.get("job", text, (n) => `${prefix}-${String(n).padStart(4, "0")}`);
  }
  const mapped = ctx.ids.get(cls, String(raw), (n) => String(ID_BASE[cls] + n - 1));
  return typeof raw === "number" ? Number(mapped) : mapped;
}

function rewriteString(ctx: Context, s: string): string {
  return scrubSecrets(s, ctx.secrets)
    .replace(ISO_TIMESTAMP, (t) => ctx.timestamps.get(t) ?? t)
    .replace(PREFIXED_ID, (id, prefix: string) =>
      ctx.ids.get(prefix, id, (n) => `${prefix}_${String(n).padStart(26, "0")}`),
    )
    .replace(UUID, (u) =>
      ctx.ids.get("uuid", u.toLowerCase(), (n) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`),
    );
}

function rewriteJson(ctx: Context, value: unknown, key?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteJson(ctx, v));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewriteJson(ctx, v, k)]));
  }
  const cls = key === undefined ? undefined : ID_KEYS[key];
  if (cls && (typeof value === "number" || (typeof value === "string" && value !== ""))) {
    if (cls === "entity" && typeof value !== "number")
      return typeof value === "string" ? rewriteString(ctx, value) : value;
    if (cls !== "job" && typeof value === "string" && !/^\d+$/.test(value)) return rewriteString(ctx, value);
    return renumberId(ctx, cls, value);
  }
  return typeof value === "string" ? rewriteString(ctx, value) : value;
}

function rewriteUrl(ctx: Context, raw: string): string {
  const url = new URL(raw);
  url.pathname = url.pathname
    .replace(/\/api\/vm\/(\d+)(?=\/|$)/, (_m, id: string) => `/api/vm/${renumberId(ctx, "vm", id)}`)
    .replace(
      /\/api\/jobs\/([^/]+)/,
      (_m, id: string) => `/api/jobs/${renumberId(ctx, "job", decodeURIComponent(id))}`,
    );
  url.pathname = rewriteString(ctx, url.pathname);
  for (const [name, value] of [...url.searchParams.entries()])
    url.searchParams.set(name, rewriteString(ctx, value));
  return url.toString();
}

function bodyText(ctx: Context, text: string | undefined, type: string | undefined): string | undefined {
  const parsed = parse(text, type);
  if (!parsed.json) return text === undefined ? undefined : rewriteString(ctx, text);
  return JSON.stringify(rewriteJson(ctx, dropTruncated(parsed.value)));
}

function normaliseEntry(ctx: Context, entry: HarEntry): HarEntry {
  const request = entry.request;
  const response = entry.response;
  const url = rewriteUrl(ctx, request.url);
  const requestType = request.postData?.mimeType;
  const requestText = request.postData ? bodyText(ctx, request.postData.text, requestType) : undefined;
  const responseHeaders = normaliseHeaders(response.headers, RESPONSE_HEADERS).map((h) => ({
    name: h.name,
    value: rewriteString(ctx, h.value),
  }));
  const responseType =
    responseHeaders.find((h) => h.name === "content-type")?.value ?? response.content.mimeType ?? "";
  const responseText = bodyText(ctx, response.content.text, mediaType(responseType));
  return buildEntry({
    method: request.method,
    url,
    requestHeaders: normaliseHeaders(request.headers, REQUEST_HEADERS),
    requestCookies: (request.cookies ?? []).map((c) => ({ name: c.name, value: PLACEHOLDER })),
    ...(request.postData && requestText !== undefined
      ? { requestBody: requestText, requestMimeType: requestType ?? "application/json" }
      : {}),
    status: response.status,
    statusText: response.statusText,
    responseHeaders,
    responseCookies: (response.cookies ?? []).map((c) => ({ name: c.name, value: PLACEHOLDER })),
    ...(responseText === undefined ? {} : { responseBody: responseText }),
    responseMimeType: responseType,
    startedDateTime: PINNED_START,
    time: 0,
    ...(entry.comment ? { comment: entry.comment } : {}),
  });
}

/** Normalises a whole scenario (one HAR): see the file comment for what changes. */
export function normaliseHar(har: Har, options: NormaliseOptions = {}): Har {
  const secrets = [...(options.secrets ?? [])].sort((a, b) => b.length - a.length);
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH)
      throw new Error(
        `a secret to scrub must have at least ${MIN_SECRET_LENGTH} characters (got ${secret.length}): a shorter one would rewrite unrelated text`,
      );
  }
  const scrubbed = scrubDeep(har, secrets);
  // Timestamps are renumbered in time order across the whole scenario: the earliest becomes the pinned
  // start, the next one an hour later, and so on. Already-normalised values map onto themselves.
  const seen = new Set<string>();
  for (const entry of scrubbed.log.entries) {
    forEachString(
      [entry.request.url, entry.request.postData?.text, entry.response.headers, entry.response.content.text],
      (s) => {
        for (const m of s.matchAll(ISO_TIMESTAMP)) seen.add(m[0]);
      },
    );
  }
  const ordered = [...seen].sort((a, b) => Date.parse(a) - Date.parse(b) || (a < b ? -1 : 1));
  const base = Date.parse(PINNED_START);
  const timestamps = new Map(ordered.map((t, i) => [t, new Date(base + i * HOUR_MS).toISOString()]));
  const ctx: Context = { ids: new Renumber(), timestamps, secrets };
  return {
    log: {
      version: "1.2",
      creator: scrubbed.log.creator,
      ...(scrubbed.log.comment ? { comment: scrubbed.log.comment } : {}),
      entries: scrubbed.log.entries.map((e) => normaliseEntry(ctx, e)),
    },
  };
}

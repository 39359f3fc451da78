// Normalising: the stable-diffs half of preparing a recording (scrub.ts is the security half, and runs first: this
// file removes no credential). It turns a scrubbed recording into the committed form, and leaves a committed fixture
// unchanged (it is idempotent, and the tests prove both). It
// - keeps only the headers the contract looks at, lower-cased and sorted;
// - with `origin`, files every request under that origin (a local stand-in listens on a new port every run);
// - pins volatile values: start times and timings, request ids (v1 UUIDs, v2 req_ ids), timestamps
//   (renumbered in time order, so "lastRun < nextRun" survives), and renumbers ids consistently within a
//   scenario (VM, account and client ids, schedule/settings/history ids, job ids, vps_/bks_ ids), so the
//   same value always maps to the same placeholder and references between entries stay intact;
// - drops the docs' `{"_truncated": "... and N more items"}` artefact from arrays;
// - reads each body as the client does (a browser's base64, a proxy's compressed bytes: har-body.ts) and writes it
//   plain, without `encoding` and Content-Encoding; only a body that is not UTF-8 stays base64, decompressed.
import { buildEntry, type Har, type HarEntry, type HarNameValue, mediaType, PINNED_START } from "./har.js";
import { contentEncodingOf, type PlainHarBody, plainHarBody } from "./har-body.js";

export interface NormaliseOptions {
  /** Move every request URL onto this origin, e.g. the spec's server for a recording of a loopback server. */
  origin?: string;
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
const PREFIXED_ID = /\b(vps|bks|bkp|req)_[A-Za-z0-9]{4,}\b/g;
// a VM's number inside a Proxmox volid or v2 storageKey (`pbs:backup/vm/10000/<time>`, `vm/10000/<time>`), not
// the /api/vm/{vmid} of a URL (rewriteUrl renumbers that one)
const VOLUME_VM = /(?<!api\/)\bvm\/(\d+)(?=\/)/g;
// a job's path (v2's operation.pollUrl, a request URL): the same renumbering as a `jobId` member
const JOB_PATH = /\/api\/jobs\/([A-Za-z0-9_:%-]+)/g;
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

function normaliseHeaders(headers: HarNameValue[], keep: Set<string>): HarNameValue[] {
  return headers
    .map((h) => ({ name: h.name.toLowerCase(), value: h.value }))
    .filter((h) => keep.has(h.name))
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
  origin?: string;
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
  return s
    .replace(JOB_PATH, (_m, id: string) => `/api/jobs/${renumberId(ctx, "job", decodeURIComponent(id))}`)
    .replace(VOLUME_VM, (_m, id: string) => `vm/${renumberId(ctx, "vm", id)}`)
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
  const url = ctx.origin
    ? new URL(`${new URL(raw).pathname}${new URL(raw).search}`, ctx.origin)
    : new URL(raw);
  url.pathname = url.pathname.replace(
    /\/api\/vm\/(\d+)(?=\/|$)/,
    (_m, id: string) => `/api/vm/${renumberId(ctx, "vm", id)}`,
  );
  // the job id of /api/jobs/{jobId} is renumbered by rewriteString, as in a pollUrl
  url.pathname = rewriteString(ctx, url.pathname);
  for (const [name, value] of [...url.searchParams.entries()])
    url.searchParams.set(name, rewriteString(ctx, value));
  return url.toString();
}

function bodyText(
  ctx: Context,
  body: PlainHarBody | undefined,
  type: string | undefined,
): string | undefined {
  if (body === undefined || body.binary) return body?.text;
  const parsed = parse(body.text, type);
  if (!parsed.json) return rewriteString(ctx, body.text);
  return JSON.stringify(rewriteJson(ctx, dropTruncated(parsed.value)));
}

/** The plain bodies of an entry: what the client reads, whatever form the recording stored them in. */
function plainBodies(entry: HarEntry): { request?: PlainHarBody; response?: PlainHarBody } {
  const request = plainHarBody(entry.request.postData, contentEncodingOf(entry.request.headers));
  const response = plainHarBody(entry.response.content, contentEncodingOf(entry.response.headers));
  return { ...(request ? { request } : {}), ...(response ? { response } : {}) };
}

function normaliseEntry(ctx: Context, entry: HarEntry): HarEntry {
  const request = entry.request;
  const response = entry.response;
  const bodies = plainBodies(entry);
  const url = rewriteUrl(ctx, request.url);
  const requestType = request.postData?.mimeType;
  const requestText = request.postData ? bodyText(ctx, bodies.request, requestType) : undefined;
  const responseHeaders = normaliseHeaders(response.headers, RESPONSE_HEADERS).map((h) => ({
    name: h.name,
    value: rewriteString(ctx, h.value),
  }));
  const responseType =
    responseHeaders.find((h) => h.name === "content-type")?.value ?? response.content.mimeType ?? "";
  const responseText = bodyText(ctx, bodies.response, mediaType(responseType));
  const normalised = buildEntry({
    method: request.method,
    url,
    requestHeaders: normaliseHeaders(request.headers, REQUEST_HEADERS),
    requestCookies: (request.cookies ?? []).map((c) => ({ name: c.name, value: c.value })),
    ...(request.postData && requestText !== undefined
      ? { requestBody: requestText, requestMimeType: requestType ?? "application/json" }
      : {}),
    status: response.status,
    statusText: response.statusText,
    responseHeaders,
    responseCookies: (response.cookies ?? []).map((c) => ({ name: c.name, value: c.value })),
    ...(responseText === undefined ? {} : { responseBody: responseText }),
    responseMimeType: responseType,
    startedDateTime: PINNED_START,
    time: 0,
    ...(entry.comment ? { comment: entry.comment } : {}),
  });
  // a body that is not text keeps its bytes, base64 (buildEntry writes plain text only)
  if (bodies.request?.binary && normalised.request.postData) {
    normalised.request.postData.encoding = "base64";
    normalised.request.bodySize = bodies.request.bytes.length;
  }
  if (bodies.response?.binary) {
    normalised.response.content.encoding = "base64";
    normalised.response.content.size = bodies.response.bytes.length;
    normalised.response.bodySize = bodies.response.bytes.length;
  }
  return normalised;
}

/** Normalises a whole scenario (one scrubbed HAR): see the file comment for what changes. */
export function normaliseHar(har: Har, options: NormaliseOptions = {}): Har {
  // Timestamps are renumbered in time order across the whole scenario: the earliest becomes the pinned
  // start, the next one an hour later, and so on. Already-normalised values map onto themselves.
  const seen = new Set<string>();
  for (const entry of har.log.entries) {
    const bodies = plainBodies(entry);
    forEachString(
      [
        entry.request.url,
        bodies.request?.binary ? undefined : bodies.request?.text,
        entry.response.headers,
        bodies.response?.binary ? undefined : bodies.response?.text,
      ],
      (s) => {
        for (const m of s.matchAll(ISO_TIMESTAMP)) seen.add(m[0]);
      },
    );
  }
  const ordered = [...seen].sort((a, b) => Date.parse(a) - Date.parse(b) || (a < b ? -1 : 1));
  const base = Date.parse(PINNED_START);
  const timestamps = new Map(ordered.map((t, i) => [t, new Date(base + i * HOUR_MS).toISOString()]));
  const ctx: Context = {
    ids: new Renumber(),
    timestamps,
    ...(options.origin ? { origin: options.origin } : {}),
  };
  return {
    log: {
      version: "1.2",
      creator: har.log.creator,
      ...(har.log.comment ? { comment: har.log.comment } : {}),
      entries: har.log.entries.map((e) => normaliseEntry(ctx, e)),
    },
  };
}

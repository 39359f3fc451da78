// Record mode: `npm run record -- [scenario...] [--update] [--allow-writes]`
// Runs scenarios through the client against HOSTUP_BASE_URL (default: the client's, https://cloud.hostup.se),
// captures every exchange into a HAR through a recording `fetch`, scrubs credentials (raw.har), normalises volatile
// values (recording.har), runs the secret scan over the exact bytes it would write (a finding: exit 1, nothing
// written) and compares with the committed recording in test/fixtures/recorded/<scenario>/: exit 1 with a diff when
// they differ (unless --update, which writes both files). Entries say where they came from: the live API, or a
// loopback server (a local stand-in). Read-only unless --allow-writes; see scripts/record-scenarios.ts.
// Exit codes: 0 same (or updated), 1 drift or a failed scenario, 2 usage/environment problem.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildEntry, buildHar, type HarEntry, serializeHar } from "../src/contract/har.js";
import { normaliseHar } from "../src/contract/normalise.js";
import { MIN_SECRET_LENGTH, scrubHar, scrubSecrets } from "../src/contract/scrub.js";
import { formatSecretFindings, scanText } from "../src/contract/secrets.js";
import { createV1Client, createV2Client, HostupError } from "../src/index.js";
import { DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_BYTES } from "../src/options.js";
import { redactText } from "../src/redact.js";
import { displayPath, FIXTURE_FILE, RAW_FILE, RECORDED_DIR } from "./fixture-corpus.js";
import { LIVE_COMMENT, LOCAL_COMMENT } from "./fixture-provenance.js";
import { RECORD_SCENARIOS, type RecordScenario, RestoreFailedError } from "./record-scenarios.js";
import { runMain } from "./run-main.js";

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** What an entry recorded from `baseUrl` says of its origin: the live API, or a local stand-in on loopback. */
export function sourceComment(baseUrl: string): string {
  return LOOPBACK.test(new URL(baseUrl).hostname) ? LOCAL_COMMENT : LIVE_COMMENT;
}

export interface RecordOptions {
  argv: string[];
  env: Record<string, string | undefined>;
  /** Where recordings live; default test/fixtures/recorded. */
  fixturesDir?: string;
  /** The transport under the recorder; default globalThis.fetch. */
  fetch?: (request: Request) => Promise<Response>;
  log?: (line: string) => void;
  error?: (line: string) => void;
  /** The clients' per-request timeout in ms; default theirs (30 000). */
  timeoutMs?: number;
  /** The largest response body recorded, in bytes; default the client's limit (8 MiB). */
  maxResponseBytes?: number;
}

function headersOf(h: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  h.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

/**
 * The text of `response`'s body, read from a clone at most `maxBytes` far: an endless or huge body (a server that
 * floods) is cancelled and named, instead of being held in memory whole before the client's own limit sees it.
 */
async function boundedText(response: Response, maxBytes: number, what: string): Promise<string> {
  const body = response.clone().body;
  if (!body) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      // a tee's source is cancelled once both its branches are: cancel them together
      await Promise.all([reader.cancel(), response.body?.cancel()]).catch(() => undefined);
      throw new Error(`${what}: the response body is larger than ${maxBytes} bytes; not recorded`);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** A fetch that records each exchange into `entries` (each with `comment`) and prints one line per request. */
export function recordingFetch(
  entries: HarEntry[],
  log: (line: string) => void,
  inner: (request: Request) => Promise<Response> = (r) => globalThis.fetch(r),
  comment = LIVE_COMMENT,
  maxBytes = DEFAULT_MAX_RESPONSE_BYTES,
): (request: Request) => Promise<Response> {
  return async (request: Request) => {
    const started = Date.now();
    const requestText = request.body ? await request.clone().text() : undefined;
    const url = new URL(request.url);
    try {
      const response = await inner(request);
      const text = await boundedText(response, maxBytes, `${request.method} ${url.pathname}${url.search}`);
      const type = response.headers.get("content-type") ?? "";
      entries.push(
        buildEntry({
          method: request.method,
          url: request.url,
          requestHeaders: headersOf(request.headers),
          ...(requestText ? { requestBody: requestText } : {}),
          status: response.status,
          responseHeaders: headersOf(response.headers),
          ...(text ? { responseBody: text } : {}),
          comment,
          startedDateTime: new Date(started).toISOString(),
          time: Date.now() - started,
        }),
      );
      log(
        `  ${request.method.padEnd(6)} ${url.pathname}${url.search} -> ${response.status} ${type.split(";")[0]} (${Date.now() - started} ms)`,
      );
      return response;
    } catch (error) {
      log(`  ${request.method.padEnd(6)} ${url.pathname}${url.search} -> network error: ${String(error)}`);
      throw error;
    }
  };
}

/** A small line diff (longest common subsequence), enough for fixture-sized files. */
export function lineDiff(before: string, after: string, context = 2): string {
  const a = before.split("\n");
  const b = after.split("\n");
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const row = lcs[i] as number[];
      row[j] =
        a[i] === b[j] ? (lcs[i + 1]?.[j + 1] ?? 0) + 1 : Math.max(lcs[i + 1]?.[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  const ops: { op: " " | "-" | "+"; line: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ op: " ", line: a[i++] as string });
      j++;
    } else if (j < m && (i >= n || (lcs[i]?.[j + 1] ?? 0) >= (lcs[i + 1]?.[j] ?? 0)))
      ops.push({ op: "+", line: b[j++] as string });
    else ops.push({ op: "-", line: a[i++] as string });
  }
  const keep = ops.map((_o, k) =>
    ops.slice(Math.max(0, k - context), k + context + 1).some((x) => x.op !== " "),
  );
  const out: string[] = [];
  ops.forEach((o, k) => {
    if (keep[k]) out.push(`${o.op} ${o.line}`);
    else if (keep[k - 1]) out.push("  ...");
  });
  return out.join("\n");
}

export async function runRecord(options: RecordOptions): Promise<number> {
  const log = options.log ?? ((l: string) => console.log(l));
  const error = options.error ?? ((l: string) => console.error(l));
  const args = options.argv.filter((a) => !a.startsWith("--"));
  const update = options.argv.includes("--update");
  const allowWrites = options.argv.includes("--allow-writes");
  const unknown = args.filter((a) => !RECORD_SCENARIOS.some((s) => s.name === a));
  if (unknown.length > 0) {
    error(
      `unknown scenario(s): ${unknown.join(", ")}\nknown: ${RECORD_SCENARIOS.map((s) => s.name).join(", ")}`,
    );
    return 2;
  }
  const chosen: RecordScenario[] =
    args.length > 0
      ? RECORD_SCENARIOS.filter((s) => args.includes(s.name))
      : RECORD_SCENARIOS.filter((s) => !s.writes);
  const refused = chosen.filter((s) => s.writes && !allowWrites);
  if (refused.length > 0) {
    error(
      `${refused.map((s) => s.name).join(", ")} change(s) the account's state; run with --allow-writes to record them`,
    );
    return 2;
  }
  const env = options.env;
  const missing = [...new Set(chosen.flatMap((s) => s.needs))].filter((k) => !env[k]);
  if (missing.length > 0) {
    error(
      `missing environment: ${missing.join(", ")}\n` +
        "  HOSTUP_API_KEY (v1 X-API-Key), HOSTUP_TOKEN (v2 bearer token), HOSTUP_VMID (a v1 VM id), HOSTUP_VPS_ID (the\n" +
        `  same machine's v2 vps_ id); HOSTUP_BASE_URL defaults to ${DEFAULT_BASE_URL}. Nothing was sent.`,
    );
    return 2;
  }
  // the normaliser replaces each credential everywhere it occurs: a very short one would rewrite other text
  for (const name of ["HOSTUP_API_KEY", "HOSTUP_TOKEN"]) {
    const value = env[name];
    if (value && value.length < MIN_SECRET_LENGTH) {
      error(
        `${name} is ${value.length} characters long: too short to be a HostUp credential, and too short to scrub from recordings safely (at least ${MIN_SECRET_LENGTH}). Nothing was sent.`,
      );
      return 2;
    }
  }
  const vmid = Number(env.HOSTUP_VMID ?? "1");
  if (env.HOSTUP_VMID && (!Number.isInteger(vmid) || vmid < 1)) {
    error(`HOSTUP_VMID must be a positive integer, got ${JSON.stringify(env.HOSTUP_VMID)}`);
    return 2;
  }
  const baseUrl = env.HOSTUP_BASE_URL || DEFAULT_BASE_URL;
  if (!URL.canParse(baseUrl)) {
    error(
      `HOSTUP_BASE_URL must be an absolute URL such as ${DEFAULT_BASE_URL}, got ${JSON.stringify(baseUrl)}`,
    );
    return 2;
  }
  // The client's own rules (no credentials in it, https off loopback, no query): refused here, before any scenario
  // starts, as the environment problem it is. The client names at most the origin, never a password in the URL.
  try {
    createV1Client({ apiKey: "probe-only-never-sent", baseUrl });
  } catch (e) {
    if (!(e instanceof HostupError)) throw e;
    error(`HOSTUP_BASE_URL cannot be used: ${e.message.replace(/^createV1Client: /, "")}. Nothing was sent.`);
    return 2;
  }
  const comment = sourceComment(baseUrl);
  const secrets = [env.HOSTUP_API_KEY, env.HOSTUP_TOKEN].filter((s): s is string => Boolean(s));
  const dir = options.fixturesDir ?? RECORDED_DIR;
  let status = 0;
  log(`recording ${chosen.length} scenario(s) against ${baseUrl}${update ? " (--update)" : ""}`);
  for (const scenario of chosen) {
    log(`${scenario.name}${scenario.writes ? " (writes, restores afterwards)" : ""}`);
    const entries: HarEntry[] = [];
    const fetch = recordingFetch(entries, log, options.fetch, comment, options.maxResponseBytes);
    const common = {
      baseUrl,
      fetch,
      retry: false as const,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.maxResponseBytes === undefined ? {} : { maxResponseBytes: options.maxResponseBytes }),
    };
    const ctx = {
      v1: createV1Client({ apiKey: env.HOSTUP_API_KEY || "unset-key", ...common }),
      v2: createV2Client({ token: env.HOSTUP_TOKEN || "unset-token", ...common }),
      vmid,
      vpsId: env.HOSTUP_VPS_ID ?? "",
      log,
    };
    try {
      await scenario.run(ctx);
    } catch (e) {
      // the client redacts the plain value; a server may echo it encoded (base64) in the detail it quotes
      const message = scrubSecrets(
        secrets.reduce((text, secret) => redactText(text, secret), String(e)),
        secrets,
      );
      if (e instanceof RestoreFailedError)
        error(`${scenario.name}: ${message}\n  CHECK THE ACCOUNT BY HAND.`);
      else error(`${scenario.name}: failed: ${message}`);
      status = 1;
      continue;
    }
    let raw: string;
    let text: string;
    try {
      const scrubbed = scrubHar(buildHar(entries), { secrets });
      raw = serializeHar(scrubbed);
      // filed under the spec's server: a loopback stand-in listens on a new port every run
      text = serializeHar(normaliseHar(scrubbed, { origin: DEFAULT_BASE_URL }));
    } catch (e) {
      // an answer the client accepted but the walk cannot take (nested 100 000 deep): this scenario fails, named
      const message = scrubSecrets(e instanceof Error ? `${e.name}: ${e.message}` : String(e), secrets);
      error(
        `${scenario.name}: the recording could not be scrubbed and normalised (${message}); nothing written`,
      );
      status = 1;
      continue;
    }
    const file = join(dir, scenario.name, FIXTURE_FILE);
    const rawFile = join(dir, scenario.name, RAW_FILE);
    // the scan reads the very bytes that would be written or compared, both files
    const findings = [
      ...scanText(raw, displayPath(rawFile), { secrets }),
      ...scanText(text, displayPath(file), { secrets }),
    ];
    if (findings.length > 0) {
      status = 1;
      error(
        `${scenario.name}: the scrubbed recording still holds what looks like a credential; not written:\n${formatSecretFindings(findings)}\n` +
          "  Teach scrubbing (src/contract/scrub.ts) to replace it, or the scan (src/contract/secrets.ts) that it is not one.",
      );
      continue;
    }
    const committed = existsSync(file) ? readFileSync(file, "utf8") : undefined;
    if (committed === text && (existsSync(rawFile) || !update)) {
      log("  same as the committed fixture");
      continue;
    }
    if (update) {
      // the raw form is written with the normalised one, so that normaliseHar(raw) === recording holds
      mkdirSync(join(dir, scenario.name), { recursive: true });
      writeFileSync(rawFile, raw);
      writeFileSync(file, text);
      log(`  wrote ${displayPath(file)} and ${RAW_FILE}`);
      continue;
    }
    status = 1;
    error(
      committed === undefined
        ? `${scenario.name}: no committed fixture at ${file}; run with --update to write it`
        : `${scenario.name}: the recording differs from ${file} (- committed, + recorded):\n${lineDiff(committed, text)}`,
    );
  }
  return status;
}

runMain(import.meta.url, (argv) => runRecord({ argv, env: process.env }));

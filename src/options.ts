import { HostupError } from "./errors.js";
import { printable } from "./printable.js";
import { VERSION } from "./version.js";

export const DEFAULT_BASE_URL = "https://cloud.hostup.se";
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_USER_AGENT = `hostup-api/${VERSION}`;
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** `retry` option of both clients; `false` turns retries off. */
export interface RetryOptions {
  /** How many times a failed request is repeated: a non-negative integer (default 2, so at most 3 attempts). */
  retries?: number | undefined;
  /** First backoff step when the server gives no hint (default 500 ms); doubles per attempt, with jitter. */
  minDelayMs?: number | undefined;
  /** Longest wait between attempts (default 30 s). A server hint above it throws at once, with `retryAfterMs`. */
  maxDelayMs?: number | undefined;
}

/** Options shared by `createV1Client` and `createV2Client`. */
export interface ClientOptions {
  /** Default `https://cloud.hostup.se`. Must be https (plain http only for loopback hosts, e.g. a local mock). */
  baseUrl?: string | undefined;
  /** A fetch implementation; default `globalThis.fetch`, looked up at each request. */
  fetch?: ((request: Request) => Promise<Response>) | undefined;
  /** Per-attempt timeout in milliseconds (default 30 000; positive, finite, at most 2 147 483 647). */
  timeoutMs?: number | undefined;
  /** Retry policy, or `false` for none. */
  retry?: RetryOptions | false | undefined;
  /**
   * Largest answer read, in bytes after decoding (gzip, deflate, br), default 8 MiB (8 388 608; a positive integer).
   * A larger body stops being read at that size: `HostupApiError` with `code: "response_too_large"`, never retried.
   */
  maxResponseBytes?: number | undefined;
  /** Sent as `User-Agent`; default `hostup-api/<version>`. */
  userAgent?: string | undefined;
  /**
   * Check request bodies and query parameters against the spec before sending (default `true`). `false` leaves
   * that to the server, e.g. where requests are validated upstream. Path parameters are always checked: they become
   * part of the URL path.
   */
  validateRequests?: boolean | undefined;
}

/** Per-call options, the last argument of every wrapper. */
export interface CallOptions {
  /** Cancels the request (and any wait between retries). */
  signal?: AbortSignal | undefined;
  /** Overrides the client's `timeoutMs` for this call (positive, finite, at most 2 147 483 647). */
  timeoutMs?: number | undefined;
}

/** Shorter credentials are refused: see checkCredential. */
export const MIN_CREDENTIAL_LENGTH = 8;

function invalid(message: string): HostupError {
  return new HostupError(message, "invalid_options");
}

/** Checks a credential without ever echoing it: header values with CR/LF or non-ASCII break or smuggle headers. */
export function checkCredential(factory: string, name: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw invalid(`${factory}: \`${name}\` is required and must be a non-empty string (your HostUp API key)`);
  }
  if (/[\r\n]/.test(value)) throw invalid(`${factory}: \`${name}\` must not contain CR or LF characters`);
  if (!/^[\x21-\x7e]+$/.test(value)) {
    throw invalid(
      `${factory}: \`${name}\` must be printable ASCII without spaces (check for stray whitespace)`,
    );
  }
  // Redaction replaces the credential wherever it occurs: a one-letter "key" would rewrite unrelated text
  if (value.length < MIN_CREDENTIAL_LENGTH) {
    throw invalid(
      `${factory}: \`${name}\` is too short to be a HostUp API key (at least ${MIN_CREDENTIAL_LENGTH} characters)`,
    );
  }
  return value;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** Returns the base URL without a trailing slash, or throws for anything a credential should not be sent to. */
export function checkBaseUrl(factory: string, value: string | undefined): string {
  if (value === undefined) return DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(`${factory}: \`baseUrl\` must be an absolute URL such as ${DEFAULT_BASE_URL}`);
  }
  if (url.username || url.password) throw invalid(`${factory}: \`baseUrl\` must not contain credentials`);
  if (url.search || url.hash) throw invalid(`${factory}: \`baseUrl\` must not have a query or fragment`);
  if (url.protocol === "http:" && !LOOPBACK.test(url.hostname)) {
    throw invalid(
      `${factory}: \`baseUrl\` ${url.origin} uses plain http; the key would travel unencrypted (http is allowed only for localhost)`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw invalid(`${factory}: \`baseUrl\` must use https`);
  }
  return (url.origin + url.pathname).replace(/\/+$/, "");
}

export function checkUserAgent(factory: string, value: string | undefined): string {
  if (value === undefined) return DEFAULT_USER_AGENT;
  return must(
    typeof value === "string" && /^[\x20-\x7e]+$/.test(value),
    factory,
    "userAgent",
    "a non-empty printable ASCII string",
    value,
  );
}

/** setTimeout's limit: a longer delay does not wait, Node fires it after 1 ms (and warns). */
export const MAX_TIMER_MS = 2_147_483_647;

/** A rejected value as a message shows it: a number or string itself (quoted, see printable), else its type (`null` by name). */
const shown = (value: unknown) =>
  typeof value === "number"
    ? String(value)
    : typeof value === "string"
      ? `"${printable(value)}"`
      : value === null
        ? "null"
        : typeof value;

/** Unless `ok`: invalid_options ``<where>: `<name>` must be <expected>, got <the value shown>``. */
export function must<T>(ok: boolean, where: string, name: string, expected: string, value: unknown): T {
  if (!ok) throw invalid(`${where}: \`${name}\` must be ${expected}, got ${shown(value)}`);
  return value as T;
}

/**
 * A duration in milliseconds that a timer will honour: finite, `> 0` (or `>= 0` with `allowZero`), at most
 * `max` (`Infinity`: no limit). `where` prefixes the message (`createV2Client`, `getJob`, `jobs.waitFor`) and
 * `name` is the option's path (`timeoutMs`, `retry.maxDelayMs`).
 */
export function checkMs(
  where: string,
  name: string,
  value: unknown,
  { allowZero = false, max = MAX_TIMER_MS }: { allowZero?: boolean; max?: number } = {},
): number {
  const ms = value as number;
  return must(
    Number.isFinite(ms) && (ms > 0 || (ms === 0 && allowZero)) && ms <= max,
    where,
    name,
    `${allowZero ? "a finite number >= 0" : "a positive finite number"} (milliseconds${Number.isFinite(max) ? `, at most ${max}` : ""})`,
    value,
  );
}

/** A count such as `retry.retries`: a non-negative integer. */
export function checkCount(where: string, name: string, value: unknown): number {
  return must(
    Number.isInteger(value) && (value as number) >= 0,
    where,
    name,
    "a non-negative integer",
    value,
  );
}

/** The options every client takes besides its credential (`apiKey`, `token`), as `checkKnown` lists them. */
export const CLIENT_OPTIONS = "baseUrl fetch timeoutMs retry maxResponseBytes userAgent validateRequests";

/**
 * Every own key of `value` is one of `known` (space-separated; `internal` ones are allowed and not listed): a
 * misspelt option (`timeout`, `baseURL`) would otherwise be ignored without a word.
 */
export function checkKnown(where: string, value: object, known: string, internal = ""): void {
  for (const key of Object.keys(value)) {
    if (!`${known} ${internal}`.split(" ").includes(key)) {
      throw invalid(
        `${where}: unknown option \`${printable(key)}\` (options: ${known.replaceAll(" ", ", ")})`,
      );
    }
  }
}

/**
 * An options argument (per call, or of `waitFor`): left out, or an object of the `known` options (see checkKnown)
 * whose `signal` is an AbortSignal (read by its shape, so a signal of another realm or a polyfill works). Checked
 * before anything is sent or a timer is started.
 */
export function checkOptionsObject<T extends object>(
  where: string,
  value: unknown,
  known: string,
  internal?: string,
): T | undefined {
  if (value !== undefined) {
    must<void>(typeof value === "object" && value !== null, where, "options", "an object or left out", value);
    checkKnown(where, value as object, known, internal);
    const { signal } = value as { signal?: AbortSignal };
    must<void>(
      signal === undefined ||
        (typeof signal?.aborted === "boolean" &&
          typeof signal.addEventListener === "function" &&
          typeof signal.removeEventListener === "function"),
      where,
      "signal",
      "an AbortSignal",
      signal,
    );
  }
  return value as T | undefined;
}

/** A member left out or of `type`: `fetch` and `onProgress` functions, `validateRequests` a boolean. */
export function checkType(where: string, name: string, value: unknown, type: "boolean" | "function"): void {
  must<void>(value === undefined || typeof value === type, where, name, `a ${type}`, value);
}

export function checkTimeout(factory: string, value: number | undefined): number {
  return value === undefined ? DEFAULT_TIMEOUT_MS : checkMs(factory, "timeoutMs", value);
}

export function checkMaxResponseBytes(factory: string, value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_RESPONSE_BYTES;
  return must(
    Number.isSafeInteger(value) && value > 0,
    factory,
    "maxResponseBytes",
    "a positive integer (bytes)",
    value,
  );
}

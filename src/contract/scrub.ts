// Scrubbing: the security half of preparing a recording (normalise.ts is the other half, for stable diffs). It
// - replaces the value of every credential header (authorization, x-api-key, cookie, set-cookie, anything named
//   like a credential: see isCredentialName) with a "REDACTED" placeholder that keeps the header's shape
//   ("Bearer REDACTED", "hostup_session=REDACTED"), and every cookie object's value;
// - replaces every occurrence of each secret passed in `secrets` (an API key, a token) anywhere in the HAR, in any
//   of the forms a server may echo it in: plain, JSON-escaped (`\/` as PHP writes it, `\uXXXX`, at any depth of
//   nesting) or percent-encoded (secretPattern); also inside a body stored base64 or compressed (a browser's, a
//   proxy's: har-body.ts), read decoded as the secret scan reads it. Such a body with a secret in it is written
//   back plain, without `encoding` and its message's Content-Encoding (bytes that are not text stay base64).
// It changes nothing else: a scrubbed recording keeps its volatile values (the raw form kept beside a normalised
// fixture). What scrubbing cannot know about (a session token in a body) is the secret scan's to find (secrets.ts).
import type { Har, HarEntry, HarNameValue } from "./har.js";
import { contentEncodingOf, plainHarBody } from "./har-body.js";

export const PLACEHOLDER = "REDACTED";

/** A credential shorter than this cannot be scrubbed safely: replacing it everywhere would rewrite other text. */
export const MIN_SECRET_LENGTH = 8;

export interface ScrubOptions {
  /** Credential values to remove wherever they occur (e.g. HOSTUP_API_KEY, HOSTUP_TOKEN); 8 characters or more. */
  secrets?: string[];
}

const CREDENTIAL_EXACT = new Set(["key", "auth", "pass", "pwd", "sid", "sig", "signature"]);
const CREDENTIAL_SUFFIX =
  /(?:token|secret|password|passwd|passphrase|apikey|accesskey|privatekey|session|sessionid|sessid|cookie|authorization|credentials?)$/;

const bareName = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, "");

/** Whether a header, cookie, query parameter or JSON property of this name holds a credential (case, "-", "_" ignored). */
export function isCredentialName(name: string): boolean {
  const bare = bareName(name);
  return CREDENTIAL_EXACT.has(bare) || CREDENTIAL_SUFFIX.test(bare);
}

/** The values scrubbing writes where a credential would sit; nothing else passes the secret scan there. */
export function isPlaceholder(name: string, value: string): boolean {
  if (value === PLACEHOLDER || value === "") return true;
  const bare = bareName(name);
  if (bare.endsWith("authorization")) return /^[A-Za-z][\w-]*\s+REDACTED$/.test(value); // "Bearer REDACTED"
  if (bare === "setcookie") return /^[^=;\s]+=REDACTED(?:;.*)?$/.test(value); // "hostup_session=REDACTED; Path=/"
  // "a=REDACTED; b=REDACTED", a nameless cookie's "REDACTED" among them
  if (bare.endsWith("cookie")) return /^(?:[^=;\s]+=)?REDACTED(?:;\s*(?:[^=;\s]+=)?REDACTED)*$/.test(value);
  return false;
}

/**
 * The placeholder for a credential header's value, keeping its shape (scheme, cookie names). A value without a
 * scheme, or a cookie without a name, is all credential: its first word is not kept.
 */
export function placeholderFor(name: string, value: string): string {
  const bare = bareName(name);
  const named = (cookie: string) =>
    cookie.includes("=") ? `${cookie.split("=")[0]}=${PLACEHOLDER}` : PLACEHOLDER;
  if (bare.endsWith("authorization")) {
    const [scheme, credentials] = value.trim().split(/\s+/);
    return credentials ? `${scheme} ${PLACEHOLDER}` : PLACEHOLDER;
  }
  if (bare === "setcookie") return named(value.split(";")[0]?.trim() ?? ""); // its attributes dropped
  if (bare.endsWith("cookie")) {
    return value
      .split(";")
      .map((c) => c.trim())
      .filter(Boolean)
      .map(named)
      .join("; ");
  }
  return PLACEHOLDER;
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

/**
 * The base64 (or base64url) text of `secret` wherever it sits in a longer encoded value (`Basic` credentials, a
 * token echoed encoded): for each of the three byte alignments, the characters that only the secret's bytes
 * determine. `/` may be JSON-escaped (`\/`) as PHP writes it.
 */
function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  return [0, 1, 2].map((offset) => {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
    const core = encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
    return [...core].map((c) => (c === "+" ? "[+-]" : c === "/" ? "(?:\\\\*/|_)" : c)).join("");
  });
}

const patternSources = new Map<string, string>();

/**
 * Matches `secret` written in any mix of the forms above, character by character, or base64-encoded (see
 * base64Forms) (a new RegExp each call).
 */
export function secretPattern(secret: string): RegExp {
  let source = patternSources.get(secret);
  if (source === undefined) {
    source = [[...secret].map(characterForms).join(""), ...base64Forms(secret)].join("|");
    patternSources.set(secret, source);
  }
  return new RegExp(source, "g");
}

/**
 * Replaces every occurrence of each secret, in any form (see secretPattern), with the placeholder; the longest
 * first, so that a secret that contains another is replaced whole.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length))
    out = out.replace(secretPattern(secret), PLACEHOLDER);
  return out;
}

/** The secrets to scrub; an error for a short one. */
export function checkedSecrets(secrets: readonly string[] = []): string[] {
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH)
      throw new Error(
        `a secret to scrub must have at least ${MIN_SECRET_LENGTH} characters (got ${secret.length}): a shorter one would rewrite unrelated text`,
      );
  }
  return [...secrets];
}

function scrubHeaders(headers: HarNameValue[] | undefined): HarNameValue[] {
  return (headers ?? []).map((h) =>
    isCredentialName(h.name) && !isPlaceholder(h.name, h.value)
      ? { ...h, value: placeholderFor(h.name, h.value) }
      : h,
  );
}

const scrubCookies = (cookies: HarNameValue[] | undefined): HarNameValue[] =>
  (cookies ?? []).map((c) => ({ ...c, value: PLACEHOLDER }));

function scrubEntry(entry: HarEntry): HarEntry {
  return {
    ...entry,
    request: {
      ...entry.request,
      headers: scrubHeaders(entry.request.headers),
      cookies: scrubCookies(entry.request.cookies),
    },
    response: {
      ...entry.response,
      headers: scrubHeaders(entry.response.headers),
      cookies: scrubCookies(entry.response.cookies),
    },
  };
}

interface StoredBody {
  text?: string;
  encoding?: string;
}

/**
 * A body stored base64 (compressed or not) with a secret in what it decodes to: that text with the secret
 * replaced, to be written plain (`binary`: bytes that are not UTF-8, scrubbed byte for byte and kept base64).
 * Undefined when there is nothing to replace: the body stays as it was stored.
 */
function scrubStoredBody(
  body: StoredBody | undefined,
  headers: HarNameValue[],
  secrets: string[],
): { text: string; binary: boolean } | undefined {
  if (body?.encoding !== "base64" || secrets.length === 0) return undefined;
  const plain = plainHarBody(body, contentEncodingOf(headers));
  if (!plain) return undefined;
  // latin1 maps each byte to one character and back, so bytes around an (ASCII) secret survive unchanged
  const view = plain.binary ? plain.bytes.toString("latin1") : plain.text;
  const scrubbed = scrubSecrets(view, secrets);
  if (scrubbed === view) return undefined;
  return plain.binary
    ? { text: Buffer.from(scrubbed, "latin1").toString("base64"), binary: true }
    : { text: scrubbed, binary: false };
}

const withoutContentEncoding = (headers: HarNameValue[]) =>
  headers.filter((h) => h.name.toLowerCase() !== "content-encoding");

/** The entry with each encoded body that holds a secret written back decoded and scrubbed (see scrubStoredBody). */
function scrubStoredBodies(entry: HarEntry, secrets: string[]): HarEntry {
  let { request, response } = entry;
  const requestBody = scrubStoredBody(request.postData, request.headers, secrets);
  if (requestBody && request.postData) {
    const { encoding: _stored, ...postData } = request.postData;
    request = {
      ...request,
      headers: withoutContentEncoding(request.headers),
      postData: {
        ...postData,
        text: requestBody.text,
        ...(requestBody.binary ? { encoding: "base64" } : {}),
      },
    };
  }
  const responseBody = scrubStoredBody(response.content, response.headers, secrets);
  if (responseBody) {
    const { encoding: _stored, ...content } = response.content;
    const size = responseBody.binary
      ? Buffer.from(responseBody.text, "base64").length
      : Buffer.byteLength(responseBody.text);
    response = {
      ...response,
      headers: withoutContentEncoding(response.headers),
      content: {
        ...content,
        size,
        text: responseBody.text,
        ...(responseBody.binary ? { encoding: "base64" } : {}),
      },
    };
  }
  return request === entry.request && response === entry.response ? entry : { ...entry, request, response };
}

/** A copy of `har` without credentials (see the file comment); its volatile values are kept. */
export function scrubHar(har: Har, options: ScrubOptions = {}): Har {
  const secrets = checkedSecrets(options.secrets);
  // encoded bodies first: the pass over every string below sees only their base64
  const decoded: Har = {
    log: { ...har.log, entries: har.log.entries.map((entry) => scrubStoredBodies(entry, secrets)) },
  };
  const copy: Har = JSON.parse(JSON.stringify(decoded), (_k, v) =>
    typeof v === "string" && secrets.length > 0 ? scrubSecrets(v, secrets) : v,
  );
  return { log: { ...copy.log, entries: copy.log.entries.map(scrubEntry) } };
}

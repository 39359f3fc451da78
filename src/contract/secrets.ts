// The secret scan: no committed fixture, and no recording record mode is about to write, may hold a credential.
// A file is read twice. As text: rules over the bytes (bearer and Basic credentials, credential headers, cookies,
// query parameters and JSON properties, URL userinfo), also inside escaped JSON, and every form of the
// credentials the caller names (see secretPattern). And, when the text is JSON, by structure: every name/value
// object (HAR headers, cookies, queryString, params; any other members beside them), every property whose name
// is a credential's, every URL (userinfo, credential-named query parameters), and every string that is itself
// JSON (a body, a double-encoded value) read the same way, at any depth. The placeholders that scrubbing writes
// ("REDACTED") are the only values allowed where a credential would sit.
import { printable } from "../printable.js";
import { contentEncodingOf, harBodyText } from "./har-body.js";
import { isCredentialName, isPlaceholder, PLACEHOLDER, secretPattern } from "./scrub.js";

export interface SecretFinding {
  file: string;
  /** Line of a text finding. */
  line?: number;
  /** JSON path of a finding by structure, e.g. log.entries[0].request.headers[3]. */
  path?: string;
  kind: string;
  /** The offending text with the middle of the value masked, so the report itself leaks nothing. */
  excerpt: string;
}

export interface ScanOptions {
  /** Credential values to look for in every form they can be written in (plain, JSON-escaped, percent-encoded). */
  secrets?: string[];
  /**
   * Called with the unmasked value of each finding, for a caller that must keep it out of its own output (the
   * drift findings of `hostup-contract check`). The findings themselves hold only masked excerpts.
   */
  onValue?: (value: string) => void;
}

function mask(value: string): string {
  return value.length <= 6 ? "***" : `${value.slice(0, 3)}***${value.slice(-2)}`;
}

/**
 * RFC 7617: base64 of "user-id:password". Words after "Basic" in prose ("Basic plan"), and the placeholder
 * "REDACTED", decode to no colon.
 */
function isBasicCredential(value: string): boolean {
  return Buffer.from(value, "base64").toString("latin1").includes(":");
}

/** Userinfo made only of placeholders: "REDACTED" or "REDACTED:REDACTED". */
const isPlaceholderUserinfo = (userinfo: string) => /^REDACTED(?::REDACTED)?$/.test(userinfo);

// --- by text ---

interface Rule {
  kind: string;
  pattern: RegExp;
  /** Index of the group holding the value that must be a placeholder. */
  group: number;
  /** Index of the group holding the name the value goes by; the match counts only for a credential's name. */
  name?: number;
  /** Whether the value is a credential (default: anything but a placeholder for its name). */
  leaks?: (value: string) => boolean;
}

/**
 * One JSON string, possibly escaped inside another (`\"...\"`): opening quote, contents, closing quote. The contents
 * are a run of plain characters, then escapes each followed by another run ("unrolled"): a loop over single
 * characters would take a backtracking step per character, and a 16-million-character body overflowed the stack.
 */
const JSON_STRING = String.raw`\\*"([^"\\]*(?:\\+[^"\\][^"\\]*)*)\\*"`;
/** Other members of the same object between a name/value pair's two (a HAR "comment", say). */
const OTHER_MEMBERS = String.raw`(?:\s*,\s*\\*"(?!(?:name|value)\\*")[^"\\]*\\*"\s*:\s*(?:${JSON_STRING.replace("(", "(?:")}|[^,{}[\]"\\]*))*`;

const RULES: Rule[] = [
  { kind: "bearer token", pattern: /\bBearer\s+([A-Za-z0-9._~+/=-]+)/gi, group: 1 },
  {
    kind: "basic credentials",
    pattern: /\bBasic\s+([A-Za-z0-9+/]{4,}={0,2})(?![A-Za-z0-9+/=])/gi,
    group: 1,
    leaks: isBasicCredential,
  },
  {
    kind: "X-API-Key header",
    pattern: /"name"\s*:\s*"x-api-key"\s*,\s*"value"\s*:\s*"([^"]*)"/gi,
    group: 1,
    leaks: (value) => !isPlaceholder("x-api-key", value),
  },
  { kind: "X-API-Key header", pattern: /\bx-api-key\s*:\s*([^\s"\\,]+)/gi, group: 1 },
  { kind: "hostup_session cookie", pattern: /\bhostup_session=([^;"\s\\]*)/gi, group: 1 },
  {
    kind: "Set-Cookie header",
    pattern: /"name"\s*:\s*"set-cookie"\s*,\s*"value"\s*:\s*"[^"=]*=([^";]*)/gi,
    group: 1,
  },
  {
    kind: "URL userinfo",
    pattern: /\b[a-z][a-z0-9+.-]*:(?:\\*\/){2}([^\s/?#@"'<>\\]+)@/gi,
    group: 1,
    leaks: (value) => !isPlaceholderUserinfo(value),
  },
  {
    // "?" and "&" also as JSON writes them escaped (\u003f, \u0026); "#": a fragment (OAuth's implicit flow)
    kind: "api key in a query string",
    pattern: /(?:[?&#]|\\+u00(?:23|26|3[fF]))([A-Za-z0-9_.%[\]-]+)=([^&#"\s\\]*)/g,
    name: 1,
    group: 2,
  },
  {
    // a property name after "{" or ","; the value is only looked at, so that a body's first property, whose
    // opening quote ends the string before it, is still read
    kind: "credential-named JSON property",
    pattern: new RegExp(String.raw`(?<=[{,]\s*)${JSON_STRING}\s*:\s*(?=${JSON_STRING})`, "g"),
    name: 1,
    group: 2,
  },
];

// A name/value object, {"name": ..., "value": ...} in either order and with any other members between (also
// inside an escaped JSON string), whose name is a credential's. Its value must be a placeholder.
const NAME_VALUE: { pattern: RegExp; name: number; value: number }[] = [
  {
    pattern: new RegExp(
      String.raw`\\*"name\\*"\s*:\s*${JSON_STRING}${OTHER_MEMBERS}\s*,\s*\\*"value\\*"\s*:\s*${JSON_STRING}`,
      "g",
    ),
    name: 1,
    value: 2,
  },
  {
    pattern: new RegExp(
      String.raw`\\*"value\\*"\s*:\s*${JSON_STRING}${OTHER_MEMBERS}\s*,\s*\\*"name\\*"\s*:\s*${JSON_STRING}`,
      "g",
    ),
    name: 2,
    value: 1,
  },
];

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split("\n").length;
}

/** The matched text on one line, its value masked (appended when the pattern only looked ahead at it). */
function excerptOf(match: string, value: string): string {
  const masked = match.includes(value) ? match.replace(value, mask(value)) : `${match}"${mask(value)}"`;
  return masked.replace(/\s+/g, " ");
}

/** A text scanned in windows this long (where scanning it whole overflows the stack), overlapping by OVERLAP. */
const WINDOW = 1 << 20;
const OVERLAP = 1 << 16;

/**
 * The matches of `pattern` (global) in `text`. A regular expression takes a backtracking step per repetition of a
 * group, and millions of them (a body of millions of escapes) overflow the stack: then `text` is scanned in
 * overlapping windows, each match taken from the window where it has at least OVERLAP / 2 characters around it.
 */
function matchesOf(text: string, pattern: RegExp): RegExpExecArray[] {
  try {
    return [...text.matchAll(pattern)];
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
  const out: RegExpExecArray[] = [];
  const step = WINDOW - OVERLAP;
  for (let start = 0; start < text.length; start += step) {
    const from = start === 0 ? 0 : start + OVERLAP / 2;
    const to = start + step + OVERLAP / 2;
    for (const m of text.slice(start, start + WINDOW).matchAll(pattern)) {
      m.index += start;
      if (m.index >= from && m.index < to) out.push(m);
    }
  }
  return out;
}

function scanByText(text: string, file: string, onValue: (value: string) => void): SecretFinding[] {
  const findings: SecretFinding[] = [];
  const found = (index: number, kind: string, match: string, value: string) => {
    onValue(value);
    findings.push({ file, line: lineOf(text, index), kind, excerpt: excerptOf(match, value) });
  };
  for (const rule of NAME_VALUE) {
    for (const m of matchesOf(text, rule.pattern)) {
      const name = (m[rule.name] ?? "").toLowerCase();
      const value = m[rule.value] ?? "";
      if (isCredentialName(name) && !isPlaceholder(name, value))
        found(m.index, `${name} header or cookie`, m[0], value);
    }
  }
  for (const rule of RULES) {
    for (const m of matchesOf(text, rule.pattern)) {
      const value = m[rule.group] ?? "";
      const name = rule.name === undefined ? undefined : safeDecode(m[rule.name] ?? "");
      if (value === "" || (name !== undefined && !isCredentialName(name))) continue;
      const leaks = rule.leaks
        ? rule.leaks(value)
        : name === undefined
          ? value !== PLACEHOLDER
          : !isPlaceholder(name, safeDecode(value));
      if (leaks) found(m.index, rule.kind, m[0], value);
    }
  }
  return findings;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function scanConfigured(text: string, file: string, secrets: string[]): SecretFinding[] {
  return secrets.flatMap((secret) =>
    [...text.matchAll(secretPattern(secret))].map((m) => ({
      file,
      line: lineOf(text, m.index),
      kind: "configured credential",
      excerpt: "(the value of a credential given to the scan, in some encoding)",
    })),
  );
}

// --- by structure ---

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>\\]+/gi;
const WHAT_BY_LIST: Record<string, string> = {
  headers: "header",
  cookies: "cookie",
  queryString: "query parameter",
  params: "form parameter",
};

function propertyPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;
}

/** The credentials a parsed HAR (or any JSON value) holds, found by structure; see the file comment. */
export function scanStructure(
  value: unknown,
  file: string,
  onValue: (value: string) => void = () => {},
  /** Credential values to look for, in every form, also in what a stored (base64, compressed) body decodes to. */
  secrets: string[] = [],
): SecretFinding[] {
  const findings: SecretFinding[] = [];
  const found = (path: string, kind: string, name: string, secret: string) => {
    onValue(secret);
    findings.push({ file, path, kind, excerpt: `${name}: ${mask(secret)}` });
  };

  const scanString = (s: string, path: string) => {
    const trimmed = s.trim();
    if (/^[[{"]/.test(trimmed) && trimmed.length > 1) {
      let inner: unknown;
      try {
        inner = JSON.parse(trimmed);
      } catch {
        inner = undefined; // not JSON: a plain string
      }
      // outside the try: JSON nested deeper than the walk can go is a RangeError that scanText makes a finding
      if (inner !== undefined) walk(inner, `${path}(json)`, undefined);
    }
    for (const m of s.matchAll(URL_IN_TEXT)) {
      let url: URL;
      try {
        url = new URL(m[0]);
      } catch {
        continue;
      }
      const userinfo = url.password ? `${url.username}:${url.password}` : url.username;
      if (userinfo && !isPlaceholderUserinfo(safeDecode(userinfo)))
        found(path, "URL userinfo", url.host, userinfo);
      for (const [params, what] of [
        [url.searchParams, "query parameter"],
        [new URLSearchParams(url.hash.slice(1)), "fragment parameter"],
      ] as const) {
        for (const [name, v] of params) {
          if (isCredentialName(name) && !isPlaceholder(name, v)) found(path, `${name} ${what}`, name, v);
        }
      }
    }
    for (const m of s.matchAll(/\bBasic\s+([A-Za-z0-9+/]{4,}={0,2})(?![A-Za-z0-9+/=])/gi)) {
      if (isBasicCredential(m[1] ?? "")) found(path, "basic credentials", "Basic", m[1] ?? "");
    }
    for (const m of s.matchAll(/\bBearer\s+([A-Za-z0-9._~+/=-]+)/gi)) {
      if (m[1] !== PLACEHOLDER) found(path, "bearer token", "Bearer", m[1] ?? "");
    }
  };

  /** Each HAR response's content and request's postData, with its message's Content-Encoding. */
  const contentEncodings = new WeakMap<object, string>();
  const walk = (v: unknown, path: string, list: string | undefined): void => {
    if (typeof v === "string") {
      scanString(v, path);
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        walk(item, `${path}[${i}]`, list);
      });
      return;
    }
    if (!v || typeof v !== "object") return;
    const object = v as Record<string, unknown>;
    // a HAR response (request): its Content-Encoding says how its content's (postData's) stored bytes are compressed
    for (const body of [object.content, object.postData]) {
      const coding = contentEncodingOf(object.headers);
      if (body && typeof body === "object" && coding !== undefined) contentEncodings.set(body, coding);
    }
    // a body a browser stored base64-encoded, or a proxy compressed (HAR content, postData): read what it decodes to as well
    if (object.encoding === "base64" && typeof object.text === "string") {
      const decoded = harBodyText(object, contentEncodings.get(object)) ?? "";
      scanString(decoded, `${path}.text(base64)`);
      for (const f of scanConfigured(decoded, file, secrets)) {
        const { line: _line, ...finding } = f;
        findings.push({ ...finding, path: `${path}.text(base64)` });
      }
    }
    if (typeof object.name === "string" && typeof object.value === "string") {
      const name = object.name.toLowerCase();
      if (isCredentialName(name) && !isPlaceholder(name, object.value))
        found(path, `${name} ${(list && WHAT_BY_LIST[list]) ?? "name/value pair"}`, name, object.value);
    }
    for (const [key, member] of Object.entries(object)) {
      if (typeof member === "string" && isCredentialName(key) && !isPlaceholder(key, member))
        found(propertyPath(path, key), "credential-named JSON property", key, member);
      walk(member, propertyPath(path, key), key);
    }
  };

  walk(value, "", undefined);
  return findings;
}

/**
 * Scans one file's text: by the text rules, for every form of `options.secrets`, and, when the text is JSON (a
 * HAR), by structure. An empty result means nothing was found.
 */
export function scanText(text: string, file: string, options: ScanOptions = {}): SecretFinding[] {
  const onValue = options.onValue ?? (() => {});
  const findings = [...scanConfigured(text, file, options.secrets ?? []), ...scanByText(text, file, onValue)];
  let parsed: unknown;
  try {
    // without a byte order mark, as parseHar reads it
    parsed = JSON.parse(text.startsWith("\ufeff") ? text.slice(1) : text);
  } catch {
    return findings;
  }
  try {
    return [...findings, ...scanStructure(parsed, file, onValue, options.secrets ?? [])];
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    // JSON nested deeper than the walk can go: what it would have checked is unchecked, so that is a finding
    return [
      ...findings,
      { file, kind: "JSON nested too deeply to scan by structure", excerpt: `(${error.message})` },
    ];
  }
}

export function formatSecretFindings(findings: SecretFinding[]): string {
  return findings
    .map((f) =>
      // a path through a recording's keys may hold line breaks and terminal escapes: one line per finding
      printable(
        `${f.file}${f.line === undefined ? "" : `:${f.line}`}${f.path === undefined ? "" : ` at ${f.path}`}: ${f.kind}: ${f.excerpt} (only a "${PLACEHOLDER}" placeholder is allowed here)`,
        Number.POSITIVE_INFINITY,
      ),
    )
    .join("\n");
}

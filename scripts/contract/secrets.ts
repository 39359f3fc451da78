// The secret scan of the fixtures: no committed recording may hold a credential. Placeholders written by
// the normaliser ("REDACTED") are the only values allowed where a credential would sit.
import { PLACEHOLDER } from "./normalise.js";

export interface SecretFinding {
  file: string;
  line: number;
  kind: string;
  /** The offending text with the middle of the value masked, so the report itself leaks nothing. */
  excerpt: string;
}

function mask(value: string): string {
  return value.length <= 6 ? "***" : `${value.slice(0, 3)}***${value.slice(-2)}`;
}

interface Rule {
  kind: string;
  pattern: RegExp;
  /** Index of the group holding the value that must be a placeholder. */
  group: number;
}

// Both header forms are covered: a HAR's {"name": "...", "value": "..."} objects and "Name: value" text.
const RULES: Rule[] = [
  { kind: "bearer token", pattern: /\bBearer\s+([A-Za-z0-9._~+/=-]+)/gi, group: 1 },
  {
    kind: "X-API-Key header",
    pattern: /"name"\s*:\s*"x-api-key"\s*,\s*"value"\s*:\s*"([^"]*)"/gi,
    group: 1,
  },
  { kind: "X-API-Key header", pattern: /\bx-api-key\s*:\s*([^\s"\\,]+)/gi, group: 1 },
  { kind: "hostup_session cookie", pattern: /\bhostup_session=([^;"\s\\]*)/gi, group: 1 },
  {
    kind: "Set-Cookie header",
    pattern: /"name"\s*:\s*"set-cookie"\s*,\s*"value"\s*:\s*"[^"=]*=([^";]*)/gi,
    group: 1,
  },
  {
    kind: "api key in a query string",
    pattern: /[?&](?:api[_-]?key|token|access_token)=([^&"\s]+)/gi,
    group: 1,
  },
  {
    kind: "credential-named JSON property",
    pattern:
      /\\?"(?:apiKey|api_key|token|accessToken|access_token|password|secret)\\?"\s*:\s*\\?"([^"\\]+)/gi,
    group: 1,
  },
];

/** The values the normaliser writes where a credential would sit (see normalise.ts); nothing else passes. */
export function isPlaceholder(name: string, value: string): boolean {
  if (value === PLACEHOLDER) return true;
  switch (name.toLowerCase()) {
    case "authorization": // "Bearer REDACTED", "Token REDACTED"
      return /^[A-Za-z][\w-]*\s+REDACTED$/.test(value);
    case "cookie": // "hostup_session=REDACTED; theme=REDACTED"
      return /^[^=;\s]+=REDACTED(?:;\s*[^=;\s]+=REDACTED)*$/.test(value);
    case "set-cookie": // "hostup_session=REDACTED; Path=/; HttpOnly"
      return /^[^=;\s]+=REDACTED(?:;.*)?$/.test(value);
    default:
      return false;
  }
}

// A HAR header or cookie object, {"name": ..., "value": ...} in either key order (also inside an escaped
// JSON string), whose name is a credential's: authorization (any scheme), cookie, set-cookie, x-api-key,
// hostup_session. Its value must be a placeholder.
const NAME_VALUE: { pattern: RegExp; name: number; value: number }[] = [
  {
    pattern:
      /\\?"name\\?"\s*:\s*\\?"(authorization|cookie|set-cookie|x-api-key|hostup_session)\\?"\s*,\s*\\?"value\\?"\s*:\s*\\?"((?:[^"\\]|\\[^"])*)\\?"/gi,
    name: 1,
    value: 2,
  },
  {
    pattern:
      /\\?"value\\?"\s*:\s*\\?"((?:[^"\\]|\\[^"])*)\\?"\s*,\s*\\?"name\\?"\s*:\s*\\?"(authorization|cookie|set-cookie|x-api-key|hostup_session)\\?"/gi,
    name: 2,
    value: 1,
  },
];

function scanNameValue(text: string, file: string): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const rule of NAME_VALUE) {
    for (const m of text.matchAll(rule.pattern)) {
      const name = (m[rule.name] ?? "").toLowerCase();
      const value = m[rule.value] ?? "";
      if (isPlaceholder(name, value)) continue;
      const line = text.slice(0, m.index ?? 0).split("\n").length;
      const excerpt = value ? m[0].replace(value, mask(value)) : m[0];
      findings.push({ file, line, kind: `${name} header or cookie`, excerpt });
    }
  }
  return findings;
}

export function scanText(text: string, file: string): SecretFinding[] {
  const findings: SecretFinding[] = scanNameValue(text, file);
  for (const rule of RULES) {
    for (const m of text.matchAll(rule.pattern)) {
      const value = m[rule.group] ?? "";
      if (value === PLACEHOLDER) continue;
      const line = text.slice(0, m.index ?? 0).split("\n").length;
      findings.push({ file, line, kind: rule.kind, excerpt: m[0].replace(value, mask(value)) });
    }
  }
  return findings;
}

export function formatSecretFindings(findings: SecretFinding[]): string {
  return findings
    .map(
      (f) =>
        `${f.file}:${f.line}: ${f.kind}: ${f.excerpt} (only a "${PLACEHOLDER}" placeholder is allowed here)`,
    )
    .join("\n");
}

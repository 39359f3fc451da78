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

export function scanText(text: string, file: string): SecretFinding[] {
  const findings: SecretFinding[] = [];
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
    .map((f) => `${f.file}:${f.line}: ${f.kind}: ${f.excerpt} (only "${PLACEHOLDER}" is allowed here)`)
    .join("\n");
}

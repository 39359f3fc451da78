// What the validator reports: one finding per difference between a recorded exchange and the description, and its
// diff-like text form ("- expected by the spec", "+ found in the recording").
import { printable } from "../printable.js";
import { isCredentialName, PLACEHOLDER } from "./scrub.js";

export type FindingKind =
  | "unknown-operation"
  | "undocumented-status"
  | "undocumented-media-type"
  | "missing-body"
  | "unexpected-body"
  | "schema"
  | "missing-header"
  | "missing-credentials";

export interface DriftFinding {
  kind: FindingKind;
  /** "v2 getBackupSchedules (GET /api/v2/vps/{id}/backup-schedules)", or the raw request when unmatched. */
  operation: string;
  operationId?: string;
  /** "request body", "response body", "response header retry-after", "path parameter id", ... */
  location: string;
  /** JSON pointer inside `location` ("" is the whole body). */
  pointer: string;
  /** What the spec expects, in words. */
  expected: string;
  /** What the recording holds. */
  found: string;
  /** Where the spec says so (a JSON pointer into the bundle), when known. */
  specPointer?: string;
}

/** A Bearer or Basic credential inside a string: its scheme is kept, the value is not shown. */
const SCHEME_CREDENTIAL = /\b(Bearer|Basic)\s+([A-Za-z0-9._~+/=-]+)/gi;

/**
 * What JSON.stringify writes for a value inside a finding: the value of a member named like a credential, and a
 * Bearer or Basic credential in any string, become the placeholder (the secret scan reports them, masked).
 */
function withoutCredentials(this: unknown, key: string, member: unknown): unknown {
  if (typeof member !== "string") return member;
  if (key !== "" && !Array.isArray(this) && isCredentialName(key) && member !== PLACEHOLDER)
    return PLACEHOLDER;
  return member.replace(SCHEME_CREDENTIAL, (match, scheme: string, credential: string) =>
    // "Basic" only before base64 of "user:password" (RFC 7617), so that prose ("Basic plan") is left alone
    scheme.toLowerCase() === "basic" && !Buffer.from(credential, "base64").toString("latin1").includes(":")
      ? match
      : `${scheme} ${PLACEHOLDER}`,
  );
}

/** A value as a finding shows it: JSON without credentials (see withoutCredentials), cut at 120 characters. */
export function show(value: unknown): string {
  if (value === undefined) return "nothing";
  let text: string;
  try {
    text = JSON.stringify(value, withoutCredentials);
  } catch (error) {
    // A body nested deeper than the stack (JSON.parse reads it; JSON.stringify recurses): name it instead.
    if (!(error instanceof RangeError)) throw error;
    return `${Array.isArray(value) ? "an array" : "an object"} nested too deeply to show`;
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Renders findings as a diff-like report, one block per finding. */
export function formatFindings(findings: DriftFinding[], where?: string): string {
  return findings
    .map((f) =>
      [
        `drift${where ? ` in ${where}` : ""}`,
        `  operation: ${f.operation}`,
        `  where:     ${f.location} ${f.pointer === "" ? "(whole value)" : f.pointer}`,
        `  - expected by the spec:   ${f.expected}`,
        `  + found in the recording: ${f.found}`,
        ...(f.specPointer ? [`  spec:      ${f.specPointer}`] : []),
      ]
        // a recording's keys and methods may hold line breaks and terminal escapes: each line stays one line
        .map((line) => printable(line, Number.POSITIVE_INFINITY))
        .join("\n"),
    )
    .join("\n\n");
}

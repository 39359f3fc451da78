// `hostup-contract check` as a function: recordings in, drift findings, coverage and secret-scan findings out,
// and the exit code they make. The output formats are reports.ts and github.ts.
import { type Coverage, computeCoverage } from "./coverage.js";
import type { DriftFinding } from "./findings.js";
import { checkExchanges, type ExchangeFinding, exchangesOf, type Recording } from "./recordings.js";
import { isCredentialName, MIN_SECRET_LENGTH, scrubSecrets } from "./scrub.js";
import { type SecretFinding, scanText } from "./secrets.js";
import type { LoadedSpec } from "./spec.js";

/** The exit codes of `hostup-contract`: documented in its --help and the README. */
export const EXIT = {
  /** Every exchange matches the spec and no file holds a credential. */
  clean: 0,
  /** At least one drift finding (an undeclared property, a wrong type, an unknown operation, ...), no secret. */
  drift: 1,
  /** At least one file holds what looks like a credential (with or without drift: a leak is fixed first). */
  secrets: 2,
  /** Bad arguments, a missing or unreadable path, or a file that is not HAR. Nothing was checked. */
  usage: 3,
  /** A bug in hostup-contract (the message says where): please report it. */
  internal: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface CheckOptions {
  /** Check only the entries sent to these origins (e.g. "https://cloud.hostup.se"); default every entry. */
  origins?: readonly string[];
  /** Credential values the secret scan looks for in every encoding, besides what it finds by shape and name. */
  secrets?: readonly string[];
}

export interface CheckResult {
  files: string[];
  /** How many entries were checked. */
  exchanges: number;
  /** Entries left out by `origins`. */
  skipped: number;
  findings: ExchangeFinding[];
  coverage: Coverage;
  secrets: SecretFinding[];
  exitCode: ExitCode;
}

export function checkRecordings(
  specs: readonly LoadedSpec[],
  recordings: readonly Recording[],
  options: CheckOptions = {},
): CheckResult {
  // The scan runs first: what it finds is kept out of the drift findings too, wherever it is echoed.
  const found = new Set<string>(options.secrets ?? []);
  const secrets = recordings.flatMap((r) =>
    scanText(r.text, r.file, { secrets: [...(options.secrets ?? [])], onValue: (v) => found.add(v) }),
  );
  const hidden = [...found].filter((v) => v.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  const { exchanges, skipped } = exchangesOf(recordings, {
    ...(options.origins ? { origins: options.origins } : {}),
    ...(hidden.length ? { hide: hidden } : {}),
  });
  const findings = checkExchanges(specs, exchanges).map((f) => withoutCredentials(f, hidden));
  const exitCode = secrets.length > 0 ? EXIT.secrets : findings.length > 0 ? EXIT.drift : EXIT.clean;
  return {
    files: recordings.map((r) => r.file),
    exchanges: exchanges.length,
    skipped,
    findings,
    coverage: computeCoverage(specs, exchanges),
    secrets,
    exitCode,
  };
}

/**
 * A finding as it may be printed: the value of a credential-named property, parameter or header is not shown (the
 * secret scan reports it, masked), and the credentials the caller named are replaced in any encoding.
 */
function withoutCredentials<F extends DriftFinding>(finding: F, secrets: readonly string[]): F {
  const last = finding.pointer.split("/").pop() || finding.location.split(" ").pop() || "";
  const found = isCredentialName(decodeURIComponent(last.replace(/~1/g, "/").replace(/~0/g, "~")))
    ? "(a credential-named value, not shown)"
    : finding.found;
  return secrets.length === 0
    ? { ...finding, found }
    : { ...finding, found: scrubSecrets(found, [...secrets]) };
}

/** One line: what was checked and what was found. */
export function verdict(result: CheckResult): string {
  const what = `${result.files.length} file(s), ${result.exchanges} exchange(s)${result.skipped ? ` (${result.skipped} of other origins skipped)` : ""}`;
  if (result.exitCode === EXIT.clean) return `✔ hostup-contract: ${what}: no drift, no secrets`;
  return `✘ hostup-contract: ${what}: ${result.findings.length} drift finding(s), ${result.secrets.length} secret finding(s) (exit ${result.exitCode})`;
}

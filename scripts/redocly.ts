// The one way the drivers run Redocly's CLI (the pinned @redocly/cli of node_modules, by the same path, with the
// same environment and the same clean-up of its output), and `redocly drift` (experimental in @redocly/cli 2.x)
// over the fixtures as an independent second opinion. The shipped hostup-api/contract never runs Redocly.
import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { buildHar, type HarEntry, readHar, toExchange, writeHar } from "../src/contract/har.js";
import { specFor } from "../src/contract/match.js";
import type { LoadedSpec } from "../src/contract/spec.js";

export const REPO_ROOT = resolve(import.meta.dirname, "..");
/** The pinned CLI's entry, run with this Node (the generate phases run it side by side). */
export const REDOCLY_CLI = join(REPO_ROOT, "node_modules", "@redocly", "cli", "bin", "cli.js");
const CLI = REDOCLY_CLI;

const ENV = {
  REDOCLY_TELEMETRY: "off",
  REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
  NO_COLOR: "1",
  FORCE_COLOR: "0",
};

// Redocly prints a Node 20 end-of-life banner on every run; it is noise in our logs, not an error.
const BANNER = /^\s*[╔║╚].*$/gmu;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI colour codes is the point
const ANSI = /\u001b\[[0-9;]*m/g;

export interface RedoclyRun {
  /** The exit code; -1 when it could not start. */
  code: number;
  /** stdout then stderr, without colours and the banner. */
  output: string;
}

const clean = (text: string) =>
  text
    .replace(ANSI, "")
    .replace(BANNER, "")
    .replace(/\n{3,}/g, "\n\n");

/** Runs `redocly <args>` and waits (it blocks the event loop: never while a server of this process must answer). */
export function redocly(args: readonly string[], { cwd = REPO_ROOT } = {}): RedoclyRun {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...ENV },
  });
  if (result.error) return { code: -1, output: `redocly could not start: ${result.error.message}` };
  return { code: result.status ?? 1, output: clean(`${result.stdout ?? ""}${result.stderr ?? ""}`) };
}

/** Runs `redocly <args>` without blocking (for `respect` against a mock served by this very process). */
export function redoclyAsync(
  args: readonly string[],
  { cwd = REPO_ROOT, timeoutMs = 120_000 } = {},
): Promise<RedoclyRun> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd, encoding: "utf8", timeout: timeoutMs, env: { ...process.env, ...ENV } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        done({ code, output: clean(`${stdout}${stderr}`) });
      },
    );
  });
}

export interface DriftProblem {
  ruleId: string;
  severity: "info" | "warning" | "error";
  message: string;
  method?: string;
  url?: string;
  status?: number;
  occurrences?: number;
}

export interface DriftRun {
  version: string;
  api: string;
  traffic: string;
  exchanges: number;
  documented: number;
  bySeverity: Record<string, number>;
  problems: DriftProblem[];
  coverage: unknown;
}

/**
 * Writes <dir>/<version>.har holding every entry of `files` that belongs to that version: drift takes one
 * description per run, and a paired v1/v2 scenario holds both.
 */
export function splitByVersion(specs: LoadedSpec[], files: string[], dir: string): Map<string, string> {
  mkdirSync(dir, { recursive: true });
  const entries = new Map<string, HarEntry[]>(specs.map((s) => [s.version, []]));
  for (const file of files) {
    for (const entry of readHar(file).log.entries) {
      entries.get(specFor(specs, toExchange(entry)).version)?.push(entry);
    }
  }
  const out = new Map<string, string>();
  for (const [version, list] of entries) {
    const path = join(dir, `${version}.har`);
    writeHar(path, buildHar(list, `all ${version} fixture entries, for redocly drift`));
    out.set(version, path);
  }
  return out;
}

/** The description file drift reads: dist/openapi/vN.yaml when built, else the JSON bundle in use. */
export function driftApi(spec: LoadedSpec): string {
  const yaml = spec.file.replace(/\.json$/, ".yaml");
  return existsSync(yaml) ? yaml : spec.file;
}

export function runDrift(spec: LoadedSpec, traffic: string, outDir: string): DriftRun {
  const report = join(outDir, `drift-${spec.version}.json`);
  const coverage = join(outDir, `drift-coverage-${spec.version}.json`);
  const api = driftApi(spec);
  rmSync(report, { force: true });
  const run = redocly([
    "drift",
    traffic,
    "--api",
    api,
    "--format",
    "json",
    "-o",
    report,
    "--coverage",
    "--coverage-output",
    coverage,
  ]);
  // drift exits 1 when it finds errors; the JSON report is still written and is what counts.
  if (!existsSync(report))
    throw new Error(`redocly drift wrote no report (exit ${run.code}):\n${run.output}`);
  const json = JSON.parse(readFileSync(report, "utf8")) as {
    run: { totalExchanges: number; documentedExchanges: number; findingsBySeverity: Record<string, number> };
    problems: DriftProblem[];
  };
  return {
    version: spec.version,
    api,
    traffic,
    exchanges: json.run.totalExchanges,
    documented: json.run.documentedExchanges,
    bySeverity: json.run.findingsBySeverity,
    problems: json.problems,
    coverage: existsSync(coverage) ? JSON.parse(readFileSync(coverage, "utf8")) : undefined,
  };
}

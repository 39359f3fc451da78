// The one way the drivers run Redocly's CLI (the pinned @redocly/cli of node_modules, by the same path, with the
// same environment and the same clean-up of its output), and `redocly drift` (experimental in @redocly/cli 2.x)
// over the fixtures as an independent second opinion. The shipped hostup-api/contract never runs Redocly.
import { execFile, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { basename, extname, join, resolve } from "node:path";
import { type HarEntry, readHar } from "../src/contract/har.js";
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
  /**
   * The first exchange with this problem (0-based, in the traffic's order). Drift reports a problem once per rule,
   * message, operation and request path; later exchanges with the same one only add to `occurrences`.
   */
  exchangeIndex: number;
  occurrences?: number;
  /** The version whose description documents the exchange (drift's `specSource`); none when undocumented. */
  version?: string;
}

export interface DriftRun {
  /** The folder given to drift as --api: a copy of each version's description, `<version>.yaml` or `.json`. */
  api: string;
  traffic: string;
  exchanges: number;
  documented: number;
  bySeverity: Record<string, number>;
  problems: DriftProblem[];
  coverage: unknown;
}

/** Every entry of the HAR `files`, in order: a paired v1/v2 scenario holds both versions' (drift takes both). */
export function harEntries(files: readonly string[]): HarEntry[] {
  return files.flatMap((file) => readHar(file).log.entries);
}

/** The description file drift reads: dist/openapi/vN.yaml when built, else the JSON bundle in use. */
export function driftApi(spec: LoadedSpec): string {
  const yaml = spec.file.replace(/\.json$/, ".yaml");
  return existsSync(yaml) ? yaml : spec.file;
}

/**
 * `redocly drift --coverage` once over every description in `specs`: given a folder as --api, drift matches each
 * exchange to the description that documents it and names that description in each problem (a process per
 * version cost about 0.7 s of CPU each). The folder holds a copy of each version's description (dist/openapi also
 * holds the JSON bundles, which drift would read as second descriptions of the same operations).
 */
export function runDrift(specs: readonly LoadedSpec[], traffic: string, outDir: string): DriftRun {
  const report = join(outDir, "drift.json");
  const coverage = join(outDir, "drift-coverage.json");
  const api = join(outDir, "drift-api");
  rmSync(api, { recursive: true, force: true });
  mkdirSync(api, { recursive: true });
  for (const spec of specs) {
    const source = driftApi(spec);
    copyFileSync(source, join(api, `${spec.version}${extname(source)}`));
  }
  // each problem's specSource is one of the copies, named after its version
  const versionOf = (source: string) =>
    specs.find((s) => s.version === basename(source, extname(source)))?.version;
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
    problems: (Omit<DriftProblem, "version"> & { specSource?: string })[];
  };
  return {
    api,
    traffic,
    exchanges: json.run.totalExchanges,
    documented: json.run.documentedExchanges,
    bySeverity: json.run.findingsBySeverity,
    problems: json.problems.map(({ specSource, ...problem }) => {
      const version = specSource === undefined ? undefined : versionOf(specSource);
      return version === undefined ? problem : { ...problem, version };
    }),
    coverage: existsSync(coverage) ? JSON.parse(readFileSync(coverage, "utf8")) : undefined,
  };
}

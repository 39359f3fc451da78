// Runs `redocly drift` (experimental in @redocly/cli 2.x) over the fixtures as an independent second
// opinion. drift takes one description per run, so the fixtures' entries are first split by version
// into one HAR per description (a paired v1/v2 scenario holds both).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { specFor } from "./check.js";
import { buildHar, type HarEntry, readHar, type Scenario, toExchange, writeHar } from "./har.js";
import { type LoadedSpec, REPO_ROOT } from "./spec.js";

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

/** Writes <dir>/<version>.har holding every fixture entry that belongs to that version. */
export function splitByVersion(specs: LoadedSpec[], scenarios: Scenario[], dir: string): Map<string, string> {
  mkdirSync(dir, { recursive: true });
  const entries = new Map<string, HarEntry[]>(specs.map((s) => [s.version, []]));
  for (const scenario of scenarios) {
    for (const entry of readHar(scenario.path).log.entries) {
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
  // drift exits 1 when it finds errors; the JSON report is still written and is what counts.
  rmSync(report, { force: true });
  try {
    execFileSync(
      process.execPath,
      [
        join(REPO_ROOT, "node_modules", "@redocly", "cli", "bin", "cli.js"),
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
      ],
      { cwd: REPO_ROOT, stdio: "pipe" },
    );
  } catch (error) {
    if (!existsSync(report)) throw error;
  }
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

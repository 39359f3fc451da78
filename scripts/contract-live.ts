// The live half of `npm run contract` (scripts/contract.ts): the read-only record scenarios run through the client
// against a target (the mock, or HostUp's API), each exchange checked strictly and by `redocly drift`, and the
// Arazzo workflows run with `redocly respect`. test/mock/contract.test.ts runs the same functions against the mock.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import type { DriftFinding } from "../src/contract/findings.js";
import { buildHar, type HarEntry, readHar, toExchange, writeHar } from "../src/contract/har.js";
import { specFor } from "../src/contract/match.js";
import type { LoadedSpec } from "../src/contract/spec.js";
import { validateExchange } from "../src/contract/validate.js";
import { createV1Client, createV2Client } from "../src/index.js";
import { SAMPLE_V2_TOKEN } from "../src/mock/seed.js";
import { DEFAULT_BASE_URL } from "../src/options.js";
import { redactText } from "../src/redact.js";
import { recordingFetch } from "./record.js";
import { RECORD_SCENARIOS } from "./record-scenarios.js";
import { type DriftRun, REPO_ROOT, redoclyAsync, runDrift } from "./redocly.js";

const WORKFLOWS_DIR = join(REPO_ROOT, "openapi", "workflows");

/** A message with each credential replaced (src/redact.ts, as the client's own errors). */
export const redactAll = (text: string, secrets: readonly string[]) =>
  secrets.reduce((out, secret) => (secret.length > 3 ? redactText(out, secret) : out), text);

export interface LiveTarget {
  kind: "mock" | "live";
  baseUrl: string;
  apiKey: string;
  token: string;
  vmid: number;
  vpsId: string;
}

export interface LiveExchange {
  scenario: string;
  entry: HarEntry;
  findings: DriftFinding[];
}

/** Runs the read-only record scenarios through the client against `target`, recording every exchange. */
export async function runReadOnlyScenarios(
  target: LiveTarget,
  log: (line: string) => void = () => {},
): Promise<{ exchanges: { scenario: string; entry: HarEntry }[]; failures: string[] }> {
  const exchanges: { scenario: string; entry: HarEntry }[] = [];
  const failures: string[] = [];
  for (const scenario of RECORD_SCENARIOS.filter((s) => !s.writes)) {
    log(`  ${scenario.name}`);
    const entries: HarEntry[] = [];
    const fetch = recordingFetch(entries, log);
    const common = { baseUrl: target.baseUrl, fetch, retry: false as const };
    try {
      await scenario.run({
        v1: createV1Client({ apiKey: target.apiKey, ...common }),
        v2: createV2Client({ token: target.token, ...common }),
        vmid: target.vmid,
        vpsId: target.vpsId,
        log,
      });
    } catch (error) {
      failures.push(`${scenario.name}: ${redactAll(String(error), [target.apiKey, target.token])}`);
    }
    for (const entry of entries) exchanges.push({ scenario: scenario.name, entry });
  }
  return { exchanges, failures };
}

/** The entry with its URL moved onto the spec's server, so path matching and `redocly drift` see the API path. */
function onSpecOrigin(entry: HarEntry): HarEntry {
  const url = new URL(entry.request.url);
  const moved = new URL(`${url.pathname}${url.search}`, DEFAULT_BASE_URL).toString();
  return { ...entry, request: { ...entry.request, url: moved } };
}

/** A problem `redocly drift` found in the live traffic, at `checked[exchange]`: the first exchange that has it. */
export interface LiveDriftError {
  version: string;
  /** The scenario of that exchange (a record scenario, `mock-writes`, `workflow <file>`); none if out of range. */
  scenario?: string;
  message: string;
  url?: string;
  status?: number;
  exchange: number;
}

/**
 * Strict validation of each exchange, plus `redocly drift` as a second opinion: one run over both versions'
 * exchanges, in the order of `exchanges` (a problem is reported at the first exchange that has it).
 *
 * `judgeAlso` puts further entries into the same drift run (a process less than a run of their own), `before` and
 * `after` the exchanges, as they are. `driftErrors` holds the exchanges' errors only, numbered as in `exchanges`;
 * `drift` is the whole run, numbered from the first `before` entry. A problem is reported once, at the first entry
 * that has it: one of the exchanges that a `before` entry shares is reported there, in `drift` alone.
 */
export function checkLive(
  specs: LoadedSpec[],
  exchanges: { scenario: string; entry: HarEntry }[],
  workDir: string,
  judgeAlso: { before?: HarEntry[]; after?: HarEntry[] } = {},
): { checked: LiveExchange[]; driftErrors: LiveDriftError[]; drift?: DriftRun } {
  const checked = exchanges.map(({ scenario, entry }) => {
    const moved = onSpecOrigin(entry);
    const exchange = toExchange(moved);
    return { scenario, entry: moved, findings: validateExchange(specFor(specs, exchange), exchange) };
  });
  const driftErrors: LiveDriftError[] = [];
  const { before = [], after = [] } = judgeAlso;
  if (checked.length + before.length + after.length === 0) return { checked, driftErrors };
  mkdirSync(workDir, { recursive: true });
  const traffic = join(workDir, "live.har");
  writeHar(
    traffic,
    buildHar([...before, ...checked.map((c) => c.entry), ...after], "npm run contract: live exchanges"),
  );
  const drift = runDrift(specs, traffic, workDir);
  for (const p of drift.problems) {
    // `x-api-key` is reported as an undocumented header although it is the v1 security scheme's header:
    // a known false positive of the experimental drift command (info severity; see test/contract/redocly-drift.test.ts).
    if (p.severity !== "error") continue;
    const index = p.exchangeIndex - before.length;
    if (index < 0 || index >= checked.length) continue;
    const at = checked[index];
    driftErrors.push({
      version: at ? specFor(specs, toExchange(at.entry)).version : (p.version ?? "none"),
      ...(at ? { scenario: at.scenario } : {}),
      message: `${p.ruleId}: ${p.message}`,
      ...(p.url ? { url: p.url } : {}),
      ...(p.status ? { status: p.status } : {}),
      exchange: index,
    });
  }
  return { checked, driftErrors, drift };
}

export interface WorkflowRun {
  /** The workflow file's name. */
  file: string;
  ok: boolean;
  output: string;
  /** The exchanges of the run (`redocly respect --har-output`), when a HAR directory was given. */
  entries: HarEntry[];
  /** The ids of the file's steps that did not pass, from respect's JSON report (without a HAR directory). */
  failedSteps?: string[];
}

/** What `redocly respect --json-output` writes: per workflow file, each workflow run, its steps and their status. */
interface RespectReport {
  files?: Record<
    string,
    {
      executedWorkflows?: {
        workflowId?: string;
        status?: string;
        executedSteps?: { stepId?: string; status?: string }[];
      }[];
    }
  >;
}

/**
 * Runs every Arazzo workflow with `redocly respect` against `baseUrl`. Asynchronous on purpose: the mock may be
 * serving from this very process, and a blocking spawn would starve it. Without `harDir` all the files run in one
 * process, each file's verdict read from respect's JSON report (a process per file cost about a second of CPU
 * each); respect writes a HAR for one file at a time only, so with `harDir` it runs once per file.
 *
 * `files` are names in openapi/workflows, or paths of workflow files elsewhere (their names must differ: the
 * verdicts are keyed by name). `servers` sends further source descriptions, by name, to servers of their own
 * (`v1` and `v2` go to `baseUrl`).
 */
export async function runWorkflows(
  baseUrl: string,
  inputs: Record<string, string>,
  files = readdirSync(WORKFLOWS_DIR)
    .filter((f) => f.endsWith(".arazzo.yaml"))
    .sort(),
  harDir?: string,
  servers: Record<string, string> = {},
): Promise<WorkflowRun[]> {
  const args = (paths: string[]) => {
    const list = [
      "respect",
      ...paths.map((file) => resolve(WORKFLOWS_DIR, file)),
      "--server",
      `v2=${baseUrl}`,
      // the lifecycle workflows poll v2 operations on the v1 jobs route, at the same host
      "--server",
      `v1=${baseUrl}`,
      ...Object.entries(servers).flatMap(([name, url]) => ["--server", `${name}=${url}`]),
      "--max-fetch-timeout",
      "10000",
    ];
    for (const [name, value] of Object.entries(inputs)) list.push("--input", `${name}=${value}`);
    return list;
  };
  const secrets = Object.values(inputs);
  if (!harDir) {
    const scratch = mkdtempSync(join(tmpdir(), "hostup-respect-"));
    try {
      const report = join(scratch, "respect.json");
      const result = await redoclyAsync([...args(files), "--json-output", report]);
      const output = redactAll(result.output, secrets);
      const parsed: RespectReport = existsSync(report) ? JSON.parse(readFileSync(report, "utf8")) : {};
      const byFile = new Map(Object.entries(parsed.files ?? {}).map(([path, r]) => [basename(path), r]));
      return files.map((file) => {
        const workflows = byFile.get(basename(file))?.executedWorkflows ?? [];
        // a file respect did not report on (it stopped before it) has not passed
        const ok = workflows.length > 0 && workflows.every((w) => w.status === "success");
        const failedSteps = new Set(
          workflows.flatMap((w) =>
            (w.executedSteps ?? []).filter((s) => s.status !== "success").map((s) => s.stepId ?? "?"),
          ),
        );
        return { file: basename(file), ok, output, entries: [], failedSteps: [...failedSteps] };
      });
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  const runs: WorkflowRun[] = [];
  mkdirSync(harDir, { recursive: true });
  for (const file of files) {
    const har = join(harDir, `${basename(file)}.har`);
    const result = await redoclyAsync([...args([file]), "--har-output", har]);
    runs.push({
      file: basename(file),
      ok: result.code === 0,
      output: redactAll(result.output, secrets),
      entries: existsSync(har) ? readHar(har).log.entries : [],
    });
  }
  return runs;
}

/** The default inputs of the workflows against the mock's default seed. */
export const MOCK_WORKFLOW_INPUTS = { token: SAMPLE_V2_TOKEN, vpsName: "web-1", noCapacityVpsName: "db-1" };

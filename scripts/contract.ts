// `npm run contract`: the job a user runs in CI to know that the spec, the fixtures and a live API agree.
//   1. fixtures   every recorded exchange in test/fixtures validates against the spec, bundled afresh from
//                 openapi/ first (never a stale dist/openapi left by an earlier `npm run generate`) (strict)
//   2. live       the read-only record scenarios run against a live target -- the real API when
//                 HOSTUP_API_KEY / HOSTUP_TOKEN are set, otherwise the embedded mock, started and stopped here --
//                 and every exchange is checked strictly and by `redocly drift`
//   3. workflows  the Arazzo workflows (openapi/workflows/*.arazzo.yaml) run with `redocly respect`; they write,
//                 so against the real API they run only with --allow-writes
// It ends with a table: operation, status, fixture, live result, drift found. Exit 1 on any drift or failure.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { computeCoverage } from "../src/contract/coverage.js";
import type { DriftFinding } from "../src/contract/findings.js";
import { formatFindings } from "../src/contract/findings.js";
import { buildHar, type HarEntry, readHar, toExchange, writeHar } from "../src/contract/har.js";
import { matchOperation, specFor } from "../src/contract/match.js";
import { checkExchanges, exchangesOf, readRecordings } from "../src/contract/recordings.js";
import type { LoadedSpec } from "../src/contract/spec.js";
import { validateExchange } from "../src/contract/validate.js";
import { createV1Client, createV2Client } from "../src/index.js";
import { startMockServer } from "../src/mock/index.js";
import { DEFAULT_VMS, SAMPLE_V1_KEY, SAMPLE_V2_TOKEN } from "../src/mock/seed.js";
import { DEFAULT_BASE_URL } from "../src/options.js";
import { redactText } from "../src/redact.js";
import { runMockWrites } from "./contract-mock-writes.js";
import { corpus, FIXTURES_DIR } from "./fixture-corpus.js";
import { coverageTotals, sourcesCell } from "./fixture-provenance.js";
import { loadFreshSpecs } from "./fresh-specs.js";
import { recordingFetch } from "./record.js";
import { RECORD_SCENARIOS } from "./record-scenarios.js";
import { REPO_ROOT, redoclyAsync, runDrift } from "./redocly.js";
import { runMain } from "./run-main.js";

const WORKFLOWS_DIR = join(REPO_ROOT, "openapi", "workflows");

/** A message with each credential replaced (src/redact.ts, as the client's own errors). */
const redactAll = (text: string, secrets: readonly string[]) =>
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

/** Strict validation of each exchange, plus `redocly drift` per version as a second opinion. */
export function checkLive(
  specs: LoadedSpec[],
  exchanges: { scenario: string; entry: HarEntry }[],
  workDir: string,
): {
  checked: LiveExchange[];
  driftErrors: { version: string; message: string; url?: string; status?: number }[];
} {
  const checked = exchanges.map(({ scenario, entry }) => {
    const moved = onSpecOrigin(entry);
    const exchange = toExchange(moved);
    return { scenario, entry: moved, findings: validateExchange(specFor(specs, exchange), exchange) };
  });
  const driftErrors: { version: string; message: string; url?: string; status?: number }[] = [];
  mkdirSync(workDir, { recursive: true });
  for (const spec of specs) {
    const mine = checked.filter((c) => specFor(specs, toExchange(c.entry)).version === spec.version);
    if (mine.length === 0) continue;
    const traffic = join(workDir, `live-${spec.version}.har`);
    writeHar(
      traffic,
      buildHar(
        mine.map((c) => c.entry),
        `npm run contract: live ${spec.version} exchanges`,
      ),
    );
    const run = runDrift(spec, traffic, workDir);
    for (const p of run.problems) {
      // `x-api-key` is reported as an undocumented header although it is the v1 security scheme's header:
      // a known false positive of the experimental drift command (info severity; see test/contract/redocly-drift.test.ts).
      if (p.severity !== "error") continue;
      driftErrors.push({
        version: spec.version,
        message: `${p.ruleId}: ${p.message}`,
        ...(p.url ? { url: p.url } : {}),
        ...(p.status ? { status: p.status } : {}),
      });
    }
  }
  return { checked, driftErrors };
}

export interface WorkflowRun {
  file: string;
  ok: boolean;
  output: string;
  /** The exchanges of the run (`redocly respect --har-output`), when a HAR directory was given. */
  entries: HarEntry[];
}

/** What `redocly respect --json-output` writes: per workflow file, each workflow run and its status. */
interface RespectReport {
  files?: Record<string, { executedWorkflows?: { workflowId?: string; status?: string }[] }>;
}

/**
 * Runs every Arazzo workflow with `redocly respect` against `baseUrl`. Asynchronous on purpose: the mock may be
 * serving from this very process, and a blocking spawn would starve it. Without `harDir` all the files run in one
 * process, each file's verdict read from respect's JSON report (a process per file cost about a second of CPU
 * each); respect writes a HAR for one file at a time only, so with `harDir` it runs once per file.
 */
export async function runWorkflows(
  baseUrl: string,
  inputs: Record<string, string>,
  files = readdirSync(WORKFLOWS_DIR)
    .filter((f) => f.endsWith(".arazzo.yaml"))
    .sort(),
  harDir?: string,
): Promise<WorkflowRun[]> {
  const args = (paths: string[]) => {
    const list = [
      "respect",
      ...paths.map((file) => join(WORKFLOWS_DIR, file)),
      "--server",
      `v2=${baseUrl}`,
      // the lifecycle workflows poll v2 operations on the v1 jobs route, at the same host
      "--server",
      `v1=${baseUrl}`,
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
        const workflows = byFile.get(file)?.executedWorkflows ?? [];
        // a file respect did not report on (it stopped before it) has not passed
        const ok = workflows.length > 0 && workflows.every((w) => w.status === "success");
        return { file, ok, output, entries: [] };
      });
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  const runs: WorkflowRun[] = [];
  mkdirSync(harDir, { recursive: true });
  for (const file of files) {
    const har = join(harDir, `${file}.har`);
    const result = await redoclyAsync([...args([file]), "--har-output", har]);
    runs.push({
      file,
      ok: result.code === 0,
      output: redactAll(result.output, secrets),
      entries: existsSync(har) ? readHar(har).log.entries : [],
    });
  }
  return runs;
}

/** The default inputs of the workflows against the mock's default seed. */
export const MOCK_WORKFLOW_INPUTS = { token: SAMPLE_V2_TOKEN, vpsName: "web-1", noCapacityVpsName: "db-1" };

interface TableRow {
  operation: string;
  status: string;
  fixture: string;
  source: string;
  live: string;
  drift: string;
}

function formatTable(rows: TableRow[]): string {
  const header: TableRow = {
    operation: "operation",
    status: "status",
    fixture: "fixture",
    source: "fixture source",
    live: "live result",
    drift: "drift found",
  };
  const keys = Object.keys(header) as (keyof TableRow)[];
  const widths = keys.map((k) => Math.max(header[k].length, ...rows.map((r) => r[k].length)));
  const line = (r: TableRow) => `| ${keys.map((k, i) => r[k].padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

function targetFromEnv(env: Record<string, string | undefined>): LiveTarget | string | undefined {
  if (!env.HOSTUP_API_KEY && !env.HOSTUP_TOKEN) return undefined;
  const missing = ["HOSTUP_API_KEY", "HOSTUP_TOKEN", "HOSTUP_VMID", "HOSTUP_VPS_ID"].filter((k) => !env[k]);
  if (missing.length)
    return `credentials are set, but ${missing.join(", ")} ${missing.length > 1 ? "are" : "is"} not`;
  const vmid = Number(env.HOSTUP_VMID);
  if (!Number.isInteger(vmid) || vmid < 1) return "HOSTUP_VMID must be a positive integer";
  return {
    kind: "live",
    baseUrl: env.HOSTUP_BASE_URL || DEFAULT_BASE_URL,
    apiKey: env.HOSTUP_API_KEY as string,
    token: env.HOSTUP_TOKEN as string,
    vmid,
    vpsId: env.HOSTUP_VPS_ID as string,
  };
}

export async function runContract(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const allowWrites = argv.includes("--allow-writes");
  let failed = false;
  // Bundle the spec as it is now: a dist/openapi left by an earlier `npm run generate` may be stale.
  const specs = loadFreshSpecs();

  console.log(
    "▶ fixtures: every exchange in test/fixtures (examples/, recorded/) against the bundled spec (strict)",
  );
  const scenarios = corpus();
  const { exchanges: fixtureExchanges } = exchangesOf(readRecordings(scenarios.map((s) => s.path)));
  const fixtureFindings = checkExchanges(specs, fixtureExchanges);
  const coverage = computeCoverage(specs, fixtureExchanges);
  if (fixtureFindings.length) {
    failed = true;
    console.log(
      fixtureFindings
        .map((f) => formatFindings([f], `${fixtureName(f.file)}, entry #${f.entry}`))
        .join("\n\n"),
    );
  }
  for (const u of coverage.unmatched) {
    failed = true;
    console.log(
      `  ${fixtureName(u.file)} entry #${u.entry}: ${u.request} -> ${u.status} matches no documented operation and status`,
    );
  }
  console.log(`  ${scenarios.length} fixtures, ${fixtureFindings.length} finding(s)`);

  const fromEnv = targetFromEnv(env);
  if (typeof fromEnv === "string") {
    console.error(
      `✘ ${fromEnv}. Set all four (and HOSTUP_BASE_URL if not ${DEFAULT_BASE_URL}), or none for the mock.`,
    );
    return 2;
  }
  const mock = fromEnv ? undefined : await startMockServer();
  const target: LiveTarget = fromEnv ?? {
    kind: "mock",
    baseUrl: (mock as { url: string }).url,
    apiKey: SAMPLE_V1_KEY,
    token: SAMPLE_V2_TOKEN,
    vmid: DEFAULT_VMS.web.vmid,
    vpsId: DEFAULT_VMS.web.vpsId,
  };
  const workDir = mkdtempSync(join(tmpdir(), "hostup-contract-"));
  try {
    console.log(
      target.kind === "mock"
        ? `▶ live: read-only scenarios against the embedded mock at ${target.baseUrl} (no HOSTUP_API_KEY / HOSTUP_TOKEN)`
        : `▶ live: read-only scenarios against ${target.baseUrl}`,
    );
    const { exchanges, failures } = await runReadOnlyScenarios(target, (l) => console.log(`  ${l}`));
    for (const f of failures) {
      failed = true;
      console.log(`  ✘ ${f}`);
    }
    if (target.kind === "mock") {
      // the mock is ours: the writes no scenario or workflow sends run here, after the reads
      console.log("  mock-writes (the mock only: every write no scenario or workflow sends)");
      const entries: HarEntry[] = [];
      const common = {
        baseUrl: target.baseUrl,
        fetch: recordingFetch(entries, (l) => console.log(`  ${l}`)),
        retry: false as const,
      };
      try {
        await runMockWrites({
          v1: createV1Client({ apiKey: target.apiKey, ...common }),
          v2: createV2Client({ token: target.token, ...common }),
          vmid: target.vmid,
          vpsId: target.vpsId,
        });
      } catch (error) {
        failed = true;
        console.log(`  ✘ mock-writes: ${redactAll(String(error), [target.apiKey, target.token])}`);
      }
      for (const entry of entries) exchanges.push({ scenario: "mock-writes", entry });
    }
    const { checked, driftErrors } = checkLive(specs, exchanges, workDir);
    for (const c of checked) {
      if (c.findings.length) {
        failed = true;
        console.log(formatFindings(c.findings, `live ${c.scenario}`));
      }
    }
    for (const d of driftErrors) {
      failed = true;
      console.log(`  ✘ redocly drift (${d.version}) ${d.url ?? ""} ${d.status ?? ""}: ${d.message}`);
    }
    console.log(
      `  ${checked.length} exchanges, ${checked.reduce((n, c) => n + c.findings.length, 0)} finding(s), redocly drift: ${driftErrors.length} error(s)`,
    );

    let workflowSummary: string;
    if (target.kind === "mock" || allowWrites) {
      console.log(`▶ workflows: redocly respect openapi/workflows/*.arazzo.yaml against ${target.baseUrl}`);
      const inputs =
        target.kind === "mock"
          ? MOCK_WORKFLOW_INPUTS
          : {
              token: target.token,
              vpsName: env.HOSTUP_VPS_NAME ?? "",
              noCapacityVpsName: env.HOSTUP_NO_SNAPSHOT_VPS_NAME ?? "",
            };
      const runs = await runWorkflows(target.baseUrl, inputs, undefined, join(workDir, "workflows"));
      for (const run of runs) {
        console.log(`  ${run.ok ? "✔" : "✘"} ${run.file}`);
        if (!run.ok) {
          failed = true;
          console.log(run.output.trim().split("\n").slice(-60).join("\n"));
        }
      }
      // the workflows' own traffic, checked as the scenarios' is (strictly and by drift), counts in the table too
      const traffic = runs.flatMap((r) =>
        r.entries.map((entry) => ({ scenario: `workflow ${r.file}`, entry })),
      );
      const flows = checkLive(specs, traffic, join(workDir, "workflow-drift"));
      for (const c of flows.checked) {
        if (c.findings.length) {
          failed = true;
          console.log(formatFindings(c.findings, c.scenario));
        }
      }
      for (const d of flows.driftErrors) {
        failed = true;
        console.log(`  ✘ redocly drift (${d.version}) ${d.url ?? ""} ${d.status ?? ""}: ${d.message}`);
      }
      checked.push(...flows.checked);
      driftErrors.push(...flows.driftErrors);
      console.log(
        `  ${flows.checked.length} workflow exchanges, ${flows.checked.reduce((n, c) => n + c.findings.length, 0)} finding(s), redocly drift: ${flows.driftErrors.length} error(s)`,
      );
      workflowSummary = `${runs.filter((r) => r.ok).length}/${runs.length} Arazzo workflow files passed`;
    } else {
      workflowSummary =
        "Arazzo workflows skipped: they write, and the target is the real API (pass --allow-writes)";
      console.log(`▶ workflows: ${workflowSummary}`);
    }

    const rows: TableRow[] = coverage.rows.map((row) => {
      const fixtures = [...new Set(row.hits.map((h) => fixtureName(h.file)))];
      const spec = specs.find((s) => s.version === row.version) as LoadedSpec;
      const mine = checked.filter((c) => {
        const x = toExchange(c.entry);
        const m = matchOperation(spec, x.method, x.url);
        return (
          m?.operationId === row.operationId && specFor(specs, x) === spec && String(x.status) === row.status
        );
      });
      const driftHere = driftErrors.filter(
        (d) =>
          d.version === row.version &&
          mine.some((c) => c.entry.request.url === d.url && (!d.status || String(d.status) === row.status)),
      );
      const findings = mine.reduce((n, c) => n + c.findings.length, 0) + driftHere.length;
      return {
        operation: `${row.version} ${row.operationId}`,
        status: row.status,
        fixture: fixtures[0]
          ? `${fixtures[0]}${fixtures.length > 1 ? ` (+${fixtures.length - 1})` : ""}`
          : "MISSING",
        source: sourcesCell(row),
        live: mine.length ? `${row.status} x${mine.length}` : "-",
        drift: mine.length ? (findings ? `${findings} finding(s)` : "none") : "-",
      };
    });
    console.log(`\n${formatTable(rows)}\n`);
    const operations = new Set(rows.map((r) => r.operation));
    const exercised = new Set(rows.filter((r) => r.live !== "-").map((r) => r.operation));
    const untouched = [...operations].filter((o) => !exercised.has(o));
    console.log(
      `${operations.size} operations (${rows.length} operation × status pairs), every one with fixtures; ` +
        `${exercised.size} exercised against the ${target.kind === "mock" ? "mock" : "target"} by the read-only scenarios${target.kind === "mock" ? ", the mock-only writes" : ""} and the workflows` +
        (untouched.length ? ` (not: ${untouched.join(", ")})` : ""),
    );
    const t = coverageTotals(coverage);
    console.log(
      `fixture sources (best per pair): ${t.live} live recording, ${t.page} reference page's own example, ` +
        `${t.local} recording of a local stand-in, ${t.spec} only the spec's own examples (not shown on any page)`,
    );
    console.log(
      `live target: ${target.kind === "mock" ? "embedded mock" : target.baseUrl}; ${workflowSummary}`,
    );
    console.log(failed ? "✘ contract: drift or failures found (see above)" : "✔ contract: no drift");
    return failed ? 1 : 0;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
    await mock?.close();
  }
}

/** "examples/v2-list-vps-paged" for test/fixtures/examples/v2-list-vps-paged/recording.har. */
function fixtureName(file: string): string {
  return file.slice(FIXTURES_DIR.length + 1).replace(/\/recording\.har$/, "");
}

runMain(import.meta.url, (argv) => runContract(argv, process.env));

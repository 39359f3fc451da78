// `npm run contract`: the job a user runs in CI to know that the spec, the fixtures and a live API agree.
//   1. fixtures   every recorded exchange in test/fixtures validates against the spec, bundled afresh from
//                 openapi/ first (never a stale dist/openapi left by an earlier `npm run generate`) (strict)
//   2. live       the read-only record scenarios run against a live target -- the real API when
//                 HOSTUP_API_KEY / HOSTUP_TOKEN are set, otherwise the embedded mock, started and stopped here --
//                 and every exchange is checked strictly and by `redocly drift`
//   3. workflows  the Arazzo workflows (openapi/workflows/*.arazzo.yaml) run with `redocly respect`; they write,
//                 so against the real API they run only with --allow-writes
// It ends with a table: operation, status, fixture, live result, drift found. Exit 1 on any drift or failure.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { computeCoverage } from "../src/contract/coverage.js";
import { formatFindings } from "../src/contract/findings.js";
import { type HarEntry, toExchange } from "../src/contract/har.js";
import { matchOperation, specFor } from "../src/contract/match.js";
import { checkExchanges, exchangesOf, readRecordings } from "../src/contract/recordings.js";
import type { LoadedSpec } from "../src/contract/spec.js";
import { createV1Client, createV2Client } from "../src/index.js";
import { startMockServer } from "../src/mock/index.js";
import { DEFAULT_VMS, SAMPLE_V1_KEY, SAMPLE_V2_TOKEN } from "../src/mock/seed.js";
import { DEFAULT_BASE_URL } from "../src/options.js";
import {
  checkLive,
  type LiveDriftError,
  type LiveTarget,
  MOCK_WORKFLOW_INPUTS,
  redactAll,
  runReadOnlyScenarios,
  runWorkflows,
} from "./contract-live.js";
import { runMockWrites } from "./contract-mock-writes.js";
import { corpus, FIXTURES_DIR } from "./fixture-corpus.js";
import { coverageTotals, sourcesCell } from "./fixture-provenance.js";
import { loadFreshSpecs } from "./fresh-specs.js";
import { recordingFetch } from "./record.js";
import { runMain } from "./run-main.js";

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
  const specs = await loadFreshSpecs();

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
      console.log(formatDriftError(d));
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
        console.log(formatDriftError(d));
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

/** One drift error as the run prints it: the version, the scenario of the exchange, its URL and status, the problem. */
export function formatDriftError(d: LiveDriftError): string {
  const where = d.scenario ? `${d.version}, ${d.scenario}` : d.version;
  return `  ✘ redocly drift (${where}) ${d.url ?? ""} ${d.status ?? ""}: ${d.message}`;
}

runMain(import.meta.url, (argv) => runContract(argv, process.env));

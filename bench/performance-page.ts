// docs/performance.md is rendered from bench/results.json, never written by hand: every figure on the page comes
// from the last saved run. `npm run bench -- --save` saves a run and renders the page; test/docs/performance-page
// fails when the committed page is not what the committed results render to.
//
//   tsx bench/performance-page.ts            render docs/performance.md from bench/results.json
//   tsx bench/performance-page.ts --check    exit 1 when docs/performance.md is stale
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { formatRatio, formatValue, type Goal, type GroupResult, markdownTable } from "./harness.js";

export interface BenchMeta {
  date: string;
  commit?: string;
  node: string;
  cpu: string;
  cores: number;
  totalSeconds: number;
  /** The machine's 1-minute load average when the run began and ended (other work stretches wall-clock rows). */
  loadAverage?: { start: number; end: number };
}

/** The shape of bench/results.json. */
export interface BenchResults {
  meta: BenchMeta;
  groups: Record<string, GroupResult & { seconds: number; title: string }>;
  goals: Goal[];
}

const root = resolve(import.meta.dirname, "..");
export const RESULTS_FILE = join(root, "bench", "results.json");
export const PAGE_FILE = join(root, "docs", "performance.md");

const INTRO = `# Performance

<!-- Rendered from bench/results.json by bench/performance-page.ts (npm run bench -- --save). Do not edit: a test
     compares this page with the results it is rendered from. -->

\`npm run bench\` measures what the client costs over bare \`fetch\` and bare openapi-fetch, how big an app gets,
how long regeneration and the maintainer's commands (\`npm run generate\`, \`npm test\`) take, and how the
contract checks and the mock scale. It prints its tables and leaves the working tree as it was;
\`npm run bench -- --save\` also writes \`bench/results.json\` and renders this page from it.
\`npm run bench -- --only=per-call,size\` or \`--skip=loop\` runs a subset (never saved). Nothing here is asserted
by \`npm test\`: the figures depend on the machine.

Every comparison runs both sides interleaved round by round (the order rotated each round), in the same process
after warm-up rounds where the sides are functions, as whole processes where they are commands. Figures are
medians over rounds with their p25–p75; ratios are paired per round, then their median is taken. No network is
involved: the round trips go to a server on 127.0.0.1.`;

const READING = `## Reading the figures

- **Per call.** Each call of the client gets its own per-attempt \`AbortSignal\`: it carries \`timeoutMs\` and the
  caller's \`signal\`. The row "bare openapi-fetch v2 + timeout signal" is openapi-fetch with the same signal and
  nothing else, so the note on "wrapper v2" (the wrapper against that row) is what the wrapper's own code costs.
- **Loopback.** openapi-fetch builds a \`Request\` and calls \`fetch(request)\`, and Node's fetch then builds a second
  \`Request\` from it; the rows against raw \`fetch\` include that. p99 is dominated by GC pauses and timer
  scheduling on both sides and moves from run to run: read p50.
- **Validation.** Two real clients, the default one and one with \`validateRequests: false\`; path parameters are
  checked in both.
- **Size.** esbuild bundles of small apps, minified and gzipped, with the largest inputs from the metafile. The
  "validators stubbed out" row shows what the spec-compiled request validators cost. The mock and the contract
  validators (Ajv) are separate entry points; a goal checks that no app bundle pulls them in.
- **Regeneration.** The phases of \`scripts/generate.ts\`, one at a time, into a scratch directory: what each
  costs. \`npm run generate\` runs them side by side once the bundle is made; its own time is in the next group.
- **Maintainer loop.** \`npm run generate\`, \`generate:check\` and \`npm test\` as whole processes, from spawn to
  exit, each in a scratch copy of the working tree and of the baseline commit (the project before the loop was
  made faster), the rounds alternating between the two. A test run includes what its tests start (npm,
  compilers, Redocly, Chromium). On a machine busy with other work every wall-clock figure stretches; the ratio
  to the baseline, measured in the same rounds, holds better. The compiler rows time TypeScript 5.9 and 7 on
  the project's own check and build.
- **Contract checks.** The first row includes compiling the schemas, once per process. Ten entries look cheaper
  per entry only because a ten-entry HAR is parsed many times from a tiny string.
- **The mock.** The load generator shares the process and the cores with the server, so these are lower bounds,
  and more concurrent clients do not add throughput.`;

function runTable(meta: BenchMeta): string {
  return markdownTable(
    ["run", ""],
    [
      ["machine", `${meta.cores} cores, ${meta.cpu}`],
      ["Node", meta.node],
      ["commit measured", meta.commit ?? "unknown"],
      ["date", meta.date.slice(0, 10)],
      ["duration of the run", `${meta.totalSeconds.toFixed(1)} s`],
      ...(meta.loadAverage
        ? [
            [
              "load average (1 min) at start / end",
              `${meta.loadAverage.start.toFixed(2)} / ${meta.loadAverage.end.toFixed(2)}`,
            ],
          ]
        : []),
    ],
  );
}

function goalTable(goals: Goal[]): string {
  return markdownTable(
    ["goal", "target", "this run", "met"],
    goals.map((goal) => [
      goal.name,
      goal.target,
      goal.why ? `${goal.actual}; ${goal.why}` : goal.actual,
      goal.met === null ? "n/a" : goal.met ? "met" : "NOT MET",
    ]),
  );
}

/** The page, from a run's results. Pure: the same results always give the same text. */
export function renderPerformancePage(results: BenchResults): string {
  const sections = [INTRO, runTable(results.meta)];
  if (results.goals.length) sections.push(`## Goals\n\n${goalTable(results.goals)}`);
  for (const group of Object.values(results.groups)) {
    const heading = `## ${group.title[0]?.toUpperCase() ?? ""}${group.title.slice(1)}`;
    if (group.skipped) {
      sections.push(`${heading}\n\nNot measured in this run: ${group.skipped}`);
      continue;
    }
    const table = markdownTable(
      ["row", "median (spread)", "ratio (p25–p75)", "note"],
      group.rows.map((row) => [row.name, formatValue(row), formatRatio(row), row.note ?? ""]),
    );
    sections.push(`${heading}\n\n${table}`);
  }
  sections.push(READING);
  return `${sections.join("\n\n")}\n`;
}

export function readResults(file = RESULTS_FILE): BenchResults {
  return JSON.parse(readFileSync(file, "utf8")) as BenchResults;
}

/** Writes docs/performance.md from bench/results.json. */
export function writePerformancePage(): void {
  writeFileSync(PAGE_FILE, renderPerformancePage(readResults()));
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  if (process.argv.includes("--check")) {
    const current = readFileSync(PAGE_FILE, "utf8");
    if (current !== renderPerformancePage(readResults())) {
      console.error(
        "docs/performance.md is stale: run `tsx bench/performance-page.ts` (or npm run bench -- --save)",
      );
      process.exitCode = 1;
    } else console.log("docs/performance.md matches bench/results.json");
  } else {
    writePerformancePage();
    console.log("Wrote docs/performance.md");
  }
}

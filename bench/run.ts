// `npm run bench`: what the client costs over bare fetch, how big it is, how fast regeneration and contract
// checks run and how they scale. Prints a Markdown table and the goals (met / not met) and leaves the working
// tree as it was. Nothing here is asserted by `npm test`: figures depend on the machine.
//
//   npm run bench                      every group, printed only
//   npm run bench -- --save            every group, and write bench/results.json and docs/performance.md
//   npm run bench -- --only=per-call,size
//   npm run bench -- --skip=regeneration
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { relative } from "node:path";
import { ROOT } from "./fixture-bodies.js";
import { formatRatio, formatValue, type Goal, type GroupResult, markdownTable, type Row } from "./harness.js";
import { type BenchResults, PAGE_FILE, RESULTS_FILE, writePerformancePage } from "./performance-page.js";

interface Group {
  id: string;
  title: string;
  run: () => Promise<GroupResult>;
}

const groups: Group[] = [
  {
    id: "per-call",
    title: "per-call overhead (fetch stub answering a fixture body from memory)",
    run: async () => (await import("./per-call.js")).perCall({ rounds: 10, iterations: 1000 }),
  },
  {
    id: "loopback",
    title: "real round trip (node:http on 127.0.0.1)",
    run: async () => (await import("./loopback.js")).loopback({ rounds: 10, iterations: 300 }),
  },
  {
    id: "validation",
    title: "local request validation on / off",
    run: async () => (await import("./per-call.js")).validation({ rounds: 10, iterations: 1000 }),
  },
  {
    id: "size",
    title: "package size (esbuild, minified + gzip)",
    run: async () => (await import("./size.js")).packageSize(),
  },
  {
    id: "regeneration",
    title: "regeneration (phases of npm run generate)",
    run: async () => (await import("./regeneration.js")).regeneration(),
  },
  {
    id: "contract",
    title: "contract checks (fixture validation, synthetic copies of the corpus)",
    run: async () => (await import("./contract.js")).contractChecks({ rounds: 6, minEntriesPerSample: 1000 }),
  },
  {
    id: "mock",
    title: "the mock (requests/s on loopback)",
    run: async () => (await import("./mock.js")).mockThroughput({ rounds: 4, requestsPerRound: 1500 }),
  },
  {
    id: "loop",
    title: "maintainer loop (whole commands, beside the baseline commit)",
    run: async () =>
      (await import("./loop.js")).maintainerLoop({ generateRounds: 3, testRounds: 3, compilerRounds: 3 }),
  },
];

function listArg(name: string): string[] | undefined {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? arg.slice(name.length + 3).split(",") : undefined;
}

function gitCommit(): string | undefined {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const save = process.argv.includes("--save");
  const only = listArg("only");
  const skip = listArg("skip") ?? [];
  const selected = groups.filter((g) => (!only || only.includes(g.id)) && !skip.includes(g.id));
  const started = performance.now();
  const loadAtStart = loadavg()[0] ?? 0;
  const results: Record<string, GroupResult & { seconds: number; title: string }> = {};
  for (const group of selected) {
    process.stdout.write(`▶ ${group.title} ... `);
    const t0 = performance.now();
    let result: GroupResult;
    try {
      result = await group.run();
    } catch (error) {
      // A piece that has not landed (or broke) must not hide the other rows; it is printed and recorded.
      const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
      result = { rows: [], skipped: message ?? "failed" };
      process.exitCode = 1;
    }
    const seconds = (performance.now() - t0) / 1000;
    results[group.id] = { ...result, seconds, title: group.title };
    console.log(result.skipped ? `FAILED (${result.skipped})` : `${seconds.toFixed(1)} s`);
  }
  const totalSeconds = (performance.now() - started) / 1000;

  const rows: Row[] = Object.values(results).flatMap((r) => r.rows);
  const goals: Goal[] = Object.values(results).flatMap((r) => r.goals ?? []);
  const table = markdownTable(
    ["group", "row", "median (spread)", "ratio (p25–p75)", "note"],
    rows.map((row) => [row.group, row.name, formatValue(row), formatRatio(row), row.note ?? ""]),
  );
  const goalTable = markdownTable(
    ["goal", "target", "this run", "met"],
    goals.map((g) => [
      g.name,
      g.target,
      g.why ? `${g.actual}; ${g.why}` : g.actual,
      g.met === null ? "n/a" : g.met ? "met" : "NOT MET",
    ]),
  );
  const meta = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    node: process.version,
    cpu: cpus()[0]?.model ?? "unknown",
    cores: availableParallelism(),
    totalSeconds,
    loadAverage: { start: loadAtStart, end: loadavg()[0] ?? 0 },
  };
  console.log(`\n${table}\n\n${goalTable}\n`);
  const failed = Object.entries(results).filter(([, r]) => r.skipped);
  for (const [id, r] of failed) console.log(`✘ ${id}: ${r.skipped}`);
  console.log(
    `Total ${totalSeconds.toFixed(1)} s on ${meta.cores} cores (${meta.cpu}), Node ${meta.node}${meta.commit ? `, commit ${meta.commit}` : ""}.`,
  );
  // Only a full run asked to be saved replaces the record docs/performance.md is rendered from.
  if (!save) {
    console.log(
      "Not saved (the tree is left as it was): npm run bench -- --save writes the results and the page.",
    );
  } else if (selected.length !== groups.length) {
    console.log("Partial run: not saved; bench/results.json and docs/performance.md left as they were.");
  } else {
    const record: BenchResults = { meta, groups: results, goals };
    writeFileSync(RESULTS_FILE, `${JSON.stringify(record, null, 2)}\n`);
    writePerformancePage();
    console.log(`Wrote ${relative(ROOT, RESULTS_FILE)} and ${relative(ROOT, PAGE_FILE)}`);
  }
}

await main();

// Rows "maintainer loop": `npm run generate`, `npm run generate:check` and `npm test` timed as whole processes
// (wall clock, from spawn to exit), beside the same commands of the baseline commit (the project before the
// faster loop: one process per Redocly and openapi-typescript step, TypeScript 5.9 for the checks and the build,
// one vitest worker). Each side runs in a scratch copy of its tree with the project's node_modules linked in, so
// the bench never writes into the working tree; the rounds alternate between the sides and rotate their order.
// `npm test` also runs on Node 24, the current LTS line, beside the machine's own Node (the package `node@24` from
// npm's cache or registry, first on PATH, as .ci/run's second run does): issue 14's 30 s budget is read on both.
// The compiler rows time TypeScript 5.9 and 7 on the same project check and build.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { tools } from "../scripts/generate.js";
import { ROOT } from "./fixture-bodies.js";
import { type Goal, type GroupResult, type Row, spread, withoutColours } from "./harness.js";

/** The project before the faster loop (main when this bench row was added). */
export const BASELINE_COMMIT = "f6e88da";

interface Timed {
  seconds: number;
  code: number | null;
  tail: string;
}

/** vitest's lines that name a failed file or test, at most three; undefined when there are none. */
function failedLines(output: string): string[] | undefined {
  const lines = withoutColours(output).split("\n");
  const failed = lines.map((line) => line.trim()).filter((line) => /^(FAIL|×) /.test(line));
  return failed.length > 0 ? failed.slice(0, 3) : undefined;
}

/** Runs `command` in `cwd` and times it from spawn to exit; the output is kept only for a failure's note. */
function timed(command: string, args: string[], cwd: string, env = process.env): Promise<Timed> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"], env });
    let output = "";
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-2000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.once("error", fail);
    child.once("close", (code) =>
      done({
        seconds: (performance.now() - started) / 1000,
        code,
        // what failed, where the output names it (vitest's FAIL lines), else its last lines
        tail: (failedLines(output) || output.trim().split("\n").slice(-3)).join(" / "),
      }),
    );
  });
}

/** A copy of the working tree (tracked and untracked, not ignored files) with node_modules linked. */
function copyWorkingTree(into: string): void {
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: ROOT,
    encoding: "utf8",
  })
    .split("\0")
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(into, file)), { recursive: true });
    try {
      cpSync(join(ROOT, file), join(into, file));
    } catch {
      // a tracked file deleted in the working tree
    }
  }
  symlinkSync(join(ROOT, "node_modules"), join(into, "node_modules"), "dir");
}

/** The baseline commit's tree with node_modules linked; throws when the clone does not have that commit. */
function copyBaseline(into: string): void {
  mkdirSync(into, { recursive: true });
  const archive = execFileSync("git", ["archive", "--format=tar", BASELINE_COMMIT], {
    cwd: ROOT,
    maxBuffer: 512 * 1024 * 1024,
  });
  execFileSync("tar", ["-x", "-C", into], { input: archive });
  symlinkSync(join(ROOT, "node_modules"), join(into, "node_modules"), "dir");
}

const median = (values: number[]) => spread(values).median;

/**
 * The environment that runs npm and everything it starts on Node 24: the folder of `node@24`'s binary first on
 * PATH (npm's scripts and the tools' `#!/usr/bin/env node` lines find it). Throws with npx's words when the
 * package is neither in npm's cache nor reachable.
 */
function node24Env(): NodeJS.ProcessEnv {
  const found = execFileSync("npx", ["--yes", "-p", "node@24", "-c", "command -v node && node --version"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  })
    .trim()
    .split("\n");
  const [binary, version] = [found.at(-2), found.at(-1)];
  if (!binary || !version?.startsWith("v24.")) throw new Error(`npx -p node@24 gave ${found.join(" ")}`);
  return { ...process.env, PATH: `${dirname(binary)}${delimiter}${process.env.PATH ?? ""}` };
}

function row(
  name: string,
  values: number[],
  note: string,
  ratioTo?: { name: string; values: number[] },
): Row {
  const s = spread(values);
  return {
    group: "maintainer loop",
    name,
    value: s.median,
    unit: "s",
    ...(values.length > 1 ? { p25: s.p25, p75: s.p75 } : {}),
    ...(ratioTo
      ? { ratio: spread(values.map((v, i) => v / (ratioTo.values[i] as number))), ratioTo: ratioTo.name }
      : {}),
    note,
    extra: { samples: values },
  };
}

export interface LoopOptions {
  /** Rounds of `npm run generate` and `generate:check` per side. */
  generateRounds: number;
  /** Rounds of `npm test` per side (each is a whole test run). */
  testRounds: number;
  /** Rounds of each compiler on the project check and build. */
  compilerRounds: number;
}

export async function maintainerLoop(options: LoopOptions): Promise<GroupResult> {
  const scratch = mkdtempSync(join(tmpdir(), "hostup-bench-loop-"));
  const sides = { now: join(scratch, "now"), baseline: join(scratch, "baseline") };
  const rows: Row[] = [];
  const goals: Goal[] = [];
  try {
    copyWorkingTree(sides.now);
    let baseline = true;
    let why = "";
    try {
      copyBaseline(sides.baseline);
    } catch (error) {
      baseline = false;
      why = `baseline commit ${BASELINE_COMMIT} not in this clone (${String(error).split("\n")[0]})`;
    }
    let node24: NodeJS.ProcessEnv | undefined;
    let node24Missing = "";
    try {
      node24 = node24Env();
    } catch (error) {
      node24Missing = `Node 24 not available (${String(error).split("\n")[0]})`;
    }
    type Side = "now" | "baseline" | "node24";
    // the sides of each round, their order turned by one place every round
    const order = (round: number, withNode24: boolean): Side[] => {
      const names: Side[] = ["now"];
      if (baseline) names.push("baseline");
      if (withNode24 && node24) names.push("node24");
      const turn = round % names.length;
      return [...names.slice(turn), ...names.slice(0, turn)];
    };
    const times: Record<string, Record<Side, number[]>> = {};
    const failures: Record<string, string[]> = {};
    const measure = async (label: string, rounds: number, args: string[], withNode24 = false) => {
      times[label] = { now: [], baseline: [], node24: [] };
      failures[label] = [];
      for (let round = 0; round < rounds; round++) {
        for (const side of order(round, withNode24)) {
          const run =
            side === "node24"
              ? await timed("npm", args, sides.now, node24)
              : await timed("npm", args, sides[side]);
          times[label][side].push(run.seconds);
          if (run.code !== 0) failures[label].push(`${side} exited ${run.code}: ${run.tail}`);
        }
      }
    };
    // generate first: it also makes the dist/ that the tests read (the HTML reference, the bundles)
    await measure("npm run generate", options.generateRounds, ["run", "--silent", "generate"]);
    await measure("npm run generate:check", options.generateRounds, ["run", "--silent", "generate:check"]);
    await measure("npm test", options.testRounds, ["test", "--silent"], true);

    const notes: Record<string, { now: string; baseline: string }> = {
      "npm run generate": {
        now: "bundle and types in-process, one lint process, phases side by side, TypeScript 7's build",
        baseline:
          "one process per Redocly and openapi-typescript step, one after the other, TypeScript 5.9's build",
      },
      "npm run generate:check": {
        now: "bundle, then lint (sources and bundles) beside the comparison of the generated files",
        baseline: "bundle (4 processes), openapi-typescript --check (2 processes), no lint",
      },
      "npm test": {
        now: "vitest (worker threads, a worker more than the cores, files unisolated; biome and generate:check as test files; type tests with TypeScript 7)",
        baseline:
          "generate:check, lint (redocly, biome, tsc 5.9), vitest (one worker; type tests with tsc 5.9)",
      },
    };
    const failed = (label: string, side: Side) => {
      const mine = (failures[label] ?? []).filter((failure) => failure.startsWith(side));
      return mine.length ? `; FAILED ${mine.length}×: ${mine[0]}` : "";
    };
    for (const [label, sidesTimes] of Object.entries(times)) {
      const before = `${label}, baseline ${BASELINE_COMMIT}`;
      if (baseline) {
        rows.push(
          row(before, sidesTimes.baseline, `${notes[label]?.baseline ?? ""}${failed(label, "baseline")}`),
        );
      }
      const note = `${notes[label]?.now ?? ""}${failed(label, "now")}${baseline ? "" : `; ${why}`}`;
      rows.push(
        row(
          label,
          sidesTimes.now,
          `${note}; Node ${process.versions.node}`,
          baseline ? { name: before, values: sidesTimes.baseline } : undefined,
        ),
      );
      if (sidesTimes.node24.length) {
        rows.push(
          row(
            `${label}, Node 24`,
            sidesTimes.node24,
            `the same tree and command with node@24 first on PATH${failed(label, "node24")}`,
            { name: label, values: sidesTimes.now },
          ),
        );
      }
    }

    const goal = (name: string, label: string, limit: number, target: string, side: Side = "now"): Goal => {
      const seconds = median(times[label]?.[side] ?? []);
      const broken = failed(label, side);
      const ratio =
        baseline && side === "now"
          ? `, ${(seconds / median(times[label]?.baseline ?? [])).toFixed(2)}× the baseline`
          : "";
      return {
        name,
        target,
        actual: `${seconds.toFixed(1)} s${ratio}${broken}`,
        met: broken ? false : target.startsWith("≤") ? seconds <= limit : seconds < limit,
      };
    };
    goals.push(
      goal("npm run generate ≤ 5 s on 2 cores", "npm run generate", 5, "≤ 5 s"),
      goal(
        `npm test ≤ 30 s on 2 cores (Node ${process.versions.node.split(".")[0]})`,
        "npm test",
        30,
        "≤ 30 s",
      ),
      node24
        ? goal("npm test ≤ 30 s on 2 cores (Node 24)", "npm test", 30, "≤ 30 s", "node24")
        : {
            name: "npm test ≤ 30 s on 2 cores (Node 24)",
            target: "≤ 30 s",
            actual: node24Missing,
            met: false,
          },
      goal("npm test under a minute on 2 cores (the hard limit)", "npm test", 60, "< 60 s"),
    );

    // The compilers on the project itself: its type check (lint:ts, vitest's type tests) and its build.
    const compilerTimes = {
      check59: [] as number[],
      check7: [] as number[],
      build59: [] as number[],
      build7: [] as number[],
    };
    for (let round = 0; round < options.compilerRounds; round++) {
      const runs: [keyof typeof compilerTimes, string, string[]][] = [
        ["check59", tools.tsc59, ["-p", "tsconfig.json"]],
        ["check7", tools.tsc7, ["-p", "tsconfig.json"]],
        ["build59", tools.tsc59, ["-p", "tsconfig.build.json", "--outDir", join(scratch, "build59")]],
        ["build7", tools.tsc7, ["-p", "tsconfig.build.json", "--outDir", join(scratch, "build7")]],
      ];
      for (let i = 0; i < runs.length; i++) {
        const [key, compiler, args] = runs[(i + round) % runs.length] as (typeof runs)[number];
        const run = await timed(process.execPath, [compiler, ...args], sides.now);
        if (run.code !== 0) throw new Error(`${key}: the compiler exited ${run.code}: ${run.tail}`);
        compilerTimes[key].push(run.seconds);
      }
    }
    rows.push(
      row("type check, TypeScript 5.9", compilerTimes.check59, "tsc -p tsconfig.json"),
      row(
        "type check, TypeScript 7",
        compilerTimes.check7,
        "the project's check (vitest's type tests run the same)",
        {
          name: "type check, TypeScript 5.9",
          values: compilerTimes.check59,
        },
      ),
      row("build, TypeScript 5.9", compilerTimes.build59, "tsc -p tsconfig.build.json"),
      row("build, TypeScript 7", compilerTimes.build7, "what npm run build and generate use", {
        name: "build, TypeScript 5.9",
        values: compilerTimes.build59,
      }),
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return { rows, goals };
}

// The measuring core of `npm run bench`: tinybench runs each side, and we interleave the sides ourselves.
//
// tinybench runs the tasks of one Bench one after the other (all of A, then all of B), so a slow drift of the
// machine (another process, a GC-heavy phase, CPU frequency) would land on one side only. Here every round is a
// small tinybench run of every side, in an order rotated per round, and the figures are taken over rounds:
// the median of the per-round medians, its p25–p75, and the ratio computed per round (paired) before taking
// its median. Warm-up rounds are run and thrown away first.
import { Bench } from "tinybench";

export interface Side {
  name: string;
  fn: () => unknown;
}

export interface Spread {
  median: number;
  p25: number;
  p75: number;
}

export interface SideResult {
  name: string;
  /** Per-call latency in ms over rounds (each round contributes its median). */
  latencyMs: Spread;
  /** Operations per second over rounds (each round contributes 1000 / its median). */
  opsPerSec: Spread;
  /** Every latency sample of every measured round, sorted (only when `keepSamples`). */
  samples?: number[];
}

export interface InterleaveOptions {
  rounds: number;
  iterationsPerRound: number;
  warmupRounds?: number;
  keepSamples?: boolean;
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((x, y) => x - y);
  return { median: quantile(sorted, 0.5), p25: quantile(sorted, 0.25), p75: quantile(sorted, 0.75) };
}

/** Runs every side `rounds` times, interleaved, and returns per-side figures plus paired ratios. */
export async function interleave(
  sides: readonly Side[],
  options: InterleaveOptions,
): Promise<{ sides: Map<string, SideResult>; ratio: (a: string, b: string) => Spread }> {
  const warmupRounds = options.warmupRounds ?? 2;
  const perRound = new Map<string, number[]>(sides.map((s) => [s.name, []]));
  const pooled = new Map<string, number[]>(sides.map((s) => [s.name, []]));
  for (let round = 0; round < warmupRounds + options.rounds; round++) {
    const measured = round >= warmupRounds;
    const bench = new Bench({
      iterations: options.iterationsPerRound,
      time: 0,
      warmup: false,
      throws: true,
      retainSamples: measured && options.keepSamples === true,
    });
    for (let i = 0; i < sides.length; i++) {
      const side = sides[(i + round) % sides.length] as Side;
      bench.add(side.name, side.fn);
    }
    await bench.run();
    if (!measured) continue;
    for (const task of bench.tasks) {
      const result = task.result;
      if (result.state !== "completed") throw new Error(`bench task ${task.name}: ${result.state}`);
      perRound.get(task.name)?.push(result.latency.p50);
      if (options.keepSamples && result.latency.samples)
        pooled.get(task.name)?.push(...result.latency.samples);
    }
  }
  const out = new Map<string, SideResult>();
  for (const side of sides) {
    const medians = perRound.get(side.name) ?? [];
    const samples = (pooled.get(side.name) ?? []).sort((x, y) => x - y);
    out.set(side.name, {
      name: side.name,
      latencyMs: spread(medians),
      opsPerSec: spread(medians.map((ms) => 1000 / ms)),
      ...(options.keepSamples ? { samples } : {}),
    });
  }
  const ratio = (a: string, b: string): Spread => {
    const as = perRound.get(a) ?? [];
    const bs = perRound.get(b) ?? [];
    return spread(as.map((x, i) => x / (bs[i] as number)));
  };
  return { sides: out, ratio };
}

/** A row of the printed table and of bench/results.json. */
export interface Row {
  group: string;
  name: string;
  /** The headline figure and its unit, e.g. 123456 "ops/s". */
  value: number;
  unit: string;
  /** Spread of the value over rounds, when it was measured more than once. */
  p25?: number;
  p75?: number;
  /** A ratio to the row named in `ratioTo` (paired per round, median), with its spread. */
  ratio?: Spread;
  ratioTo?: string;
  note?: string;
  /** Extra figures (p99, seconds per phase, bundle inputs, ...), kept in results.json. */
  extra?: Record<string, unknown>;
}

export interface Goal {
  name: string;
  target: string;
  actual: string;
  met: boolean | null;
  why?: string;
}

export interface GroupResult {
  rows: Row[];
  goals?: Goal[];
  /** Why a group could not run (a piece not landed yet), printed instead of failing the whole bench. */
  skipped?: string;
}

const fmtNum = (n: number): string => {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs >= 100) return Math.round(n).toLocaleString("en-US");
  if (abs >= 10) return n.toFixed(1);
  if (abs >= 1) return n.toFixed(2);
  return n.toPrecision(3);
};

export function formatValue(row: Row): string {
  const base = `${fmtNum(row.value)} ${row.unit}`;
  if (row.p25 === undefined || row.p75 === undefined) return base;
  return `${base} (p25–p75 ${fmtNum(row.p25)}–${fmtNum(row.p75)})`;
}

export function formatRatio(row: Row): string {
  if (!row.ratio) return "";
  return `${row.ratio.median.toFixed(3)}× ${row.ratioTo ? `vs ${row.ratioTo} ` : ""}(${row.ratio.p25.toFixed(3)}–${row.ratio.p75.toFixed(3)})`;
}

/** `text` without terminal colour codes (a command's output, quoted in a note). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character is what is removed
export const withoutColours = (text: string) => text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "");

/** A Markdown table: readable in a terminal and pasteable into the README. */
export function markdownTable(headers: string[], lines: string[][]): string {
  // a command's output in a note may hold terminal colour codes: they are not text for a page
  const esc = (cell: string) => withoutColours(cell).replace(/\|/g, "\\|");
  return [
    `| ${headers.join(" | ")} |`,
    `| ${headers.map(() => "---").join(" | ")} |`,
    ...lines.map((cells) => `| ${cells.map(esc).join(" | ")} |`),
  ].join("\n");
}

export { fmtNum };

// Row "contract checks": the contract suite's fixture validation (hostup-api/contract, src/contract: HAR text -> exchanges ->
// validateExchange against the bundled spec) over 10, 100, 1,000 and 10,000 entries, synthetic copies of the
// test/fixtures corpus. The schemas are compiled once (a first pass over the corpus, reported on its own row);
// the sizes are then measured in interleaved rounds, each sample processing at least ~1,000 entries, so the
// per-entry cost at each size is comparable. Goal: per-entry cost within 1.5x between 100 and 10,000.

import { corpus as fixtureCorpus } from "../scripts/fixture-corpus.js";
import { type Har, type HarEntry, readHar, toExchange } from "../src/contract/har.js";
import { specFor } from "../src/contract/match.js";
import { type LoadedSpec, loadSpecs } from "../src/contract/spec.js";
import { validateExchange } from "../src/contract/validate.js";
import type { Goal, GroupResult, Row } from "./harness.js";
import { spread } from "./harness.js";

const SIZES = [10, 100, 1_000, 10_000] as const;
const GOAL_FLAT = 1.5;

/** What `validateScenario` does for one HAR, minus the file read: parse, then validate every entry. */
function validateHarText(specs: LoadedSpec[], text: string): number {
  const har = JSON.parse(text) as Har;
  let findings = 0;
  for (const entry of har.log.entries) {
    const exchange = toExchange(entry);
    findings += validateExchange(specFor(specs, exchange), exchange).length;
  }
  return findings;
}

export async function contractChecks(opts: {
  rounds: number;
  minEntriesPerSample: number;
}): Promise<GroupResult> {
  const specs = loadSpecs();
  const corpus: HarEntry[] = fixtureCorpus().flatMap((s) => readHar(s.path).log.entries);
  if (corpus.length === 0) throw new Error("bench: test/fixtures holds no entries");
  const harOf = (n: number): string =>
    JSON.stringify({
      log: {
        version: "1.2",
        creator: { name: "bench", version: "1" },
        entries: Array.from({ length: n }, (_, i) => corpus[i % corpus.length]),
      },
    });
  const texts = new Map<number, string>(SIZES.map((n) => [n, harOf(n)]));

  // First pass: compiles every schema the corpus touches (Ajv compile cost, paid once per process).
  const coldStart = performance.now();
  const coldFindings = validateHarText(specs, harOf(corpus.length));
  const coldMs = performance.now() - coldStart;
  // A second warm-up pass so that the JIT has seen the hot paths.
  validateHarText(specs, harOf(corpus.length));

  const perEntryUs = new Map<number, number[]>(SIZES.map((n) => [n, []]));
  let findingsPerPass = 0;
  for (let round = 0; round < opts.rounds; round++) {
    for (let i = 0; i < SIZES.length; i++) {
      const n = SIZES[(i + round) % SIZES.length] as number;
      const text = texts.get(n) as string;
      const reps = Math.max(1, Math.ceil(opts.minEntriesPerSample / n));
      const started = performance.now();
      for (let r = 0; r < reps; r++) findingsPerPass = validateHarText(specs, text);
      perEntryUs.get(n)?.push(((performance.now() - started) * 1000) / (reps * n));
    }
  }
  const rows: Row[] = [
    {
      group: "contract checks",
      name: `first pass over the corpus (${corpus.length} entries, compiles the schemas)`,
      value: coldMs,
      unit: "ms",
      note: `${coldFindings} findings (the corpus is expected clean)`,
      extra: { entries: corpus.length, findings: coldFindings },
    },
  ];
  const medians = new Map<number, number>();
  for (const n of SIZES) {
    const s = spread(perEntryUs.get(n) ?? []);
    medians.set(n, s.median);
    const ratio = spread(
      (perEntryUs.get(n) ?? []).map((us, i) => us / ((perEntryUs.get(100) ?? [])[i] as number)),
    );
    rows.push({
      group: "contract checks",
      name: `${n.toLocaleString("en-US")} entries`,
      value: 1e6 / s.median,
      unit: "entries/s",
      p25: 1e6 / s.p75,
      p75: 1e6 / s.p25,
      ...(n !== 100 ? { ratio, ratioTo: "per-entry cost at 100" } : {}),
      note: `${s.median.toFixed(1)} µs/entry`,
      extra: { perEntryUs: s },
    });
  }
  void findingsPerPass;
  // Paired per round (the two sizes ran back to back), then the median, like every other ratio of the bench.
  const flatSpread = spread(
    (perEntryUs.get(10_000) ?? []).map((us, i) => us / ((perEntryUs.get(100) ?? [])[i] as number)),
  );
  const flat = flatSpread.median;
  const goals: Goal[] = [
    {
      name: `contract validation per-entry cost within ${GOAL_FLAT}× between 100 and 10,000 entries`,
      target: `≤ ${GOAL_FLAT}×`,
      actual: `${flat.toFixed(3)}× (p25–p75 ${flatSpread.p25.toFixed(3)}–${flatSpread.p75.toFixed(3)})`,
      met: flat <= GOAL_FLAT && flat >= 1 / GOAL_FLAT,
    },
  ];
  return { rows, goals };
}

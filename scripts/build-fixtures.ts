// `npm run fixtures:build` (and `fixtures:check`, run by the tests): writes the example corpus,
// test/fixtures/examples/, from the specs as openapi/ holds them now (fixture-examples.ts, fixture-assembled.ts),
// and the fixture that must fail, test/fixtures-invalid/. examples/ is generated: every folder the specs no longer
// produce is removed. Recordings live apart, in test/fixtures/recorded/ (written by `npm run record`).
//
//   npm run fixtures:build [-- --out <dir>]      npm run fixtures:check
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { serializeHar, writeHar } from "../src/contract/har.js";
import { normaliseHar } from "../src/contract/normalise.js";
import { scrubHar } from "../src/contract/scrub.js";
import type { LoadedSpec } from "../src/contract/spec.js";
import { assembledScenarios, truncatedArtefactScenario } from "./fixture-assembled.js";
import { EXAMPLES_DIR, FIXTURE_FILE, INVALID_FIXTURES_DIR } from "./fixture-corpus.js";
import { type Built, exampleScenarios } from "./fixture-examples.js";
import { loadFreshSpecs } from "./fresh-specs.js";
import { runMain } from "./run-main.js";

/** Every scenario of the example corpus, scrubbed and normalised. */
export function buildCorpus(specs: LoadedSpec[]): Built[] {
  const v1 = specs.find((s) => s.version === "v1");
  const v2 = specs.find((s) => s.version === "v2");
  if (!v1 || !v2) throw new Error("both v1 and v2 specs are needed");
  const all = [...exampleScenarios(v1), ...exampleScenarios(v2), ...assembledScenarios(v1, v2)];
  return all.map((b) => ({ name: b.name, har: normaliseHar(scrubHar(b.har)) }));
}

/** Writes (or with `check`, compares) each scenario's file; returns what differed. */
export function syncCorpus(
  dir: string,
  built: Built[],
  { check, removeOthers }: { check: boolean; removeOthers: boolean },
): string[] {
  const stale: string[] = [];
  for (const { name, har } of built) {
    const file = join(dir, name, FIXTURE_FILE);
    const text = serializeHar(har);
    if (existsSync(file) && readFileSync(file, "utf8") === text) continue;
    stale.push(name);
    if (!check) {
      mkdirSync(join(dir, name), { recursive: true });
      writeHar(file, har);
    }
  }
  if (removeOthers && existsSync(dir)) {
    const names = new Set(built.map((b) => b.name));
    for (const name of readdirSync(dir)) {
      if (names.has(name) || !isGeneratedScenario(join(dir, name))) continue;
      stale.push(`${name} (no longer generated)`);
      if (!check) rmSync(join(dir, name), { recursive: true });
    }
  }
  return stale;
}

/**
 * A folder as this script writes it: a recording.har and nothing else. Only such folders are removed when the
 * specs no longer produce them, so that an --out pointing at the wrong folder cannot delete recordings (a
 * recorded scenario keeps raw.har beside its recording), a README or anything else.
 */
function isGeneratedScenario(path: string): boolean {
  try {
    const entries = readdirSync(path);
    return entries.length === 1 && entries[0] === FIXTURE_FILE;
  } catch {
    return false; // a file, not a scenario folder
  }
}

const usage = "usage: npm run fixtures:build [-- --out <dir>] | npm run fixtures:check";

export async function buildFixtures(argv: string[]): Promise<number> {
  let out: string;
  let check: boolean;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { out: { type: "string" }, check: { type: "boolean", default: false } },
    });
    out = values.out === undefined ? EXAMPLES_DIR : resolve(values.out);
    check = values.check;
  } catch (error) {
    console.error(`fixtures:build: ${(error as Error).message}\n${usage}`);
    return 2;
  }
  const specs = await loadFreshSpecs();
  const corpus = buildCorpus(specs);
  const stale = syncCorpus(out, corpus, { check, removeOthers: true });
  const v1 = specs.find((s) => s.version === "v1");
  if (v1 && out === EXAMPLES_DIR) {
    const invalid = truncatedArtefactScenario(v1);
    stale.push(
      ...syncCorpus(INVALID_FIXTURES_DIR, [invalid], { check, removeOthers: false }).map(
        (n) => `fixtures-invalid/${n}`,
      ),
    );
  }
  if (check) {
    if (stale.length > 0) {
      console.error(`fixtures differ from what the specs' examples build:\n  ${stale.join("\n  ")}`);
      console.error("run: npm run fixtures:build");
      return 1;
    }
    console.log(`${corpus.length} generated fixtures are up to date`);
    return 0;
  }
  console.log(
    `${corpus.length} scenarios; ${stale.length} written or removed${stale.length ? `:\n  ${stale.join("\n  ")}` : ""}`,
  );
  return 0;
}

runMain(import.meta.url, buildFixtures);

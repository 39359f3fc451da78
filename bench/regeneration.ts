// Rows "regeneration": seconds of each phase of `npm run generate`, timed by running scripts/generate.ts's own
// phases one at a time, then all of them side by side as generate runs them, writing into a scratch directory:
// the bench never rewrites src/generated or dist/ under the feet of whoever is working in the tree. One run each
// (each phase is seconds long; its noise is well below its size).
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Outputs, phases } from "../scripts/generate.js";
import { runPhases } from "../scripts/run-phases.js";
import type { GroupResult, Row } from "./harness.js";

async function timed(action: () => unknown): Promise<number> {
  const started = performance.now();
  await action();
  return (performance.now() - started) / 1000;
}

/** The outputs of the phases, all in `dir`. */
const scratchOutputs = (dir: string): Outputs => ({
  bundleDir: join(dir, "openapi"),
  types: (version) => join(dir, `${version}.ts`),
  validators: (version) => join(dir, `validators-${version}.ts`),
  docsDir: join(dir, "docs"),
  buildDir: join(dir, "build"),
});

export async function regeneration(): Promise<GroupResult> {
  const scratch = mkdtempSync(join(tmpdir(), "hostup-bench-generate-"));
  const rows: Row[] = [];
  let total = 0;
  try {
    // The phases of scripts/generate.ts themselves, pointed at the scratch folder: one at a time, then all of them
    // the way npm run generate runs them (side by side once the bundle is made).
    const oneByOne = join(scratch, "one-by-one");
    mkdirSync(oneByOne, { recursive: true });
    for (const { name, what, action } of phases(scratchOutputs(oneByOne), { quiet: true })) {
      const seconds = await timed(action);
      total += seconds;
      rows.push({ group: "regeneration", name, value: seconds, unit: "s", note: what });
    }
    rows.push({ group: "regeneration", name: "total", value: total, unit: "s", note: "sum of the phases" });
    const sideBySide = join(scratch, "side-by-side");
    mkdirSync(sideBySide, { recursive: true });
    const seconds = await timed(() => runPhases(phases(scratchOutputs(sideBySide), { quiet: true })));
    rows.push({
      group: "regeneration",
      name: "side by side",
      value: seconds,
      unit: "s",
      note: "as npm run generate runs them, in this process: no npm or tsx start, openapi-typescript already loaded (the maintainer-loop group times the whole command)",
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return { rows };
}

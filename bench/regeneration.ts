// Row "regeneration": seconds of each phase of `npm run generate`, timed by running scripts/generate.ts's own
// phases, in the same order, but writing into a scratch directory: the bench never rewrites src/generated or
// dist/ under the feet of whoever is working in the tree. One run per phase (each phase is seconds long; its
// noise is well below its size).
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { phases } from "../scripts/generate.js";
import type { GroupResult, Row } from "./harness.js";

async function timed(action: () => unknown): Promise<number> {
  const started = performance.now();
  await action();
  return (performance.now() - started) / 1000;
}

export async function regeneration(): Promise<GroupResult> {
  const scratch = mkdtempSync(join(tmpdir(), "hostup-bench-generate-"));
  const bundleDir = join(scratch, "openapi");
  // The phases of scripts/generate.ts themselves, pointed at the scratch folder.
  const steps = phases(
    {
      bundleDir,
      types: (version) => join(scratch, `${version}.ts`),
      validators: (version) => join(scratch, `validators-${version}.ts`),
      docsDir: join(scratch, "docs"),
      buildDir: join(scratch, "build"),
    },
    { quiet: true },
  );
  const rows: Row[] = [];
  let total = 0;
  try {
    mkdirSync(bundleDir, { recursive: true });
    for (const { name, what, action } of steps) {
      const seconds = await timed(action);
      total += seconds;
      rows.push({ group: "regeneration", name, value: seconds, unit: "s", note: what });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  rows.push({ group: "regeneration", name: "total", value: total, unit: "s", note: "sum of the phases" });
  return { rows };
}

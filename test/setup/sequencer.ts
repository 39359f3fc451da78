/**
 * The order in which vitest starts the test files: the files that take longest start first, on a fresh clone too.
 *
 * Vitest's own order (BaseSequencer) puts the files that took longest in the last run first, from its results
 * cache in node_modules/.vite. A fresh clone, CI among them, has no cache, and vitest then starts the largest
 * files first: the packed-package test (most of its time waiting on npm and the compilers) started 13 s into the
 * run, behind a dozen quick files, and the run took longer. The files below wait on child processes (npm,
 * compilers, Redocly, Chromium) or run long properties; they start first, longest first, whatever the cache
 * says. The rest keep vitest's order. test/scripts/sequencer.test.ts fails when an entry names no test file.
 */
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** Test files, relative to the project, longest first (as measured on 2 cores), then Biome's check. */
export const SLOW_FIRST = [
  "test/client/package.test.ts",
  "test/docs/html-reference.test.ts",
  "test/mock/contract.test.ts",
  "test/docs/examples.test.ts",
  "test/mock/properties.test.ts",
  "test/spec/planted-operation.test.ts",
  "test/spec-diff/git-ref.test.ts",
  "test/spec-diff/spec-diff.test.ts",
  "test/spec/generate-refused.test.ts",
  // short, but a process of its own: early, while the first files are still loading, not at the end of the run
  "test/scripts/biome.test.ts",
] as const;

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const path = file.moduleId.slice(this.ctx.config.root.length + 1).replaceAll("\\", "/");
      const at = (SLOW_FIRST as readonly string[]).indexOf(path);
      return at === -1 ? SLOW_FIRST.length : at;
    };
    // a stable sort: among the rest, vitest's order stands
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}

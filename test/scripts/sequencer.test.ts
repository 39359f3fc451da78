import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BaseSequencer, type TestSpecification, type Vitest } from "vitest/node";
import { SLOW_FIRST, SlowFirstSequencer } from "../setup/sequencer.js";

const root = join(import.meta.dirname, "..", "..");

/** Test files as vitest hands them to a sequencer, with a results cache that knows none of them (a fresh clone). */
function coldRun(paths: string[]): { ctx: Vitest; files: TestSpecification[] } {
  const size = (path: string) => (path.includes("quick-but-large") ? 100_000 : path.length);
  const ctx = {
    config: { root },
    cache: {
      getFileTestResults: () => undefined,
      getFileStats: (key: string) => ({ size: size(key) }),
    },
  } as unknown as Vitest;
  const project = { name: "", config: { sequence: { groupOrder: 0 }, isolate: false } };
  const files = paths.map(
    (path) => ({ moduleId: join(root, path), project }) as unknown as TestSpecification,
  );
  return { ctx, files };
}

const order = (files: TestSpecification[]) => files.map((file) => file.moduleId.slice(root.length + 1));

describe("the test files' order", () => {
  it("names only test files that exist", () => {
    expect(SLOW_FIRST.filter((path) => !existsSync(join(root, path)))).toEqual([]);
  });

  it("starts the slow files first, longest first, with no results cache; the rest in vitest's order", async () => {
    const paths = ["test/a/quick-but-large.test.ts", ...[...SLOW_FIRST].reverse(), "test/b/quick.test.ts"];
    const { ctx, files } = coldRun(paths);
    const sorted = order(await new SlowFirstSequencer(ctx).sort(files));
    expect(sorted).toEqual([...SLOW_FIRST, "test/a/quick-but-large.test.ts", "test/b/quick.test.ts"]);
    // vitest's own order on a fresh clone: the largest file first (what the sequencer is for)
    expect(order(await new BaseSequencer(ctx).sort(files))[0]).toBe("test/a/quick-but-large.test.ts");
  });
});

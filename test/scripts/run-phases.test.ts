/**
 * The phase runner of `npm run generate`: side by side by `after`, and on a failure nothing new starts, the running
 * phases finish, and the done phases' `undo`s run, newest first, once nothing runs any more.
 */
import { describe, expect, it } from "vitest";
import { type Phase, runPhases } from "../../scripts/run-phases.js";

/** A phase that logs its start, end and undo; it ends when `release` is called, or fails with `fail`. */
function phase(name: string, after: string[], log: string[], fail?: string) {
  let release = () => {};
  const ended = new Promise<void>((resolve) => {
    release = resolve;
  });
  const p: Phase = {
    name,
    what: name,
    after,
    action: async () => {
      log.push(`start ${name}`);
      await ended;
      if (fail) throw new Error(fail);
      log.push(`end ${name}`);
    },
    undo: () => {
      log.push(`undo ${name}`);
    },
  };
  return { phase: p, release };
}

describe("runPhases", () => {
  it("undoes the done phases, newest first, after the running ones finished; starts nothing new", async () => {
    const log: string[] = [];
    const a = phase("a", [], log);
    const write = phase("write", ["a"], log);
    const lint = phase("lint", ["a"], log, "lint refused the spec");
    const build = phase("build", ["write"], log);
    const after = phase("after-lint", ["lint"], log);
    const run = runPhases([a.phase, write.phase, lint.phase, build.phase, after.phase]);
    a.release();
    write.release();
    await new Promise((resolve) => setImmediate(resolve));
    lint.release(); // fails while build runs
    await new Promise((resolve) => setImmediate(resolve));
    build.release();
    await expect(run).rejects.toThrow("lint refused the spec");
    expect(log).toEqual([
      "start a",
      "end a",
      "start write",
      "start lint",
      "end write",
      "start build",
      "end build",
      "undo build",
      "undo write",
      "undo a",
    ]);
  });

  it("undoes nothing when every phase passes", async () => {
    const log: string[] = [];
    const a = phase("a", [], log);
    const b = phase("b", ["a"], log);
    a.release();
    b.release();
    await runPhases([a.phase, b.phase]);
    expect(log.filter((line) => line.startsWith("undo"))).toEqual([]);
  });
});

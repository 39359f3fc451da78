import { availableParallelism } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";
import { SlowFirstSequencer } from "./test/setup/sequencer.js";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/setup/bundle.ts"],
    // after each file: no fake timers left on, process.env as it was (files share their worker: below)
    setupFiles: ["test/setup/shared-globals.ts"],
    // Worker threads, and the files of a worker share its modules (no per-file isolation): each file used to pay
    // for its own process and its own copy of src/, the generated validators and the specs, a third of the suite's
    // CPU time. What a file changes globally it puts back in afterAll (nock's net connect, fake timers).
    // Vitest's default for `run` is one worker less than the cores: a single worker on 2 cores, while the slow
    // files mostly wait on child processes (compilers, Redocly, npm, Chromium) or on a page; one worker more than
    // the cores keeps both busy.
    pool: "threads",
    isolate: false,
    maxWorkers: availableParallelism() + 1,
    // the files that wait longest start first, on a fresh clone as on a warm one (test/setup/sequencer.ts)
    sequence: { sequencer: SlowFirstSequencer },
    // Nothing in the suite may reach the network; tests that need HTTP use nock or a loopback server.
    // The timeouts only stop a hang (speed is measured by `npm run bench`); files run side by side, so a slow
    // machine stretches each test.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    typecheck: {
      enabled: true,
      include: ["test/**/*.test-d.ts"],
      tsconfig: "./tsconfig.json",
      // TypeScript 7's tsc, by path (node_modules/.bin/tsc may be either compiler): vitest runs it with the
      // arguments it gives tsc and reads the same `file(line,col): error TS...` lines. It checks the project in
      // a seventh of 5.9's time; a planted wrong type in each *.test-d.ts fails it as it fails 5.9. Its check is
      // the project's (tsconfig.json): an error in any file fails the run.
      checker: join(import.meta.dirname, "node_modules", "typescript7", "bin", "tsc"),
    },
  },
});

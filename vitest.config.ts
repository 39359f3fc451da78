import { join } from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/setup/bundle.ts"],
    // Nothing in the suite may reach the network; tests that need HTTP use nock or a loopback server.
    testTimeout: 20_000,
    hookTimeout: 60_000,
    typecheck: {
      enabled: true,
      include: ["test/**/*.test-d.ts"],
      tsconfig: "./tsconfig.json",
      // TypeScript 7's tsc, by path (node_modules/.bin/tsc may be either compiler): vitest runs it with the
      // arguments it gives tsc and reads the same `file(line,col): error TS...` lines. It checks the project in
      // a seventh of 5.9's time; a planted wrong type in each *.test-d.ts fails it as it fails 5.9.
      checker: join(import.meta.dirname, "node_modules", "typescript7", "bin", "tsc"),
    },
  },
});

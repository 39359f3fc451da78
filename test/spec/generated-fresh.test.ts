/**
 * What `npm run generate:check` checks, run inside the test run: src/generated/* is what openapi-typescript, the
 * validator compiler and the operation-table generator make of the specs as they are now, and the specs and their
 * bundles lint clean (one `redocly lint`, the rules of redocly.yaml). The bundles are the ones the test setup made
 * from openapi/ for this run (test/setup/bundle.ts), so nothing is bundled twice; as a test it runs beside the
 * others instead of before all of them. A stale file is refused in test/spec/operation-table.test.ts (planted).
 */
import { join } from "node:path";
import { describe, it } from "vitest";
import { checkPhases } from "../../scripts/generate.js";
import { runPhases } from "../../scripts/run-phases.js";

const bundles = join(import.meta.dirname, "..", "..", "dist", "openapi");

describe("generate:check", () => {
  it("src/generated is fresh, and the specs and their bundles lint clean (else: npm run generate)", async () => {
    await runPhases(checkPhases(bundles, { bundled: true, quiet: true }));
  });
});

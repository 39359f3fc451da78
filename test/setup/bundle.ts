/**
 * vitest globalSetup: bundles both specs into dist/openapi before any test runs, so that every test reads the
 * bundle of the spec as it is now (never a stale one left by an earlier `npm run generate`).
 */
import { join } from "node:path";
import { bundle } from "../../scripts/generate.js";

export default function setup(): void {
  bundle(join(import.meta.dirname, "..", "..", "dist", "openapi"));
}

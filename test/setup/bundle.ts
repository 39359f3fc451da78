/**
 * vitest globalSetup: bundles both specs into dist/openapi (in this process) before any test runs, so that every test reads the
 * bundle of the spec as it is now (never a stale one left by an earlier `npm run generate`).
 *
 * It also builds the package into dist/ (`npm run build`'s TypeScript 7 build, generate's build phase) while
 * the specs are bundled: the packed-package test packs that dist/ and the docs' examples compile and run against it. Each
 * of them built it before (the same compilation twice per run). A build that fails does not stop the run: the
 * tests that need it fail with its output (`inject("packageBuild")`). TypeScript 7 builds on one thread: the bundling
 * keeps the other core busy, and its checker threads would share the cores and each redo part of the work (the
 * same output for less CPU time, and no later).
 */
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { build, bundle } from "../../scripts/generate.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The build of dist/ by this run's setup: its error output, or "" when it built. */
    packageBuild: { failed: string };
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const building = build(undefined, { quiet: true, singleThreaded: true }).then(
    () => ({ failed: "" }),
    (error: unknown) => ({ failed: String((error as Error).message ?? error) }),
  );
  await bundle(join(import.meta.dirname, "..", "..", "dist", "openapi"));
  project.provide("packageBuild", await building);
}

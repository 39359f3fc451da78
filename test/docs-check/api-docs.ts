/**
 * Where the tests find copies of HostUp's reference pages: $HOSTUP_API_DOCS, or else ../shared/api-docs beside
 * the clone. Where HOSTUP_API_DOCS is set (.ci/run sets it) the pages must be there; a clone with neither skips
 * the tests that need them, saying why.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { bundleApis } from "../../scripts/bundle-in-process.js";
import { localCopies } from "../../scripts/reference-pages/local-copies.js";
import type { OpenApiDoc } from "../../src/contract/spec.js";

export const projectRoot = join(import.meta.dirname, "..", "..");
export const docsDir = resolve(process.env.HOSTUP_API_DOCS ?? join(projectRoot, "..", "shared", "api-docs"));
export const haveDocs = existsSync(join(docsDir, "v1-get-backup-schedules.txt"));
if (!haveDocs && process.env.HOSTUP_API_DOCS) {
  throw new Error(
    `HOSTUP_API_DOCS=${docsDir} holds no reference pages: the spec cannot be checked against them`,
  );
}
/** Why the tests that read the pages are skipped; vitest's verbose reporter shows it beside each. */
export const skipReason = `HostUp's reference pages are not in ${docsDir}; set HOSTUP_API_DOCS to their folder to run these tests`;
if (!haveDocs) console.warn(`every reference-page test skipped: ${skipReason}`);

/** For a describe block that reads the pages: skips each test, saying why, when they are not there. */
export function skipWithoutPages(context: { skip: (note?: string) => void }): void {
  if (!haveDocs) context.skip(skipReason);
}

/** Copies the stored pages docs:check reads into `dir` (writable, unlike the shared originals). */
export function copyPages(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const file of Object.values(localCopies)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), readFileSync(join(docsDir, file)));
  }
}

/** Replaces `from` by `to` in a copied page, failing when the page no longer holds `from`. */
export function plant(file: string, from: string, to: string): void {
  const text = readFileSync(file, "utf8");
  if (!text.includes(from))
    throw new Error(`${file} does not hold ${JSON.stringify(from)}: update the plant`);
  writeFileSync(file, text.replace(from, to));
}

let bundled: Promise<Map<string, OpenApiDoc>> | undefined;
/**
 * The project's specs, bundled once per worker and handed to each docs:check run as a fresh copy (a run may not
 * change what the next one reads): the bundle was most of a run's CPU. The first test of docs-check.test.ts lets
 * docs:check bundle them itself.
 */
export async function projectSpecs(): Promise<Map<string, OpenApiDoc>> {
  bundled ??= bundleApis(projectRoot);
  return structuredClone(await bundled);
}

// The specs as openapi/ holds them now: bundled afresh with the same `bundle()` as `npm run generate`, then read.
// What the drivers a user runs (`npm run contract`, `npm run fixtures:build`) check against, so that a spec edited
// since the last `npm run generate` is the one checked, never a stale dist/openapi/*.json.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { API_VERSIONS, type LoadedSpec, type OpenApiDoc, specFromDocument } from "../src/contract/spec.js";
import { bundle } from "./generate.js";
import { REPO_ROOT } from "./redocly.js";

export async function loadFreshSpecs(dir = join(REPO_ROOT, "dist", "openapi")): Promise<LoadedSpec[]> {
  await bundle(dir);
  return API_VERSIONS.map((version) => {
    const file = join(dir, `${version}.json`);
    return specFromDocument(version, JSON.parse(readFileSync(file, "utf8")) as OpenApiDoc, file);
  });
}

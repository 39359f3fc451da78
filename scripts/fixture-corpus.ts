// The fixture corpus of this repository, fenced by origin (as src/generated is):
//   test/fixtures/examples/<scenario>/recording.har   built from the specs' examples by `npm run fixtures:build`
//                                                     (generated: never edited, drift-checked by fixtures:check)
//   test/fixtures/recorded/<scenario>/recording.har   written by `npm run record`, normalised, with its scrubbed
//   test/fixtures/recorded/<scenario>/raw.har         raw form beside it (normaliseHar(raw) === recording)
//   test/fixtures-invalid/<scenario>/recording.har    fixtures that must fail validation
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { REPO_ROOT } from "./redocly.js";

export const FIXTURES_DIR = join(REPO_ROOT, "test", "fixtures");
export const EXAMPLES_DIR = join(FIXTURES_DIR, "examples");
export const RECORDED_DIR = join(FIXTURES_DIR, "recorded");
export const INVALID_FIXTURES_DIR = join(REPO_ROOT, "test", "fixtures-invalid");
/** The normalised recording of a scenario: what the checks read. */
export const FIXTURE_FILE = "recording.har";
/** Beside a recorded scenario's FIXTURE_FILE: the same exchanges scrubbed of credentials, not normalised. */
export const RAW_FILE = "raw.har";

export interface Scenario {
  /** "examples/v2-list-vps-paged", "recorded/v2-list-vps-paged", or a folder name for another directory. */
  name: string;
  /** Path of its recording.har. */
  path: string;
}

/** Every scenario folder under `dir` holding a recording.har, sorted by name; `prefix/` goes before each name. */
export function listScenarios(dir: string, prefix = ""): Scenario[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => {
      try {
        return statSync(join(dir, name, FIXTURE_FILE)).isFile();
      } catch {
        return false;
      }
    })
    .sort()
    .map((name) => ({ name: `${prefix}${name}`, path: join(dir, name, FIXTURE_FILE) }));
}

/** The corpus the checks run over: the built examples, then the recordings. */
export function corpus(): Scenario[] {
  return [...listScenarios(EXAMPLES_DIR, "examples/"), ...listScenarios(RECORDED_DIR, "recorded/")];
}

export function displayPath(path: string): string {
  return relative(process.cwd(), path) || path;
}

// Shared setup of the contract tests: the bundled specs and the fixture corpus, loaded once per file.
import { join } from "node:path";
import { listScenarios, type Scenario } from "../../scripts/contract/har.js";
import { type LoadedSpec, loadSpecs, REPO_ROOT } from "../../scripts/contract/spec.js";

export const FIXTURES_DIR = join(REPO_ROOT, "test", "fixtures");
export const INVALID_FIXTURES_DIR = join(REPO_ROOT, "test", "fixtures-invalid");

let specs: LoadedSpec[] | undefined;
export function specs_(): LoadedSpec[] {
  specs ??= loadSpecs();
  return specs;
}

export function scenarios(): Scenario[] {
  return listScenarios(FIXTURES_DIR);
}

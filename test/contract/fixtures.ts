// Shared setup of the contract tests: the bundled specs and the fixture corpus, loaded once per file.
import { FIXTURES_DIR } from "../../scripts/contract/build-fixtures.js";
import { listScenarios, type Scenario } from "../../scripts/contract/har.js";
import { type LoadedSpec, loadSpecs } from "../../scripts/contract/spec.js";

// Defined once, where the fixtures are built.
export { FIXTURES_DIR, INVALID_FIXTURES_DIR } from "../../scripts/contract/build-fixtures.js";

let specs: LoadedSpec[] | undefined;
export function specs_(): LoadedSpec[] {
  specs ??= loadSpecs();
  return specs;
}

export function scenarios(): Scenario[] {
  return listScenarios(FIXTURES_DIR);
}

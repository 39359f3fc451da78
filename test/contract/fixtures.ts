// Shared setup of the contract tests: the shipped specs (read through hostup-api/contract) and the fixture corpus
// (test/fixtures/examples and test/fixtures/recorded), loaded once per file.

import { corpus, type Scenario } from "../../scripts/fixture-corpus.js";
import { formatFindings } from "../../src/contract/findings.js";
import {
  checkExchanges,
  type ExchangeFinding,
  exchangesOf,
  readRecordings,
} from "../../src/contract/recordings.js";
import { type LoadedSpec, loadSpecs } from "../../src/contract/spec.js";

// Defined once, with the corpus's layout.
export {
  EXAMPLES_DIR,
  FIXTURES_DIR,
  INVALID_FIXTURES_DIR,
  listScenarios,
  RECORDED_DIR,
  type Scenario,
} from "../../scripts/fixture-corpus.js";

let specs: LoadedSpec[] | undefined;
export function specs_(): LoadedSpec[] {
  specs ??= loadSpecs();
  return specs;
}

export function scenarios(): Scenario[] {
  return corpus();
}

export interface ScenarioFinding extends ExchangeFinding {
  fixture: string;
}

/** Every exchange of one scenario's recording against the specs, strictly. */
export function validateScenario(all: LoadedSpec[], scenario: Scenario): ScenarioFinding[] {
  const { exchanges } = exchangesOf(readRecordings([scenario.path]));
  return checkExchanges(all, exchanges).map((f) => ({ ...f, fixture: scenario.name }));
}

export function formatScenarioFindings(findings: ScenarioFinding[]): string {
  return findings.map((f) => formatFindings([f], `${f.fixture} (${f.file}), entry #${f.entry}`)).join("\n\n");
}

// `npm run fixtures:build -- --out DIR` keeps DIR to the generated corpus: it removes the scenario folders the specs
// no longer produce, and nothing else (a mistyped --out must not wipe recordings or a README); an --out without a
// folder is refused before anything is written.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { buildFixtures, syncCorpus } from "../../scripts/build-fixtures.js";
import { EXAMPLES_DIR, FIXTURE_FILE, listScenarios } from "../../scripts/fixture-corpus.js";
import type { Har } from "../../src/contract/har.js";

const scratch = mkdtempSync(join(tmpdir(), "hostup-build-fixtures-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const [sample] = listScenarios(EXAMPLES_DIR);
if (!sample) throw new Error("test/fixtures/examples holds no scenario");
const har = JSON.parse(readFileSync(sample.path, "utf8")) as Har;

describe("fixtures:build --out", () => {
  it("removes a scenario folder the specs no longer produce, and leaves everything else in the folder alone", () => {
    const out = join(scratch, "out");
    mkdirSync(join(out, "dropped-scenario"), { recursive: true });
    writeFileSync(join(out, "dropped-scenario", FIXTURE_FILE), "{}\n");
    mkdirSync(join(out, "recorded", "v2-list-vps"), { recursive: true });
    writeFileSync(join(out, "recorded", "v2-list-vps", FIXTURE_FILE), "{}\n");
    mkdirSync(join(out, "hand-kept"), { recursive: true });
    writeFileSync(join(out, "hand-kept", FIXTURE_FILE), "{}\n");
    writeFileSync(join(out, "hand-kept", "raw.har"), "{}\n");
    writeFileSync(join(out, "README.md"), "# fixtures\n");

    const changed = syncCorpus(out, [{ name: "built", har }], { check: false, removeOthers: true });

    expect(readdirSync(out).sort()).toEqual(["README.md", "built", "hand-kept", "recorded"]);
    expect(existsSync(join(out, "recorded", "v2-list-vps", FIXTURE_FILE))).toBe(true);
    expect(changed).toEqual(["built", "dropped-scenario (no longer generated)"]);
  });

  it("refuses --out without a folder, writing nothing (exit 2)", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      expect(await buildFixtures(["--out"])).toBe(2);
      expect(error.mock.calls.flat().join("\n")).toMatch(/--out.*argument missing|Option '--out <value>'/);
    } finally {
      error.mockRestore();
    }
    expect(existsSync("undefined")).toBe(false);
  });
});

// test/fixtures/examples/ is generated (npm run fixtures:build) and drift-checked here: building the corpus from
// the bundled specs' examples gives the committed files byte for byte, and nothing else lives in the folder.
// A spec example changed in a copy proves the check can fail.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildCorpus } from "../../scripts/build-fixtures.js";
import { serializeHar } from "../../src/contract/har.js";
import { type OpenApiDoc, specFromDocument } from "../../src/contract/spec.js";
import { EXAMPLES_DIR, specs_ } from "./fixtures.js";

const committed = (name: string) => readFileSync(join(EXAMPLES_DIR, name, "recording.har"), "utf8");

describe("the example corpus is what the specs' examples build", () => {
  const built = buildCorpus(specs_());

  it("every generated scenario is committed as built, and examples/ holds nothing else", () => {
    const stale = built.filter((b) => serializeHar(b.har) !== committed(b.name)).map((b) => b.name);
    expect(stale, "run: npm run fixtures:build").toEqual([]);
    expect(readdirSync(EXAMPLES_DIR).sort()).toEqual(built.map((b) => b.name).sort());
  });

  it("the check can fail: an example changed in the spec makes its scenario stale", () => {
    const planted = specs_().map((spec) => {
      const doc = structuredClone(spec.doc) as OpenApiDoc;
      if (spec.version === "v2") {
        const media = doc.paths["/api/v2/vps"]?.get.responses["200"].content["application/json"];
        media.examples.firstPage.value.data[0].name = "web-renamed";
      }
      return specFromDocument(spec.version, doc, spec.file);
    });
    const stale = buildCorpus(planted)
      .filter((b) => serializeHar(b.har) !== committed(b.name))
      .map((b) => b.name);
    expect(stale).toEqual(["v2-list-vps-200-first-page", "v2-list-vps-paged"]);
  });
});

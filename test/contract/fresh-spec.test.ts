// `npm run contract` (and `npm run fixtures:build`) check the spec as it is in openapi/ now, not a
// dist/openapi/*.json left behind by an earlier `npm run generate`: they bundle first. Proof: a stale bundle
// planted where they read is replaced by the current spec.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadFreshSpecs } from "../../scripts/fresh-specs.js";
import { REPO_ROOT } from "../../scripts/redocly.js";
import { specs_ } from "./fixtures.js";

describe("the user-facing entry points bundle the current spec first", () => {
  const dir = mkdtempSync(join(tmpdir(), "hostup-fresh-spec-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("a stale bundle (a spec change since the last generate) is not what gets checked", async () => {
    // The stale bundles: an older title and the jobs path not yet written.
    for (const spec of specs_()) {
      const stale = structuredClone(spec.doc);
      stale.info.title = "STALE BUNDLE";
      delete stale.paths["/api/jobs/{jobId}"];
      writeFileSync(join(dir, `${spec.version}.json`), JSON.stringify(stale));
    }
    const fresh = await loadFreshSpecs(dir);
    const v1Source = parse(readFileSync(join(REPO_ROOT, "openapi", "v1", "openapi.yaml"), "utf8"));
    const v1 = fresh.find((s) => s.version === "v1");
    expect(v1?.file).toBe(join(dir, "v1.json"));
    expect(v1?.doc.info.title).toBe(v1Source.info.title);
    expect(Object.keys(v1?.doc.paths ?? {})).toEqual(Object.keys(v1Source.paths));
    expect(JSON.parse(readFileSync(join(dir, "v2.json"), "utf8")).info.title).not.toBe("STALE BUNDLE");
  });

  it.each(["scripts/contract.ts", "scripts/build-fixtures.ts"])(
    "%s reads the specs through loadFreshSpecs",
    (file) => {
      const text = readFileSync(join(REPO_ROOT, file), "utf8");
      expect(text).toMatch(/\bawait loadFreshSpecs\(\)/);
      expect(text).not.toMatch(/\bloadSpecs?\(/);
    },
  );
});

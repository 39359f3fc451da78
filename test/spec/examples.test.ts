import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkExamples, collectExamples } from "./examples.js";

const bundleDir = join(import.meta.dirname, "..", "..", "dist", "openapi");
const load = (version: string) => JSON.parse(readFileSync(join(bundleDir, `${version}.json`), "utf8"));

/** Replaces the value at a JSON pointer of `doc` (for a named example, its `value`). */
function plant(doc: Record<string, unknown>, pointer: string, value: unknown): void {
  const tokens = pointer
    .slice(1)
    .split("/")
    .map((t) => t.replaceAll("~1", "/").replaceAll("~0", "~"));
  const last = tokens.pop() ?? "";
  let parent = doc;
  for (const token of tokens) parent = parent[token] as Record<string, unknown>;
  const current = parent[last];
  if (typeof current === "object" && current !== null && "value" in current) {
    (current as Record<string, unknown>).value = value;
  } else {
    parent[last] = value;
  }
}

describe.each(["v1", "v2"])("every example of the bundled %s description", (version) => {
  it("validates against its own schema", () => {
    const { checked, failures } = checkExamples(load(version));
    expect(failures).toEqual([]);
    // Each operation carries examples; a walker that finds none would pass vacuously.
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  it("is caught when broken (a planted fault in a copy of the bundle)", () => {
    const spec = load(version);
    const target = collectExamples(spec).find(
      (e) => typeof e.value === "object" && e.value !== null && !Array.isArray(e.value),
    );
    if (!target) throw new Error(`the ${version} bundle has no object example to break`);
    plant(spec, target.where, 42);
    // the same checker on the planted example alone (every example is checked by the test above)
    const { checked, failures } = checkExamples(spec, { only: target.where });
    expect(checked).toBe(1);
    const failure = failures.find((f) => f.where === target.where);
    expect(failure?.errors.join("\n")).toMatch(/must be object/);
  });
});

// The mock's modules import no cycle, type-only imports included (a cycle of types still ties two files
// together: state.ts <-> seed.ts was one). Imports are read with TypeScript's own pre-processor.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

// required, not imported: as an ES module import, Node scans TypeScript's 9 MB CommonJS file again for its exports
const ts = createRequire(import.meta.url)("typescript") as typeof import("typescript");
const ROOT = resolve(import.meta.dirname, "..", "..");
const MOCK = join(ROOT, "src", "mock");

/** Relative imports of every module reachable from `entries`, as repository-relative paths. */
function importGraph(entries: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const todo = [...entries];
  for (let file = todo.pop(); file !== undefined; file = todo.pop()) {
    if (graph.has(file)) continue;
    const { importedFiles } = ts.preProcessFile(readFileSync(join(ROOT, file), "utf8"), true, true);
    const targets = importedFiles
      .map((i) => i.fileName)
      .filter((name) => name.startsWith("."))
      .map((name) => relative(ROOT, resolve(ROOT, dirname(file), name.replace(/\.js$/, ".ts"))))
      .filter((target) => existsSync(join(ROOT, target)));
    graph.set(file, targets);
    todo.push(...targets);
  }
  return graph;
}

/** Every cycle of `graph`, each as the path that closes it (a -> b -> a). */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (node: string) => {
    const at = stack.indexOf(node);
    if (at !== -1) {
      found.push([...stack.slice(at), node]);
      return;
    }
    if (done.has(node)) return;
    stack.push(node);
    for (const next of graph.get(node) ?? []) visit(next);
    stack.pop();
    done.add(node);
  };
  for (const node of graph.keys()) visit(node);
  return found;
}

describe("the mock's import graph", () => {
  it("has no cycle through a file of src/mock", () => {
    const entries = readdirSync(MOCK)
      .filter((f) => f.endsWith(".ts"))
      .map((f) => relative(ROOT, join(MOCK, f)));
    const graph = importGraph(entries);
    expect(graph.size).toBeGreaterThan(entries.length);
    const mockCycles = cycles(graph).filter((cycle) => cycle.some((file) => file.startsWith("src/mock/")));
    expect(mockCycles.map((c) => c.join(" -> "))).toEqual([]);
  });

  it("finds a planted cycle, type-only imports included", () => {
    const graph = new Map([
      ["src/mock/state.ts", ["src/mock/seed.ts", "src/mock/types.ts"]],
      ["src/mock/seed.ts", ["src/mock/state.ts"]],
      ["src/mock/types.ts", []],
    ]);
    expect(cycles(graph)).toEqual([["src/mock/state.ts", "src/mock/seed.ts", "src/mock/state.ts"]]);
    const imports = ts.preProcessFile(
      'import type { A } from "./a.js";\nimport { b } from "./b.js";',
      true,
      true,
    );
    expect(imports.importedFiles.map((i) => i.fileName)).toEqual(["./a.js", "./b.js"]);
  });
});

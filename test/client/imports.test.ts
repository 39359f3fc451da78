/**
 * The modules of src/ (the client, the mock, the mapping) import one another without a cycle, type-only imports
 * included: a cycle ties two concerns together (options.ts <-> retry.ts and mock/model.ts <-> mock/seed.ts did)
 * and makes load order matter.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "..", "..", "src");

/** Relative imports and re-exports of a module (`import ... from "./x.js"`, `export ... from`, `import("./x.js")`). */
function importsOf(file: string): string[] {
  const source = readFileSync(file, "utf8");
  const specifiers = [...source.matchAll(/(?:from|import)\s*\(?\s*"(\.[^"]+)"/g)].map((m) => m[1] as string);
  return specifiers.map((specifier) => resolve(dirname(file), specifier.replace(/\.js$/, ".ts")));
}

/** The import graph of every module under src/. */
function graph(): Map<string, string[]> {
  const files = readdirSync(SRC, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => join(SRC, file));
  return new Map(files.map((file) => [file, importsOf(file)]));
}

/** Every cycle found by depth-first search, each as the files along it. */
function cycles(edges: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === "open") found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of edges.keys()) if (!state.has(file)) visit(file);
  return found.map((cycle) => cycle.map((file) => relative(SRC, file)));
}

describe("the import graph of src/", () => {
  it("has no cycle", () => {
    const edges = graph();
    expect([...edges.keys()]).toContain(join(SRC, "retry.ts"));
    expect([...edges.keys()]).toContain(join(SRC, "mock", "server.ts"));
    expect(cycles(edges)).toEqual([]);
  });

  it("the check finds a planted cycle (a -> b -> a)", () => {
    const planted = new Map([
      [join(SRC, "a.ts"), [join(SRC, "b.ts")]],
      [join(SRC, "b.ts"), [join(SRC, "a.ts")]],
    ]);
    expect(cycles(planted)).toEqual([["a.ts", "b.ts", "a.ts"]]);
  });
});

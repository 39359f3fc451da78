/**
 * Bundles the OpenAPI descriptions of a checkout in this process with @redocly/openapi-core (the library behind
 * `redocly bundle`; its bundles equal `npm run generate`'s dist/openapi/*.json), so that a command comparing
 * two trees does not start the Redocly CLI four times. The APIs and their roots come from the tree's own
 * redocly.yaml (`apis.<name>.root`), so an older checkout is bundled as it was described then.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { bundle, createConfig } from "@redocly/openapi-core";
import { parse } from "yaml";
import type { OpenApiDoc } from "../src/contract/spec.js";

/**
 * The APIs a checkout describes, by name (v1, v2), with their root files. `layout`: a checkout whose redocly.yaml
 * names no API (or that has none: one from before it named them) gets the layout's own roots.
 */
export function apiRoots(root: string, { layout = true } = {}): Map<string, string> {
  const configFile = join(root, "redocly.yaml");
  const roots = new Map<string, string>();
  if (existsSync(configFile)) {
    let config: { apis?: Record<string, { root?: unknown }> } | null;
    try {
      config = parse(readFileSync(configFile, "utf8"));
    } catch (error) {
      throw new Error(`redocly.yaml: ${(error as Error).message}`);
    }
    for (const [name, api] of Object.entries(config?.apis ?? {})) {
      if (typeof api?.root === "string") roots.set(name, resolve(root, api.root));
    }
  }
  if (roots.size === 0 && layout) {
    // A checkout from before redocly.yaml named its APIs: the layout's own roots.
    for (const name of ["v1", "v2"]) {
      const file = join(root, "openapi", name, "openapi.yaml");
      if (existsSync(file)) roots.set(name, file);
    }
  }
  return roots;
}

/**
 * Every API of the checkout at `root`, bundled (all external $refs inlined as components). `only`: these APIs and no
 * other, each of which redocly.yaml must name (`apis.<name>.root`; no layout fallback): what `npm run generate`
 * bundles. Every API is bundled before any is returned, so a caller writes all of them or none.
 */
export async function bundleApis(
  root: string,
  { only }: { only?: readonly string[] } = {},
): Promise<Map<string, OpenApiDoc>> {
  const roots = apiRoots(root, { layout: only === undefined });
  if (only && !existsSync(join(root, "redocly.yaml"))) throw new Error("redocly.yaml is missing");
  for (const name of only ?? []) {
    if (!roots.has(name)) {
      throw new Error(
        `redocly.yaml: apis.${name}.root is missing (the root file of the ${name} description, e.g. openapi/${name}/openapi.yaml)`,
      );
    }
  }
  const config = await createConfig({});
  const out = new Map<string, OpenApiDoc>();
  for (const [name, file] of roots) {
    if (only && !only.includes(name)) continue;
    if (!existsSync(file)) {
      throw new Error(
        `${name}: its root ${relative(root, file)} (redocly.yaml apis.${name}.root) does not exist`,
      );
    }
    const result = await bundle({ ref: file, config });
    const errors = result.problems.filter((problem) => problem.severity === "error");
    if (errors.length > 0) {
      // Paths relative to the checkout (the base side is unpacked in a scratch folder), each problem with the
      // file and the JSON pointer of the node that holds it (for a bad $ref: where the $ref is, not its target).
      const shown = (path: string) => path.split(`${root}${sep}`).join("");
      const problems = errors.map((problem) => {
        const at = problem.location[0];
        const where = at ? ` (${shown(at.source.absoluteRef)}${at.pointer ?? ""})` : "";
        return `${shown(problem.message)}${where}`;
      });
      throw new Error(`${name} does not bundle: ${problems.join("; ")}`);
    }
    out.set(name, result.bundle.parsed as OpenApiDoc);
  }
  return out;
}

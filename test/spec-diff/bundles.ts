/**
 * The bundles of a tree's spec (scripts/bundle-in-process.ts), made once per content in a test worker: the spec:diff
 * tests bundle the same spec again and again (each run bundles its base ref and the working tree; a release tag
 * unpacked from the scratch repository holds the project's own spec), and a bundle is a function of the files it
 * reads. The key is every file under `openapi/` and `redocly.yaml`, by path and content, so an edited file is
 * bundled anew. A tree that does not bundle is not kept: its error comes from bundling it each time. Each caller
 * gets a copy of its own.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { bundleApis } from "../../scripts/bundle-in-process.js";
import type { OpenApiDoc } from "../../src/contract/spec.js";

type Bundles = Map<string, OpenApiDoc>;

const made = new Map<string, Promise<Bundles>>();

/** What the bundler reads: redocly.yaml and the files under openapi/, by path and content. */
function contentKey(root: string): string {
  const hash = createHash("sha256");
  const files = existsSync(join(root, "openapi"))
    ? readdirSync(join(root, "openapi"), { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => join(entry.parentPath, entry.name))
    : [];
  for (const file of [join(root, "redocly.yaml"), ...files.sort()]) {
    if (!existsSync(file)) continue;
    hash
      .update(`${relative(root, file)}\0`)
      .update(readFileSync(file))
      .update("\0");
  }
  return hash.digest("hex");
}

/** `bundleApis(root)`, from an earlier bundle of the same files when there is one. */
export async function bundleOnce(root: string): Promise<Bundles> {
  const key = contentKey(root);
  let bundles = made.get(key);
  if (!bundles) {
    bundles = bundleApis(root);
    made.set(key, bundles);
    bundles.catch(() => made.delete(key));
  }
  return new Map([...(await bundles)].map(([api, doc]) => [api, structuredClone(doc)]));
}

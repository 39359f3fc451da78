/**
 * `npm run spec:diff -- [git-ref]`: what the spec changes since a git ref (default: the last release tag, else
 * `main`) mean for the package's users. Both trees are bundled in process; every change is classified breaking,
 * risky or compatible (scripts/spec-diff/field-changes.ts says why), checked again through the generated
 * TypeScript types (scripts/spec-diff/types-probe.ts), and summed up as the semver bump it implies.
 *
 *   npm run spec:diff                                  Markdown for a pull request, against the default ref
 *   npm run spec:diff -- v0.1.0 --format changelog     the entry for CHANGELOG.md's "Unreleased" section
 *   npm run spec:diff -- main --format json            the result as JSON
 *   --no-types                                         skip the TypeScript check (faster)
 *
 * Exit status: 0 with the report (whatever it says), 2 when it could not run.
 */

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { OpenApiDoc } from "../src/contract/spec.js";
import { bundleApis } from "./bundle-in-process.js";
import { runMain } from "./run-main.js";
import { diffSpecs } from "./spec-diff/changes.js";
import { baseCommit, defaultBase, extractSpecSources } from "./spec-diff/git-ref.js";
import {
  formatChangelog,
  formatJson,
  formatMarkdown,
  type SpecDiffResult,
  semver,
} from "./spec-diff/report.js";

const projectRoot = resolve(fileURLToPath(import.meta.url), "..", "..");

export const usage = `Usage: npm run spec:diff -- [git-ref] [--format markdown|changelog|json] [--no-types]
  git-ref          what to compare the working tree with (default: the last v* tag, else main)
  --format FORMAT  markdown (default; for a pull request), changelog (CHANGELOG.md entry) or json
  --no-types       skip the check through the generated TypeScript types`;

const formats = { markdown: formatMarkdown, changelog: formatChangelog, json: formatJson } as const;

export interface Io {
  root?: string;
  write?: (text: string) => void;
  writeError?: (text: string) => void;
  /** How a tree's spec is bundled (default: `bundleApis`); the tests pass one that bundles each content once. */
  bundle?: (root: string) => Promise<Map<string, OpenApiDoc>>;
}

/** Compares the working tree at `root` with `base`; the building block of the command and its tests. */
export async function specDiff(
  root: string,
  base: string,
  { types = true, bundle = bundleApis }: { types?: boolean; bundle?: Io["bundle"] } = {},
): Promise<SpecDiffResult> {
  const scratch = mkdtempSync(join(tmpdir(), "hostup-spec-diff-"));
  try {
    const commit = baseCommit(base, root);
    const side = async <T>(name: string, read: () => Promise<T>): Promise<T> => {
      try {
        return await read();
      } catch (error) {
        throw new Error(`${name}: ${(error as Error).message}`);
      }
    };
    const before = await side(`at ${base} (${commit.slice(0, 7)})`, () => {
      extractSpecSources(commit, root, scratch);
      return bundle(scratch);
    });
    const after = await side("in the working tree", () => bundle(root));
    const changes = diffSpecs(before, after);
    // loaded only when asked for: openapi-typescript and TypeScript take most of a CPU-second to load
    const probes = types
      ? await (await import("./spec-diff/types-probe.js")).probeTypes(before, after)
      : undefined;
    const current = String(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version ?? "0.0.0");
    return {
      base,
      commit,
      changes,
      ...(probes ? { types: probes } : {}),
      semver: semver(changes, probes, current),
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Runs spec:diff with command-line arguments; resolves to the exit status. */
export async function specDiffCommand(argv: string[], io: Io = {}): Promise<number> {
  const root = io.root ?? projectRoot;
  const write = io.write ?? ((text) => process.stdout.write(text));
  const writeError = io.writeError ?? ((text) => process.stderr.write(text));
  let parsed: { ref?: string; format: keyof typeof formats; types: boolean };
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: "string", default: "markdown" },
        "no-types": { type: "boolean", default: false },
        help: { type: "boolean" },
      },
    });
    if (values.help) {
      write(`${usage}\n`);
      return 0;
    }
    if (positionals.length > 1) throw new Error(`one git ref at most, got ${positionals.join(" ")}`);
    if (!(values.format in formats)) {
      throw new Error(`--format must be markdown, changelog or json, got "${values.format}"`);
    }
    parsed = {
      ...(positionals[0] ? { ref: positionals[0] } : {}),
      format: values.format as keyof typeof formats,
      types: !values["no-types"],
    };
  } catch (error) {
    writeError(`spec:diff: ${(error as Error).message}\n${usage}\n`);
    return 2;
  }
  try {
    const base = parsed.ref ?? defaultBase(root);
    const result = await specDiff(root, base, { types: parsed.types, bundle: io.bundle ?? bundleApis });
    write(formats[parsed.format](result));
    return 0;
  } catch (error) {
    writeError(`spec:diff: ${(error as Error).message}\n`);
    return 2;
  }
}

runMain(import.meta.url, (argv) => specDiffCommand(argv));

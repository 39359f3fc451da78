/**
 * `npm run generate`: everything that is derived from the hand-written specs, in order, failing on the first error.
 *
 *   1. lint      redocly lint of the split sources (both APIs, per-API rules from redocly.yaml)
 *   2. bundle    each version to dist/openapi/v{1,2}.{yaml,json}, then lint the bundles with the same rules
 *   3. types     openapi-typescript of each bundle to the x-openapi-ts output redocly.yaml names for it
 *                (src/generated/v{1,2}.ts)
 *   4. validate  Ajv standalone request validators compiled from the bundles (src/generated/validators-v{1,2}.ts)
 *   5. operations  the operation table and the client's method signatures of each version
 *                (src/generated/operations-v{1,2}.ts, next to the validators they import; scripts/generate-operations.ts)
 *   6. docs      redocly build-docs to dist/docs/v{1,2}.html, Redoc's script inlined (the pages work offline)
 *   7. build     tsc: the installable package in dist/
 *
 * `npm run generate:check` (run by `npm test`) regenerates types, validators and operation tables in memory and
 * fails when the committed files differ; it writes nothing under src/.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";
import { generateOperations } from "./generate-operations.js";
import { generateValidators } from "./generate-validators.js";
import { redocly } from "./redocly.js";
import { runMain } from "./run-main.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name: string) => join(root, "node_modules", ".bin", name);
export const versions = ["v1", "v2"] as const;

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI colour codes is the point
const ansiColours = /\u001b\[[0-9;]*m/g;

class StepFailed extends Error {}

function run(command: string, args: string[], { quiet = false, cwd = root } = {}): string {
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      REDOCLY_TELEMETRY: "off",
      REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
      NO_COLOR: "1",
    },
  });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`
    .replace(ansiColours, "")
    .replace(/\n{3,}/g, "\n\n");
  if (result.error)
    throw new StepFailed(`${relative(root, command)} could not start: ${result.error.message}`);
  if (result.status !== 0) {
    throw new StepFailed(
      `${relative(root, command)} ${args.join(" ")} exited ${result.status}\n${output.trim()}`,
    );
  }
  if (!quiet && output.trim()) console.log(indent(output.trim()));
  return output;
}

/** Redocly through the drivers' one runner (scripts/redocly.ts); a failure stops the step with its output. */
function runRedocly(args: string[], { quiet = false, cwd = root } = {}): string {
  const { code, output } = redocly(args, { cwd });
  if (code !== 0) throw new StepFailed(`redocly ${args.join(" ")} exited ${code}\n${output.trim()}`);
  if (!quiet && output.trim()) console.log(indent(output.trim()));
  return output;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
}

async function step(name: string, what: string, action: () => void | Promise<void>): Promise<void> {
  const started = performance.now();
  console.log(`▶ ${name}: ${what}`);
  await action();
  console.log(`✔ ${name} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

/** Bundles both versions of `project` (default: this one) into `outDir` as YAML and JSON. */
export function bundle(outDir: string, project = root): void {
  mkdirSync(outDir, { recursive: true });
  for (const version of versions) {
    for (const ext of ["yaml", "json"]) {
      runRedocly(["bundle", version, "--output", resolve(outDir, `${version}.${ext}`)], {
        quiet: true,
        cwd: project,
      });
    }
  }
}

/**
 * Lints the bundles with the very rules of the split sources: a throwaway config whose APIs point at the bundles,
 * so that per-API rules (casing, problem details) apply to what users actually download.
 */
function lintBundles(bundleDir: string, quiet: boolean, project: string): void {
  const config = parse(readFileSync(join(project, "redocly.yaml"), "utf8"));
  // plugin paths are relative to the config file, which is written elsewhere
  config.plugins = (config.plugins ?? []).map((plugin: string) => resolve(project, plugin));
  for (const version of versions) {
    config.apis[version].root = resolve(bundleDir, `${version}.yaml`);
    delete config.apis[version]["x-openapi-ts"];
  }
  const configFile = join(bundleDir, "redocly.bundles.yaml");
  writeFileSync(configFile, stringify(config));
  try {
    runRedocly(["lint", "--config", configFile, "--format", "summary", ...versions], {
      quiet,
      cwd: project,
    });
  } finally {
    rmSync(configFile);
  }
}

/** Where the phases write. `npm run generate` writes to the project; the bench points them at a scratch folder. */
export interface Outputs {
  bundleDir: string;
  types: (version: Version) => string;
  /** Where validators-v{1,2}.ts go; operations-v{1,2}.ts, which import them, are written next to them. */
  validators: (version: Version) => string;
  docsDir: string;
  /** tsc's outDir; undefined: the one tsconfig.build.json names (dist/). */
  buildDir?: string;
}

export type Version = (typeof versions)[number];

export interface Phase {
  name: string;
  what: string;
  action: () => void | Promise<void>;
}

/** The operation table of a version: beside its validators (it imports them, and the types, by relative path). */
export const operationsOutput = (out: Outputs, version: Version) =>
  join(dirname(out.validators(version)), `operations-${version}.ts`);

export const projectOutputs: Outputs = {
  bundleDir: join(root, "dist", "openapi"),
  types: (version) => join(root, typesOutput(version)),
  validators: (version) => join(root, "src", "generated", `validators-${version}.ts`),
  docsDir: join(root, "dist", "docs"),
};

/**
 * The phases of `npm run generate`, in order; each throws on the first error. `project` is the folder whose
 * redocly.yaml, openapi/ and tsconfig.build.json they read (default: this project; a test passes a scratch copy).
 */
export function phases(out: Outputs, { quiet = false, project = root } = {}): Phase[] {
  return [
    {
      name: "lint",
      what: "redocly lint of openapi/v1 and openapi/v2 (rules: redocly.yaml)",
      action: () => runRedocly(["lint", "--format", "summary", ...versions], { quiet, cwd: project }),
    },
    {
      name: "bundle",
      what: "dist/openapi/v{1,2}.{yaml,json}, then lint the bundles",
      action: () => {
        bundle(out.bundleDir, project);
        lintBundles(out.bundleDir, quiet, project);
      },
    },
    {
      name: "types",
      what: "openapi-typescript -> src/generated/v1.ts, src/generated/v2.ts",
      action: () => generateTypes(out.bundleDir, out.types, { quiet }),
    },
    {
      name: "validate",
      what: "Ajv standalone request validators -> src/generated/validators-v{1,2}.ts",
      action: async () => {
        for (const version of versions) {
          await generateValidators({
            bundle: join(out.bundleDir, `${version}.json`),
            out: out.validators(version),
          });
        }
      },
    },
    {
      name: "operations",
      what: "operation tables and client method signatures -> src/generated/operations-v{1,2}.ts",
      action: () => {
        for (const version of versions) {
          generateOperations({
            version,
            bundle: join(out.bundleDir, `${version}.json`),
            out: operationsOutput(out, version),
          });
        }
      },
    },
    {
      name: "docs",
      what: "redocly build-docs -> dist/docs/v1.html, dist/docs/v2.html (self-contained, work offline)",
      action: () => {
        for (const version of versions) {
          const output = join(out.docsDir, `${version}.html`);
          // --inlineBundle: Redoc's script goes into the page; loaded from the CDN, no operation renders offline.
          runRedocly(["build-docs", version, "--inlineBundle", "--output", output], {
            quiet: true,
            cwd: project,
          });
        }
      },
    },
    {
      name: "build",
      what: "tsc -p tsconfig.build.json -> dist/ (the installable package)",
      action: () =>
        run(bin("tsc"), ["-p", "tsconfig.build.json", ...(out.buildDir ? ["--outDir", out.buildDir] : [])], {
          quiet,
          cwd: project,
        }),
    },
  ];
}

async function generate(): Promise<void> {
  for (const phase of phases(projectOutputs)) await step(phase.name, phase.what, phase.action);
  console.log(
    "Generated: dist/openapi, src/generated, dist/docs, dist (package). Commit src/generated if it changed.",
  );
}

async function check(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), "hostup-generate-check-"));
  try {
    bundle(scratch);
    await step("types", "openapi-typescript --check (src/generated/v1.ts, v2.ts are fresh)", () => {
      generateTypes(scratch, projectOutputs.types, { check: true });
    });
    await step("validate", "request validators are fresh (src/generated/validators-v{1,2}.ts)", async () => {
      for (const version of versions) {
        await generateValidators({
          bundle: join(scratch, `${version}.json`),
          out: projectOutputs.validators(version),
          check: true,
        });
      }
    });
    await step("operations", "operation tables are fresh (src/generated/operations-v{1,2}.ts)", () => {
      for (const version of versions) {
        generateOperations({
          version,
          bundle: join(scratch, `${version}.json`),
          out: operationsOutput(projectOutputs, version),
          check: true,
        });
      }
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log("Generated files are up to date.");
}

/** The output redocly.yaml's x-openapi-ts names for a version (src/generated/v{1,2}.ts). */
function typesOutput(version: Version): string {
  const config = parse(readFileSync(join(root, "redocly.yaml"), "utf8"));
  const output = config.apis?.[version]?.["x-openapi-ts"]?.output;
  if (typeof output !== "string") {
    throw new StepFailed(`redocly.yaml: apis.${version}.x-openapi-ts.output is missing`);
  }
  return output;
}

/**
 * One openapi-typescript run per version, from its bundle.
 * (openapi-typescript's own multi-API mode runs both APIs at once through one Redocly example validator,
 * which then resolves the second API's $refs against the first one's files; so each version gets its own run.)
 */
function generateTypes(
  bundleDir: string,
  output: (version: Version) => string,
  { check = false, quiet = false } = {},
): void {
  for (const version of versions) {
    // --empty-objects-unknown: an object the docs show without fields (e.g. v2 `limits`) is `unknown`-valued,
    // not `Record<string, never>`, so that the fields the server does send stay reachable.
    const args = [join(bundleDir, `${version}.json`), "--output", output(version), "--empty-objects-unknown"];
    // Run where no redocly.yaml is found: given one with `apis`, openapi-typescript ignores its input argument.
    run(bin("openapi-typescript"), check ? [...args, "--check"] : args, { cwd: bundleDir, quiet });
  }
}

runMain(import.meta.url, async (argv) => {
  try {
    await (argv.includes("--check") ? check : generate)();
    return 0;
  } catch (error) {
    // A failed tool or a stale file says what to do in its message; a stack helps only for our own bugs.
    const known =
      error instanceof StepFailed ||
      (error instanceof Error && /stale|generate-validators|generate-operations/.test(error.message));
    console.error(`✘ ${known ? (error as Error).message : ((error as Error)?.stack ?? String(error))}`);
    return 1;
  }
});

/**
 * `npm run generate`: everything that is derived from the hand-written specs, failing on the first error.
 *
 *   bundle      each version to dist/openapi/v{1,2}.yaml and v{1,2}.json, in this process (@redocly/openapi-core,
 *               the library behind `redocly bundle`, written as its CLI writes them)
 *   lint        one `redocly lint` of the split sources and of the bundles, with the per-API rules of redocly.yaml
 *   types       openapi-typescript's Node API, in this process, from each bundle to the x-openapi-ts output
 *               redocly.yaml names for it (src/generated/v{1,2}.ts)
 *   validate    Ajv standalone request validators compiled from the bundles (src/generated/validators-v{1,2}.ts)
 *   operations  the operation table and the client's method signatures of each version
 *               (src/generated/operations-v{1,2}.ts, next to the validators they import; scripts/generate-operations.ts)
 *   write       src/generated/*: what types, validate and operations made, written once they all passed
 *   docs        redocly build-docs to dist/docs/v{1,2}.html, Redoc's script inlined (the pages work offline)
 *   build       TypeScript 7's tsc: the installable package in dist/
 *
 * Every phase after `bundle` reads only the bundles, so they run side by side (each starts when the phases it needs
 * are done: `after`); a failure lets the running ones finish, starts nothing new and fails the command. The
 * generators run beside the lint and hold their files until `write`; if the lint then fails, `write` is undone: a
 * spec that fails lint leaves src/generated as it was (the build, which needs the files, need not wait for the
 * lint).
 *
 * `npm run generate:check` (run by `npm test`) bundles into a scratch folder, lints sources and bundles, and
 * regenerates types, validators and operation tables in memory; it fails when a committed file differs and writes
 * nothing under src/.
 *
 * Which compiler does what: TypeScript 7 (devDependency `typescript7`) type-checks and builds the project;
 * openapi-typescript builds its output with TypeScript 5.9's API (devDependency `typescript`). Each is called by
 * its path: node_modules/.bin/tsc may be either after an incremental install.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parse, stringify } from "yaml";
import { generateOperations } from "./generate-operations.js";
import { generateValidators } from "./generate-validators.js";
import { REDOCLY_CLI } from "./redocly.js";
import { runMain } from "./run-main.js";
import { type Phase, runPhases } from "./run-phases.js";
import { runAsync, StepFailed } from "./tool-process.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const versions = ["v1", "v2"] as const;

/** The tools, by path (run with this Node). */
export const tools = {
  redocly: REDOCLY_CLI,
  /** TypeScript 7: the project's type check and build. */
  tsc7: join(root, "node_modules", "typescript7", "bin", "tsc"),
  /** TypeScript 5.9: what openapi-typescript's API and the consumers' checks use. */
  tsc59: join(root, "node_modules", "typescript", "bin", "tsc"),
};

/**
 * `project`'s redocly.yaml with its paths (plugins, each API's root) made absolute, so that a copy written
 * elsewhere reads the same files; without x-openapi-ts (openapi-typescript's key, not Redocly's).
 */
function redoclyConfig(project: string) {
  const config = parse(readFileSync(join(project, "redocly.yaml"), "utf8"));
  config.plugins = (config.plugins ?? []).map((plugin: string) => resolve(project, plugin));
  for (const version of versions) {
    config.apis[version].root = resolve(project, config.apis[version].root);
    delete config.apis[version]["x-openapi-ts"];
  }
  return config;
}

/** Writes a throwaway Redocly config, runs `action` with its path, and removes it. */
function withConfig<T>(config: unknown, action: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "hostup-redocly-"));
  const file = join(dir, "redocly.yaml");
  writeFileSync(file, stringify(config));
  const cleanUp = () => rmSync(dir, { recursive: true, force: true });
  try {
    const result = action(file);
    if (result instanceof Promise) return result.finally(cleanUp) as T;
    cleanUp();
    return result;
  } catch (error) {
    cleanUp();
    throw error;
  }
}

/**
 * Bundles both versions of `project` (default: this one) into `outDir`, in this process with @redocly/openapi-core
 * (the library `redocly bundle` runs; a process of the CLI cost most of a second more, on the critical path of
 * `npm run generate` and of every test run): `v{1,2}.yaml` written as the CLI writes them (YAML without anchors,
 * no line folding) and `v{1,2}.json`, the same document as `redocly bundle --ext json` writes it (2-space
 * indent, no final newline). The APIs and their roots are the project's redocly.yaml `apis` (bundling applies no
 * rule: the plugins' rules are the lint's).
 */
export async function bundle(outDir: string, project = root): Promise<void> {
  const [{ bundleApis }, { stringifyYaml }] = await Promise.all([
    import("./bundle-in-process.js"),
    import("@redocly/openapi-core"),
  ]);
  let apis: Awaited<ReturnType<typeof bundleApis>>;
  try {
    // both versions bundled (and named by redocly.yaml) before either is written: a failure leaves dist/openapi as it was
    apis = await bundleApis(project, { only: versions });
  } catch (error) {
    throw new StepFailed(`bundle: ${(error as Error).message}`);
  }
  mkdirSync(outDir, { recursive: true });
  for (const [version, doc] of apis) {
    writeFileSync(join(outDir, `${version}.yaml`), stringifyYaml(doc, { noRefs: true, lineWidth: -1 }));
    writeFileSync(join(outDir, `${version}.json`), JSON.stringify(doc, null, 2));
  }
}

/** `bundle`, with openapi-typescript (and TypeScript 5.9's API with it, most of a second) loading meanwhile. */
function bundleAsync(outDir: string, project = root): Promise<void> {
  loadOpenapiTypescript();
  return bundle(outDir, project);
}

/**
 * One `redocly lint` of the split sources (`v1`, `v2`) and of their bundles in `bundleDir` (`v1-bundle`,
 * `v2-bundle`), each bundle with the very rules of its sources: what users download is held to the same rules.
 * `sources: false` lints the bundles alone (the same rules over the same content, without the source files'
 * locations: what a scratch copy needs); `only`: these versions alone.
 */
export function lintSpecs(
  bundleDir: string,
  {
    quiet = false,
    project = root,
    sources = true,
    only = versions,
  }: { quiet?: boolean; project?: string; sources?: boolean; only?: readonly Version[] } = {},
): Promise<string> {
  const config = redoclyConfig(project);
  for (const version of versions) {
    config.apis[`${version}-bundle`] = {
      ...config.apis[version],
      root: resolve(bundleDir, `${version}.yaml`),
    };
  }
  const apis = Object.keys(config.apis).filter(
    (api) => (sources || api.endsWith("-bundle")) && only.some((v) => api === v || api === `${v}-bundle`),
  );
  // redocly lint without an API lints every API of the config
  if (apis.length === 0) return Promise.resolve("");
  return withConfig(config, (file) =>
    runAsync(tools.redocly, ["lint", "--config", file, "--format", "stylish", ...apis], {
      quiet,
      cwd: project,
    }),
  );
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
 * The phases of `npm run generate`, listed in an order that runs them one by one too; each throws on the first
 * error. `project` is the folder whose redocly.yaml, openapi/ and tsconfig.build.json they read (default: this
 * project; a test passes a scratch copy, and `lintSources: false`: its bundles are linted with the same rules;
 * `lintVersions`: the versions whose descriptions the lint checks, all by default).
 */
export function phases(
  out: Outputs,
  {
    quiet = false,
    project = root,
    lintSources = true,
    singleThreaded = false,
    lintVersions = versions,
  }: {
    quiet?: boolean;
    project?: string;
    lintSources?: boolean;
    singleThreaded?: boolean;
    lintVersions?: readonly Version[];
  } = {},
): Phase[] {
  // types, validate and operations run beside the lint: they hand their files to `staged`, and the write phase
  // writes them once every generator has passed, so that the build need not wait for the lint. If the lint (or the
  // build, or the docs) then fails, the write phase's undo puts src/generated back as it was: a refused spec never
  // leaves it regenerated, nor half-regenerated.
  const staged = new Map<string, string>();
  const stage = (file: string, text: string) => {
    staged.set(file, text);
  };
  /** What each written file held before (undefined: it did not exist). */
  const previous = new Map<string, string | undefined>();
  return [
    {
      name: "bundle",
      what: "dist/openapi/v{1,2}.{yaml,json} (@redocly/openapi-core, in this process)",
      after: [],
      action: () => bundleAsync(out.bundleDir, project),
    },
    {
      name: "lint",
      what: "one redocly lint of openapi/v1, openapi/v2 and their bundles (rules: redocly.yaml)",
      after: ["bundle"],
      action: () => lintSpecs(out.bundleDir, { quiet, project, sources: lintSources, only: lintVersions }),
    },
    {
      name: "types",
      what: "openapi-typescript (Node API) -> src/generated/v1.ts, src/generated/v2.ts",
      after: ["bundle"],
      action: () => generateTypes(out.bundleDir, out.types, { quiet, write: stage }),
    },
    {
      name: "validate",
      what: "Ajv standalone request validators -> src/generated/validators-v{1,2}.ts",
      after: ["bundle"],
      action: async () => {
        for (const version of versions) {
          await generateValidators({
            bundle: join(out.bundleDir, `${version}.json`),
            out: out.validators(version),
            write: stage,
          });
        }
      },
    },
    {
      name: "operations",
      what: "operation tables and client method signatures -> src/generated/operations-v{1,2}.ts",
      after: ["bundle"],
      action: () => {
        for (const version of versions) {
          generateOperations({
            version,
            bundle: join(out.bundleDir, `${version}.json`),
            out: operationsOutput(out, version),
            write: stage,
          });
        }
      },
    },
    {
      name: "write",
      what: "src/generated/*, once every generator has passed (put back if the lint then fails)",
      after: ["types", "validate", "operations"],
      action: () => {
        for (const [file, text] of staged) {
          previous.set(file, existsSync(file) ? readFileSync(file, "utf8") : undefined);
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, text);
        }
      },
      undo: () => {
        for (const [file, text] of previous) {
          if (text === undefined) rmSync(file, { force: true });
          else writeFileSync(file, text);
        }
      },
    },
    {
      name: "docs",
      what: "redocly build-docs -> dist/docs/v1.html, dist/docs/v2.html (self-contained, work offline)",
      after: ["bundle"],
      action: () =>
        Promise.all(
          versions.map((version) =>
            // --inlineBundle: Redoc's script goes into the page; loaded from the CDN, no operation renders offline.
            runAsync(
              tools.redocly,
              ["build-docs", version, "--inlineBundle", "--output", join(out.docsDir, `${version}.html`)],
              { quiet: true, cwd: project },
            ),
          ),
        ),
    },
    {
      name: "build",
      what: "TypeScript 7's tsc -p tsconfig.build.json -> dist/ (the installable package)",
      after: ["write"],
      action: () => build(out.buildDir, { quiet, project, singleThreaded }),
    },
  ];
}

/**
 * TypeScript 7's tsc -p tsconfig.build.json on `project` (into `outDir`, default dist/). Its .js and .d.ts are
 * byte for byte TypeScript 5.9's for this project (only the source maps' column mappings differ).
 * `singleThreaded`: tsc on one thread (`--singleThreaded`), for a caller whose cores are busy already (the test
 * run): its checker threads would share them and each redo part of the work (a third more CPU time here).
 */
export function build(
  outDir?: string,
  { quiet = false, project = root, singleThreaded = false } = {},
): Promise<string> {
  const args = ["-p", "tsconfig.build.json", ...(outDir ? ["--outDir", outDir] : [])];
  return runAsync(tools.tsc7, singleThreaded ? [...args, "--singleThreaded"] : args, { quiet, cwd: project });
}

const announce = {
  start: (phase: Phase) => console.log(`▶ ${phase.name}: ${phase.what}`),
  end: (phase: Phase, seconds: number) => console.log(`✔ ${phase.name} (${seconds.toFixed(1)} s)`),
};

async function generate(): Promise<void> {
  await runPhases(phases(projectOutputs), announce);
  console.log(
    "Generated: dist/openapi, src/generated, dist/docs, dist (package). Commit src/generated if it changed.",
  );
}

/**
 * The phases of `npm run generate:check`: bundle into `scratch`, lint, and compare what would be generated.
 * `bundled`: `scratch` already holds the bundles of the specs as they are now (the test run's setup makes them in
 * dist/openapi), so the bundle phase has nothing to do; `quiet`: the lint prints only its problems.
 */
export function checkPhases(scratch: string, { bundled = false, quiet = false } = {}): Phase[] {
  return [
    {
      name: "bundle",
      what: bundled ? "both versions: bundled already" : "both versions, into a scratch folder",
      after: [],
      action: () => (bundled ? undefined : bundleAsync(scratch)),
    },
    {
      name: "lint",
      what: "one redocly lint of openapi/v1, openapi/v2 and their bundles (rules: redocly.yaml)",
      after: ["bundle"],
      action: () => lintSpecs(scratch, { quiet }),
    },
    {
      name: "types",
      what: "src/generated/v1.ts, v2.ts are what openapi-typescript makes of the bundles",
      after: ["bundle"],
      action: () => generateTypes(scratch, projectOutputs.types, { check: true }),
    },
    {
      name: "validate",
      what: "request validators are fresh (src/generated/validators-v{1,2}.ts)",
      after: ["bundle"],
      action: async () => {
        for (const version of versions) {
          await generateValidators({
            bundle: join(scratch, `${version}.json`),
            out: projectOutputs.validators(version),
            check: true,
          });
        }
      },
    },
    {
      name: "operations",
      what: "operation tables are fresh (src/generated/operations-v{1,2}.ts)",
      after: ["bundle"],
      action: () => {
        for (const version of versions) {
          generateOperations({
            version,
            bundle: join(scratch, `${version}.json`),
            out: operationsOutput(projectOutputs, version),
            check: true,
          });
        }
      },
    },
  ];
}

async function check(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), "hostup-generate-check-"));
  try {
    await runPhases(checkPhases(scratch), announce);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log("Generated files are up to date; the specs and their bundles lint clean.");
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

let openapiTypescript: Promise<typeof import("openapi-typescript")> | undefined;
/**
 * openapi-typescript, loaded once, on first use (the bundle phase starts it early). Its CommonJS build, required:
 * imported as an ES module, the TypeScript it loads is scanned twice more by Node (for module syntax, for its
 * exports), about twice the CPU time of loading it.
 */
const loadOpenapiTypescript = () => {
  openapiTypescript ??= Promise.resolve().then(
    () => createRequire(import.meta.url)("openapi-typescript") as typeof import("openapi-typescript"),
  );
  return openapiTypescript;
};

/**
 * openapi-typescript's Node API, once per version, from its bundle: the text its CLI writes (the same header, the
 * same options), without a process per file. Loaded on first use: it brings TypeScript 5.9's API with it.
 * `--empty-objects-unknown`: an object the docs show without fields (e.g. v2 `limits`) is `unknown`-valued, not
 * `Record<string, never>`, so that the fields the server does send stay reachable.
 */
async function generateTypes(
  bundleDir: string,
  output: (version: Version) => string,
  {
    check = false,
    quiet = false,
    write = writeFileSync,
  }: { check?: boolean; quiet?: boolean; write?: (file: string, text: string) => void } = {},
): Promise<void> {
  const { default: openapiTS, astToString, COMMENT_HEADER } = await loadOpenapiTypescript();
  for (const version of versions) {
    const source = pathToFileURL(join(bundleDir, `${version}.json`));
    const ast = await openapiTS(source, { emptyObjectsUnknown: true, silent: quiet });
    const text = `${COMMENT_HEADER}${astToString(ast)}`;
    const out = output(version);
    if (check) {
      let current = "";
      try {
        current = readFileSync(out, "utf8");
      } catch {}
      if (current !== text) {
        throw new StepFailed(
          `${relative(root, out)} is stale (it differs from what openapi-typescript makes of the spec): run \`npm run generate\``,
        );
      }
      continue;
    }
    mkdirSync(dirname(out), { recursive: true });
    write(out, text);
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

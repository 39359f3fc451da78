/**
 * A scratch copy of the project, regenerated from an edited spec: what a contributor who adds or removes an
 * operation gets from `npm run generate`, without touching the project itself.
 *
 * The copy holds the project's openapi/, redocly.yaml, src/, package.json and tsconfigs (node_modules linked), or less.
 * `edit` changes the copy's openapi/ (see `editYaml`); then `npm run generate`'s own phases run on the copy, side by
 * side as generate runs them: bundle, lint (of the bundles), types, validators and operation tables into the
 * copy's src/generated. `build()` runs the last phase, TypeScript 7's build of the copy's src/ into its dist/.
 * A test can then read the generated files, or import `dist/index.js` of the copy and call the new method against
 * a loopback server.
 */
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { type Outputs, phases, type Version, versions } from "../../scripts/generate.js";
import { type Phase, runPhases } from "../../scripts/run-phases.js";

const root = join(import.meta.dirname, "..", "..");

export interface ScratchProject {
  /** The copy's folder. */
  dir: string;
  /** A file of the copy, e.g. `src/generated/operations-v2.ts`. */
  read(path: string): string;
  /** The build phase on the copy (to dist/): its errors, `file(line,col): error TS...`; none if it built. */
  build(): Promise<string[]>;
  remove(): void;
}

/** Changes a YAML file of the copy through its parsed value (comments are not kept). */
export function editYaml(file: string, change: (doc: Record<string, unknown>) => void): void {
  const doc = parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  change(doc);
  writeFileSync(file, stringify(doc));
}

const isVersion = (name: string): name is Version => (versions as readonly string[]).includes(name);

/** Whether two files, or two folders and everything in them, hold the same. */
function sameTree(a: string, b: string): boolean {
  const [isDirA, isDirB] = [a, b].map((path) => existsSync(path) && statSync(path).isDirectory());
  if (isDirA !== isDirB) return false;
  if (!isDirA) return existsSync(a) && existsSync(b) && readFileSync(a).equals(readFileSync(b));
  const names = readdirSync(a).sort();
  const others = readdirSync(b).sort();
  return (
    names.join("\0") === others.join("\0") && names.every((name) => sameTree(join(a, name), join(b, name)))
  );
}

/**
 * The versions whose description the copy's edit changed: openapi/<version> differs from the project's, or anything
 * they share does (redocly.yaml, the rest of openapi/: then every version). An unchanged version bundles to what
 * the project's own lint checks in the same test run (test/spec/generated-fresh.test.ts); the copy's lint skips it.
 * Read when the copy is made: an edit made later to a copy that then runs the lint must be of an edited version.
 */
function editedVersions(dir: string): Version[] {
  const others = new Set(
    [root, dir].flatMap((top) => readdirSync(join(top, "openapi"))).filter((name) => !isVersion(name)),
  );
  const shared = ["redocly.yaml", ...[...others].map((name) => join("openapi", name))];
  if (shared.some((path) => !sameTree(join(root, path), join(dir, path)))) return [...versions];
  return versions.filter(
    (version) => !sameTree(join(root, "openapi", version), join(dir, "openapi", version)),
  );
}

/** What a copy holds by default: all that generate's phases read, the build among them. */
const PROJECT_FILES = [
  "openapi",
  "src",
  "redocly.yaml",
  "package.json",
  "tsconfig.json",
  "tsconfig.build.json",
];
/** What generate's phases up to the generated files read and write (`generatedFilePhases`): no build. */
export const GENERATE_INPUTS = ["openapi", "redocly.yaml", "src/generated"];

/**
 * A copy of the project with `edit` applied to its openapi/, and generate's phases pointed at the copy. `paths`:
 * what to copy (a test that runs no build needs no sources and tsconfigs: each file copied is one to remove).
 */
export function copyProject(
  edit: (openapiDir: string) => void,
  { paths = PROJECT_FILES }: { paths?: readonly string[] } = {},
): {
  dir: string;
  steps: Phase[];
  remove(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), "hostup-scratch-project-"));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    for (const path of paths) cpSync(join(root, path), join(dir, path), { recursive: true });
    symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
    edit(join(dir, "openapi"));
    const generated = join(dir, "src", "generated");
    const out: Outputs = {
      bundleDir: join(dir, "dist", "openapi"),
      types: (version) => join(generated, `${version}.ts`),
      validators: (version) => join(generated, `validators-${version}.ts`),
      docsDir: join(dir, "dist", "docs"),
      buildDir: join(dir, "dist"),
    };
    // the lint of the bundles alone: the sources' lint would check the same content again, with file locations
    // that a scratch copy has no reader for; and of the edited versions' alone (see editedVersions)
    return {
      dir,
      steps: phases(out, {
        quiet: true,
        project: dir,
        lintSources: false,
        singleThreaded: true,
        lintVersions: editedVersions(dir),
      }),
      remove,
    };
  } catch (error) {
    remove();
    throw error;
  }
}

/** generate's phases up to the generated files (not the HTML reference, nothing reads it; not the build). */
export const generatedFilePhases = (steps: Phase[]) =>
  steps.filter((phase) => !["docs", "build"].includes(phase.name));

/**
 * Copies the project, lets `edit` change the copy's openapi/ folder, and regenerates the copy. Throws the failing
 * phase's output (a lint problem, a generator error, a tsc error of the build).
 */
export async function scratchProject(edit: (openapiDir: string) => void): Promise<ScratchProject> {
  const { dir, steps, remove } = copyProject(edit);
  try {
    await runPhases(generatedFilePhases(steps));
    const buildPhase = steps.find((phase) => phase.name === "build");
    if (!buildPhase) throw new Error("scripts/generate.ts has no build phase");
    const build = async () => {
      try {
        await buildPhase.action();
        return [];
      } catch (error) {
        const errors = String((error as Error).message).match(/^\S+\(\d+,\d+\): error TS\d+.*$/gm);
        if (!errors) throw error;
        return errors;
      }
    };
    return { dir, read: (path) => readFileSync(join(dir, path), "utf8"), build, remove };
  } catch (error) {
    remove();
    throw error;
  }
}

/**
 * The consumer's view: the build (the test setup's, test/setup/bundle.ts), `npm pack`, install the tarball into a
 * clean temporary project, and prove there that a correct call type-checks (TypeScript 5.9, skipLibCheck on as
 * `tsc --init` writes it; the declarations themselves are checked with it off, by TypeScript 7), a weekly schedule
 * without dayOfWeek does not, and the package loads from ESM and from CommonJS (require(esm), Node 20.19+), and a
 * CommonJS TypeScript project (module nodenext) sees the full types through `require`. publint and
 * @arethetypeswrong/cli run on the same tarball: the esm-only profile passes, and the default profile finds nothing
 * but what an ESM-only package implies (node16-from-CJS "dynamic import only"; node10 without `exports`).
 *
 * The install needs no network and no npm cache: the package's runtime dependencies (and theirs) are packed from
 * this repository's own node_modules, the versions the lockfile pinned, and installed together with the package,
 * offline, with a cache folder of the test's own. (An offline install that has to resolve `openapi-fetch` from the
 * registry fails on an empty cache with ENOTCACHED: `npm ci` caches only the slim package documents, `npm install`
 * asks for the full ones.) A dependency the package forgot to declare is not packed, so the import tests catch it.
 *
 * The same install is the consumer of hostup-api/contract: the project's own calls through the client against the
 * mock, with recording on, then `npx hostup-contract check` on the recording (clean) and on copies with a planted
 * fault (an undeclared property, a wrong type, an unknown operation, a secret), each report format at least once
 * and the GitHub Actions annotations and summary once, as the installed bin (consumer-contract.ts). Every case in
 * every format runs in-process in test/contract/cli.test.ts; a process per run is what made this file slow.
 */
import { execFile, execFileSync, spawnSync } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { jsonAfter } from "../spec/lifecycle-pages.js";
import {
  type CliRun,
  CONSUMER_CALLS,
  type Format,
  plantFaults,
  runContractCli,
} from "./consumer-contract.js";

const execFileAsync = promisify(execFile);
const root = resolve(import.meta.dirname, "..", "..");
const bin = (name: string) => join(root, "node_modules", ".bin", name);
let work = "";
let project = "";
/** A CommonJS consumer (no "type": "module") sharing the ESM project's node_modules. */
let cjsProject = "";
let tarball = "";
/** The runtime dependencies packed beside the package, "name@version". */
let packedDependencies: string[] = [];
/** What `npm ls --all --json` says of the consumer right after the install. */
interface InstalledTree {
  version?: string;
  resolved?: string;
  dependencies?: Record<string, InstalledTree>;
}
let installedTree: InstalledTree = {};

/**
 * The environment of a command a user types in a shell: `npm test` runs this file inside an npm lifecycle, whose
 * npm_config_* and npm_lifecycle_* variables would otherwise reach the npm, npx and attw started here and change
 * what they do (npx answered EUSAGE under `npm test` and not under `npx vitest`).
 */
function shellEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  return { ...env, FORCE_COLOR: "0", ...extra };
}

function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: "utf8",
      stdio: "pipe",
      env: shellEnv(),
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(" ")} failed:\n${e.stdout ?? ""}${e.stderr ?? ""}${e.message}`);
  }
}

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  exports?: Record<string, unknown>;
}

const readManifest = (dir: string) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;

/** Where Node finds `name` from the package in `from`: its own node_modules, then each parent folder's. */
function installedDir(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The folders of everything the package at `dir` needs at run time, transitively: dependencies, required peers,
 * and the optional dependencies that are installed. A required one that is missing from node_modules is an error.
 */
function runtimeClosure(dir: string): string[] {
  const found = new Set<string>();
  const visit = (from: string) => {
    const manifest = readManifest(from);
    const optionalPeers = manifest.peerDependenciesMeta ?? {};
    const required = [
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}).filter((name) => !optionalPeers[name]?.optional),
    ];
    const optional = Object.keys(manifest.optionalDependencies ?? {});
    for (const name of [...required, ...optional]) {
      const at = installedDir(name, from);
      if (!at) {
        if (optional.includes(name)) continue;
        throw new Error(`${manifest.name} needs ${name}, which is not in node_modules: run npm ci`);
      }
      if (found.has(at)) continue;
      found.add(at);
      visit(at);
    }
  };
  visit(dir);
  return [...found];
}

/**
 * A consumer's compiler options: strict, module nodenext (what the README tells ESM and CommonJS users alike), and
 * skipLibCheck as `tsc --init` writes it (the package's own declarations are checked with it off, by dtsProject).
 */
const CONSUMER_OPTIONS = {
  strict: true,
  module: "NodeNext",
  moduleResolution: "NodeNext",
  target: "ES2022",
  noEmit: true,
  types: ["node"],
  lib: ["ES2023", "DOM"],
  skipLibCheck: true,
};

/** TypeScript 7's tsc, the repository's own (the consumers' compiler is the pinned 5.9, linked in below). */
const TSC7 = join(root, "node_modules", "typescript7", "bin", "tsc");

/** Type-checks `dir` with `compiler` (its tsconfig.json, or `config`); returns tsc's output, "" when clean. */
async function typeCheck(
  dir: string,
  compiler = join(project, "node_modules", "typescript", "bin", "tsc"),
  config = ".",
): Promise<string> {
  try {
    // TypeScript 7 on one thread: the run's other files keep the cores busy (its checker threads cost a third more)
    const threads = compiler === TSC7 ? ["--singleThreaded"] : [];
    await execFileAsync(process.execPath, [compiler, "-p", config, "--noEmit", ...threads], {
      cwd: dir,
      encoding: "utf8",
    });
    return "";
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  }
}

const ESM_GOOD = `import { createV2Client, HostupApiError, type V2BackupSchedule } from "hostup-api";
const v2 = createV2Client({ token: "test-token" });
export async function nightly(): Promise<V2BackupSchedule | undefined> {
  try {
    return await v2.backupSchedules.save("vps_1", { frequency: "weekly", dayOfWeek: 1, hour: 2, retentionCount: 3, enabled: true });
  } catch (error) {
    if (error instanceof HostupApiError && error.status === 404) return undefined;
    throw error;
  }
}
`;
const ESM_BAD = `import { createV2Client } from "hostup-api";
const v2 = createV2Client({ token: "test-token" });
void v2.backupSchedules.save("vps_1", { frequency: "weekly", hour: 2, retentionCount: 3, enabled: true });
`;
const CJS_GOOD = `import { createV2Client, HostupApiError, type V2BackupSchedule } from "hostup-api";
import hostup = require("hostup-api");
const v2 = createV2Client({ token: "test-token" });
export async function nightly(): Promise<V2BackupSchedule | undefined> {
  try {
    return await v2.backupSchedules.save("vps_1", { frequency: "weekly", dayOfWeek: 1, hour: 2, retentionCount: 3, enabled: true });
  } catch (error) {
    if (error instanceof hostup.HostupApiError || error instanceof HostupApiError) return undefined;
    throw error;
  }
}
`;
const CJS_BAD = `import hostup = require("hostup-api");
void hostup.createV2Client({ token: "test-token" }).backupSchedules.save("vps_1", { frequency: "weekly", hour: 2, retentionCount: 3, enabled: true });
`;
/**
 * tsc's diagnostics in `output` that are not in a file under one of the `others` folders (output paths are relative
 * to tsc's working folder): a project's own, and any that name no file or a file of neither project.
 */
function diagnosticsBut(output: string, others: string[]): string {
  const diagnostics = output.split(/\n(?=\S)/).filter(Boolean);
  return diagnostics
    .filter((d) => !others.some((other) => d.startsWith(`${other}/`)))
    .map((d) => `${d}\n`)
    .join("");
}

/** tsc's output for each consumer project (its good.ts and bad.ts), paths relative to the project's folder. */
let esmCheck = "";
let cjsCheck = "";
/** TypeScript 7 on the package's declarations (skipLibCheck off), beside a planted broken one. */
let dtsCheck = "";
/** `hostup-contract check` in the consumer's project on the planted recordings, by run (PLANTED_RUNS). */
const contractRuns = new Map<string, CliRun>();
let usageRun: CliRun | undefined;
let npxRun: { code: number; stdout: string; stderr: string } | undefined;

/**
 * Each planted recording, checked once through the installed bin, each report format at least once and the GitHub
 * Actions extras once (every case in every format runs in-process: test/contract/cli.test.ts). Two runs, a process
 * each: the drift cases in json (exit 1: the report names each finding's file, and each case's finding is looked
 * for among its own file's), and the unknown operation beside the secret in junit as on GitHub Actions (exit 2: a
 * secret takes precedence over drift; annotations on stderr, since the report has stdout; the step summary).
 * [case, run, exit code of its run, the finding in its run's report].
 */
const PLANTED: [string, "json" | "junit-github", number, RegExp][] = [
  ["undeclared", "json", 1, /"pointer": "\/surprise"/],
  [
    "wrong-type",
    "json",
    1,
    /"pointer": "\/data\/0\/name",\n\s*"expected": "type string",\n\s*"found": "integer 42"/,
  ],
  ["unknown-operation", "junit-github", 2, /<failure message="[^"]+" type="unknown-operation">/],
  ["secret", "junit-github", 2, /<failure message="bearer token: Bearer pla\*\*\*3n" type="secret">/],
];
const PLANTED_RUNS: { run: "json" | "junit-github"; format: Format; github: boolean }[] = [
  { run: "json", format: "json", github: false },
  { run: "junit-github", format: "junit", github: true },
];

/** The consumer's test run against the mock with recording on, then the checks, side by side. */
async function consumerContract(): Promise<void> {
  writeFileSync(join(project, "record.mjs"), CONSUMER_CALLS);
  await execFileAsync(process.execPath, ["record.mjs"], { cwd: project });
  plantFaults(project);
  await Promise.all(
    PLANTED_RUNS.map(async ({ run, format, github }) => {
      const cases = PLANTED.filter(([, r]) => r === run).map(([c]) => c);
      const files = cases.map((c) => `planted/${c}.har`);
      contractRuns.set(run, await runContractCli(project, files, format, run, github));
    }),
  );
  usageRun = await runContractCli(project, "planted/login-page.har", "text", "usage");
  // once as a user types it: npx finds the package's bin, offline
  npxRun = await execFileAsync(
    "npx",
    ["--offline", "--cache", join(work, "npm-cache"), "hostup-contract", "check", "traffic/clean.har"],
    { cwd: project, encoding: "utf8", env: shellEnv({ GITHUB_ACTIONS: "" }) },
  ).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({
      code: e.code ?? -1,
      stdout: e.stdout ?? "",
      stderr: e.stderr ?? "",
    }),
  );
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "hostup-api-consumer-"));
  // dist/ was built by the test setup (test/setup/bundle.ts: `npm run build`'s compilation, once per run)
  const { failed } = inject("packageBuild");
  if (failed) throw new Error(`building the package failed:\n${failed}`);
  const packed = join(work, "packed");
  mkdirSync(packed);
  const dependencies = runtimeClosure(root);
  packedDependencies = dependencies.map((dir) => `${readManifest(dir).name}@${readManifest(dir).version}`);
  // npm pack for the package (absolute folder: npm would read "x/y" as a GitHub shorthand); --json names the tarball
  const packs = JSON.parse(
    run("npm", ["pack", "--silent", "--json", "--ignore-scripts", "--pack-destination", packed, root], root),
  ) as { name: string; filename: string }[];
  if (packs[0]?.name !== readManifest(root).name)
    throw new Error("npm pack produced no tarball of the package");
  tarball = join(packed, packs[0].filename);
  // Each runtime dependency as the registry serves it: its installed folder (the files it was published with) in a
  // tarball under package/, its own node_modules left out. tar, not npm pack: npm's packing of these folders cost
  // seven times the CPU, and re-applying the publish rules to published files changes nothing.
  dependencies.forEach((dir, i) => {
    const { name, version } = readManifest(dir);
    const staging = join(work, "staging", String(i));
    mkdirSync(staging, { recursive: true });
    symlinkSync(dir, join(staging, "package"), "dir");
    const file = join(packed, `${name.replace(/^@/, "").replace("/", "-")}-${version}.tgz`);
    run("tar", ["-czhf", file, "--exclude", "package/node_modules", "-C", staging, "package"], work);
  });
  const tarballs = readdirSync(packed).map((name) => join(packed, name));
  project = join(work, "app");
  mkdirSync(project);
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "app", private: true, type: "module" }),
  );
  const offline = ["--offline", "--cache", join(work, "npm-cache")];
  run(
    "npm",
    ["install", ...offline, "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock", ...tarballs],
    project,
  );
  // npm ls exits non-zero on a missing or invalid dependency; read before the compiler is linked in below
  installedTree = JSON.parse(run("npm", ["ls", "--all", "--json", ...offline], project)) as InstalledTree;
  // the consumer's compiler: the repo's pinned TypeScript and @types/node, linked rather than downloaded
  symlinkSync(join(root, "node_modules", "typescript"), join(project, "node_modules", "typescript"), "dir");
  mkdirSync(join(project, "node_modules", "@types"), { recursive: true });
  symlinkSync(
    join(root, "node_modules", "@types", "node"),
    join(project, "node_modules", "@types", "node"),
    "dir",
  );
  // One TypeScript 5.9 program for both consumers (the second program re-read the same lib, @types/node and
  // declarations: a whole compiler run of CPU): module nodenext takes each file's format from its nearest
  // package.json, so cjs-app's files are CommonJS (what the README tells CommonJS users: module nodenext,
  // TypeScript >= 5.8, or node20, >= 5.9) and app's are ESM, each resolving hostup-api as it would alone.
  writeFileSync(
    join(project, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: CONSUMER_OPTIONS,
      files: ["good.ts", "bad.ts", "../cjs-app/good.ts", "../cjs-app/bad.ts"],
    }),
  );
  cjsProject = join(work, "cjs-app");
  mkdirSync(cjsProject);
  writeFileSync(join(cjsProject, "package.json"), JSON.stringify({ name: "cjs-app", private: true }));
  symlinkSync(join(project, "node_modules"), join(cjsProject, "node_modules"), "dir");
  // The consumers above skip the declarations' own check, as most projects do; here every entry point's
  // declarations are checked with skipLibCheck off, by TypeScript 7 (a seventh of 5.9's time), in one program with
  // a planted declaration file that has an error: that error, and only it, must be reported.
  const dtsProject = join(work, "dts");
  mkdirSync(dtsProject);
  symlinkSync(join(project, "node_modules"), join(dtsProject, "node_modules"), "dir");
  writeFileSync(
    join(dtsProject, "package.json"),
    JSON.stringify({ name: "dts", private: true, type: "module" }),
  );
  const entries = Object.entries(readManifest(root).exports ?? {})
    .filter(([, target]) => typeof target === "object" && target !== null && "types" in target)
    .map(([entry]) => entry.replace(/^\./, "hostup-api"));
  writeFileSync(
    join(dtsProject, "entries.ts"),
    `${entries.map((name, i) => `import type * as entry${i} from "${name}";`).join("\n")}\nexport type Entries = [${entries.map((_, i) => `typeof entry${i}`).join(", ")}];\n`,
  );
  writeFileSync(join(dtsProject, "planted.d.ts"), "export declare const planted: NotAType;\n");
  writeFileSync(
    join(dtsProject, "tsconfig.json"),
    JSON.stringify({
      // skipDefaultLibCheck: TypeScript's own lib.*.d.ts are not the package's (checking them was a third of the run)
      compilerOptions: { ...CONSUMER_OPTIONS, skipLibCheck: false, skipDefaultLibCheck: true },
      files: ["entries.ts", "planted.d.ts"],
    }),
  );
  // Each consumer's correct and wrong call, type-checked in one run (from their parent folder, so that each
  // diagnostic names its project): tsc is the slow part of this file.
  writeFileSync(join(project, "good.ts"), ESM_GOOD);
  writeFileSync(join(project, "bad.ts"), ESM_BAD);
  writeFileSync(join(cjsProject, "good.ts"), CJS_GOOD);
  writeFileSync(join(cjsProject, "bad.ts"), CJS_BAD);
  let consumersCheck: string;
  [consumersCheck, dtsCheck] = await Promise.all([
    typeCheck(work, undefined, "app"),
    typeCheck(dtsProject, TSC7),
    consumerContract(),
  ]);
  // each project's diagnostics, and those of neither (they fail both), with paths relative to the project
  esmCheck = diagnosticsBut(consumersCheck, ["cjs-app"]).replace(/^app\//gm, "");
  cjsCheck = diagnosticsBut(consumersCheck, ["app"]).replace(/^cjs-app\//gm, "");
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the packed package, installed in a clean project", () => {
  it("installs offline from its own tarball and its runtime dependencies' (no registry, no npm cache)", () => {
    const pinned = readManifest(root).dependencies ?? {};
    expect(Object.keys(pinned).length).toBeGreaterThan(0);
    for (const [name, version] of Object.entries(pinned))
      expect(packedDependencies).toContain(`${name}@${version}`);
    const top = Object.entries(installedTree.dependencies ?? {});
    expect(top.map(([name, node]) => `${name}@${node.version}`).sort()).toEqual(
      [`hostup-api@${readManifest(root).version}`, ...packedDependencies].sort(),
    );
    for (const [, node] of top) expect(node.resolved).toMatch(/^file:.*\.tgz$/);
    // the package's own dependencies resolve to the packed ones
    const own = installedTree.dependencies?.["hostup-api"]?.dependencies ?? {};
    expect(Object.fromEntries(Object.entries(own).map(([name, node]) => [name, node.version]))).toEqual(
      pinned,
    );
  });

  it("ships only dist and package metadata", () => {
    const listing = run("tar", ["-tzf", tarball], work).split("\n").filter(Boolean);
    expect(listing.every((path) => /^package\/(dist\/|package\.json$|README\.md$|LICENSE$)/.test(path))).toBe(
      true,
    );
    expect(listing).toContain("package/dist/index.js");
    expect(listing).toContain("package/dist/generated/validators-v2.js");
    expect(listing.some((path) => path.includes("/src/") || path.includes("/test/"))).toBe(false);
  });

  it("type-checks a correct call", () => {
    expect(esmCheck).not.toMatch(/^good\.ts/m);
    expect(esmCheck).toMatch(/^bad\.ts/m); // tsc did run and report
  });

  it("rejects a weekly schedule without dayOfWeek at compile time", () => {
    // exactly one error, on the call, and for the missing dayOfWeek (not, say, an unresolved import)
    expect(esmCheck.match(/error TS\d+/g)).toEqual(["error TS2345"]);
    expect(esmCheck).toMatch(/^bad\.ts\(3,\d+\): error TS2345/m);
    expect(esmCheck).toMatch(/Property 'dayOfWeek' is missing in type '\{ frequency: "weekly";/);
  });

  it("ships declarations that type-check with skipLibCheck off, every entry point (TypeScript 7)", () => {
    // the planted error is reported (the check can fail), and nothing else is
    expect(dtsCheck.match(/error TS\d+/g)).toEqual(["error TS2304"]);
    expect(dtsCheck).toMatch(/^planted\.d\.ts\(1,\d+\): error TS2304: Cannot find name 'NotAType'/m);
  });

  it("imports from ESM and requires from CommonJS at runtime", () => {
    const esm = run(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import * as m from "hostup-api"; console.log(typeof m.createV1Client, typeof m.createV2Client, typeof m.HostupApiError);`,
      ],
      project,
    );
    expect(esm.trim()).toBe("function function function");
  });

  it("require() works from a CommonJS package on Node 20.19+ (require of ESM), root and ./mock, without warnings", () => {
    const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
    expect(major > 20 || (major === 20 && minor >= 19), `Node ${process.versions.node} < 20.19`).toBe(true);
    writeFileSync(
      join(cjsProject, "main.js"),
      `const m = require("hostup-api");
const { startMockServer } = require("hostup-api/mock");
const c = m.createV2Client({ token: "test-token" });
const e = new m.HostupApiError({ status: 500, code: "x", message: "y", apiVersion: "v2", operation: "listVps" });
console.log(typeof require, typeof c.vps.listAll, typeof startMockServer, e instanceof m.HostupError, m.VERSION);
`,
    );
    const result = spawnSync(process.execPath, ["main.js"], { cwd: cjsProject, encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^function function function true \d+\.\d+\.\d+\n$/);
  });

  it("type-checks from a CommonJS TypeScript project (module nodenext): full types through require", () => {
    // one error, and it is the schedule's: the types were resolved (an unresolved or ESM-only import is TS1479/TS2307)
    expect(cjsCheck.match(/error TS\d+/g)).toEqual(["error TS2345"]);
    expect(cjsCheck).toMatch(/^bad\.ts\(2,\d+\): error TS2345/m);
    expect(cjsCheck).toMatch(/Property 'dayOfWeek' is missing/);
  });

  it("passes publint", () => {
    expect(run(bin("publint"), ["run", tarball, "--strict"], root)).not.toMatch(/error/i);
  });

  // One attw run (its default profile, JSON); the esm-only profile is the same analysis with node10 and node16-cjs
  // ignored, so "only these two kinds, in those resolutions" is also "the esm-only profile passes".
  // The YAML bundles are data files (read via import.meta.resolve), not modules TypeScript can resolve.
  it("@arethetypeswrong/cli: the esm-only profile passes; the default finds only what an ESM-only package implies", () => {
    // attw exits 1 when it finds problems; its JSON report is stdout alone (stderr may hold warnings), written to a
    // file rather than a pipe, and read as the first whole JSON document in it
    const reportFile = join(work, "attw-report.json");
    const fd = openSync(reportFile, "w");
    let result: ReturnType<typeof spawnSync>;
    try {
      result = spawnSync(
        bin("attw"),
        [tarball, "--format", "json", "--exclude-entrypoints", "./openapi/v1.yaml", "./openapi/v2.yaml"],
        { cwd: root, encoding: "utf8", stdio: ["ignore", fd, "pipe"], env: shellEnv() },
      );
    } finally {
      closeSync(fd);
    }
    expect(result.error, String(result.stderr)).toBeUndefined();
    const output = readFileSync(reportFile, "utf8");
    const json = jsonAfter(output, []) as {
      analysis: { problems: { kind: string; entrypoint: string; resolutionKind?: string }[] };
    };
    const problems = json.analysis.problems.map((p) => `${p.kind} ${p.entrypoint} ${p.resolutionKind}`);
    // node16 from CJS: "ESM (dynamic import only)", true for TypeScript's module node16/node18 (it models Node 16);
    // with module nodenext (TS >= 5.8) or node20 (TS >= 5.9) require() of ESM type-checks (test above).
    // node10 ignores `exports`, so subpaths do not resolve there; the root does (main/types).
    for (const problem of problems) {
      expect(problem).toMatch(/^(CJSResolvesToESM \S+ node16-cjs|NoResolution \.\/\S+ node10)$/);
    }
    expect(problems).toContain("CJSResolvesToESM . node16-cjs");
  });
});

describe("hostup-contract in the consumer's project: its own calls against the mock, recorded", () => {
  it("npx hostup-contract check passes the clean recording (exit 0), with the coverage table", () => {
    expect(npxRun?.code, `${npxRun?.stdout}\n${npxRun?.stderr}`).toBe(0);
    expect(npxRun?.stdout).toMatch(/\| v2 +\| saveBackupSchedule +\| POST .*\| 201 +\| 1 +\|/);
    expect(npxRun?.stdout).toContain("✔ hostup-contract: 1 file(s), 4 exchange(s): no drift, no secrets");
    // scrubbed by default
    expect(readFileSync(join(project, "traffic", "clean.har"), "utf8")).not.toContain("mock-v2-token");
  });

  it.each(PLANTED)("%s in %s: exit %i and the finding", (c, r, code, finding) => {
    const run = contractRuns.get(r);
    if (!run) throw new Error(`no run for ${r}`);
    expect(run.code, run.stderr).toBe(code);
    if (r === "json") {
      const report = JSON.parse(run.stdout) as { exitCode: number; findings: { file: string }[] };
      expect(report.exitCode).toBe(code);
      // the finding among its own file's (the run also checked the other json cases)
      const mine = report.findings.filter((x) => x.file === `planted/${c}.har`);
      expect(JSON.stringify(mine, null, 2)).toMatch(finding);
    } else {
      expect(run.stdout).toMatch(finding);
      // one failure in each case's own test suite (drift: its file; secrets: the scan), two in all
      expect(run.stdout).toMatch(/<testsuites name="hostup-contract" tests="\d+" failures="2"/);
      const suite = c === "secret" ? "secret scan" : `drift: planted/${c}.har`;
      expect(run.stdout).toMatch(new RegExp(`<testsuite name="${suite}" tests="\\d+" failures="1"`));
      // as on GitHub Actions: an annotation on the file (on stderr: the report has stdout), and the step summary
      expect(run.stderr).toMatch(
        new RegExp(`^::error file=planted/${c}\\.har,line=\\d+,title=hostup-contract%3A `, "m"),
      );
      expect(run.summary).toMatch(new RegExp(`^## ✘ hostup-contract: .*\\(exit ${code}\\)`));
      expect(run.summary).toMatch(new RegExp(`^\\| planted/${c}\\.har \\|`, "m"));
    }
    expect(`${run.stdout}${run.stderr}${run.summary}`).not.toContain("planted-tok3n");
  });

  it("a file that is not HAR: exit 3, naming the file", () => {
    expect(usageRun?.code).toBe(3);
    expect(usageRun?.stderr).toContain("planted/login-page.har: not a HAR file: not JSON");
  });
});

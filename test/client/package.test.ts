/**
 * The consumer's view: build, `npm pack`, install the tarball into a clean temporary project (offline: openapi-fetch
 * comes from the npm cache the repo's install filled), and prove there that a correct call type-checks, a weekly
 * schedule without dayOfWeek does not, and the package loads from ESM and from CommonJS (require(esm), Node 20.19+).
 * publint and @arethetypeswrong/cli (esm-only profile) run on the same tarball.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..", "..");
const bin = (name: string) => join(root, "node_modules", ".bin", name);
let work = "";
let project = "";
let tarball = "";

function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: "utf8",
      stdio: "pipe",
      env: { ...process.env, FORCE_COLOR: "0" },
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(" ")} failed:\n${e.stdout ?? ""}${e.stderr ?? ""}${e.message}`);
  }
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "hostup-api-consumer-"));
  run("npm", ["run", "build", "--silent"], root);
  run("npm", ["pack", "--silent", "--pack-destination", work], root);
  const file = readdirSync(work).find((name) => name.endsWith(".tgz"));
  if (!file) throw new Error("npm pack produced no tarball");
  tarball = join(work, file);
  project = join(work, "app");
  mkdirSync(project);
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "app", private: true, type: "module" }),
  );
  run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball], project);
  // the consumer's compiler: the repo's pinned TypeScript and @types/node, linked rather than downloaded
  symlinkSync(join(root, "node_modules", "typescript"), join(project, "node_modules", "typescript"), "dir");
  mkdirSync(join(project, "node_modules", "@types"), { recursive: true });
  symlinkSync(
    join(root, "node_modules", "@types", "node"),
    join(project, "node_modules", "@types", "node"),
    "dir",
  );
  writeFileSync(
    join(project, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        module: "NodeNext",
        moduleResolution: "NodeNext",
        target: "ES2022",
        noEmit: true,
        types: ["node"],
        lib: ["ES2023", "DOM"],
      },
    }),
  );
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const tsc = (file: string) => {
  try {
    execFileSync(join(project, "node_modules", "typescript", "bin", "tsc"), ["-p", ".", "--noEmit"], {
      cwd: project,
      encoding: "utf8",
      stdio: "pipe",
    });
    return "";
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error) + file;
  } finally {
    rmSync(join(project, file), { force: true });
  }
};

describe("the packed package, installed in a clean project", () => {
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
    writeFileSync(
      join(project, "good.ts"),
      `import { createV2Client, HostupApiError, type V2BackupSchedule } from "hostup-api";
const v2 = createV2Client({ token: "test-token" });
export async function nightly(): Promise<V2BackupSchedule | undefined> {
  try {
    return await v2.backupSchedules.save("vps_1", { frequency: "weekly", dayOfWeek: 1, hour: 2, retentionCount: 3, enabled: true });
  } catch (error) {
    if (error instanceof HostupApiError && error.status === 404) return undefined;
    throw error;
  }
}
`,
    );
    expect(tsc("good.ts")).toBe("");
  });

  it("rejects a weekly schedule without dayOfWeek at compile time", () => {
    writeFileSync(
      join(project, "bad.ts"),
      `import { createV2Client } from "hostup-api";
const v2 = createV2Client({ token: "test-token" });
void v2.backupSchedules.save("vps_1", { frequency: "weekly", hour: 2, retentionCount: 3, enabled: true });
`,
    );
    const out = tsc("bad.ts");
    // exactly one error, on the call, and for the missing dayOfWeek (not, say, an unresolved import)
    expect(out.match(/error TS\d+/g)).toEqual(["error TS2345"]);
    expect(out).toMatch(/^bad\.ts\(3,\d+\): error TS2345/m);
    expect(out).toMatch(/Property 'dayOfWeek' is missing in type '\{ frequency: "weekly";/);
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
    const cjs = run(
      process.execPath,
      [
        "--input-type=commonjs",
        "-e",
        `const m = require("hostup-api"); const c = m.createV2Client({ token: "t" }); console.log(typeof c.vps.listAll, m.VERSION);`,
      ],
      project,
    );
    expect(cjs).toMatch(/^function \d+\.\d+\.\d+/);
  });

  it("passes publint", () => {
    expect(run(bin("publint"), ["run", tarball, "--strict"], root)).not.toMatch(/error/i);
  });

  it("passes @arethetypeswrong/cli (esm-only profile)", () => {
    // the YAML bundles are data files (read via import.meta.resolve), not modules TypeScript can resolve
    run(
      bin("attw"),
      [
        tarball,
        "--profile",
        "esm-only",
        "--format",
        "ascii",
        "--exclude-entrypoints",
        "./openapi/v1.yaml",
        "./openapi/v2.yaml",
      ],
      root,
    );
  });
});

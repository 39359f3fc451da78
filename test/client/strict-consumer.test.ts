/**
 * The package's declarations in the strictest consumer project: strict-consumer.ts, compiled against the built
 * package (the dist/ of this run's setup, reached through the package's `exports`) with TypeScript 5.9 and 7,
 * `exactOptionalPropertyTypes`, `noUncheckedIndexedAccess` and `noPropertyAccessFromIndexSignature` on and
 * `skipLibCheck` off. A planted file, wrong only under `exactOptionalPropertyTypes`, proves the options apply.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const root = resolve(import.meta.dirname, "..", "..");
const compilers = {
  "TypeScript 5.9": join(root, "node_modules", "typescript", "bin", "tsc"),
  "TypeScript 7": join(root, "node_modules", "typescript7", "bin", "tsc"),
} as const;
type Compiler = keyof typeof compilers;

const PLANTED = `interface Settings { timeoutMs?: number }
export const planted: Settings = { timeoutMs: undefined };
`;

function compile(compiler: Compiler, cwd: string): Promise<{ status: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [compilers[compiler], "-p", "tsconfig.json"], {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", fail);
    child.once("exit", (status) => done({ status, output }));
  });
}

let work = "";
let results: Record<Compiler, { status: number | null; output: string }>;

beforeAll(async () => {
  const { failed } = inject("packageBuild");
  if (failed) throw new Error(`building the package failed:\n${failed}`);
  work = mkdtempSync(join(tmpdir(), "hostup-strict-consumer-"));
  mkdirSync(join(work, "node_modules", "@types"), { recursive: true });
  // the package by its name: its package.json, `exports` and the dist/ built for this run
  symlinkSync(root, join(work, "node_modules", "hostup-api"), "dir");
  symlinkSync(
    join(root, "node_modules", "@types", "node"),
    join(work, "node_modules", "@types", "node"),
    "dir",
  );
  writeFileSync(join(work, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  writeFileSync(
    join(work, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        types: ["node"],
        noEmit: true,
        skipLibCheck: false,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        noPropertyAccessFromIndexSignature: true,
      },
      files: ["app.ts", "planted.ts"],
    }),
  );
  const app = readFileSync(join(import.meta.dirname, "strict-consumer.ts"), "utf8")
    .replaceAll('"../../src/index.js"', '"hostup-api"')
    .replaceAll('"../../src/mock/index.js"', '"hostup-api/mock"');
  writeFileSync(join(work, "app.ts"), app);
  writeFileSync(join(work, "planted.ts"), PLANTED);
  const [ts59, ts7] = await Promise.all([compile("TypeScript 5.9", work), compile("TypeScript 7", work)]);
  results = { "TypeScript 5.9": ts59, "TypeScript 7": ts7 };
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("a consumer with exactOptionalPropertyTypes, noUncheckedIndexedAccess and skipLibCheck off", () => {
  it.for(Object.keys(compilers) as Compiler[])("%s: compiles, but for the planted error", (compiler) => {
    const { output } = results[compiler];
    const errors = output.split("\n").filter((line) => /error TS\d+/.test(line));
    // the planted file fails as exactOptionalPropertyTypes makes it fail: the options are on
    expect(errors.filter((line) => line.startsWith("planted.ts"))).toHaveLength(1);
    expect(
      errors.filter((line) => !line.startsWith("planted.ts")),
      output,
    ).toEqual([]);
  });
});

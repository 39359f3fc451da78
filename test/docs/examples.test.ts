/**
 * Every TypeScript block of README.md and docs/*.md compiles as written, strict, in a consumer project that installs
 * the built package (its package.json and exports, and a copy of the dist/ the test setup built from src), with the
 * repo's TypeScript 5.9 and with TypeScript 7: one compiler run each over all blocks. The project is the one
 * docs/client.md tells users to set up, made as strict as the package's types can make a difference to
 * (`exactOptionalPropertyTypes`, `noUncheckedIndexedAccess`; each only refuses more, so what compiles here compiles
 * in the documented setup), and the same run compiles test/client/strict-consumer.ts: a consumer's calls
 * that only such a project would refuse if the package's types were careless (`timeoutMs: options.timeoutMs`). The blocks marked ```ts runnable
 * then run with Node against the embedded mock: HostUp's host is sent to a mock on 127.0.0.1 (the example's own
 * code is unchanged), any other host is refused.
 */
import { spawn } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const root = resolve(import.meta.dirname, "..", "..");
const compilers = {
  "TypeScript 5.9": join(root, "node_modules", "typescript", "bin", "tsc"),
  "TypeScript 7": join(root, "node_modules", "typescript7", "bin", "tsc"),
} as const;

interface Block {
  /** Where it is, for messages: "docs/client.md:42" (the line of the opening fence). */
  where: string;
  file: string;
  line: number;
  runnable: boolean;
  code: string;
  /** Its file in the consumer project. */
  name: string;
}

/** The fenced TypeScript blocks of a Markdown file (info string `ts` or `typescript`, optionally `runnable`). */
function tsBlocks(file: string, text: string): Omit<Block, "name">[] {
  const blocks: Omit<Block, "name">[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})(\S*)(.*)$/.exec(lines[i] ?? "");
    if (!open) continue;
    const [, indent = "", fence = "", lang = "", rest = ""] = open;
    const end = lines.findIndex((l, j) => j > i && l.trimEnd() === `${indent}${fence}`);
    if (end < 0) throw new Error(`${file}:${i + 1}: unclosed code fence`);
    if (lang === "ts" || lang === "typescript") {
      blocks.push({
        where: `${file}:${i + 1}`,
        file,
        line: i + 1,
        runnable: rest.split(/\s+/).includes("runnable"),
        code: lines
          .slice(i + 1, end)
          .map((l) => l.slice(indent.length))
          .join("\n"),
      });
    }
    i = end;
  }
  return blocks;
}

const markdownFiles = [
  "README.md",
  ...readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => `docs/${f}`),
];
const blocks: Block[] = markdownFiles.flatMap((file) =>
  tsBlocks(file, readFileSync(join(root, file), "utf8")).map((block, n) => ({
    ...block,
    name: `${file.replace(/\.md$/, "").replace(/\//g, "-")}-${n + 1}`,
  })),
);

const work = mkdtempSync(join(tmpdir(), "hostup-doc-examples-"));
const pkg = join(work, "hostup-api");
const app = join(work, "app");

/** Runs a Node script (a compiler's bin) without blocking: the compilers work side by side. */
function runAsync(
  command: string,
  args: string[],
  cwd: string,
): Promise<{ status: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [command, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", fail);
    child.once("exit", (status) => done({ status, output }));
  });
}

/** Compiler messages point at the scratch files; say where the line is in the Markdown instead. */
function locate(output: string): string {
  return output.replace(
    /(?:[\w./-]*\/)?examples\/([\w.-]+)\.ts\((\d+),(\d+)\)/g,
    (whole, name, line, column) => {
      const block = blocks.find((b) => b.name === name);
      return block ? `${block.file}:${block.line + Number(line)}:${column}` : whole;
    },
  );
}

// Loaded before a runnable example: HostUp's host goes to the mock, any other non-loopback host is refused.
const TO_MOCK = `const mock = process.env.HOSTUP_EXAMPLES_MOCK_URL;
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const request = new Request(input, init);
  const url = new URL(request.url);
  if (url.origin !== "https://cloud.hostup.se") {
    if (!["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) throw new Error("no network here: " + url.href);
    return realFetch(request);
  }
  const body = ["GET", "HEAD"].includes(request.method) ? undefined : await request.arrayBuffer();
  const { method, headers, signal, redirect } = request;
  return realFetch(mock + url.pathname + url.search, { method, headers, body, signal, redirect });
};
`;

beforeAll(() => {
  // The package as npm would install it: its package.json and the files its exports name. dist/ is the one the
  // test setup built from src for this run (TypeScript 7: the same .js and .d.ts as the 5.9 build, in a fraction
  // of the time), with the bundles it made from the specs; not the HTML reference.
  const { failed } = inject("packageBuild");
  if (failed) throw new Error(`building the package failed:\n${failed}`);
  mkdirSync(pkg);
  cpSync(join(root, "package.json"), join(pkg, "package.json"));
  cpSync(join(root, "dist"), join(pkg, "dist"), {
    recursive: true,
    filter: (from) => from !== join(root, "dist", "docs"),
  });
  // its one runtime dependency, openapi-fetch, resolves from the repo's install
  symlinkSync(join(root, "node_modules"), join(pkg, "node_modules"), "dir");

  mkdirSync(join(app, "node_modules", "@types"), { recursive: true });
  mkdirSync(join(app, "examples"));
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  symlinkSync(pkg, join(app, "node_modules", "hostup-api"), "dir");
  symlinkSync(
    join(root, "node_modules", "@types", "node"),
    join(app, "node_modules", "@types", "node"),
    "dir",
  );
  // What docs/client.md tells a project: strict, module nodenext, @types/node with "types": ["node"].
  writeFileSync(
    join(app, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        types: ["node"],
        // each block is a module of its own, imports or not, so that no block leans on another's names
        moduleDetection: "force",
        // the strictest a user's project may be (the planted compile proves exactOptionalPropertyTypes is on)
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        rootDir: "examples",
        outDir: "out",
      },
      include: ["examples"],
    }),
  );
  for (const block of blocks) writeFileSync(join(app, "examples", `${block.name}.ts`), `${block.code}\n`);
  // the strict consumer, importing the package by its name
  writeFileSync(
    join(app, "examples", "strict-consumer.ts"),
    readFileSync(join(root, "test", "client", "strict-consumer.ts"), "utf8")
      .replaceAll('"../../src/index.js"', '"hostup-api"')
      .replaceAll('"../../src/mock/index.js"', '"hostup-api/mock"'),
  );
  writeFileSync(join(app, "to-mock.mjs"), TO_MOCK);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs a compiled example with Node, HostUp's host sent to a fresh mock; resolves with its exit code and output. */
async function runExample(file: string): Promise<{ code: number | null; output: string }> {
  const { startMockServer } = (await import(
    pathToFileURL(join(pkg, "dist", "mock", "index.js")).href
  )) as typeof import("../../src/mock/index.js");
  const mock = await startMockServer();
  try {
    const child = spawn(process.execPath, ["--import", pathToFileURL(join(app, "to-mock.mjs")).href, file], {
      cwd: app,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        HOSTUP_EXAMPLES_MOCK_URL: mock.url,
        HOSTUP_TOKEN: "mock-v2-token",
        HOSTUP_API_KEY: "mock-v1-key",
      },
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.once("exit", (exitCode) => done(exitCode)));
    return { code, output };
  } finally {
    await mock.close();
  }
}

describe("the TypeScript examples in README.md and docs/", () => {
  // The planted compilation: one TypeScript 7 run over an example that uses process.env, compiled without
  // "types": ["node"], and an errors example without its client and variables. --skipLibCheck: what it looks for
  // is in these files, and the declarations (the package's among them) are checked by the compilations of all the blocks.
  let planted: { status: number | null; output: string };
  const plantedCompile = () => {
    const first = blocks.find((b) => b.code.includes("process.env"));
    if (!first) throw new Error("no example uses process.env");
    const dir = join(app, "planted");
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "errors.ts"),
      [
        'import { HostupValidationError } from "hostup-api";',
        "try {",
        "  await v2.backupSchedules.save(vpsId, body);",
        "} catch (error) {",
        "  if (error instanceof HostupValidationError) console.error(error.fieldErrors);",
        "}",
        "",
      ].join("\n"),
    );
    // wrong only under exactOptionalPropertyTypes: proves the project's strictest options are on
    writeFileSync(
      join(dir, "exact-optional.ts"),
      "interface Settings { timeoutMs?: number }\nexport const planted: Settings = { timeoutMs: undefined };\n",
    );
    const { compilerOptions } = JSON.parse(readFileSync(join(app, "tsconfig.json"), "utf8"));
    delete compilerOptions.types;
    delete compilerOptions.rootDir;
    const config = join(app, "tsconfig.planted.json");
    writeFileSync(
      config,
      JSON.stringify({
        compilerOptions: { ...compilerOptions, noEmit: true },
        files: [`examples/${first.name}.ts`, "planted/errors.ts", "planted/exact-optional.ts"],
      }),
    );
    return runAsync(compilers["TypeScript 7"], ["-p", config, "--skipLibCheck", "--singleThreaded"], app);
  };

  // One run of each compiler over all the blocks; TypeScript 7's also writes the JavaScript the runnable ones run.
  // TypeScript 7 on one thread: the three compilations and the run's other files keep the cores busy already.
  let compiled: Record<keyof typeof compilers, { status: number | null; output: string }>;
  beforeAll(async () => {
    const config = join(app, "tsconfig.json");
    let ts59: typeof planted;
    let ts7: typeof planted;
    [ts59, ts7, planted] = await Promise.all([
      runAsync(compilers["TypeScript 5.9"], ["-p", config, "--noEmit", "--skipLibCheck"], app),
      runAsync(compilers["TypeScript 7"], ["-p", config, "--singleThreaded"], app),
      plantedCompile(),
    ]);
    compiled = { "TypeScript 5.9": ts59, "TypeScript 7": ts7 };
  });

  it("are there, and every one imports what it uses (self-contained)", () => {
    expect(blocks.length).toBeGreaterThan(4);
    expect(blocks.filter((b) => b.runnable).length).toBeGreaterThan(2);
    expect(blocks.filter((b) => !/^import /m.test(b.code)).map((b) => b.where)).toEqual([]);
  });

  it.for(Object.keys(compilers) as (keyof typeof compilers)[])(
    "compile, strict, against the built package with %s",
    (compiler) => {
      expect(locate(compiled[compiler].output)).toBe("");
      expect(compiled[compiler].status).toBe(0);
    },
  );

  it('need "types": ["node"] under TypeScript 7, as docs/client.md says (without it: TS2591 on process)', () => {
    expect(planted.status).not.toBe(0);
    expect(planted.output).toMatch(
      /^examples\/\S+\.ts\(\d+,\d+\): error TS2591: Cannot find name 'process'/m,
    );
  });

  it("catch what an example leaves undeclared (planted: an errors example without its client and variables)", () => {
    for (const name of ["v2", "vpsId", "body"])
      expect(planted.output).toMatch(
        new RegExp(`^planted/errors\\.ts\\(\\d+,\\d+\\): error TS\\d+: Cannot find name '${name}'`, "m"),
      );
  });

  it("compile with exactOptionalPropertyTypes on (planted: an optional member set to undefined)", () => {
    expect(planted.output).toMatch(/^planted\/exact-optional\.ts\(\d+,\d+\): error TS2375: /m);
  });

  it.concurrent.for(blocks.filter((b) => b.runnable).map((b) => [b.where, b] as const))(
    "%s runs against the mock",
    async ([, block]) => {
      const { code, output } = await runExample(join(app, "out", `${block.name}.js`));
      expect(code, `${block.where} exited ${code}:\n${output}`).toBe(0);
    },
  );

  it("fail when a runnable example fails or reaches for the network (planted)", async () => {
    const planted = join(app, "planted");
    mkdirSync(planted, { recursive: true });
    const failing = join(planted, "failing.mjs");
    writeFileSync(
      failing,
      'import assert from "node:assert/strict";\nimport { test } from "node:test";\ntest("planted", () => assert.equal(1, 2));\n',
    );
    const outside = join(planted, "outside.mjs");
    writeFileSync(outside, 'await fetch("https://example.com/");\n');
    const failed = await runExample(failing);
    expect(failed.code, failed.output).not.toBe(0);
    const refused = await runExample(outside);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain("no network here: https://example.com/");
  });
});

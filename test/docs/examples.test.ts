/**
 * Every TypeScript block of README.md and docs/*.md compiles as written, strict, in a consumer project that installs
 * the built package (its package.json and exports, and a copy of the dist/ the test setup built from src), with the
 * repo's TypeScript 5.9 and with TypeScript 7: one compiler run each over all blocks. The project is the one
 * docs/client.md tells users to set up, made as strict as the package's types can make a difference to
 * (`exactOptionalPropertyTypes`, `noUncheckedIndexedAccess`; each only refuses more, so what compiles here compiles
 * in the documented setup), and the same run compiles test/client/strict-consumer.ts: a consumer's calls
 * that only such a project would refuse if the package's types were careless (`timeoutMs: options.timeoutMs`). The blocks marked ```ts runnable
 * then run with Node against the embedded mock: HostUp's host is sent to a mock on 127.0.0.1 (the example's own
 * code is unchanged), any other host is refused. They run one after another in one Node process, each against a
 * fresh mock and failing on its own (BATCH, runBatch), but for those that use node:test, which run alone.
 */
import { type ChildProcess, spawn } from "node:child_process";
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

// Loaded before a runnable example: HostUp's host goes to the mock, any other non-loopback host is refused. The
// mock's URL is read at each request: the examples of a batch (below) each have their own mock.
const TO_MOCK = `const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const request = new Request(input, init);
  const url = new URL(request.url);
  if (url.origin !== "https://cloud.hostup.se") {
    if (!["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) throw new Error("no network here: " + url.href);
    return realFetch(request);
  }
  const body = ["GET", "HEAD"].includes(request.method) ? undefined : await request.arrayBuffer();
  const { method, headers, signal, redirect } = request;
  return realFetch(process.env.HOSTUP_EXAMPLES_MOCK_URL + url.pathname + url.search, { method, headers, body, signal, redirect });
};
`;

// Runs compiled examples one after another in one Node process (a process each cost five times the CPU), each
// against its own mock: argv[2] is [{ name, file, mockUrl }]. Each example's outcome is a line of JSON on stdout,
// { name, output, errors }: what it wrote (stdout and stderr, captured while it ran), and what failed: its module
// (top-level await included) threw, it set process.exitCode, an error it did not catch or a rejection it did not
// handle arrived while it ran (or after the last one: then it is the last one's), or it called process.exit.
// A batch that does not exit once all have run is the caller's to handle (runBatch).
const BATCH = `import { pathToFileURL } from "node:url";
import { inspect } from "node:util";

const out = process.stdout.write.bind(process.stdout);
let current;
let last;
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream);
  stream.write = (chunk, ...rest) => {
    if (!current) return write(chunk, ...rest);
    current.output += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
    rest.find((arg) => typeof arg === "function")?.();
    return true;
  };
}
const fail = (what) => (error) => (current ?? last)?.errors.push(what + inspect(error));
process.on("uncaughtException", fail("uncaught: "));
process.on("unhandledRejection", fail("unhandled rejection: "));
const report = (outcome) => out(JSON.stringify(outcome) + "\\n");
process.on("exit", (code) => {
  if (current) report({ ...current, errors: [...current.errors, "called process.exit(" + code + ")"] });
  else if (last?.errors.length > last.reported) report(last);
});
for (const { name, file, mockUrl } of JSON.parse(process.argv[2])) {
  current = { name, output: "", errors: [] };
  process.env.HOSTUP_EXAMPLES_MOCK_URL = mockUrl;
  try {
    await import(pathToFileURL(file).href);
  } catch (error) {
    current.errors.push("threw: " + inspect(error));
  }
  // what it started and did not await fails it, not the next one, if it ends by now
  await new Promise((done) => setImmediate(done));
  if (process.exitCode) current.errors.push("set process.exitCode = " + process.exitCode);
  process.exitCode = undefined;
  last = { ...current, reported: current.errors.length };
  current = undefined;
  report(last);
}
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
  writeFileSync(join(app, "batch.mjs"), BATCH);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Outcome {
  code: number | null;
  output: string;
}

const startMock = async () => {
  const { startMockServer } = (await import(
    pathToFileURL(join(pkg, "dist", "mock", "index.js")).href
  )) as typeof import("../../src/mock/index.js");
  return startMockServer();
};

/**
 * Runs a Node script in the app with the mock hook loaded; a process still running after `deadlineMs` is killed.
 * `onStdout` gets its stdout so far, once at the start and after each chunk.
 */
function runNode(
  args: string[],
  env: Record<string, string>,
  onStdout?: (text: string, child: ChildProcess) => void,
  deadlineMs?: number,
): Promise<Outcome & { hung: boolean }> {
  const child = spawn(process.execPath, ["--import", pathToFileURL(join(app, "to-mock.mjs")).href, ...args], {
    cwd: app,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, HOSTUP_TOKEN: "mock-v2-token", HOSTUP_API_KEY: "mock-v1-key", ...env },
  });
  let output = "";
  let hung = false;
  const timer =
    deadlineMs === undefined
      ? undefined
      : setTimeout(() => {
          hung = true;
          child.kill();
        }, deadlineMs);
  onStdout?.(output, child);
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    onStdout?.(output, child);
  });
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((done) =>
    child.once("exit", (code) => {
      clearTimeout(timer);
      done({ code, output, hung });
    }),
  );
}

/** Runs a compiled example alone in a Node process, HostUp's host sent to a fresh mock. */
async function runExample(file: string, deadlineMs?: number): Promise<Outcome & { hung: boolean }> {
  const mock = await startMock();
  try {
    return await runNode([file], { HOSTUP_EXAMPLES_MOCK_URL: mock.url }, undefined, deadlineMs);
  } finally {
    await mock.close();
  }
}

/**
 * Runs compiled examples in one Node process (BATCH), each against a fresh mock of its own; resolves with each
 * one's outcome by file. A batch in which no example has ended for `stallMs`, or that has not exited `stallMs` after
 * the last one ended, is killed, and its examples are run alone, each with a deadline of `aloneMs` (by default the
 * same), to name the one that does not end or leaves something running (a server, a timer); both deadlines together
 * stay under the test timeout.
 */
async function runBatch(files: string[], stallMs = 20_000, aloneMs = stallMs): Promise<Map<string, Outcome>> {
  const mocks = await Promise.all(files.map(() => startMock()));
  try {
    const jobs = files.map((file, i) => ({ name: file, file, mockUrl: mocks[i]?.url }));
    const isOutcome = (line: string) => line.startsWith('{"name":') && line.endsWith("}");
    let ended = 0;
    let stall: NodeJS.Timeout | undefined;
    const batch = await runNode([join(app, "batch.mjs"), JSON.stringify(jobs)], {}, (output, child) => {
      const now = output.split("\n").filter(isOutcome).length;
      if (stall && now === ended) return;
      ended = now;
      clearTimeout(stall);
      stall = setTimeout(() => child.kill(), stallMs);
    });
    clearTimeout(stall);
    const outcomes = new Map<string, Outcome>();
    for (const line of batch.output.split("\n").filter(isOutcome)) {
      const { name, output, errors } = JSON.parse(line) as { name: string; output: string; errors: string[] };
      outcomes.set(name, { code: errors.length > 0 ? 1 : 0, output: [output, ...errors].join("\n") });
    }
    if (batch.code === 0 && outcomes.size === files.length) return outcomes;
    // killed, or ended early or badly: what does each do alone?
    const alone = await Promise.all(files.map((file) => runExample(file, aloneMs)));
    files.forEach((file, i) => {
      const own = alone[i] ?? { code: null, output: "", hung: false };
      const inBatch = outcomes.get(file);
      if (own.hung)
        outcomes.set(file, {
          code: null,
          output: `${own.output}\nnot exited after ${aloneMs} ms: it does not end, or leaves something running`,
        });
      else if (!inBatch || (inBatch.code === 0 && own.code !== 0)) outcomes.set(file, own);
    });
    return outcomes;
  } finally {
    await Promise.all(mocks.map((mock) => mock.close()));
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
  // Its run checks the declarations the blocks use (the package's, @types/node's) but not TypeScript's own
  // lib.*.d.ts (--skipDefaultLibCheck: they were a third of the run).
  let compiled: Record<keyof typeof compilers, { status: number | null; output: string }>;
  beforeAll(async () => {
    const config = join(app, "tsconfig.json");
    let ts59: typeof planted;
    let ts7: typeof planted;
    [ts59, ts7, planted] = await Promise.all([
      runAsync(compilers["TypeScript 5.9"], ["-p", config, "--noEmit", "--skipLibCheck"], app),
      runAsync(compilers["TypeScript 7"], ["-p", config, "--singleThreaded", "--skipDefaultLibCheck"], app),
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

  // The runnable examples run in one Node process (runBatch), but for those that use node:test: its tests run after
  // the module has loaded, and it reports for the whole process, so each of those runs alone. The batch ends with
  // planted ones, each failing one way (BATCH).
  const PLANTED_BATCH = {
    "exit-code.mjs": "process.exitCode = 3;\n",
    "unhandled.mjs": 'void Promise.reject(new Error("planted unhandled"));\n',
    "outside.mjs": 'await fetch("https://example.com/");\n',
  };
  const alone = (block: Block) => /^import .* from "node:test";$/m.test(block.code);
  const compiledFile = (block: Block) => join(app, "out", `${block.name}.js`);
  let batchRun: Promise<Map<string, Outcome>> | undefined;
  const batch = () => {
    if (batchRun) return batchRun;
    const planted = join(app, "planted");
    mkdirSync(planted, { recursive: true });
    for (const [name, code] of Object.entries(PLANTED_BATCH)) writeFileSync(join(planted, name), code);
    batchRun = runBatch([
      ...blocks.filter((b) => b.runnable && !alone(b)).map(compiledFile),
      ...Object.keys(PLANTED_BATCH).map((name) => join(planted, name)),
    ]);
    return batchRun;
  };

  it.concurrent.for(blocks.filter((b) => b.runnable).map((b) => [b.where, b] as const))(
    "%s runs against the mock",
    async ([, block]) => {
      const file = compiledFile(block);
      const { code, output } = alone(block)
        ? await runExample(file)
        : ((await batch()).get(file) ?? { code: null, output: "no outcome" });
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
    const failed = await runExample(failing);
    expect(failed.code, failed.output).not.toBe(0);
    const outcomes = await batch();
    const outcome = (name: keyof typeof PLANTED_BATCH) => outcomes.get(join(planted, name));
    expect(outcome("outside.mjs")?.code).not.toBe(0);
    expect(outcome("outside.mjs")?.output).toContain("no network here: https://example.com/");
    expect(outcome("exit-code.mjs")?.code).not.toBe(0);
    expect(outcome("exit-code.mjs")?.output).toContain("set process.exitCode = 3");
    expect(outcome("unhandled.mjs")?.code).not.toBe(0);
    expect(outcome("unhandled.mjs")?.output).toContain("unhandled rejection: Error: planted unhandled");
  });

  it("fail when a runnable example does not end or leaves something running, naming it (planted)", async () => {
    const planted = join(app, "planted");
    mkdirSync(planted, { recursive: true });
    const write = (name: string, code: string) => {
      writeFileSync(join(planted, name), code);
      return join(planted, name);
    };
    const stuck = write("stuck.mjs", "await new Promise(() => setInterval(() => {}, 1000));\n");
    const ok = write("ok.mjs", 'console.log("fine");\n');
    const hang = write("hang.mjs", "setInterval(() => {}, 1000);\n");
    // a short deadline for the batch (two of these never end); run alone, each has 2 s, so that a busy machine's
    // slow Node start does not pass for `ok` hanging
    const outcomes = await runBatch([stuck, ok, hang], 300, 2_000);
    expect(outcomes.get(ok)).toEqual({ code: 0, output: "fine\n", hung: false });
    for (const file of [stuck, hang]) {
      expect(outcomes.get(file)?.code).not.toBe(0);
      expect(outcomes.get(file)?.output).toContain("it does not end, or leaves something running");
    }
  });
});

// Row "package size": esbuild bundles of tiny apps, minified and gzipped (node:zlib, level 9), built from src/
// with esbuild's TypeScript support (so the row never depends on a stale dist/). The metafile says which inputs
// land in each bundle: that is the bundle analysis for the 9 kB budget, and the proof (the forbidden-inputs goal,
// also a test: test/contract/entry-isolation.test.ts) that an app importing the client never pulls in the mock,
// hostup-api/contract or Ajv, and that the mock never pulls in Ajv.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { build, type Metafile, type Plugin } from "esbuild";
import { ROOT } from "./fixture-bodies.js";
import type { Goal, GroupResult, Row } from "./harness.js";

/** Issue 10's budget: an app that imports only createV2Client, openapi-fetch included. */
const GOAL_BYTES = 9 * 1024;

export interface App {
  name: string;
  contents: string;
  platform: "browser" | "node";
  /** Inputs that must never be in this bundle. */
  mustNotContain?: RegExp;
}

/** What an app that imports the client must never bundle: the mock, hostup-api/contract, the drivers, Ajv, Redocly. */
export const NEVER_IN_APP =
  /(^|\/)(src\/mock\/|src\/contract\/|scripts\/|node_modules\/(ajv|ajv-formats|fast-uri|yaml|@redocly)\/)/;
/** What only the v1 client uses (the v2 client polls v1's jobs route, a module of its own: src/generated/jobs.ts). */
export const V1_ONLY = /(^|\/)src\/(v1\/|generated\/[\w-]*v1\.ts$)/;
/** What only the v2 client uses. */
export const V2_ONLY = /(^|\/)src\/(v2\/|generated\/[\w-]*v2\.ts$)/;
/** Both patterns: an app of one version holds neither the other's inputs nor any of NEVER_IN_APP. */
export const either = (a: RegExp, b: RegExp) => new RegExp(`${a.source}|${b.source}`);
/** What the mock must never bundle: Ajv (its request checks are the generated standalone validators). */
export const NEVER_IN_MOCK =
  /(^|\/)(scripts\/|src\/contract\/(schema-check|validate|strict)\.ts|node_modules\/(ajv|ajv-formats)\/)/;

export interface BundleFigures {
  /** The minified bundle. */
  code: string;
  minified: number;
  gzipped: number;
  inputs: { path: string; bytes: number }[];
  forbidden: string[];
}

/**
 * Bundle analysis: replaces src/generated/validators-vN.ts with validators that accept everything, so that the
 * difference in gzipped bytes is what the spec-compiled request validation costs an app.
 */
function stubValidators(version: "v1" | "v2"): Plugin {
  const file = join(ROOT, "src", "generated", `validators-${version}.ts`);
  const names = [...readFileSync(file, "utf8").matchAll(/^export const (\w+)/gm)].map((m) => m[1]);
  return {
    name: `stub-validators-${version}`,
    setup(b) {
      b.onLoad({ filter: new RegExp(`validators-${version}\\.ts$`) }, () => ({
        contents: names.map((n) => `export const ${n} = () => true;`).join("\n"),
        loader: "js",
      }));
    },
  };
}

export async function bundleApp(app: App, plugins: Plugin[] = []): Promise<BundleFigures> {
  const result = await build({
    stdin: {
      contents: app.contents,
      resolveDir: join(ROOT, "bench"),
      loader: "ts",
      sourcefile: `${app.name}.ts`,
    },
    bundle: true,
    minify: true,
    format: "esm",
    platform: app.platform,
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "silent",
    plugins,
  });
  const out = result.outputFiles[0];
  if (!out) throw new Error(`esbuild produced nothing for ${app.name}`);
  const meta = result.metafile as Metafile;
  const output = Object.values(meta.outputs)[0];
  const inputs = Object.entries(output?.inputs ?? {})
    .map(([path, v]) => ({ path: relative(ROOT, join(ROOT, path)), bytes: v.bytesInOutput }))
    .filter((i) => i.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
  const forbidden = app.mustNotContain
    ? inputs.filter((i) => app.mustNotContain?.test(i.path)).map((i) => i.path)
    : [];
  return {
    code: out.text,
    minified: out.contents.byteLength,
    gzipped: gzipSync(out.contents, { level: 9 }).byteLength,
    inputs,
    forbidden,
  };
}

/**
 * Bundle analysis: `code` with the text of every string and template literal emptied (`"..."` -> `""`), found by
 * TypeScript's parser, so that regular expressions and nested templates are read as the engine reads them. What it
 * gzips to is the floor of an app of the same code without a single message, route, header name or error code.
 */
export function withoutStrings(code: string): string {
  const ts = createRequire(import.meta.url)("typescript") as typeof import("typescript");
  const file = ts.createSourceFile("bundle.js", code, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const spans: [start: number, end: number][] = [];
  const visit = (node: import("typescript").Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      spans.push([node.getStart(file) + 1, node.end - 1]);
    } else if (ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      // the literal text between the backquote or `}` and the `${` or backquote
      spans.push([node.getStart(file) + 1, node.end - (ts.isTemplateTail(node) ? 1 : 2)]);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let out = "";
  let at = 0;
  for (const [start, end] of spans.sort((a, b) => a[0] - b[0])) {
    out += code.slice(at, start);
    at = end;
  }
  return out + code.slice(at);
}

export async function packageSize(): Promise<GroupResult> {
  const apps: App[] = [
    {
      name: "app: createV2Client only",
      contents: 'import { createV2Client } from "../src/index.js";\nconsole.log(createV2Client);',
      platform: "browser",
      mustNotContain: either(NEVER_IN_APP, V1_ONLY),
    },
    {
      name: "app: createV1Client only",
      contents: 'import { createV1Client } from "../src/index.js";\nconsole.log(createV1Client);',
      platform: "browser",
      mustNotContain: either(NEVER_IN_APP, V2_ONLY),
    },
    {
      name: "app: both clients",
      contents:
        'import { createV1Client, createV2Client } from "../src/index.js";\nconsole.log(createV1Client, createV2Client);',
      platform: "browser",
      mustNotContain: NEVER_IN_APP,
    },
    {
      name: "app: bare openapi-fetch",
      contents: 'import createClient from "openapi-fetch";\nconsole.log(createClient);',
      platform: "browser",
    },
  ];
  if (existsSync(join(ROOT, "src", "mock", "index.ts"))) {
    apps.push({
      name: "entry: hostup-api/mock",
      contents: 'import { startMockServer } from "../src/mock/index.js";\nconsole.log(startMockServer);',
      platform: "node",
      mustNotContain: NEVER_IN_MOCK,
    });
  }
  apps.push({
    name: "entry: hostup-api/contract",
    contents: 'import * as contract from "../src/contract/index.js";\nconsole.log(contract);',
    platform: "node",
  });
  const rows: Row[] = [];
  const figures: Record<string, BundleFigures> = {};
  for (const app of apps) {
    const f = await bundleApp(app);
    figures[app.name] = f;
    const top = f.inputs
      .slice(0, 4)
      .map((i) => `${i.path.replace(/^node_modules\//, "")} ${i.bytes}`)
      .join(", ");
    rows.push({
      group: "package size",
      name: app.name,
      value: f.gzipped,
      unit: "B min+gz",
      note: `${f.minified} B min; largest inputs (min B): ${top}${f.forbidden.length ? `; FORBIDDEN: ${f.forbidden.join(", ")}` : ""}`,
      extra: { minified: f.minified, gzipped: f.gzipped, inputs: f.inputs, forbiddenInputs: f.forbidden },
    });
  }
  const withoutValidators = await bundleApp(apps[0] as App, [stubValidators("v2")]);
  const v2Full = figures["app: createV2Client only"];
  rows.splice(1, 0, {
    group: "package size",
    name: "analysis: createV2Client only, validators stubbed out",
    value: withoutValidators.gzipped,
    unit: "B min+gz",
    note: `the spec-compiled request validators cost ${(v2Full?.gzipped ?? 0) - withoutValidators.gzipped} B min+gz of the app`,
    extra: { minified: withoutValidators.minified, gzipped: withoutValidators.gzipped },
  });
  const floor = v2Full && gzipSync(withoutStrings(v2Full.code), { level: 9 }).byteLength;
  if (v2Full && floor) {
    rows.splice(2, 0, {
      group: "package size",
      name: "analysis: createV2Client only, every string emptied",
      value: floor,
      unit: "B min+gz",
      note: `the text of its strings (messages, routes, header names, openapi-fetch's too) costs ${v2Full.gzipped - floor} B min+gz of the app`,
      extra: { gzipped: floor },
    });
  }
  const v2 = figures["app: createV2Client only"];
  const v2Bare = figures["app: bare openapi-fetch"];
  const goals: Goal[] = [];
  if (v2) {
    goals.push({
      name: "createV2Client-only app ≤ 9 kB min+gz (openapi-fetch included)",
      target: `≤ ${GOAL_BYTES} B`,
      actual: `${v2.gzipped} B (${[
        v2Bare && `openapi-fetch alone ${v2Bare.gzipped} B`,
        floor && `every string emptied ${floor} B`,
      ]
        .filter(Boolean)
        .join("; ")})`,
      met: v2.gzipped <= GOAL_BYTES,
    });
  }
  const leaks = Object.entries(figures).flatMap(([name, f]) => f.forbidden.map((p) => `${name}: ${p}`));
  goals.push({
    name: "an app never pulls in the mock, hostup-api/contract (Ajv) or record mode; the mock never pulls in Ajv",
    target: "0 forbidden inputs",
    actual: leaks.length ? leaks.join("; ") : "0 forbidden inputs in the app bundles",
    met: leaks.length === 0,
  });
  return { rows, goals };
}

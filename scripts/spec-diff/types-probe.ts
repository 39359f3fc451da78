/**
 * The change as TypeScript users feel it: openapi-typescript generates the types of both versions (as
 * `npm run generate` does), and the TypeScript compiler checks, for every operation in both, that code written
 * against the old types still compiles against the new ones:
 *
 * - a response: the new body type must be assignable to the old one (code that handles every old value handles
 *   every new one: a removed field, an added enum value or a new null fail here);
 * - a request (parameters and body): the old type must be assignable to the new one (every request that
 *   compiled still compiles: a newly required field or a removed enum value fail here), and no member of the old
 *   body may be gone from the new one (an object literal that sets it would be an excess property).
 *
 * A change TypeScript cannot see (integer to number, a bound, a pattern) fits here and is still classified by
 * the structural comparison (changes.ts).
 */
import { createRequire } from "node:module";
import type * as OpenapiTypescript from "openapi-typescript";
import type * as TypeScript from "typescript";
import { deref, type JsonObject, listOperations, type OpenApiDoc } from "../../src/contract/spec.js";

// Their CommonJS builds, required: imported as ES modules, TypeScript's 9 MB file is scanned twice more by Node
// (for module syntax, for its exports), about twice the CPU time of loading it.
const require = createRequire(import.meta.url);
const { default: openapiTS, astToString } = require("openapi-typescript") as typeof OpenapiTypescript;
const ts = require("typescript") as typeof TypeScript;

export interface TypeProbe {
  api: string;
  operationId: string;
  endpoint: string;
  /** `response 200 application/json`, `request body application/json`, `parameters`. */
  where: string;
  fits: boolean;
  /** The compiler's message when it does not fit. */
  message?: string;
}

const namespaceOf = (side: "Old" | "New", api: string) => `${side}_${api.replace(/\W/g, "_")}`;

/** The generated types of one bundle, as openapi-typescript writes src/generated/*.ts. */
async function generatedTypes(doc: OpenApiDoc): Promise<string> {
  // --empty-objects-unknown, as scripts/generate.ts runs it.
  const ast = await openapiTS(structuredClone(doc) as Parameters<typeof openapiTS>[0], {
    emptyObjectsUnknown: true,
    silent: true,
  });
  return astToString(ast);
}

const index = (key: string) => `[${JSON.stringify(key)}]`;

/** One probe line per check: its text and what it checks. */
function probeLines(
  before: ReadonlyMap<string, OpenApiDoc>,
  after: ReadonlyMap<string, OpenApiDoc>,
): { code: string; probe: Omit<TypeProbe, "fits"> }[] {
  const lines: { code: string; probe: Omit<TypeProbe, "fits"> }[] = [];
  let n = 0;
  for (const [api, newDoc] of after) {
    const oldDoc = before.get(api);
    if (!oldDoc) continue;
    const oldOps = listOperations(oldDoc);
    for (const op of listOperations(newDoc)) {
      const old = oldOps.find((o) => o.method === op.method && o.path === op.path);
      if (!old) continue;
      const at = (side: "Old" | "New") =>
        `${namespaceOf(side, api)}.paths${index(op.path)}${index(op.method.toLowerCase())}`;
      const probe = (where: string) => ({
        api,
        operationId: op.operationId,
        endpoint: `${op.method} ${op.path}`,
        where,
      });
      const check = (where: string, from: string, to: string) => {
        n += 1;
        lines.push({
          code: `declare const from${n}: ${from}; const to${n}: ${to} = from${n};`,
          probe: probe(where),
        });
      };
      // Responses: new → old.
      for (const [status, response] of Object.entries<{ content?: Record<string, unknown> }>(
        op.operation.responses ?? {},
      )) {
        const oldResponse = old.operation.responses?.[status];
        if (!oldResponse) continue;
        for (const media of Object.keys(resolved(newDoc, response).content ?? {})) {
          if (!(media in (resolved(oldDoc, oldResponse).content ?? {}))) continue;
          const body = (side: "Old" | "New") =>
            `${at(side)}["responses"]${index(status)}["content"]${index(media)}`;
          check(`response ${status} ${media}`, body("New"), body("Old"));
        }
      }
      // Parameters: old → new.
      check("parameters", `${at("Old")}["parameters"]`, `${at("New")}["parameters"]`);
      // Request body: old → new, and no member of the old one gone.
      const oldBody = old.operation.requestBody ? resolved(oldDoc, old.operation.requestBody) : undefined;
      const newBody = op.operation.requestBody ? resolved(newDoc, op.operation.requestBody) : undefined;
      for (const media of Object.keys(newBody?.content ?? {})) {
        if (!(media in (oldBody?.content ?? {}))) continue;
        const body = (side: "Old" | "New") =>
          `NonNullable<${at(side)}["requestBody"]>["content"]${index(media)}`;
        check(`request body ${media}`, body("Old"), body("New"));
        n += 1;
        lines.push({
          code: `const gone${n}: [Exclude<KeysOf<${body("Old")}>, KeysOf<${body("New")}>>] extends [never] ? true : { gone: Exclude<KeysOf<${body("Old")}>, KeysOf<${body("New")}>> } = true;`,
          probe: probe(`request body ${media} members`),
        });
      }
    }
  }
  return lines;
}

function resolved(doc: OpenApiDoc, node: unknown): { content?: Record<string, unknown> } {
  return (deref(doc, node as JsonObject) ?? {}) as { content?: Record<string, unknown> };
}

const libFiles = new Map<string, TypeScript.SourceFile>();

/** Checks every probe; the compiler's lib files are parsed once per process. */
export async function probeTypes(
  before: ReadonlyMap<string, OpenApiDoc>,
  after: ReadonlyMap<string, OpenApiDoc>,
): Promise<TypeProbe[]> {
  const parts: string[] = ["type KeysOf<T> = T extends unknown ? keyof T : never;"];
  for (const [api, doc] of before) {
    if (after.has(api))
      parts.push(`declare namespace ${namespaceOf("Old", api)} {\n${await generatedTypes(doc)}\n}`);
  }
  for (const [api, doc] of after) {
    if (before.has(api))
      parts.push(`declare namespace ${namespaceOf("New", api)} {\n${await generatedTypes(doc)}\n}`);
  }
  const header = parts.join("\n");
  const lines = probeLines(before, after);
  const firstLine = header.split("\n").length;
  const fileName = "/spec-diff/probe.ts";
  const text = `${header}\n${lines.map((line) => line.code).join("\n")}\n`;
  const options: TypeScript.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2022.d.ts"],
    types: [],
    skipLibCheck: true,
    noUnusedLocals: false,
  };
  const host = ts.createCompilerHost(options);
  const readLib = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) => {
    if (name === fileName) return ts.createSourceFile(name, text, language);
    const cached = libFiles.get(name);
    if (cached) return cached;
    const file = readLib(name, language, ...rest);
    if (file) libFiles.set(name, file);
    return file;
  };
  const program = ts.createProgram([fileName], options, host);
  const source = program.getSourceFile(fileName) as TypeScript.SourceFile;
  const failures = new Map<number, string>();
  for (const diagnostic of program.getSemanticDiagnostics(source)) {
    const line = source.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line - firstLine;
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
    if (line < 0) throw new Error(`the generated types do not compile: ${message}`);
    if (!failures.has(line)) failures.set(line, message);
  }
  return lines.map((line, i) => {
    const message = failures.get(i);
    return { ...line.probe, fits: message === undefined, ...(message ? { message: shorten(message) } : {}) };
  });
}

/**
 * The compiler's explanation, shortened: its chain goes from the whole body's type (long) down to the member at
 * fault, so the last two steps say the most.
 */
function shorten(message: string): string {
  return message
    .split("\n")
    .map((line) => line.trim())
    .slice(-2)
    .map((line) => (line.length > 200 ? `${line.slice(0, 197)}...` : line))
    .join(" ");
}

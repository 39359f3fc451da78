/**
 * Compiles the request rules of a bundled OpenAPI description into a dependency-free validator module, so that the
 * client refuses a bad request before sending it, from the spec itself (one source of truth, no hand-written copy).
 *
 * For every operation: its JSON request body schema (`validate<OperationId>Body`), each path parameter's schema
 * (`validateParam<ComponentName>` for a $ref'd parameter, shared by the operations that use it), and its query
 * parameters as one closed object schema (`validate<OperationId>Query`: a property per parameter with that
 * parameter's schema, `required` from each parameter's `required`, no other keys). Ajv's standalone
 * code generation (JSON Schema 2020-12, `discriminator` on) writes plain functions: the output must not import
 * anything at runtime (but the checks it shares, from src/validation.ts), and this script fails if it would.
 *
 *   tsx scripts/generate-validators.ts dist/openapi/v2.json src/generated/validators-v2.ts [--check]
 *
 * The output is a TypeScript file with `// @ts-nocheck` so that tsc copies it into dist/ (a .js file under src/
 * would not be emitted) and gives it declarations; each export is a `Validator` (src/validation.ts): a function
 * declaration named by its export, with its `errors` declared.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import standaloneCode from "ajv/dist/standalone/index.js";
import { runMain } from "./run-main.js";
import { KEYED_CHECKS, SHARED_CHECKS, slimStandalone } from "./slim-validators.js";

type Json = Record<string, unknown>;

export interface GenerateValidatorsOptions {
  /** Bundled OpenAPI description (JSON), e.g. dist/openapi/v2.json. */
  bundle: string;
  /** The module to write, e.g. src/generated/validators-v2.ts. */
  out: string;
  /** Write nothing; throw when `out` differs from what would be written. */
  check?: boolean;
  /** Where the text goes (default: written to `out`); `npm run generate` holds it until the lint has passed. */
  write?: (file: string, text: string) => void;
}

const METHODS = ["get", "put", "post", "delete", "patch", "options", "head", "trace"] as const;
const root = resolve(fileURLToPath(import.meta.url), "..", "..");

const pointerSegment = (part: string) => encodeURIComponent(part.replace(/~/g, "~0").replace(/\//g, "~1"));
const pointer = (...parts: string[]) => `#/${parts.map(pointerSegment).join("/")}`;
const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/** Resolves a local `$ref` (one level; bundles have no chains); `ref` is the pointer it followed, if any. */
export function deref(doc: Json, value: unknown): { node: Json; ref?: string } {
  const node = value as Json;
  const ref = typeof node?.$ref === "string" ? node.$ref : undefined;
  if (!ref) return { node };
  if (!ref.startsWith("#/"))
    throw new Error(`generate-validators: only local $refs are supported, got ${ref}`);
  let target: unknown = doc;
  for (const raw of ref.slice(2).split("/")) {
    target = (target as Json)?.[decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  if (target === undefined) throw new Error(`generate-validators: unresolved $ref ${ref}`);
  return { node: target as Json, ref };
}

// Keys whose value maps names to schemas: their own keys are property names, never annotations to drop.
const NAME_MAPS = new Set(["properties", "patternProperties", "dependentSchemas", "$defs", "schemas"]);
const ANNOTATIONS = new Set(["description", "summary", "example", "examples", "title", "externalDocs"]);

/**
 * The copy Ajv compiles: without annotations (they would be embedded in the output as dead weight) and without
 * `discriminator.mapping`, which Ajv rejects (it maps tags itself, from each branch's const/enum).
 */
export function forValidation(value: unknown, isNameMap = false): unknown {
  if (Array.isArray(value)) return value.map((item) => forValidation(item));
  if (typeof value !== "object" || value === null) return value;
  const copy: Json = {};
  for (const [key, item] of Object.entries(value)) {
    if (!isNameMap && (ANNOTATIONS.has(key) || key.startsWith("x-"))) continue;
    if (!isNameMap && key === "discriminator" && typeof item === "object" && item !== null) {
      const { mapping: _mapping, ...rest } = item as Json;
      copy[key] = rest;
    } else {
      copy[key] = forValidation(item, !isNameMap && NAME_MAPS.has(key));
    }
  }
  return copy;
}

/**
 * Integers are safe integers (`Number.isSafeInteger`): every `type: integer` schema gets the bounds
 * ±Number.MAX_SAFE_INTEGER where its own are missing or wider. With Ajv's `strictNumbers` (finite numbers only),
 * an integer then passes only if it is finite, whole and within those bounds, so 1e21 or 2 ** 53 is refused
 * instead of being written as `1e+21` or rounded, and a path parameter is always plain digits.
 * The reference Ajv of the differential test applies the same rule.
 */
export function withSafeIntegers(value: unknown, isNameMap = false): unknown {
  if (Array.isArray(value)) return value.map((item) => withSafeIntegers(item));
  if (typeof value !== "object" || value === null) return value;
  const copy: Json = {};
  for (const [key, item] of Object.entries(value))
    copy[key] = withSafeIntegers(item, !isNameMap && NAME_MAPS.has(key));
  const type = copy.type;
  if (isNameMap || !(type === "integer" || (Array.isArray(type) && type.includes("integer")))) return copy;
  const max = Number.MAX_SAFE_INTEGER;
  const tighter = (bound: unknown, exclusive: unknown, sign: 1 | -1) =>
    (typeof bound === "number" && sign * bound <= max) ||
    (typeof exclusive === "number" && sign * exclusive <= max + 1);
  if (!tighter(copy.maximum, copy.exclusiveMaximum, 1)) copy.maximum = max;
  if (!tighter(copy.minimum, copy.exclusiveMinimum, -1)) copy.minimum = -max;
  return copy;
}

function collectFormats(value: unknown, found: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const item of value) collectFormats(item, found);
  else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key === "format" && typeof item === "string") found.add(item);
      else collectFormats(item, found);
    }
  }
  return found;
}

// Keywords whose compiled code needs Ajv's `evaluated` bookkeeping or the dynamic-scope parameters.
const DYNAMIC =
  /"(unevaluatedProperties|unevaluatedItems|\$dynamicRef|\$dynamicAnchor|\$recursiveRef|\$recursiveAnchor)"/;

/**
 * Ajv exports each validator as an alias (`export const validateParamVpsId = validate2;`), which an app's bundle
 * keeps as one more name; a function exported once is renamed to its export name and exported itself. Returns the
 * code and the names of the functions exported that way.
 */
export function namedExports(code: string): { code: string; functions: string[] } {
  const aliases = [...code.matchAll(/^export const (\w+) = (validate\d+);$/gm)] as unknown as [
    string,
    string,
    string,
  ][];
  const uses = new Map<string, number>();
  for (const [, , fn] of aliases) uses.set(fn, (uses.get(fn) ?? 0) + 1);
  let out = code;
  const functions: string[] = [];
  for (const [line, name, fn] of aliases) {
    if (uses.get(fn) !== 1 || !out.includes(`\nfunction ${fn}(`)) continue;
    out = out
      .replace(`${line}\n`, "")
      .replace(new RegExp(`\\b${fn}\\b`, "g"), name)
      .replace(`\nfunction ${name}(`, `\nexport function ${name}(`);
    functions.push(name);
  }
  return { code: out, functions };
}

/** The export names of one operation's validators (read by scripts/generate-operations.ts). */
export interface OperationValidators {
  /** By path parameter name (`id`), e.g. `validateParamVpsId`. */
  path: Record<string, string>;
  query?: string;
  /** The JSON body's validator; absent when the operation has no JSON body. */
  body?: string;
}

/**
 * What gets compiled, by export name: `{ $ref: "spec#/..." }` for a body or path parameter, a closed object schema of
 * `$ref`s for a query. Each resolves against `spec` (the `forValidation` copy, added to Ajv as "spec"). Exported for
 * the differential test, which compiles the same schemas with plain Ajv.
 */
export function requestSchemas(spec: Json): {
  schemas: Record<string, Json>;
  formats: Set<string>;
  byOperation: Record<string, OperationValidators>;
} {
  const schemas: Record<string, Json> = {};
  const formats = new Set<string>();
  const byOperation: Record<string, OperationValidators> = {};
  // Validators are named, and the operation tables keyed, by operationId: a second one would replace the first.
  const routes = new Map<string, string>();
  const paths = (spec.paths ?? {}) as Record<string, Json>;
  for (const [path, rawItem] of Object.entries(paths)) {
    const { node: pathItem } = deref(spec, rawItem);
    for (const method of METHODS) {
      const operation = pathItem[method] as Json | undefined;
      if (!operation) continue;
      const operationId = operation.operationId;
      if (typeof operationId !== "string")
        throw new Error(`generate-validators: ${method} ${path} has no operationId`);
      const route = `${method.toUpperCase()} ${path}`;
      const taken = routes.get(operationId);
      if (taken)
        throw new Error(`generate-validators: operationId ${operationId} is both ${taken} and ${route}`);
      routes.set(operationId, route);
      const names: OperationValidators = { path: {} };
      byOperation[operationId] = names;
      const pathLevel = (pathItem.parameters as unknown[]) ?? [];
      const parameters = [...pathLevel, ...((operation.parameters as unknown[]) ?? [])];
      // operation-level parameters override path-level ones with the same name and location
      const byKey = new Map<string, { parameter: Json; at: string }>();
      for (const [index, rawParameter] of parameters.entries()) {
        const { node: parameter, ref } = deref(spec, rawParameter);
        const at = ref
          ? `spec${ref}/schema`
          : `spec${pointer(...(index < pathLevel.length ? ["paths", path, "parameters", String(index)] : ["paths", path, method, "parameters", String(index - pathLevel.length)]))}/schema`;
        byKey.set(`${String(parameter.in)}:${String(parameter.name)}`, { parameter, at });
        if (parameter.in !== "path") continue;
        const name = ref?.startsWith("#/components/parameters/")
          ? `validateParam${pascal(ref.slice("#/components/parameters/".length))}`
          : `validate${pascal(operationId)}Param${pascal(String(parameter.name))}`;
        names.path[String(parameter.name)] = name;
        if (schemas[name]) continue;
        schemas[name] = { $ref: at };
        collectFormats(parameter.schema, formats);
      }
      // The query as one closed object (what the wrappers take): each parameter's schema, required per `required`.
      const query = [...byKey.values()].filter(({ parameter }) => parameter.in === "query");
      if (query.length > 0) {
        const name = `validate${pascal(operationId)}Query`;
        const properties: Json = {};
        const required: string[] = [];
        for (const { parameter, at } of query) {
          const key = String(parameter.name);
          // a parameter described by `content` instead of `schema` is not checked locally
          properties[key] = parameter.schema === undefined ? true : { $ref: at };
          if (parameter.required === true) required.push(key);
          collectFormats(parameter.schema, formats);
        }
        names.query = name;
        schemas[name] = {
          type: "object",
          properties,
          ...(required.length > 0 ? { required } : {}),
          additionalProperties: false,
        };
      }
      if (operation.requestBody) {
        const { node: requestBody, ref } = deref(spec, operation.requestBody);
        const media = (requestBody.content as Json | undefined)?.["application/json"] as Json | undefined;
        if (!media?.schema) continue;
        const base = ref ? `spec${ref}` : `spec${pointer("paths", path, method, "requestBody")}`;
        const name = `validate${pascal(operationId)}Body`;
        names.body = name;
        schemas[name] = { $ref: `${base}${pointer("content", "application/json", "schema").slice(1)}` };
        collectFormats(deref(spec, media.schema).node, formats);
      }
    }
  }
  return { schemas, formats, byOperation };
}

/**
 * The namespace of v1's jobs route (`GET /api/jobs/{jobId}`), which both clients poll (v2's writes name it as their
 * `pollUrl`): its table entry and validators go to a module of their own (src/generated/jobs.ts, written by
 * scripts/generate-operations.ts), so that an app that imports only the v2 client bundles nothing else of v1.
 */
export const SHARED_NAMESPACE = "jobs";

/** The module, beside the validators, that holds the shared namespace's validators and table entry. */
export const SHARED_MODULE = "jobs";

/** The validators of the operations in the shared namespace (x-hostup-client `jobs.*`), by export name. */
export function sharedValidators(doc: Json): Set<string> {
  const { byOperation } = requestSchemas(doc);
  const names = new Set<string>();
  for (const rawItem of Object.values((doc.paths ?? {}) as Record<string, Json>)) {
    const { node: pathItem } = deref(doc, rawItem);
    for (const method of METHODS) {
      const operation = pathItem[method] as Json | undefined;
      const client = operation?.["x-hostup-client"];
      if (typeof client !== "string" || !client.startsWith(`${SHARED_NAMESPACE}.`)) continue;
      const found = byOperation[String(operation?.operationId)];
      for (const name of [...Object.values(found?.path ?? {}), found?.query, found?.body])
        if (name) names.add(name);
    }
  }
  return names;
}

/**
 * Returns the module's source text for one bundled description: every request validator but the shared ones
 * (`shared`: re-exported from the shared module), or, with `only`, just those.
 */
export function validatorsSource(
  doc: Json,
  bundleName: string,
  { shared = new Set<string>(), only = false }: { shared?: Set<string>; only?: boolean } = {},
): string {
  const spec = withSafeIntegers(forValidation(doc)) as Json;
  // strict: false because OpenAPI schemas carry keywords JSON Schema does not know (example, x-hostup-*);
  // the spec's own lint guards its shape. strict: false also turns off strictNumbers, so it is set on its own:
  // NaN and ±Infinity are not numbers (JSON has neither: JSON.stringify would send `null`).
  // unicode: false keeps maxLength/minLength free of Ajv's runtime helper.
  const ajv = new Ajv2020.default({
    code: { source: true, esm: true, lines: true },
    discriminator: true,
    allErrors: false,
    messages: false,
    strict: false,
    strictNumbers: true,
    unicode: false,
    validateSchema: false,
    logger: {
      log: console.log,
      // unicode: false is deprecated in Ajv 8.20 but still the switch that avoids the runtime import; say it once here.
      warn: (...args: unknown[]) => {
        if (!String(args[0]).includes("option unicode")) console.warn(...args);
      },
      error: console.error,
    },
  });
  ajv.addSchema(spec, "spec");
  const { schemas, formats } = requestSchemas(spec);
  const exportsMap: Record<string, string> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    if (shared.has(name) !== only) continue;
    ajv.addSchema(schema, name);
    exportsMap[name] = name;
  }
  if (Object.keys(exportsMap).length === 0)
    throw new Error(`generate-validators: ${bundleName} has no request schemas`);
  let code = standaloneCode.default(ajv, exportsMap);
  if (/\brequire\s*\(|^\s*import\s/m.test(code)) {
    const needs = [...new Set(code.match(/require\([^)]*\)/g) ?? [])].join(", ");
    throw new Error(
      `generate-validators: the compiled validators of ${bundleName} would import Ajv at runtime (${needs}). ` +
        "A keyword in a request schema needs an Ajv runtime helper; change the schema or teach this script to inline it.",
    );
  }
  code = code
    .replace(/^"use strict";\s*/, "")
    // schemaPath points into the compile-time document; nobody reads it at runtime, and it is a third of the bytes
    .replace(/schemaPath:"(?:[^"\\]|\\.)*",/g, "");
  if (!DYNAMIC.test(JSON.stringify(spec))) code = slimStandalone(code);
  const named = namedExports(code);
  code = named.code
    .replace(/export const (\w+) = (\w+);/g, "export const $1: Validator = $2;")
    // bundlers may drop unused validators only if top-level RegExp construction is marked side-effect free
    .replace(/new RegExp\(/g, "/*#__PURE__*/ new RegExp(");
  const unchecked = [...formats].sort();
  const helpers = [...SHARED_CHECKS, ...KEYED_CHECKS].filter((name) =>
    // called, or handed to member()
    new RegExp(String.raw`(?<![.\w"])${name}(?=[(,])`).test(code),
  );
  return [
    "// @ts-nocheck",
    `// Generated by scripts/generate-validators.ts from ${bundleName} (Ajv standalone). Do not edit: run \`npm run generate\`.`,
    unchecked.length
      ? `// Not checked locally (formats need Ajv at runtime; the server checks them): ${unchecked.join(", ")}.`
      : "// Every request rule of the spec is checked locally; no runtime dependency.",
    helpers.length
      ? `import { ${helpers.join(", ")}, type Validator, type ValidatorError } from "../validation.js";`
      : 'import type { Validator, ValidatorError } from "../validation.js";',
    "",
    code.trim(),
    "",
    ...(!only && shared.size > 0
      ? [`export { ${[...shared].sort().join(", ")} } from "./${SHARED_MODULE}.js";`, ""]
      : []),
    // what `Validator` says of a function declaration: the errors of its last call
    ...named.functions.map(
      (name) => `export declare namespace ${name} {\n  let errors: ValidatorError[] | null | undefined;\n}`,
    ),
    "",
  ].join("\n");
}

export async function generateValidators(opts: GenerateValidatorsOptions): Promise<void> {
  const doc = JSON.parse(readFileSync(opts.bundle, "utf8")) as Json;
  // Named by the spec's title and version, not the bundle's path: --check bundles into a scratch directory.
  const info = (doc.info ?? {}) as Json;
  const bundleName = `the bundle of "${String(info.title ?? "API")}" ${String(info.version ?? "")}`.trim();
  const source = validatorsSource(doc, bundleName, { shared: sharedValidators(doc) });
  if (opts.check) {
    let current = "";
    try {
      current = readFileSync(opts.out, "utf8");
    } catch {}
    if (current !== source) {
      throw new Error(
        `${relative(root, opts.out)} is stale (it differs from the spec's validators): run \`npm run generate\``,
      );
    }
    return;
  }
  (opts.write ?? writeFileSync)(opts.out, source);
}

runMain(import.meta.url, async (argv) => {
  const [bundle, out] = argv.filter((arg) => !arg.startsWith("--"));
  if (!bundle || !out) {
    console.error("usage: tsx scripts/generate-validators.ts <bundle.json> <out.ts> [--check]");
    return 2;
  }
  try {
    await generateValidators({ bundle, out, check: argv.includes("--check") });
    return 0;
  } catch (error) {
    console.error(`✘ ${(error as Error)?.message ?? String(error)}`);
    return 1;
  }
});

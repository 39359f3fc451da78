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

type Json = Record<string, unknown>;

export interface GenerateValidatorsOptions {
  /** Bundled OpenAPI description (JSON), e.g. dist/openapi/v2.json. */
  bundle: string;
  /** The module to write, e.g. src/generated/validators-v2.ts. */
  out: string;
  /** Write nothing; throw when `out` differs from what would be written. */
  check?: boolean;
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

/** The net count of braces a line opens (braces inside strings, such as patterns, do not count). */
function braceDelta(line: string): number {
  const code = line.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return (code.match(/\{/g) ?? []).length - (code.match(/\}/g) ?? []).length;
}

/** The index of the line that closes the block opened on line `open`. */
function closingLine(lines: string[], open: number): number {
  let depth = braceDelta(lines[open] as string);
  let i = open;
  while (depth > 0) depth += braceDelta(lines[++i] as string);
  return i;
}

/**
 * With `strictNumbers`, Ajv spells "a finite number" and "an integer" out in full; these are the standard predicates
 * that say exactly that. A bound check inside a finite-number guard cannot meet NaN, so its `|| isNaN(x)` goes.
 */
export function finiteNumbers(code: string): string {
  const lines = code
    .replace(
      /!\(\(\(typeof (\w+) == "number"\) && \(!\(\1 % 1\) && !isNaN\(\1\)\)\) && \(isFinite\(\1\)\)\)/g,
      "!Number.isInteger($1)",
    )
    .replace(/\(typeof (\w+) == "number"\) && \(isFinite\(\1\)\)/g, "Number.isFinite($1)")
    .split("\n");
  // the variables known finite at each depth of braces: inside `if(Number.isFinite(x)){ ... }`
  const guarded: { name: string; depth: number }[] = [];
  let depth = 0;
  return lines
    .map((line) => {
      let out = line;
      for (const { name } of guarded) out = out.replaceAll(` || isNaN(${name})`, "");
      const guard = /^if\(Number\.isFinite\((\w+)\)\)\{$/.exec(line);
      depth += braceDelta(line);
      if (guard) guarded.push({ name: guard[1] as string, depth });
      while (guarded.length > 0 && depth < (guarded.at(-1)?.depth ?? 0)) guarded.pop();
      return out;
    })
    .join("\n");
}

/**
 * Ajv repeats checks that are already known to hold: a branch of a discriminator checks again that the data is an
 * object (inside the check that it is), and a number's bounds are guarded by "is a finite number" right after the
 * data was found to be an integer. Such a guard becomes a plain block, and its `else` (which cannot run) goes.
 */
export function deadGuards(code: string): string {
  const lines = code.split("\n");
  const out: string[] = [];
  // conditions known to hold, each until the block at its depth closes
  const known: { condition: string; depth: number }[] = [];
  // depths of the blocks that were guards, whose `else` is to be dropped
  const unguarded: number[] = [];
  let depth = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const guard = /^if\((.*)\)\{$/.exec(line)?.[1];
    if (guard !== undefined && known.some((fact) => fact.condition === guard)) {
      out.push("{");
      depth++;
      unguarded.push(depth);
      continue;
    }
    if (line === "}" && unguarded.at(-1) === depth && lines[i + 1] === "else {") {
      // skip the else block: from its opening line to its closing brace
      let skip = 1;
      let j = i + 2;
      for (; skip > 0; j++) skip += braceDelta(lines[j] as string);
      unguarded.pop();
      depth--;
      out.push("}");
      i = j - 1;
      while (known.length > 0 && (known.at(-1)?.depth ?? 0) > depth) known.pop();
      continue;
    }
    depth += braceDelta(line);
    if (unguarded.length > 0 && (unguarded.at(-1) ?? 0) > depth) unguarded.pop();
    while (known.length > 0 && (known.at(-1)?.depth ?? 0) > depth) known.pop();
    out.push(line);
    if (guard?.startsWith('data && typeof data == "object"')) known.push({ condition: guard, depth });
    const integer = /^if\(!Number\.isInteger\((\w+)\)\)\{$/.exec(lines[i - 2] ?? "");
    if (integer && /^return fail\(/.test(lines[i - 1] ?? "") && line === "}")
      known.push({ condition: `Number.isFinite(${integer[1]})`, depth });
  }
  return out.join("\n");
}

/**
 * In the branch a discriminator picked (`if(tag0 === "daily")`, where `const tag0 = data.frequency`), the branch's
 * own check of that property (a string, equal to "daily": an enum of one or a const) cannot fail: it goes.
 */
export function discriminatedTags(code: string): string {
  let out = code;
  for (const [, tag, property] of code.matchAll(/^const (tag\d+) = data\.(\w+);$/gm)) {
    const check = new RegExp(
      `^if\\(data\\.${property} !== undefined\\)\\{\\nlet (data\\d+) = data\\.${property};\\n` +
        'if\\(typeof \\1 !== "string"\\)\\{\\nreturn fail\\([^\\n]*\\);\\n\\}\\n' +
        'if\\((?:!\\(\\1 === ("[^"\\\\]*")\\)|("[^"\\\\]*") !== \\1)\\)\\{\\nreturn fail\\([^\\n]*\\);\\n\\}\\n\\}\\n(?:else \\{\\n\\}\\n)?',
      "gm",
    );
    out = out.replace(check, (block, _data, enumValue?: string, constValue?: string, offset?: number) => {
      // the branch this check is in: the nearest branch opened before it, in the same function
      const before = out.slice(0, offset);
      const branch = [
        ...before.matchAll(new RegExp(`^(?:else )?if\\(${tag} === ("[^"\\\\]*")\\)\\{$`, "gm")),
      ].at(-1);
      const sameFunction = branch && !/\nfunction |\nexport function /.test(before.slice(branch.index));
      return sameFunction && branch[1] === (enumValue ?? constValue) ? "" : block;
    });
  }
  return out;
}

/**
 * `if(ok){ ...rest } else { return fail(...); }`, Ajv's way to check a type before the checks that need it,
 * becomes `if(!(ok)){ return fail(...); } { ...rest }`: the same checks in the same order, in the one shape every
 * other check already has (fail early), which compresses better next to them.
 */
export function earlyReturns(code: string): string {
  const rewrite = (lines: string[]): string[] => {
    const out: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      const condition = /^if\((.*)\)\{$/.exec(line)?.[1];
      if (condition !== undefined) {
        const close = closingLine(lines, i);
        const [elseLine, failure, end] = lines.slice(close + 1, close + 4);
        if (
          lines[close] === "}" &&
          elseLine === "else {" &&
          failure?.startsWith("return fail(") &&
          end === "}"
        ) {
          out.push(`if(!(${condition})){`, failure, "}", "{", ...rewrite(lines.slice(i + 1, close)), "}");
          i = close + 3;
          continue;
        }
      }
      out.push(line);
    }
    return out;
  };
  return rewrite(code.split("\n")).join("\n");
}

/**
 * Ajv nests every next check in a block of its own (`{`, or `if(true){` once its error counting is gone) and leaves
 * empty `else {}` behind. Where no two declarations of a function share a name (Ajv numbers them), such a block
 * can go without changing what any name refers to.
 */
export function flatBlocks(code: string): string {
  const lines = code.replace(/\nelse \{\n\}\n/g, "\n").split("\n");
  const drop = new Set<number>();
  for (let start = 0; start < lines.length; start++) {
    if (!/^(export )?function /.test(lines[start] as string)) continue;
    const end = closingLine(lines, start);
    const names = lines
      .slice(start, end)
      .flatMap((line) => [...line.matchAll(/\b(?:let|const) (\w+)/g)].map((m) => m[1]));
    if (new Set(names).size !== names.length) continue;
    for (let i = start + 1; i < end; i++) {
      if (lines[i] !== "{" && lines[i] !== "if(true){") continue;
      const close = closingLine(lines, i);
      if (lines[close] !== "}" || /^else\b/.test(lines[close + 1] ?? "")) continue;
      drop.add(i).add(close);
    }
  }
  return lines.filter((_, i) => !drop.has(i)).join("\n");
}

/**
 * Ajv writes "key is one of the schema's properties" (additionalProperties) and "the first required property that
 * is missing" (required) as chains of comparisons, one per name; a list of the names says the same in one
 * expression (in the same order: the first missing name is still the one reported). A condition is rewritten only
 * when it is nothing but such a chain; any other shape is left as Ajv wrote it.
 */
export function nameLists(code: string): string {
  const onlyChain = (condition: string, atom: RegExp) =>
    condition.replace(atom, "").replace(/[() ]|\|\|/g, "") === "";
  return code
    .replace(/^if\(!\((.+)\)\)\{$/gm, (line, condition: string) => {
      const atom = /\b(key\d+) === ("[^"\\]*")/g;
      const matches = [...condition.matchAll(atom)];
      const key = matches[0]?.[1];
      if (!key || !onlyChain(condition, atom) || matches.some((m) => m[1] !== key)) return line;
      return `if(![${matches.map((m) => m[2]).join(",")}].includes(${key})){`;
    })
    .replace(/^if\((.+)\)\{$/gm, (line, condition: string) => {
      const atom = /\(data\.(\w+) === undefined\) && \((missing\d+) = "(\w+)"\)/g;
      const matches = [...condition.matchAll(atom)];
      const missing = matches[0]?.[2];
      if (!missing || !onlyChain(condition, atom) || matches.some((m) => m[2] !== missing || m[1] !== m[3]))
        return line;
      return `if((${missing} = [${matches.map((m) => `"${m[1]}"`).join(",")}].find((name) => data[name] === undefined)) !== undefined){`;
    });
}

/** The helpers of src/validation.ts that the generated validators call; each is imported where it is called. */
export const SHARED_CHECKS = ["fail", "integer", "minLength", "closed", "required"] as const;

const PATH = String.raw`"(?:[^"\\]|\\.)*"`;
const NUMBER = String.raw`-?\d+(?:\.\d+)?`;
/** Where a property's checks start: `if(data.hour !== undefined){` then `let data1 = data.hour;`. */
const PROPERTY = String.raw`^if\(data\.(?<key>\w+) !== undefined\)\{\nlet (?<v>data\d+) = data\.\k<key>;\n`;
/** Ajv's checks of an integer with both bounds, on the value `v` (regex source): type, then maximum, then minimum. */
const integerChecks = (v: string) =>
  String.raw`if\(!Number\.isInteger\(${v}\)\)\{\nreturn fail\((?<fn>\w+), (?<path>${PATH}), "type", \{type: "integer"\}\);\n\}\n` +
  String.raw`if\(${v} > (?<max>${NUMBER})\)\{\nreturn fail\(\k<fn>, \k<path>, "maximum", \{comparison: "<=", limit: \k<max>\}\);\n\}\n` +
  String.raw`else \{\nif\(${v} < (?<min>${NUMBER})\)\{\nreturn fail\(\k<fn>, \k<path>, "minimum", \{comparison: ">=", limit: \k<min>\}\);\n\}\n\}\n`;
const PROPERTY_INTEGER = new RegExp(`${PROPERTY}${integerChecks(String.raw`\k<v>`)}\\}\\n`, "gm");
const ROOT_INTEGER = new RegExp(`^${integerChecks("data")}`, "gm");
/** Ajv's checks of a string with a minLength and nothing else: type, then minLength. */
const PROPERTY_MIN_LENGTH = new RegExp(
  `${PROPERTY}${String.raw`if\(!\(typeof \k<v> === "string"\)\)\{\nreturn fail\((?<fn>\w+), (?<path>${PATH}), "type", \{type: "string"\}\);\n\}\n`}` +
    String.raw`if\(\k<v>\.length < (?<min>\d+)\)\{\nreturn fail\(\k<fn>, \k<path>, "minLength", \{limit: \k<min>\}\);\n\}\n\}\n`,
  "gm",
);

/** The additionalProperties loop of a closed object, over nameLists' list of its property names. */
const CLOSED = new RegExp(
  String.raw`^for\(const (?<key>key\d+) in data\)\{\nif\(!(?<names>\[[^\]\n]*\])\.includes\(\k<key>\)\)\{\n` +
    String.raw`return fail\((?<fn>\w+), "", "additionalProperties", \{additionalProperty: \k<key>\}\);\nbreak;\n\}\n\}\n`,
  "gm",
);
/** The required check of an object, over nameLists' list of the required names. */
const REQUIRED = new RegExp(
  String.raw`^let (?<missing>missing\d+);\nif\(\(\k<missing> = (?<names>\[[^\]\n]*\])\.find\(\(name\) => data\[name\] === undefined\)\) !== undefined\)\{\n` +
    String.raw`return fail\((?<fn>\w+), "", "required", \{missingProperty: \k<missing>\}\);\n\}\n`,
  "gm",
);

type Groups = Record<string, string>;
const groupsOf = (args: unknown[]) => args.at(-1) as Groups;

/**
 * Two shapes Ajv writes once per property, the same few checks each time, become one call to a helper of
 * src/validation.ts that makes the same checks in the same order and fails with the same error: an integer with
 * both bounds (type, maximum, minimum; the maximum left out when it is Number.MAX_SAFE_INTEGER, the helper's
 * default), a string with only a minLength (type, minLength), and at the root, the names nameLists listed: the
 * first key not among a closed object's properties (additionalProperties) and the first required name missing
 * (required). Only where the paths are literals (the instancePath folded); any other shape (one bound, other
 * keywords, another order) is left as Ajv wrote it.
 */
export function sharedChecks(code: string): string {
  const integer = (value: string, { fn, path, min, max }: Groups) =>
    `integer(${fn}, ${path}, ${value}, ${min}${Number(max) === Number.MAX_SAFE_INTEGER ? "" : `, ${max}`})`;
  const orFail = (condition: string) => `if(${condition}){\nreturn false;\n}\n`;
  return code
    .replace(PROPERTY_INTEGER, (...args) => {
      const g = groupsOf(args);
      return orFail(`data.${g.key} !== undefined && !${integer(`data.${g.key}`, g)}`);
    })
    .replace(ROOT_INTEGER, (...args) => orFail(`!${integer("data", groupsOf(args))}`))
    .replace(PROPERTY_MIN_LENGTH, (...args) => {
      const { key, fn, path, min } = groupsOf(args);
      return orFail(`data.${key} !== undefined && !minLength(${fn}, ${path}, data.${key}, ${min})`);
    })
    .replace(CLOSED, (...args) => {
      const { fn, names } = groupsOf(args);
      return orFail(`!closed(${fn}, data, ${names})`);
    })
    .replace(REQUIRED, (...args) => {
      const { fn, names } = groupsOf(args);
      return orFail(`!required(${fn}, data, ${names})`);
    });
}

// A function whose whole body calls one other validator and hands on its errors (a body schema that is a $ref).
const FORWARDER =
  /^function (validate\d+)\(data, \{instancePath=""\}=\{\}\)\{\nlet vErrors = null;\nlet errors = 0;\nif\(!\((validate\d+)\(data, \{instancePath\}\)\)\)\{\nvErrors = vErrors === null \? \2\.errors : vErrors\.concat\(\2\.errors\);\nerrors = vErrors\.length;\n\}\n\1\.errors = vErrors;\nreturn errors === 0;\n\}\n/gm;

/**
 * Shrinks Ajv's standalone output for what these specs use (the app ships it: every byte counts, see bench/).
 * Without unevaluated* and $dynamicRef, the `evaluated` bookkeeping and the parentData/rootData/dynamicAnchors
 * parameters are dead; with `allErrors: false` every failure returns at once, so the `errors` counter and the
 * `validN` flags of a function that never counts are always 0 and true; the schema objects kept only for `enum`
 * error params are inlined, and the repeated `v.errors = [...]; return false` becomes one `fail()` call. A
 * function that only forwards to another (a body schema that is a lone $ref) gives way to the one it calls, and
 * when no validator calls another, the instancePath parameter (always "") folds into the paths it prefixes.
 * Every step is a literal match on Ajv's output; whatever is left that should not be throws, so an Ajv update
 * that changes the shape fails generation instead of shipping broken validators.
 * Then rewrites that keep what the code decides while saying it in fewer, more alike words (each leaves any
 * shape it does not know as Ajv wrote it; test/client/validator-slimming.test.ts holds each to its scope):
 * finiteNumbers, nameLists, discriminatedTags, deadGuards, earlyReturns, flatBlocks, and sharedChecks last.
 */
export function slimStandalone(code: string): string {
  let out = code
    .replace(
      /const evaluated0 = validate\d+\.evaluated;\nif\(evaluated0\.dynamicProps\)\{\nevaluated0\.props = undefined;\n\}\nif\(evaluated0\.dynamicItems\)\{\nevaluated0\.items = undefined;\n\}\n/g,
      "",
    )
    .replace(/^validate\d+\.evaluated = \{[^}]*\};\n/gm, "")
    .replace(/^evaluated0\.props = props0;\n/gm, "")
    .replace(/^var props0 = true;\n/gm, "")
    .replace(/^if\(props0 !== true\)\{\nprops0 = true;\n\}\n/gm, "")
    .replace(/^else \{\nvar props0 = validate\d+\.evaluated\.props;\n\}\n/gm, "")
    .replaceAll(
      '{instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}',
      '{instancePath=""}={}',
    )
    .replaceAll("{instancePath,parentData,parentDataProperty,rootData,dynamicAnchors}", "{instancePath}");
  out = out.replace(/^function (validate\d+)\([^\n]*\n[\s\S]*?\nreturn errors === 0;\n\}\n/gm, (fn, name) => {
    // a function that forwards a callee's errors (`errors = vErrors.length`) keeps its counter
    if (/(?<![.\w])errors(\+\+| = (?!0;))/.test(fn)) return fn;
    return fn
      .replace(/^let vErrors = null;\nlet errors = 0;\n/m, "")
      .replace(/^const _errs\d+ = errors;\n/gm, "")
      .replace(/\berrors === _errs\d+\b|\b_errs\d+ === errors\b|(?<![.\w])errors === 0\b/g, "true")
      .replace(`${name}.errors = vErrors;`, `${name}.errors = null;`)
      .replace(/^var valid\d+ = false;\n(?=validate\d+\.errors = \[.*\];\nreturn false;\n)/gm, "")
      .replace(/^var valid\d+ = true;\n/gm, "")
      .replace(/\bif\(valid\d+\)\{/g, "{");
  });
  const schemas = new Map<string, unknown>();
  for (const m of out.matchAll(/^const (schema\d+) = (.*);$/gm))
    schemas.set(m[1] as string, JSON.parse(m[2] as string));
  out = out
    .replace(/\b(schema\d+)((?:\.\w+)+)/g, (ref, name: string, path: string) => {
      let value = schemas.get(name);
      for (const key of path.slice(1).split(".")) value = (value as Json | undefined)?.[key];
      if (value === undefined) throw new Error(`generate-validators: cannot inline ${ref}`);
      return JSON.stringify(value);
    })
    .replace(/^const schema\d+ = .*;\n/gm, "")
    .replace(
      /^(validate\d+)\.errors = \[\{instancePath(?::([^,]+))?,keyword:("[^"]+"),params:(\{.*\})\}\];\nreturn false;$/gm,
      (_m, fn: string, path: string | undefined, keyword: string, params: string) =>
        `return fail(${fn}, ${path ?? "instancePath"}, ${keyword}, ${params});`,
    );
  // A schema that is only a $ref compiles to a function that calls the referenced one and hands on its errors:
  // export the referenced function itself (same verdict, same errors array).
  for (const m of [...out.matchAll(FORWARDER)]) {
    const [fn, outer, inner] = m as unknown as [string, string, string];
    out = out.replace(fn, "").replace(new RegExp(`\\b${outer}\\b`, "g"), inner);
  }
  out = flatBlocks(earlyReturns(deadGuards(discriminatedTags(nameLists(finiteNumbers(out))))));
  // No validator calls another: each is called by the client or the mock with the data alone, so every
  // instancePath starts as "" and the parameter folds into the paths it prefixes.
  if (!/(?<!function )\bvalidate\d+\(/.test(out)) {
    out = out
      .replaceAll('(data, {instancePath=""}={}){', "(data){")
      .replace(/\binstancePath\+"/g, '"')
      .replace(/^return fail\((validate\d+), instancePath, /gm, 'return fail($1, "", ');
  }
  const left =
    /\b(evaluated\d*|props\d+|valid\d+|_errs\d+|parentData|rootData|dynamicAnchors|schema\d+)\b/.exec(out);
  if (left)
    throw new Error(`generate-validators: slimStandalone left \`${left[0]}\` behind; Ajv's output changed`);
  return sharedChecks(out);
}

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
  const paths = (spec.paths ?? {}) as Record<string, Json>;
  for (const [path, rawItem] of Object.entries(paths)) {
    const { node: pathItem } = deref(spec, rawItem);
    for (const method of METHODS) {
      const operation = pathItem[method] as Json | undefined;
      if (!operation) continue;
      const operationId = operation.operationId;
      if (typeof operationId !== "string")
        throw new Error(`generate-validators: ${method} ${path} has no operationId`);
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

/** Returns the module's source text for one bundled description. */
export function validatorsSource(doc: Json, bundleName: string): string {
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
  const helpers = SHARED_CHECKS.filter((name) => new RegExp(String.raw`(?<![.\w])${name}\(`).test(code));
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
  const source = validatorsSource(doc, bundleName);
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
  writeFileSync(opts.out, source);
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

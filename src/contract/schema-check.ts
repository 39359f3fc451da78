// One value against one schema of a description, strictly (see strict.ts), with Ajv; its errors turned into
// findings that name the pointer, what the spec expects and what was found. The only module that loads Ajv.
import type { ErrorObject, ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { type DriftFinding, show } from "./findings.js";
import { deref, escapePointer, type JsonObject, type LoadedSpec, resolvePointer } from "./spec.js";
import { strictCopy } from "./strict.js";

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** What every finding of one value shares: the operation and where in the exchange. */
export type FindingBase = Omit<DriftFinding, "kind" | "pointer" | "expected" | "found">;

interface Compiled {
  ajv: Ajv2020;
  /** Without discriminator support, made on the first schema that needs it (below). */
  plain?: Ajv2020;
  strictDoc: JsonObject;
  cache: Map<string, ValidateFunction>;
}

const compiled = new WeakMap<LoadedSpec, Compiled>();
const DOC_ID = "https://contract.hostup-api.invalid/openapi.json";

function newAjv(strictDoc: JsonObject, discriminator: boolean): Ajv2020 {
  // validateSchema: false: what Ajv would check against the JSON Schema meta-schema is the document's root, which
  // holds no schema keyword (the schemas sit under `components` and `paths`, which the meta-schema does not reach),
  // and the `{ $ref }` compiled below. Each instance would compile the meta-schema for that, the larger part of
  // its start.
  const ajv = new Ajv2020({
    strict: false,
    allErrors: true,
    verbose: true,
    discriminator,
    logger: false,
    validateSchema: false,
  });
  addFormats(ajv);
  ajv.addSchema({ ...strictDoc, $id: DOC_ID });
  return ajv;
}

function compiledFor(spec: LoadedSpec): Compiled {
  let c = compiled.get(spec);
  if (!c) {
    const strictDoc = strictCopy(spec.doc);
    c = { ajv: newAjv(strictDoc, true), strictDoc, cache: new Map() };
    compiled.set(spec, c);
  }
  return c;
}

function fragment(pointer: string): string {
  return `#${pointer.split("/").map(encodeURIComponent).join("/")}`;
}

function validatorAt(spec: LoadedSpec, pointer: string): ValidateFunction {
  const c = compiledFor(spec);
  let fn = c.cache.get(pointer);
  if (!fn) {
    try {
      fn = c.ajv.compile({ $ref: `${DOC_ID}${fragment(pointer)}` });
    } catch (error) {
      // Ajv's discriminator support needs every oneOf branch to declare the tag with const/enum; when a
      // spec does not, fall back to plain oneOf (same verdicts, noisier messages).
      if (!/discriminator/i.test(String(error))) throw error;
      c.plain ??= newAjv(c.strictDoc, false);
      fn = c.plain.compile({ $ref: `${DOC_ID}${fragment(pointer)}` });
    }
    c.cache.set(pointer, fn);
  }
  return fn;
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Whether `schema` (through $ref and allOf/oneOf/anyOf) declares a property `name`. */
function declares(doc: JsonObject, schema: unknown, name: string, depth = 0): boolean {
  if (!schema || typeof schema !== "object" || depth > 20) return false;
  const node = deref(doc, schema as JsonObject);
  if (!node) return false;
  if (node.properties && Object.hasOwn(node.properties, name)) return true;
  return ["allOf", "oneOf", "anyOf"].some(
    (k) => Array.isArray(node[k]) && node[k].some((sub: unknown) => declares(doc, sub, name, depth + 1)),
  );
}

/**
 * Drops Ajv's noise so that each finding is one real difference:
 * - "must match exactly one schema in oneOf" summaries when a branch's own errors say more;
 * - errors of the oneOf/anyOf branches that did not come close (an error deeper in the same value wins);
 * - "unevaluated" echoes: a failing subschema drops its annotations, so its valid declared properties
 *   show up as unevaluated too. A property the schema declares somewhere is not drift.
 */
function prune(doc: JsonObject, errors: ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((e) => !["oneOf", "anyOf", "if", "discriminator"].includes(e.keyword));
  let list = specific.length > 0 ? specific : errors;
  list = list.filter(
    (e) =>
      !/\/(oneOf|anyOf)\/\d+/.test(e.schemaPath) ||
      !list.some((o) => o !== e && o.instancePath.startsWith(`${e.instancePath}/`)),
  );
  list = list.filter(
    (e) =>
      e.keyword !== "unevaluatedProperties" ||
      !declares(
        doc,
        e.parentSchema,
        String((e.params as { unevaluatedProperty?: string }).unevaluatedProperty),
      ),
  );
  const seen = new Set<string>();
  return list.filter((e) => {
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** What the spec expects and what was found, in words, for one Ajv error; and the pointer it is about. */
function describeError(
  error: ErrorObject,
  data: unknown,
): { pointer: string; expected: string; found: string } {
  const p = error.params as Record<string, unknown>;
  const pointer = error.instancePath;
  const value = valueAt(data, pointer);
  switch (error.keyword) {
    case "required":
      return {
        pointer: `${pointer}/${escapePointer(String(p.missingProperty))}`,
        expected: `required property "${String(p.missingProperty)}"`,
        found: "no such property",
      };
    case "unevaluatedProperties":
    case "additionalProperties": {
      const name = String(p.unevaluatedProperty ?? p.additionalProperty);
      const at = `${pointer}/${escapePointer(name)}`;
      return {
        pointer: at,
        expected: `no property "${name}" (the spec does not declare it)`,
        found: show(valueAt(data, at)),
      };
    }
    case "type":
      return {
        pointer,
        expected: `type ${Array.isArray(p.type) ? p.type.join(" | ") : String(p.type)}`,
        found: `${typeOf(value)} ${show(value)}`,
      };
    case "enum":
      return { pointer, expected: `one of ${show(p.allowedValues)}`, found: show(value) };
    case "const":
      return { pointer, expected: `exactly ${show(p.allowedValue)}`, found: show(value) };
    case "format":
      return { pointer, expected: `a string in format "${String(p.format)}"`, found: show(value) };
    case "pattern":
      return { pointer, expected: `a string matching ${String(p.pattern)}`, found: show(value) };
    default:
      return { pointer, expected: `${error.keyword}: ${error.message ?? show(p)}`, found: show(value) };
  }
}

/** The component a $ref at `schemaPointer` leads to, so that findings name it rather than the place that refers. */
function targetOf(spec: LoadedSpec, schemaPointer: string): string {
  let target = schemaPointer;
  let node = resolvePointer(spec.doc, `#${schemaPointer}`);
  for (let i = 0; typeof node?.$ref === "string" && i < 20; i++) {
    target = String(node.$ref).slice(1);
    node = resolvePointer(spec.doc, String(node.$ref));
  }
  return target;
}

/** Validates `data` against the schema at `schemaPointer` (a JSON pointer into the bundle), strictly. */
export function validateValue(
  spec: LoadedSpec,
  schemaPointer: string,
  data: unknown,
  base: FindingBase,
): DriftFinding[] {
  const fn = validatorAt(spec, schemaPointer);
  if (fn(data)) return [];
  const target = targetOf(spec, schemaPointer);
  return prune(compiledFor(spec).strictDoc, fn.errors ?? []).map((error) => {
    const at = error.schemaPath.replace(DOC_ID, "").replace("__asMember", "");
    const specPointer = at.startsWith("#/components/") ? at : `#${target}${at.replace(/^#/, "")}`;
    return { ...base, kind: "schema" as const, ...describeError(error, data), specPointer };
  });
}

/**
 * Finds every example in a bundled OpenAPI description and checks it against the schema it illustrates
 * (Ajv, JSON Schema 2020-12, with formats). Used by examples.test.ts, also on planted faults.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface Example {
  /** JSON pointer of the example in the bundle, e.g. /paths/~1api~1v2~1vps/get/responses/200/content/... */
  where: string;
  /** JSON pointer of the schema it must satisfy. */
  schema: string;
  value: Json;
}

export interface ExampleFailure {
  where: string;
  errors: string[];
}

const escapeToken = (token: string) => token.replaceAll("~", "~0").replaceAll("/", "~1");

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function resolveRef(spec: JsonObject, node: Json | undefined): Json | undefined {
  if (!isObject(node) || typeof node.$ref !== "string" || !node.$ref.startsWith("#/")) return node;
  let target: Json | undefined = spec;
  for (const token of node.$ref.slice(2).split("/")) {
    const key = token.replaceAll("~1", "/").replaceAll("~0", "~");
    target = isObject(target) ? target[key] : undefined;
  }
  return resolveRef(spec, target);
}

const schemaMaps = new Set(["properties", "patternProperties", "$defs", "dependentSchemas"]);
const schemaLists = new Set(["allOf", "oneOf", "anyOf", "prefixItems"]);
const schemaSingles = new Set([
  "items",
  "additionalProperties",
  "unevaluatedProperties",
  "not",
  "if",
  "then",
  "else",
  "contains",
  "propertyNames",
]);

/** Every example of media types, parameters, headers and schemas, with the pointer of its schema. */
export function collectExamples(spec: JsonObject): Example[] {
  const found: Example[] = [];
  const add = (where: string, schema: string, value: Json | undefined) => {
    if (value !== undefined) found.push({ where, schema, value });
  };
  const walkSchema = (node: Json | undefined, pointer: string): void => {
    if (!isObject(node)) return;
    if ("example" in node) add(`${pointer}/example`, pointer, node.example);
    if (Array.isArray(node.examples)) {
      for (const [i, v] of node.examples.entries()) add(`${pointer}/examples/${i}`, pointer, v);
    }
    for (const [key, child] of Object.entries(node)) {
      if (schemaMaps.has(key) && isObject(child)) {
        for (const [name, sub] of Object.entries(child))
          walkSchema(sub, `${pointer}/${key}/${escapeToken(name)}`);
      } else if (schemaLists.has(key) && Array.isArray(child)) {
        for (const [i, sub] of child.entries()) walkSchema(sub, `${pointer}/${key}/${i}`);
      } else if (schemaSingles.has(key)) {
        walkSchema(child, `${pointer}/${key}`);
      }
    }
  };
  const walk = (node: Json | undefined, pointer: string): void => {
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) walk(item, `${pointer}/${index}`);
      return;
    }
    if (!isObject(node)) return;
    if (pointer === "/components/schemas") {
      for (const [name, schema] of Object.entries(node))
        walkSchema(schema, `${pointer}/${escapeToken(name)}`);
      return;
    }
    if (isObject(node.schema)) {
      // A media type, parameter or header: its own example(s) illustrate its schema.
      if ("example" in node) add(`${pointer}/example`, `${pointer}/schema`, node.example);
      if (isObject(node.examples)) {
        for (const [name, example] of Object.entries(node.examples)) {
          const resolved = resolveRef(spec, example);
          if (isObject(resolved))
            add(`${pointer}/examples/${escapeToken(name)}`, `${pointer}/schema`, resolved.value);
        }
      }
    }
    for (const [key, child] of Object.entries(node)) {
      if (key === "example" || key === "examples") continue;
      if (key === "schema") walkSchema(child, `${pointer}/schema`);
      else walk(child, `${pointer}/${escapeToken(key)}`);
    }
  };
  walk(spec, "");
  return found;
}

/**
 * Validates every example (`only`: the one at that pointer); returns the failures (empty when all hold) and how
 * many were checked.
 */
export function checkExamples(
  spec: JsonObject,
  { only }: { only?: string } = {},
): { checked: number; failures: ExampleFailure[] } {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats.default(ajv);
  ajv.addSchema(spec as object, "spec");
  const examples = collectExamples(spec).filter((example) => only === undefined || example.where === only);
  const failures: ExampleFailure[] = [];
  for (const example of examples) {
    const validate =
      ajv.getSchema(`spec#${example.schema}`) ?? ajv.compile({ $ref: `spec#${example.schema}` });
    if (!validate(example.value)) {
      failures.push({
        where: example.where,
        errors: (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`),
      });
    }
  }
  return { checked: examples.length, failures };
}

/**
 * Flattens a schema of a bundled OpenAPI description into one entry per field, keyed by the dotted path that
 * HostUp's reference pages write (`data.schedules[].hour`): its JSON types, nullability, whether its parent
 * requires it, enum, bounds, whether it is closed and whether the spec marks it `x-hostup-source: inferred`.
 * `npm run docs:check` compares these facts with a page's, `npm run spec:diff` compares two versions of them.
 *
 * Combined schemas are read as JSON Schema means them: `allOf` narrows (types intersect, requirements add up),
 * `oneOf`/`anyOf` widen (types unite; a member is required only where every branch requires it). With
 * `variants: true` each branch of a `oneOf`/`anyOf` keeps its own members under `<label>` (the discriminator
 * value, else the component's name), so that a change to one variant is not blurred by the others.
 */
import { deref, type JsonObject, resolvePointer } from "../src/contract/spec.js";

export type Scalar = string | number | boolean;

export interface FieldFacts {
  /** `""` for the body itself, `a.b`, `a[]` for the items of `a`, `<daily>.hour` for a variant's member. */
  path: string;
  /** JSON types other than null, sorted; empty when the schema constrains no type. */
  types: string[];
  nullable: boolean;
  /** Required by its parent object (in every branch that declares it, and declared by every branch). */
  required: boolean;
  /** Allowed values other than null; undefined when any value of the types is allowed. */
  enum?: Scalar[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  /** An object that refuses members it does not declare (`additionalProperties: false`). */
  closed: boolean;
  /** The field, or a schema or response it sits in, carries `x-hostup-source: inferred`. */
  inferred: boolean;
  deprecated: boolean;
}

const lowerBounds = ["minimum", "exclusiveMinimum", "minLength", "minItems"] as const;
const upperBounds = ["maximum", "exclusiveMaximum", "maxLength", "maxItems"] as const;
type BoundKey = (typeof lowerBounds)[number] | (typeof upperBounds)[number] | "multipleOf";
export const boundKeys: readonly BoundKey[] = [...lowerBounds, ...upperBounds, "multipleOf"];

interface Shape {
  /** undefined: any type. "number" includes integers. */
  types?: Set<string>;
  enum?: Scalar[];
  enumHasNull: boolean;
  bounds: Partial<Record<BoundKey, number>>;
  pattern?: string;
  format?: string;
  closed: boolean;
  inferred: boolean;
  deprecated: boolean;
  properties: Map<string, { shape: Shape; required: boolean }>;
  items?: Shape;
  /** The branches of a oneOf/anyOf (null-only branches excluded), by label. */
  variants?: Map<string, Shape>;
}

const emptyShape = (): Shape => ({
  enumHasNull: false,
  bounds: {},
  closed: false,
  inferred: false,
  deprecated: false,
  properties: new Map(),
});

const isObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null;

const structuralKeys = new Set([
  "type",
  "enum",
  "const",
  "properties",
  "required",
  "items",
  "allOf",
  "oneOf",
  "anyOf",
  "additionalProperties",
  "unevaluatedProperties",
  "pattern",
  "format",
  ...[
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
  ],
]);

/** The shape of one schema, $refs followed; a $ref already being expanded (recursion) stops the walk. */
function shapeOf(doc: JsonObject, node: unknown, inferred: boolean, stack: string[]): Shape {
  if (!isObject(node)) return { ...emptyShape(), inferred };
  const marked = inferred || node["x-hostup-source"] === "inferred";
  if (typeof node.$ref === "string") {
    const ref = node.$ref;
    if (stack.includes(ref)) return { ...emptyShape(), inferred: marked };
    const target = shapeOf(doc, resolvePointer(doc, ref), marked, [...stack, ref]);
    // OpenAPI 3.1 lets a $ref have siblings; structural ones apply as well.
    const { $ref: _ref, ...siblings } = node;
    const structural = Object.keys(siblings).some((key) => structuralKeys.has(key));
    return structural ? and(target, shapeOf(doc, siblings, marked, stack)) : target;
  }
  const own = ownShape(doc, node, marked, stack);
  let shape = own;
  if (Array.isArray(node.allOf)) {
    for (const branch of node.allOf) shape = and(shape, shapeOf(doc, branch, marked, stack));
  }
  for (const key of ["oneOf", "anyOf"] as const) {
    if (!Array.isArray(node[key])) continue;
    const branches = (node[key] as unknown[]).map((branch, index) => ({
      label: variantLabel(node, branch, index),
      shape: shapeOf(doc, branch, marked, stack),
    }));
    shape = and(shape, orAll(branches));
  }
  return shape;
}

function variantLabel(schema: JsonObject, branch: unknown, index: number): string {
  const ref = isObject(branch) && typeof branch.$ref === "string" ? branch.$ref : undefined;
  const mapping = isObject(schema.discriminator) ? (schema.discriminator.mapping as JsonObject) : undefined;
  const mapped =
    ref && mapping ? Object.entries(mapping).find(([, target]) => target === ref)?.[0] : undefined;
  if (mapped) return mapped;
  if (ref) return ref.split("/").pop() ?? ref;
  if (isObject(branch) && typeof branch.title === "string") return branch.title;
  return String(index + 1);
}

function ownShape(doc: JsonObject, schema: JsonObject, inferred: boolean, stack: string[]): Shape {
  const shape: Shape = { ...emptyShape(), inferred, deprecated: schema.deprecated === true };
  if (schema.type !== undefined) shape.types = new Set([schema.type].flat().map(String));
  const values =
    schema.const !== undefined ? [schema.const] : Array.isArray(schema.enum) ? schema.enum : undefined;
  if (values) {
    shape.enumHasNull = values.includes(null);
    shape.enum = values.filter((v: unknown): v is Scalar => v !== null && typeof v !== "object");
  }
  for (const key of boundKeys) if (typeof schema[key] === "number") shape.bounds[key] = schema[key];
  if (typeof schema.pattern === "string") shape.pattern = schema.pattern;
  if (typeof schema.format === "string") shape.format = schema.format;
  shape.closed = schema.additionalProperties === false || schema.unevaluatedProperties === false;
  const required = new Set<string>(Array.isArray(schema.required) ? schema.required : []);
  if (isObject(schema.properties)) {
    for (const [name, member] of Object.entries(schema.properties)) {
      // `name: false` forbids the member: it is not a field of this schema.
      if (member === false) continue;
      shape.properties.set(name, {
        shape: shapeOf(doc, member, inferred, stack),
        required: required.has(name),
      });
    }
  }
  // `required` naming a member declared elsewhere (in an allOf branch): remembered as a member of any shape.
  for (const name of required) {
    if (!shape.properties.has(name)) shape.properties.set(name, { shape: emptyShape(), required: true });
  }
  if (schema.items !== undefined) shape.items = shapeOf(doc, schema.items, inferred, stack);
  return shape;
}

const isNullOnly = (shape: Shape) => shape.types?.size === 1 && shape.types.has("null");

function intersectTypes(a?: Set<string>, b?: Set<string>): Set<string> | undefined {
  if (!a) return b;
  if (!b) return a;
  const out = new Set([...a].filter((t) => b.has(t)));
  // integer is a number: number ∧ integer = integer.
  if ((a.has("integer") && b.has("number")) || (a.has("number") && b.has("integer"))) out.add("integer");
  return out;
}

/** Both apply (allOf, or a schema's own keywords with its oneOf). */
function and(a: Shape, b: Shape): Shape {
  const properties = new Map(a.properties);
  for (const [name, member] of b.properties) {
    const mine = properties.get(name);
    properties.set(
      name,
      mine
        ? { shape: and(mine.shape, member.shape), required: mine.required || member.required }
        : { ...member },
    );
  }
  const enumValues = a.enum && b.enum ? a.enum.filter((v) => b.enum?.includes(v)) : (a.enum ?? b.enum);
  const bounds: Shape["bounds"] = { ...a.bounds };
  for (const key of boundKeys) {
    const x = a.bounds[key];
    const y = b.bounds[key];
    if (y === undefined) continue;
    bounds[key] =
      x === undefined
        ? y
        : (lowerBounds as readonly string[]).includes(key)
          ? Math.max(x, y)
          : key === "multipleOf"
            ? x
            : Math.min(x, y);
  }
  const types = intersectTypes(a.types, b.types);
  const shape: Shape = {
    ...(types ? { types } : {}),
    ...(enumValues ? { enum: enumValues } : {}),
    enumHasNull: a.enum && b.enum ? a.enumHasNull && b.enumHasNull : a.enum ? a.enumHasNull : b.enumHasNull,
    bounds,
    closed: a.closed || b.closed,
    inferred: a.inferred || b.inferred,
    deprecated: a.deprecated || b.deprecated,
    properties,
  };
  const pattern = a.pattern ?? b.pattern;
  if (pattern !== undefined) shape.pattern = pattern;
  const format = a.format ?? b.format;
  if (format !== undefined) shape.format = format;
  const items = a.items && b.items ? and(a.items, b.items) : (a.items ?? b.items);
  if (items) shape.items = items;
  // The members declared beside a oneOf belong to each of its variants.
  const bare = (x: Shape): Shape => ({ ...x, variants: undefined });
  if (b.variants) shape.variants = new Map([...b.variants].map(([label, v]) => [label, and(bare(a), v)]));
  else if (a.variants)
    shape.variants = new Map([...a.variants].map(([label, v]) => [label, and(v, bare(b))]));
  return shape;
}

/** Either applies (oneOf/anyOf). A null-only branch makes the rest nullable. */
function orAll(branches: { label: string; shape: Shape }[]): Shape {
  const real = branches.filter((b) => !isNullOnly(b.shape));
  const nullable = real.length < branches.length;
  const shapes = real.map((b) => b.shape);
  if (shapes.length === 0) return { ...emptyShape(), types: new Set(["null"]) };
  const merged = shapes.reduce(or);
  if (nullable && merged.types) merged.types = new Set([...merged.types, "null"]);
  if (nullable && merged.enum) merged.enumHasNull = true;
  if (real.length > 1) merged.variants = new Map(real.map((b) => [b.label, b.shape]));
  return merged;
}

function or(a: Shape, b: Shape): Shape {
  const properties = new Map<string, { shape: Shape; required: boolean }>();
  for (const name of new Set([...a.properties.keys(), ...b.properties.keys()])) {
    const x = a.properties.get(name);
    const y = b.properties.get(name);
    properties.set(name, {
      shape: x && y ? or(x.shape, y.shape) : ((x ?? y) as { shape: Shape }).shape,
      required: Boolean(x?.required && y?.required),
    });
  }
  const bounds: Shape["bounds"] = {};
  for (const key of boundKeys) {
    const x = a.bounds[key];
    const y = b.bounds[key];
    if (x === undefined || y === undefined) continue;
    bounds[key] = (lowerBounds as readonly string[]).includes(key)
      ? Math.min(x, y)
      : key === "multipleOf"
        ? x === y
          ? x
          : 1
        : Math.max(x, y);
  }
  const shape: Shape = {
    ...(a.types && b.types ? { types: new Set([...a.types, ...b.types]) } : {}),
    ...(a.enum && b.enum ? { enum: [...new Set([...a.enum, ...b.enum])] } : {}),
    enumHasNull: a.enumHasNull || b.enumHasNull,
    bounds,
    closed: a.closed && b.closed,
    inferred: a.inferred && b.inferred,
    deprecated: a.deprecated && b.deprecated,
    properties,
  };
  if (a.pattern !== undefined && a.pattern === b.pattern) shape.pattern = a.pattern;
  if (a.format !== undefined && a.format === b.format) shape.format = a.format;
  const items = a.items && b.items ? or(a.items, b.items) : (a.items ?? b.items);
  if (items) shape.items = items;
  return shape;
}

function factsOf(shape: Shape, path: string, required: boolean): FieldFacts {
  const types = shape.types ? [...shape.types].filter((t) => t !== "null").sort() : [];
  const facts: FieldFacts = {
    path,
    types,
    nullable: shape.types ? shape.types.has("null") : shape.enum ? shape.enumHasNull : true,
    required,
    closed: shape.closed,
    inferred: shape.inferred,
    deprecated: shape.deprecated,
  };
  if (shape.enum) facts.enum = [...shape.enum].sort((x, y) => String(x).localeCompare(String(y)));
  for (const key of boundKeys) if (shape.bounds[key] !== undefined) facts[key] = shape.bounds[key];
  if (shape.pattern !== undefined) facts.pattern = shape.pattern;
  if (shape.format !== undefined) facts.format = shape.format;
  return facts;
}

const join = (path: string, name: string) => (path === "" ? name : `${path}.${name}`);

/**
 * Every field of `schema`, by path. `inferred` marks the whole schema as inferred (the response or request body
 * holding it is). With `variants`, each oneOf/anyOf branch's members sit under `<label>`.
 */
export function flattenSchema(
  doc: JsonObject,
  schema: unknown,
  { variants = false, inferred = false }: { variants?: boolean; inferred?: boolean } = {},
): Map<string, FieldFacts> {
  const out = new Map<string, FieldFacts>();
  const walk = (shape: Shape, path: string, required: boolean, depth: number): void => {
    out.set(path, factsOf(shape, path, required));
    if (depth > 32) return;
    const children = (of: Shape, at: string) => {
      for (const [name, member] of of.properties)
        walk(member.shape, join(at, name), member.required, depth + 1);
      if (of.items) walk(of.items, `${at}[]`, false, depth + 1);
    };
    if (variants && shape.variants) {
      for (const [label, variant] of shape.variants) {
        const at = `${path}<${label}>`;
        out.set(at, factsOf(variant, at, false));
        children(variant, at);
      }
    } else children(shape, path);
  };
  walk(shapeOf(doc, schema, inferred, []), "", true, 0);
  return out;
}

/** The operation's parameters (path-level and operation-level, the latter winning), keyed `in name`. */
export function operationParameters(
  doc: JsonObject,
  pathItem: JsonObject,
  operation: JsonObject,
): Map<string, JsonObject> {
  const out = new Map<string, JsonObject>();
  for (const raw of [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])]) {
    const parameter = deref(doc, raw);
    if (parameter) out.set(`${parameter.in} ${parameter.name}`, parameter);
  }
  return out;
}

/** The schema of the first media type of a request body or response (after $refs), and its media type. */
export function bodySchema(
  doc: JsonObject,
  holder: unknown,
): { mediaType: string; schema: unknown; inferred: boolean } | undefined {
  const resolved = isObject(holder) ? deref(doc, holder) : undefined;
  if (!resolved || !isObject(resolved.content)) return undefined;
  const entries = Object.entries(resolved.content as JsonObject);
  const [mediaType, media] = entries.find(([type]) => /json/.test(type)) ?? entries[0] ?? [];
  if (!mediaType) return undefined;
  const inferred =
    resolved["x-hostup-source"] === "inferred" ||
    (isObject(holder) && holder["x-hostup-source"] === "inferred");
  return { mediaType, schema: isObject(media) ? media.schema : undefined, inferred };
}

// Strict-at-check-time copy of an OpenAPI document: the published spec keeps its response objects open
// (new server fields must not break users), but the contract suite wants to hear about every property the
// spec does not declare. So before validating, every object schema that says nothing about extra
// properties gets `unevaluatedProperties: false` on a deep copy. `unevaluatedProperties` (unlike
// `additionalProperties`) sees the properties declared in allOf/oneOf/anyOf branches, so composed
// schemas keep working. Schemas used as allOf/anyOf members are left open: closing a member alone would
// reject the properties that its siblings declare; the composing parent is closed instead.
import type { JsonObject, OpenApiDoc } from "./spec.js";

function isObjectSchema(schema: JsonObject): boolean {
  const type = schema.type;
  const types: unknown[] = Array.isArray(type) ? type : type === undefined ? [] : [type];
  if (types.length > 0) return types.includes("object");
  // A bare oneOf (e.g. `oneOf: [$ref, {type: "null"}]`) is left alone: its members are closed themselves.
  return (
    schema.properties !== undefined ||
    schema.allOf !== undefined ||
    schema.anyOf !== undefined ||
    schema.required !== undefined
  );
}

function saysNothingAboutExtras(schema: JsonObject): boolean {
  return (
    schema.additionalProperties === undefined &&
    schema.unevaluatedProperties === undefined &&
    schema.patternProperties === undefined
  );
}

const SUBSCHEMA_MAPS = ["properties", "patternProperties", "$defs", "dependentSchemas"] as const;
const SUBSCHEMA_SINGLE = [
  "items",
  "additionalProperties",
  "unevaluatedProperties",
  "unevaluatedItems",
  "contains",
  "propertyNames",
  "not",
  "if",
  "then",
  "else",
] as const;

const OPEN_SUFFIX = "__asMember";

/**
 * Points every allOf/anyOf member that is a $ref to a component at an open twin of that component
 * (`<Name>__asMember`), so the component itself can be closed where it is used on its own.
 */
function openComposedMembers(doc: OpenApiDoc): Set<string> {
  const out = new Set<string>();
  const prefix = "#/components/schemas/";
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    if (!node || typeof node !== "object") return;
    const obj = node as JsonObject;
    for (const key of ["allOf", "anyOf"]) {
      if (!Array.isArray(obj[key])) continue;
      for (const member of obj[key]) {
        const ref = member?.$ref;
        if (typeof ref === "string" && ref.startsWith(prefix) && !ref.endsWith(OPEN_SUFFIX)) {
          out.add(decodeURIComponent(ref.slice(prefix.length)));
          member.$ref = `${ref}${OPEN_SUFFIX}`;
        }
      }
    }
    for (const value of Object.values(obj)) visit(value);
  };
  visit(doc);
  return out;
}

function closeSchema(schema: unknown, open: boolean): void {
  if (!schema || typeof schema !== "object" || Array.isArray(schema)) return;
  const s = schema as JsonObject;
  if (typeof s.$ref === "string") return;
  if (!open && isObjectSchema(s) && saysNothingAboutExtras(s)) s.unevaluatedProperties = false;
  for (const key of SUBSCHEMA_MAPS) {
    const map = s[key];
    if (map && typeof map === "object") for (const sub of Object.values(map)) closeSchema(sub, false);
  }
  for (const key of SUBSCHEMA_SINGLE) closeSchema(s[key], false);
  if (Array.isArray(s.prefixItems)) for (const sub of s.prefixItems) closeSchema(sub, false);
  if (Array.isArray(s.oneOf)) for (const sub of s.oneOf) closeSchema(sub, false);
  for (const key of ["allOf", "anyOf"]) {
    if (Array.isArray(s[key])) for (const sub of s[key]) closeSchema(sub, true);
  }
}

/** Every schema location of an OpenAPI 3.1 document outside components.schemas. */
function forEachOperationSchema(doc: OpenApiDoc, fn: (schema: unknown) => void): void {
  const fromContent = (content: JsonObject | undefined) => {
    for (const media of Object.values(content ?? {})) fn((media as JsonObject)?.schema);
  };
  const fromParams = (params: JsonObject[] | undefined) => {
    for (const p of params ?? []) fn(p?.schema);
  };
  const fromResponse = (r: JsonObject | undefined) => {
    fromContent(r?.content);
    for (const h of Object.values(r?.headers ?? {})) fn((h as JsonObject)?.schema);
  };
  for (const item of Object.values(doc.paths ?? {})) {
    fromParams(item.parameters);
    for (const op of Object.values(item)) {
      if (!op || typeof op !== "object" || Array.isArray(op)) continue;
      fromParams((op as JsonObject).parameters);
      fromContent((op as JsonObject).requestBody?.content);
      for (const r of Object.values((op as JsonObject).responses ?? {})) fromResponse(r as JsonObject);
    }
  }
  const c = doc.components ?? {};
  for (const r of Object.values(c.responses ?? {})) fromResponse(r as JsonObject);
  for (const rb of Object.values(c.requestBodies ?? {})) fromContent((rb as JsonObject)?.content);
  for (const p of Object.values(c.parameters ?? {})) fn((p as JsonObject)?.schema);
  for (const h of Object.values(c.headers ?? {})) fn((h as JsonObject)?.schema);
}

/** A deep copy of `doc` where undeclared properties are an error (see the file comment). */
export function strictCopy(doc: OpenApiDoc): OpenApiDoc {
  const copy = structuredClone(doc);
  const schemas: JsonObject = copy.components?.schemas ?? {};
  const originals = structuredClone(schemas);
  const composed = openComposedMembers(copy);
  for (const schema of Object.values(schemas)) closeSchema(schema, false);
  for (const name of composed) {
    const twin = structuredClone(originals[name]);
    openComposedMembers({ openapi: "3.1.0", paths: {}, components: { schemas: { twin } } });
    closeSchema(twin, true);
    schemas[`${name}${OPEN_SUFFIX}`] = twin;
  }
  forEachOperationSchema(copy, (schema) => closeSchema(schema, false));
  return copy;
}

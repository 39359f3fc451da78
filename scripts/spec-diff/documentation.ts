/**
 * Documentation of an operation (summaries, descriptions, examples, titles, its reference page link), its $refs
 * followed: what changed in it, by kind. spec:diff lists it for an operation whose contract did not change.
 */
import { isDeepStrictEqual } from "node:util";
import { deref, type JsonObject, type OpenApiDoc } from "../../src/contract/spec.js";
import type { Operation } from "../spec-operations.js";

const documentationKeys: Record<string, string> = {
  summary: "summary",
  description: "descriptions",
  example: "examples",
  examples: "examples",
  externalDocs: "reference page link",
  title: "titles",
};

/** Which kinds of documentation differ in the operation, its $refs followed. */
export function documentationChanges(o: Operation, n: Operation): string[] {
  const x = documentation(o.doc, {
    ...o.operation,
    parameters: [...(o.pathItem.parameters ?? []), ...(o.operation.parameters ?? [])],
  });
  const y = documentation(n.doc, {
    ...n.operation,
    parameters: [...(n.pathItem.parameters ?? []), ...(n.operation.parameters ?? [])],
  });
  const kinds = new Set<string>();
  for (const key of new Set([...x.keys(), ...y.keys()])) {
    if (!isDeepStrictEqual(x.get(key), y.get(key)))
      kinds.add(documentationKeys[key.split("/").pop() ?? ""] ?? "documentation");
  }
  return [...kinds].sort();
}

function documentation(doc: OpenApiDoc, node: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (value: unknown, at: string, refs: string[]): void => {
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) walk(item, `${at}/${index}`, refs);
      return;
    }
    if (typeof value !== "object" || value === null) return;
    const object = value as JsonObject;
    if (typeof object.$ref === "string") {
      if (refs.includes(object.$ref)) return;
      walk(deref(doc, { $ref: object.$ref }), at, [...refs, object.$ref]);
    }
    for (const [key, child] of Object.entries(object)) {
      if (key === "$ref") continue;
      if (
        key in documentationKeys &&
        (typeof child !== "object" || key === "externalDocs" || key === "example" || key === "examples")
      ) {
        out.set(`${at}/${key}`, child);
        continue;
      }
      walk(child, `${at}/${key}`, refs);
    }
  };
  walk(node, "", []);
  return out;
}

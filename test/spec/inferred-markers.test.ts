/**
 * What the spec infers rather than reads from a page is machine-readable: a component (schema, property,
 * parameter, response, header) whose description says "inferred" carries `x-hostup-source: inferred` itself, or
 * sits inside one that does, or points at the member that does (one $ref step), so that a live recording can
 * find what to confirm.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

type Node = { [key: string]: unknown };
const load = (version: string): Node =>
  JSON.parse(
    readFileSync(join(import.meta.dirname, "..", "..", "dist", "openapi", `${version}.json`), "utf8"),
  );

const isNode = (value: unknown): value is Node => typeof value === "object" && value !== null;
const isMarked = (node: Node) => node["x-hostup-source"] === "inferred";

function resolve(spec: Node, node: unknown): unknown {
  if (!isNode(node) || typeof node.$ref !== "string") return node;
  return node.$ref
    .slice(2)
    .split("/")
    .map((t) => t.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce<unknown>((at, key) => (isNode(at) ? at[key] : undefined), spec);
}

/** True when a member of `node` (a property, a combined branch, an item), one $ref step away, is marked. */
function marksAMember(spec: Node, node: Node): boolean {
  const members = [
    ...Object.values(isNode(node.properties) ? node.properties : {}),
    ...["allOf", "oneOf", "anyOf"].flatMap((key) =>
      Array.isArray(node[key]) ? (node[key] as unknown[]) : [],
    ),
    node.items,
  ];
  return members.some((member) => {
    const target = resolve(spec, member);
    return (isNode(member) && isMarked(member)) || (isNode(target) && isMarked(target));
  });
}

/** JSON pointers of the components that say they are inferred without being marked. */
function unmarkedInferences(spec: Node): string[] {
  const found: string[] = [];
  const walk = (node: unknown, pointer: string, inMarked: boolean): void => {
    if (!isNode(node)) return;
    const marked = inMarked || isMarked(node);
    const says = typeof node.description === "string" && /\binferred\b/i.test(node.description);
    if (says && !marked && !marksAMember(spec, node)) found.push(pointer);
    for (const [key, child] of Object.entries(node)) {
      if (key === "example" || key === "examples") continue;
      walk(child, `${pointer}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`, marked);
    }
  };
  walk((spec.components ?? {}) as Node, "/components", false);
  return found;
}

describe.each(["v1", "v2"])("the %s description", (version) => {
  it("marks every inference it describes with x-hostup-source: inferred", () => {
    expect(unmarkedInferences(load(version))).toEqual([]);
  });

  it("is caught when a marker is removed (planted in a copy)", () => {
    const spec = load(version);
    // A schema that says it is inferred and whose members carry no marker of their own.
    const name = version === "v1" ? "Job" : "SnapshotSchedule";
    const schema = (spec.components as { schemas: Record<string, Node> }).schemas[name];
    if (!schema || !isMarked(schema)) throw new Error(`${version} ${name} is expected to be marked inferred`);
    delete schema["x-hostup-source"];
    expect(unmarkedInferences(spec)).toContain(`/components/schemas/${name}`);
  });
});

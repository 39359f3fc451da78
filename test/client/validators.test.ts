/**
 * Differential test of the shipped validators. scripts/generate-validators.ts rewrites Ajv's standalone output with
 * regexes (`slimStandalone`) and every user runs the result, so: for each request schema of both bundles (bodies,
 * path parameters, queries), the committed, slimmed validator and a plain Ajv2020 validator compiled from the same
 * bundle schema must agree on many inputs: the spec's examples, every single-field mutation of them (missing,
 * wrong type, out of bounds, a member of another variant, an unknown member, another discriminator tag), and
 * seeded random inputs. Same validity; when invalid, the same first error (instancePath, keyword, params).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { requestSchemas, withSafeIntegers } from "../../scripts/generate-validators.js";
import * as committedV1 from "../../src/generated/validators-v1.js";
import * as committedV2 from "../../src/generated/validators-v2.js";
import { createV1Client, createV2Client, HostupValidationError } from "../../src/index.js";
import type { Validator } from "../../src/validation.js";

type Json = Record<string, unknown>;
const root = join(import.meta.dirname, "..", "..");
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The bundle as Ajv can take it: only `discriminator.mapping` removed (Ajv rejects it; it maps tags itself). */
function withoutMapping(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMapping);
  if (!isObject(value)) return value;
  const copy: Json = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === "discriminator" && isObject(item)) {
      const { mapping: _mapping, ...rest } = item;
      copy[key] = rest;
    } else copy[key] = withoutMapping(item);
  }
  return copy;
}

function resolvePointer(doc: Json, pointer: string): unknown {
  let node: unknown = doc;
  for (const raw of pointer.replace(/^(spec)?#\//, "").split("/")) {
    node = (node as Json)[decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return node;
}

/** Follows $ref (local, `#/...`) until a schema without one. */
function deref(doc: Json, node: unknown): unknown {
  let current = node;
  for (let i = 0; isObject(current) && typeof current.$ref === "string" && i < 20; i++) {
    current = resolvePointer(doc, current.$ref);
  }
  return current;
}

/** Examples the spec gives next to a schema: the media type's or parameter's `example`/`examples`. */
function examplesAt(doc: Json, pointer: string): unknown[] {
  const parent = resolvePointer(doc, pointer.replace(/\/schema$/, "")) as Json;
  const found: unknown[] = [];
  if ("example" in parent) found.push(parent.example);
  if (isObject(parent.examples)) {
    for (const example of Object.values(parent.examples)) {
      const resolved = deref(doc, example) as Json;
      if ("value" in resolved) found.push(resolved.value);
    }
  }
  return found;
}

/** Per property name (or "" for the root), the values worth trying: bounds ±1, enums, consts, examples. */
function hints(doc: Json, schema: unknown): Map<string, unknown[]> {
  const byKey = new Map<string, unknown[]>();
  const add = (key: string, ...values: unknown[]) => byKey.set(key, [...(byKey.get(key) ?? []), ...values]);
  const seen = new Set<unknown>();
  const walk = (raw: unknown, key: string) => {
    const node = deref(doc, raw);
    if (!isObject(node) || seen.has(node)) return;
    seen.add(node);
    if ("example" in node) add(key, node.example);
    if ("const" in node) add(key, node.const);
    if (Array.isArray(node.enum)) add(key, ...node.enum, `${String(node.enum[0])}x`);
    for (const bound of ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]) {
      const n = node[bound];
      if (typeof n === "number") add(key, n - 1, n - 0.5, n, n + 0.5, n + 1);
    }
    for (const bound of ["minLength", "maxLength"]) {
      const n = node[bound];
      if (typeof n === "number") add(key, "a".repeat(Math.max(0, n - 1)), "a".repeat(n), "a".repeat(n + 1));
    }
    if (typeof node.pattern === "string")
      add(key, "x", "vps_ok1", "bks_ok1", "vps_1/../x", "a b", "job:1-_x");
    for (const branch of [node.oneOf, node.anyOf, node.allOf]) {
      if (Array.isArray(branch)) for (const item of branch) walk(item, key);
    }
    if (isObject(node.properties)) {
      for (const [name, property] of Object.entries(node.properties)) walk(property, name);
    }
  };
  walk(schema, "");
  return byKey;
}

/** An object per variant, built from its properties' examples (for variants the spec gives no example of). */
function synthesized(doc: Json, schema: unknown): unknown[] {
  const node = deref(doc, schema);
  if (!isObject(node)) return [];
  const branches = [node.oneOf, node.anyOf].find(Array.isArray) as unknown[] | undefined;
  if (branches) return branches.flatMap((branch) => synthesized(doc, branch));
  if (!isObject(node.properties)) return [];
  const object: Json = {};
  for (const [name, raw] of Object.entries(node.properties)) {
    const property = deref(doc, raw);
    if (!isObject(property)) continue; // `false`: the member is forbidden in this variant
    const value =
      "const" in property
        ? property.const
        : Array.isArray(property.enum)
          ? property.enum[0]
          : property.example;
    if (value !== undefined) object[name] = value;
  }
  return [object];
}

// JSON has no NaN or Infinity, and an integer past 2 ** 53 - 1 is not the number the caller wrote
const NOT_SAFE = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  1e21,
  2 ** 53,
  -(2 ** 53),
  -0,
];
const WRONG = [null, true, false, 0, -1, 1.5, 1e9, "", "x", "2", [], {}, [1], { a: 1 }, ...NOT_SAFE];

/** The spec's examples, then every single-field mutation of each, then seeded random inputs. */
function inputs(doc: Json, name: string, schema: Json, seed: number): unknown[] {
  const pointers =
    typeof schema.$ref === "string"
      ? [schema.$ref]
      : Object.values((schema.properties ?? {}) as Record<string, Json>).map((p) => String(p.$ref));
  const target = typeof schema.$ref === "string" ? resolvePointer(doc, schema.$ref) : schema;
  const byKey = hints(doc, target);
  const valid: unknown[] = [];
  if (typeof schema.$ref === "string")
    valid.push(...examplesAt(doc, schema.$ref), ...synthesized(doc, target));
  else {
    // a query: each parameter's example alone, and all of them together
    const all: Json = {};
    for (const [key, pointer] of Object.keys(schema.properties as Json).map(
      (k, i) => [k, pointers[i]] as const,
    )) {
      for (const example of examplesAt(doc, String(pointer))) {
        valid.push({ [key]: example });
        all[key] = example;
      }
    }
    valid.push(all, {});
  }
  expect(valid.length, `${name}: the spec gives no example to start from`).toBeGreaterThan(0);
  const keys = [...byKey.keys()].filter(Boolean);
  const values = (key: string) => [...(byKey.get(key) ?? []), ...WRONG];
  const out: unknown[] = [...valid, ...WRONG, undefined];
  for (const example of valid) {
    if (!isObject(example)) {
      out.push(...values(""), `${String(example)}/..`, `${String(example)}?x=1`, `${String(example)}#`);
      continue;
    }
    for (const key of Object.keys(example)) {
      const { [key]: _dropped, ...rest } = example;
      out.push(rest);
      for (const value of values(key)) out.push({ ...example, [key]: value });
    }
    for (const key of keys) {
      if (!(key in example)) for (const value of values(key)) out.push({ ...example, [key]: value });
    }
    out.push({ ...example, extra: 1 }, { ...example, constructor: 1 });
  }
  // mulberry32: the same inputs on every run, so a failure reproduces
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const objects = valid.filter(isObject);
  for (let i = 0; i < 300; i++) {
    if (objects.length === 0) {
      out.push(pick(values("")));
      continue;
    }
    const base: Json = random() < 0.7 ? { ...pick(objects) } : {};
    for (let n = 1 + Math.floor(random() * 3); n > 0; n--) {
      const key = pick([...keys, "extra"]);
      if (random() < 0.2) delete base[key];
      else base[key] = pick(values(key));
    }
    out.push(base);
  }
  return out;
}

function mulberrySeed(name: string): number {
  let hash = 2166136261;
  for (const char of name) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  return hash >>> 0;
}

const firstError = (validate: Validator) => {
  const error = validate.errors?.[0];
  return error && { instancePath: error.instancePath, keyword: error.keyword, params: error.params };
};

for (const [version, committed] of [
  ["v1", committedV1],
  ["v2", committedV2],
] as const) {
  describe(`${version}: the shipped (slimmed) validators agree with plain Ajv`, () => {
    const doc = JSON.parse(readFileSync(join(root, "dist", "openapi", `${version}.json`), "utf8")) as Json;
    const { schemas } = requestSchemas(doc);
    // configured like the generator: finite numbers only, and integers within Number.MAX_SAFE_INTEGER
    const ajv = new Ajv2020.default({
      discriminator: true,
      allErrors: false,
      strict: false,
      strictNumbers: true,
      unicode: false,
      validateSchema: false,
      logger: false,
    });
    ajv.addSchema(withSafeIntegers(withoutMapping(doc)) as Json, "spec");

    it("covers every export of the committed module, and nothing else", () => {
      expect(Object.keys(committed).sort()).toEqual(Object.keys(schemas).sort());
    });

    for (const [name, schema] of Object.entries(schemas)) {
      it(name, () => {
        const shipped = (committed as Record<string, Validator>)[name];
        if (!shipped) throw new Error(`${name} is not exported by src/generated/validators-${version}.ts`);
        const plain = ajv.compile(schema) as unknown as Validator;
        const cases = inputs(doc, name, schema, mulberrySeed(name));
        let accepted = 0;
        for (const input of cases) {
          const verdict = plain(input);
          const label = `${name}(${JSON.stringify(input)})`;
          expect(shipped(input), label).toBe(verdict);
          if (verdict) accepted++;
          else expect(firstError(shipped), label).toEqual(firstError(plain));
        }
        // the inputs exercise both sides: examples pass, mutations fail
        expect(accepted).toBeGreaterThan(0);
        expect(cases.length - accepted).toBeGreaterThan(cases.length / 4);
      });
    }
  });
}

/**
 * What the client does with the validators: a request that breaks the spec is refused with a HostupValidationError
 * naming the field, and nothing reaches `fetch`.
 */
describe("the client refuses what the spec does not allow, before sending", () => {
  const recorder = () => {
    const sent: string[] = [];
    const fetch = async (request: Request) => {
      sent.push(`${request.method} ${new URL(request.url).pathname}`);
      const body = request.url.includes("/api/v2/")
        ? { id: "bks_1", frequency: "daily" }
        : { success: true, timestamp: "2026-02-10T00:00:00.000Z", requestId: "r", data: {} };
      return new Response(JSON.stringify(body), {
        status: 200,
        headers: { "content-type": "application/json" },
      });
    };
    return { sent, fetch };
  };
  const refusal = async (call: Promise<unknown>) => {
    const error = await call.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(HostupValidationError);
    return (error as HostupValidationError).fieldErrors;
  };
  const dailyV2 = { frequency: "daily", hour: 2, retentionCount: 3, enabled: true } as const;
  const dailyV1 = { schedule_type: "daily", hour: 2, minute: 0, retention_count: 3, enabled: true } as const;

  it.each([null, "daily", 42, []])("v2 backupSchedules.save refuses the body %j", async (body) => {
    const { sent, fetch } = recorder();
    const v2 = createV2Client({ token: "test-token", fetch, retry: false });
    const errors = await refusal(v2.backupSchedules.save("vps_1", body as never));
    expect(errors).toEqual([{ pointer: "", message: "`body` must be an object", code: "type" }]);
    expect(sent).toEqual([]);
  });

  it.each([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN, 1e21, -0, 2 ** 53, 1.5])(
    "v1 refuses the vmid %s (not a safe integer >= 1) and sends nothing",
    async (vmid) => {
      const { sent, fetch } = recorder();
      const v1 = createV1Client({ apiKey: "test-key", fetch, retry: false });
      for (const call of [
        () => v1.backupSchedules.get(vmid),
        () => v1.backupSchedules.save(vmid, dailyV1),
        () => v1.snapshotSchedule.get(vmid),
      ]) {
        const [error] = await refusal(call());
        expect(error?.pointer).toBe("/vmid");
        expect(error?.message).toMatch(/^`vmid` must be /);
      }
      expect(sent).toEqual([]);
    },
  );

  it.each([Number.POSITIVE_INFINITY, Number.NaN, 1e21, 2 ** 53])(
    "retentionCount %s is refused in v2 and retention_count in v1",
    async (count) => {
      const { sent, fetch } = recorder();
      const v2 = createV2Client({ token: "test-token", fetch, retry: false });
      const [v2Error] = await refusal(
        v2.backupSchedules.save("vps_1", { ...dailyV2, retentionCount: count }),
      );
      expect(v2Error?.pointer).toBe("/retentionCount");
      expect(v2Error?.message).toMatch(/^`retentionCount` must be /);
      const v1 = createV1Client({ apiKey: "test-key", fetch, retry: false });
      const [v1Error] = await refusal(v1.backupSchedules.save(10000, { ...dailyV1, retention_count: count }));
      expect(v1Error?.pointer).toBe("/retention_count");
      expect(sent).toEqual([]);
    },
  );

  it("numbers must be finite: intervalHours Infinity and NaN, and the query's limit", async () => {
    const { sent, fetch } = recorder();
    const v2 = createV2Client({ token: "test-token", fetch, retry: false });
    for (const intervalHours of [Number.POSITIVE_INFINITY, Number.NaN]) {
      const [error] = await refusal(v2.snapshotSchedule.save("vps_1", { enabled: true, intervalHours }));
      expect(error?.pointer).toBe("/intervalHours");
    }
    const [error] = await refusal(v2.vps.list({ limit: Number.NaN }));
    expect(error?.pointer).toBe("/limit");
    expect(sent).toEqual([]);
  });

  it("a safe integer vmid goes out as plain digits", async () => {
    const { sent, fetch } = recorder();
    const v1 = createV1Client({ apiKey: "test-key", fetch, retry: false });
    await v1.backupSchedules.get(10000);
    await v1.snapshotSchedule.get(Number.MAX_SAFE_INTEGER);
    expect(sent).toEqual([
      "GET /api/vm/10000/backup-schedules",
      "GET /api/vm/9007199254740991/snapshot-schedules",
    ]);
  });
});

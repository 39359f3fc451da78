// Property-based tests (fast-check): whatever a client sends with valid credentials (arbitrary JSON bodies,
// single-field mutations of the spec's own request examples, arbitrary path ids and query strings), the mock
// answers a status the spec declares for that operation, with a body the strict validator accepts, and never a
// 5xx. Seeded: a failure prints `seed` and `path`; replay with FC_SEED=<seed> (and FC_PATH=<path>).
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  deref,
  type JsonObject,
  listOperations,
  loadSpec,
  type OperationRef,
} from "../../src/contract/spec.js";
import type { MockState } from "../../src/mock/index.js";
import { DB, type MockHarness, startHarness, WEB } from "./harness.js";

const SEED = process.env.FC_SEED === undefined ? 20_260_302 : Number(process.env.FC_SEED);
const PATH = process.env.FC_PATH;
/** Runs per operation: 28 operations, so several hundred requests in all. */
const RUNS = Number(process.env.FC_NUM_RUNS ?? 25);

/** The fast-check parameters every property here runs with. */
function runParameters(numRuns = RUNS): fc.Parameters<unknown> {
  return { seed: SEED, numRuns, ...(PATH ? { path: PATH } : {}) };
}

/** What one generated request is, before it is resolved against the mock's current state. */
interface GeneratedRequest {
  params: Record<string, ParamChoice>;
  query?: [string, string][];
  body: BodyChoice;
}
type ParamChoice = { kind: "live" } | { kind: "example" } | { kind: "arbitrary"; value: string };
type BodyChoice = { kind: "none" } | { kind: "json"; value: unknown } | { kind: "raw"; text: string };

function parametersOf(doc: JsonObject, op: OperationRef, where: "path" | "query"): JsonObject[] {
  const all: JsonObject[] = [...(op.pathItem.parameters ?? []), ...(op.operation.parameters ?? [])];
  return all.map((p) => deref(doc, p) as JsonObject).filter((p) => p.in === where);
}

/** Every property name a schema (through $ref, oneOf, anyOf, allOf) declares. */
function propertyNames(
  doc: JsonObject,
  node: JsonObject | undefined,
  seen = new Set<JsonObject>(),
): string[] {
  const schema = deref(doc, node);
  if (!schema || seen.has(schema)) return [];
  seen.add(schema);
  const own = Object.keys(schema.properties ?? {});
  const nested = [...(schema.oneOf ?? []), ...(schema.anyOf ?? []), ...(schema.allOf ?? [])].flatMap(
    (s: JsonObject) => propertyNames(doc, s, seen),
  );
  return [...new Set([...own, ...nested])];
}

function requestExamples(doc: JsonObject, op: OperationRef): JsonObject[] {
  const media = deref(doc, op.operation.requestBody)?.content?.["application/json"];
  return Object.values<JsonObject>(media?.examples ?? {}).map((e) => deref(doc, e)?.value as JsonObject);
}

/** Encodable (no lone surrogate) and not a dot segment, which would be another URL, not this operation's. */
function pathSegment(s: string): boolean {
  try {
    encodeURIComponent(s);
  } catch {
    return false;
  }
  return s !== "." && s !== "..";
}
/**
 * fast-check's `unit: "binary"` (any code point but a surrogate), as the same nat-to-code-point mapping with an
 * unmapper that computes the index: `"binary"` builds a table of all 1.1 million code points on first use (a second
 * of CPU per worker). Same values for the same seed, the same shrinks, and the same injected strings ("__proto__").
 */
const SURROGATES = 0xe000 - 0xd800;
const codePoint = fc.nat({ max: 0x10ffff - SURROGATES }).map(
  (index) => String.fromCodePoint(index < 0xd800 ? index : index + SURROGATES),
  (value) => {
    const point = typeof value === "string" ? value.codePointAt(0) : undefined;
    if (point === undefined || String.fromCodePoint(point) !== value || (point >= 0xd800 && point < 0xe000))
      throw new Error("not a single code point");
    return point < 0xd800 ? point : point - SURROGATES;
  },
);
const pathString = fc.string({ unit: codePoint, minLength: 1, maxLength: 40 }).filter(pathSegment);

const jsonValue = fc.jsonValue({ maxDepth: 3 });

/** The bodies a sloppy or hostile client sends: the issue's own list first, then anything. */
const oddBodies = fc.constantFrom<unknown>(null, "daily", 42, [], {}, true, 0, -1, "", [{}]);

function bodyArbitrary(doc: JsonObject, op: OperationRef): fc.Arbitrary<BodyChoice> {
  if (!op.operation.requestBody) return fc.constant({ kind: "none" });
  const examples = requestExamples(doc, op);
  const schema = deref(doc, op.operation.requestBody)?.content?.["application/json"]?.schema;
  const names = propertyNames(doc, schema);
  const example = fc.constantFrom(...examples);
  const mutation = example.chain((ex) => {
    // one member (declared anywhere in the schema, or not at all) set to any JSON value
    const setOne = fc
      .tuple(
        names.length ? fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 12 })) : fc.string(),
        jsonValue,
      )
      .map(([key, value]) => Object.defineProperty({ ...ex }, key, { value, enumerable: true }));
    const keys = Object.keys(ex);
    if (!keys.length) return setOne; // an empty example ({}: "the defaults") has no member to drop
    // drop one member
    const dropOne = fc.constantFrom(...keys).map((key) => {
      const { [key]: _dropped, ...rest } = ex;
      return rest;
    });
    return fc.oneof(dropOne, setOne);
  });
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant<BodyChoice>({ kind: "none" }) },
    { weight: 2, arbitrary: oddBodies.map((value): BodyChoice => ({ kind: "json", value })) },
    { weight: 3, arbitrary: jsonValue.map((value): BodyChoice => ({ kind: "json", value })) },
    { weight: 2, arbitrary: example.map((value): BodyChoice => ({ kind: "json", value })) },
    { weight: 6, arbitrary: mutation.map((value): BodyChoice => ({ kind: "json", value })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }).map((text): BodyChoice => ({ kind: "raw", text })) },
  );
}

function requestArbitrary(doc: JsonObject, op: OperationRef): fc.Arbitrary<GeneratedRequest> {
  const params: Record<string, fc.Arbitrary<ParamChoice>> = {};
  for (const p of parametersOf(doc, op, "path")) {
    params[p.name] = fc.oneof(
      { weight: 3, arbitrary: fc.constant<ParamChoice>({ kind: "live" }) },
      { weight: 1, arbitrary: fc.constant<ParamChoice>({ kind: "example" }) },
      {
        weight: 3,
        arbitrary: fc
          .oneof(pathString, fc.integer().map(String), fc.double().map(String))
          .map((value): ParamChoice => ({ kind: "arbitrary", value })),
      },
    );
  }
  const queryNames = parametersOf(doc, op, "query").map((p) => String(p.name));
  const query = queryNames.length
    ? fc.array(
        fc.tuple(
          fc.oneof(fc.constantFrom(...queryNames), fc.string({ maxLength: 8 })),
          fc.oneof(
            fc.string({ maxLength: 12 }),
            fc.integer().map(String),
            fc.constantFrom("", "1", "100", "0"),
          ),
        ),
        { maxLength: 4 },
      )
    : fc.constant(undefined);
  return fc.record({
    params: fc.record(params),
    query,
    body: bodyArbitrary(doc, op),
  }) as fc.Arbitrary<GeneratedRequest>;
}

/**
 * A value the mock's current state knows for a path parameter (a seeded VM, its schedule, one of its jobs, backups
 * or snapshots). v1 paths name db-1, v2 paths web-1: the backup ids follow.
 */
function liveValue(state: MockState, name: string, v2: boolean): string {
  const web = state.findVm(WEB.vmid);
  const db = state.findVm(DB.vmid);
  const active = (vm: typeof web) => vm?.history.find((h) => h.status === "active");
  switch (name) {
    case "vmid":
      return String(DB.vmid);
    case "id":
      return v2 ? WEB.vpsId : String(WEB.vmid);
    case "scheduleId":
      return web?.schedule ? `bks_${web.schedule.id}` : "bks_2464";
    case "jobId":
      return web?.history[0]?.job_id ?? "backup-1-2-3";
    case "backupId":
      return `bkp_${active(web)?.id ?? 1}`;
    case "volid":
      return active(db)?.volid ?? "pbs-offsite-10g:backup/vm/10001/none";
    case "snapshotId":
      return web?.snapshots[0]?.name ?? "before-upgrade";
    default:
      throw new Error(`no live value for path parameter ${name}: add one here`);
  }
}

function resolvePath(doc: JsonObject, op: OperationRef, state: MockState, req: GeneratedRequest): string {
  const examples = Object.fromEntries(
    parametersOf(doc, op, "path").map((p) => [p.name, String(p.example ?? p.schema?.example)]),
  );
  const path = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const choice = req.params[name] ?? { kind: "live" };
    const value =
      choice.kind === "live"
        ? liveValue(state, name, op.path.startsWith("/api/v2"))
        : choice.kind === "example"
          ? (examples[name] ?? "")
          : choice.value;
    return encodeURIComponent(value);
  });
  if (!req.query?.length) return path;
  return `${path}?${new URLSearchParams(req.query).toString()}`;
}

/** Operations a client can get wrong: a body, path parameters or query parameters. */
function fuzzedOperations(doc: JsonObject): OperationRef[] {
  return listOperations(doc as never).filter(
    (op) =>
      op.operation.requestBody ||
      parametersOf(doc, op, "path").length > 0 ||
      parametersOf(doc, op, "query").length > 0,
  );
}

/**
 * The property, for one operation: send the request; the harness checks the status is one the spec declares
 * for the operation and the body passes the strict validator (it throws otherwise); and no 5xx.
 */
function answersWithinTheSpec(mock: MockHarness, doc: JsonObject, op: OperationRef) {
  return fc
    .asyncProperty(requestArbitrary(doc, op), async (req) => {
      const path = resolvePath(doc, op, mock.state, req);
      const body =
        req.body.kind === "none"
          ? undefined
          : req.body.kind === "raw"
            ? req.body.text
            : JSON.stringify(req.body.value);
      const answer = await mock.call(path, {
        method: op.method,
        ...(body === undefined ? {} : { body }),
        offSpecRequest: true,
      });
      expect(
        answer.status,
        `${op.method} ${path} ${body ?? ""} -> ${answer.status} ${answer.text}`,
      ).toBeLessThan(500);
    })
    .beforeEach(() => mock.state.reset());
}

let mock: MockHarness;
beforeAll(async () => {
  mock = await startHarness();
});
afterAll(async () => {
  await mock.server.close();
});

for (const version of ["v1", "v2"] as const) {
  const doc = loadSpec(version).doc;
  describe(`${version}: any request with valid credentials gets a declared status, a valid body, no 5xx`, () => {
    for (const op of fuzzedOperations(doc)) {
      it(`${op.operationId} (${op.method} ${op.path})`, async () => {
        await fc.assert(answersWithinTheSpec(mock, doc, op), runParameters());
      });
    }
  });
}

describe("the property can fail, and says how to replay it", () => {
  it("a planted handler bug (a TypeError on every read) is caught, with the seed in the report", async () => {
    const doc = loadSpec("v2").doc;
    const op = fuzzedOperations(doc).find((o) => o.operationId === "getSnapshotSchedule");
    if (!op) throw new Error("v2 getSnapshotSchedule missing");
    const broken = await startHarness();
    const stderr = vi.spyOn(console, "error").mockImplementation(() => {}); // the mock reports its own bug there
    const original = broken.state.canEnableSnapshots.bind(broken.state);
    broken.state.canEnableSnapshots = () => {
      throw new TypeError("planted");
    };
    try {
      const failure = await fc
        .assert(answersWithinTheSpec(broken, doc, op), { seed: SEED, numRuns: 10 })
        .then(
          () => undefined,
          (error: unknown) => error as Error,
        );
      expect(failure?.message).toMatch(new RegExp(`seed: ${SEED}\\b`));
      expect(String(failure?.cause)).toContain("-> 500");
    } finally {
      stderr.mockRestore();
      broken.state.canEnableSnapshots = original;
      await broken.server.close();
    }
  });
});

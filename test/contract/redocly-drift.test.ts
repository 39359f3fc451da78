// Check 4: `redocly drift --coverage` over all fixtures, against both descriptions, as an independent second
// opinion: zero errors. Known false positive of the experimental command (info severity, not an error):
// it reports v1's `X-API-Key` request header as undocumented although the description declares it as the
// ApiKeyAuth security scheme (`in: header`); bearer `Authorization` is recognised, apiKey headers are not.
//
// The same drift process judges the mock's own traffic (the read-only record scenarios and the mock-only writes,
// recorded against the embedded mock and checked strictly and by drift, as `npm run contract` checks a target) and
// the planted faults of both: one HAR holds every fixture entry, then the mock's exchanges, then altered copies of
// the mock's v2 snapshot schedule answers, then the invalid fixture's entries (a drift process of its own cost
// about 0.75 CPU-s). Drift reports a problem at the first exchange that has it, so a problem reported at an index
// below the planted entries is the clean entries' own (one they shared with a planted entry would be reported
// there too); the fixtures come first, so a problem of theirs is reported at a fixture, as when they were judged
// alone.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkLive, runReadOnlyScenarios } from "../../scripts/contract-live.js";
import { runMockWrites } from "../../scripts/contract-mock-writes.js";
import { recordingFetch } from "../../scripts/record.js";
import { type DriftRun, harEntries } from "../../scripts/redocly.js";
import { type HarEntry, toExchange } from "../../src/contract/har.js";
import { matchOperation, specFor } from "../../src/contract/match.js";
import { listOperations } from "../../src/contract/spec.js";
import { createV1Client, createV2Client } from "../../src/index.js";
import { DEFAULT_VMS, SAMPLE_V1_KEY, SAMPLE_V2_TOKEN, startMockServer } from "../../src/mock/index.js";
import { INVALID_FIXTURES_DIR, listScenarios, scenarios, specs_ } from "./fixtures.js";

const KNOWN_FALSE_POSITIVE = /^Undocumented header in traffic: "x-api-key"$/;
const WORKFLOWS_DIR = join(import.meta.dirname, "..", "..", "openapi", "workflows");

const dir = mkdtempSync(join(tmpdir(), "hostup-drift-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixtures = harEntries(scenarios().map((s) => s.path));
const invalid = harEntries(listScenarios(INVALID_FIXTURES_DIR).map((s) => s.path));

// the mock's traffic, recorded once on a mock of its own, and the one drift run
let readOnly: Awaited<ReturnType<typeof runReadOnlyScenarios>>;
let clean = 0;
let planted: { scenario: string; entry: HarEntry }[] = [];
let checked: ReturnType<typeof checkLive>["checked"] = [];
let driftErrors: ReturnType<typeof checkLive>["driftErrors"] = [];
let run: DriftRun;
beforeAll(async () => {
  const mock = await startMockServer();
  const entries: HarEntry[] = [];
  try {
    readOnly = await runReadOnlyScenarios({
      kind: "mock",
      baseUrl: mock.url,
      apiKey: SAMPLE_V1_KEY,
      token: SAMPLE_V2_TOKEN,
      vmid: DEFAULT_VMS.web.vmid,
      vpsId: DEFAULT_VMS.web.vpsId,
    });
    const common = { baseUrl: mock.url, fetch: recordingFetch(entries, () => {}), retry: false as const };
    await runMockWrites({
      v1: createV1Client({ apiKey: SAMPLE_V1_KEY, ...common }),
      v2: createV2Client({ token: SAMPLE_V2_TOKEN, ...common }),
      vmid: DEFAULT_VMS.web.vmid,
      vpsId: DEFAULT_VMS.web.vpsId,
    });
  } finally {
    await mock.close();
  }
  const all = [...readOnly.exchanges, ...entries.map((entry) => ({ scenario: "mock-writes", entry }))];
  clean = all.length;
  planted = plantedCopies(readOnly.exchanges);
  const live = checkLive(specs_(), [...all, ...planted], dir, { before: fixtures, after: invalid });
  ({ checked, driftErrors } = live);
  if (!live.drift) throw new Error("checkLive ran no drift");
  run = live.drift;
});

describe("redocly drift over the fixtures", () => {
  /** Each fixture entry's version: the one description that documents it (drift chooses among both). */
  const versions = fixtures.map((entry) => {
    const x = toExchange(entry);
    const documenting = specs_().filter((spec) => matchOperation(spec, x.method, x.url));
    return documenting.length === 1 ? documenting[0]?.version : `${documenting.length} descriptions`;
  });
  /** Where the invalid fixture's entries begin: after the fixtures and the mock's exchanges. */
  const invalidFrom = () => fixtures.length + checked.length;

  it("read every entry, and found each documented", () => {
    expect(run.exchanges).toBe(fixtures.length + checked.length + invalid.length);
    expect(run.documented).toBe(run.exchanges);
  });

  it.each(["v1", "v2"])("%s: zero errors, every exchange documented", (version) => {
    const mine = new Set(versions.flatMap((v, i) => (v === version ? [i] : [])));
    const problems = run.problems.filter((p) => mine.has(p.exchangeIndex));
    const lines = problems.map(
      (p) => `${p.severity} ${p.ruleId}: ${p.message} (${p.method} ${p.url} ${p.status})`,
    );
    console.log(
      `\nredocly drift ${version}: ${mine.size} exchanges, ${JSON.stringify(run.bySeverity)} (with the mock's traffic and the planted faults)\n  ${lines.join("\n  ")}`,
    );
    expect(mine.size).toBeGreaterThan(30);
    // every fixture entry has one version, so every exchange drift documented was judged against its own
    expect(versions.filter((v) => v !== "v1" && v !== "v2")).toEqual([]);
    expect(problems.filter((p) => p.version !== version)).toEqual([]);
    expect(problems.filter((p) => p.severity === "error")).toEqual([]);
    expect(problems.filter((p) => !KNOWN_FALSE_POSITIVE.test(p.message))).toEqual([]);
  });

  it("the second opinion can fail: the _truncated artefact fixture gives drift errors", () => {
    expect(invalid.length).toBeGreaterThan(0);
    const plantedProblems = run.problems.filter((p) => p.exchangeIndex >= invalidFrom());
    expect(plantedProblems.filter((p) => p.severity === "error").length).toBeGreaterThan(0);
    expect(plantedProblems.every((p) => p.version === "v1")).toBe(true);
    expect(plantedProblems.map((p) => p.message)).toContain(
      'Response is missing required field "data.history[2].id".',
    );
  });
});

describe("read-only record scenarios and the mock-only writes against the mock", () => {
  it("every exchange passes the strict validator and redocly drift finds no error", () => {
    expect(readOnly.failures).toEqual([]);
    expect(readOnly.exchanges.length).toBeGreaterThanOrEqual(5);
    expect(checked.length).toBe(clean + planted.length);
    expect(checked.slice(0, clean).flatMap((c) => c.findings)).toEqual([]);
    expect(driftErrors.filter((d) => d.exchange < clean)).toEqual([]);
  });

  it("the scenarios, the writes and the workflows' steps reach every operation of both versions", () => {
    const specs = specs_();
    const reached = new Set(
      checked.slice(0, clean).map((c) => {
        const x = toExchange(c.entry);
        const spec = specFor(specs, x);
        return `${spec.version} ${matchOperation(spec, x.method, x.url)?.operationId}`;
      }),
    );
    // the workflows' steps name their operations ($sourceDescriptions.<version>.<operationId>); the workflows
    // themselves run in test/mock/contract.test.ts
    for (const file of readdirSync(WORKFLOWS_DIR).filter((f) => f.endsWith(".arazzo.yaml"))) {
      for (const m of readFileSync(join(WORKFLOWS_DIR, file), "utf8").matchAll(
        /\$sourceDescriptions\.(v[12])\.(\w+)/g,
      ))
        reached.add(`${m[1]} ${m[2]}`);
    }
    const every = specs.flatMap((spec) =>
      listOperations(spec).map((o) => `${spec.version} ${o.operationId}`),
    );
    expect(every.filter((o) => !reached.has(o))).toEqual([]);
  });

  it("a planted undeclared property and a wrong type are caught by both checks", () => {
    expect(planted).not.toEqual([]);
    const pointers = checked.slice(clean).flatMap((c) => c.findings.map((f) => f.pointer));
    expect(pointers).toEqual(expect.arrayContaining(["/surprise", "/limits/totalSnapshots"]));
    expect(driftErrors.filter((d) => d.exchange >= clean).length).toBeGreaterThan(0);
    // each drift error names its version and the scenario of the exchange it was found in (npm run contract prints both)
    for (const d of driftErrors.filter((e) => e.exchange >= clean)) {
      expect(d).toMatchObject({ version: "v2", scenario: planted[d.exchange - clean]?.scenario });
      expect(d.url).toMatch(/\/api\/v2\/vps\/[^/]+\/snapshot-schedules$/);
    }
  });
});

/** Copies of the v2 snapshot schedule answers with an undeclared property and a wrong type. */
function plantedCopies(exchanges: { scenario: string; entry: HarEntry }[]) {
  return exchanges
    .filter(
      ({ entry }) =>
        entry.request.url.includes("/api/v2/vps/") && entry.request.url.endsWith("/snapshot-schedules"),
    )
    .map(({ scenario, entry }) => {
      const body = JSON.parse(entry.response.content.text ?? "{}");
      body.limits.totalSnapshots = "three";
      body.surprise = true;
      const text = JSON.stringify(body);
      return {
        scenario,
        entry: {
          ...entry,
          response: { ...entry.response, content: { ...entry.response.content, text, size: text.length } },
        },
      };
    });
}

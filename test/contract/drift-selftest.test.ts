// Check 5: the suite catches drift. Copies of real fixtures, each with one planted change, must fail
// with a message that names the fixture, the operation and the JSON pointer, and reads like a diff.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Har, readHar, writeHar } from "../../src/contract/har.js";
import { EXAMPLES_DIR, formatScenarioFindings, specs_, validateScenario } from "./fixtures.js";

// biome-ignore lint/suspicious/noExplicitAny: mutations reach into arbitrary recorded JSON
type Body = Record<string, any>;

interface Mutation {
  name: string;
  fixture: string;
  operation: string;
  pointer: string;
  expected: string;
  found: string;
  mutate: (body: Body) => void;
}

const V2_GET = "v2-get-backup-schedules-200-one-schedule";
const V1_GET = "v1-get-backup-schedules-200-weekly";
const V2_OP = "v2 getBackupSchedules (GET /api/v2/vps/{id}/backup-schedules)";
const V1_OP = "v1 getBackupSchedules (GET /api/vm/{vmid}/backup-schedules)";

const mutations: Mutation[] = [
  {
    name: "a required field removed",
    fixture: V2_GET,
    operation: V2_OP,
    pointer: "/schedules/0/retentionCount",
    expected: 'required property "retentionCount"',
    found: "no such property",
    mutate: (b) => {
      delete b.schedules[0].retentionCount;
    },
  },
  {
    name: "a type changed",
    fixture: V1_GET,
    operation: V1_OP,
    pointer: "/data/schedules/0/hour",
    expected: "type integer",
    found: 'string "5"',
    mutate: (b) => {
      b.data.schedules[0].hour = "5";
    },
  },
  {
    name: "an unknown enum value",
    fixture: V2_GET,
    operation: V2_OP,
    pointer: "/schedules/0/frequency",
    expected: 'one of ["daily","weekly","monthly"]',
    found: '"hourly"',
    mutate: (b) => {
      b.schedules[0].frequency = "hourly";
    },
  },
  {
    name: "an undeclared property",
    fixture: V1_GET,
    operation: V1_OP,
    pointer: "/data/settings/max_snapshots",
    expected: 'no property "max_snapshots" (the spec does not declare it)',
    found: "3",
    mutate: (b) => {
      b.data.settings.max_snapshots = 3;
    },
  },
];

/** Every directory `plant` made, removed after the file's tests. */
const planted: string[] = [];
afterAll(() => {
  for (const dir of planted) rmSync(dir, { recursive: true, force: true });
});

function plant(fixture: string, mutate: (body: Body) => void): { name: string; path: string } {
  const har: Har = readHar(join(EXAMPLES_DIR, fixture, "recording.har"));
  const entry = har.log.entries[0];
  if (!entry?.response.content.text) throw new Error(`${fixture} has no response body`);
  const body = JSON.parse(entry.response.content.text) as Body;
  mutate(body);
  entry.response.content.text = JSON.stringify(body);
  const dir = mkdtempSync(join(tmpdir(), "hostup-drift-"));
  planted.push(dir);
  const name = `${fixture}-mutated`;
  mkdirSync(join(dir, name));
  const path = join(dir, name, "recording.har");
  writeHar(path, har);
  return { name, path };
}

describe("drift self-test: each planted mutation fails with fixture, operation and pointer", () => {
  it("the unmutated fixtures pass (so a failure below is the mutation's doing)", () => {
    for (const fixture of [V1_GET, V2_GET]) {
      expect(
        validateScenario(specs_(), { name: fixture, path: join(EXAMPLES_DIR, fixture, "recording.har") }),
      ).toEqual([]);
    }
  });

  it.each(mutations.map((m) => [m.name, m] as const))("%s", (_name, m) => {
    const scenario = plant(m.fixture, m.mutate);
    const findings = validateScenario(specs_(), scenario);
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f).toMatchObject({
      fixture: scenario.name,
      operation: m.operation,
      pointer: m.pointer,
      kind: "schema",
    });
    expect(f?.expected).toBe(m.expected);
    expect(f?.found).toBe(m.found);
    const report = formatScenarioFindings(findings);
    console.log(`\n${m.name}:\n${report}`);
    expect(report).toContain(`drift in ${scenario.name} (`);
    expect(report).toContain("recording.har), entry #0");
    expect(report).toContain(`operation: ${m.operation}`);
    expect(report).toContain(m.pointer);
    expect(report).toMatch(/- expected by the spec: .+\n {2}\+ found in the recording: /);
  });
});

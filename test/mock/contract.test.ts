// The mock kept honest by the contract suite's own tools: the read-only record scenarios against the mock pass
// the strict validator and `redocly drift`, and the Arazzo workflows pass `redocly respect` against it.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkLive,
  MOCK_WORKFLOW_INPUTS,
  runReadOnlyScenarios,
  runWorkflows,
} from "../../scripts/contract.js";
import { runMockWrites } from "../../scripts/contract-mock-writes.js";
import { recordingFetch } from "../../scripts/record.js";
import { redocly } from "../../scripts/redocly.js";
import { type HarEntry, toExchange } from "../../src/contract/har.js";
import { matchOperation, specFor } from "../../src/contract/match.js";
import { listOperations, loadSpecs } from "../../src/contract/spec.js";
import { createV1Client, createV2Client } from "../../src/index.js";
import {
  DEFAULT_VMS,
  type MockServer,
  SAMPLE_V1_KEY,
  SAMPLE_V2_TOKEN,
  startMockServer,
} from "../../src/mock/index.js";

let server: MockServer;
let workDir: string;
beforeAll(async () => {
  server = await startMockServer();
  workDir = mkdtempSync(join(tmpdir(), "hostup-mock-contract-"));
});
afterAll(async () => {
  await server.close();
  rmSync(workDir, { recursive: true, force: true });
});

const target = () => ({
  kind: "mock" as const,
  baseUrl: server.url,
  apiKey: SAMPLE_V1_KEY,
  token: SAMPLE_V2_TOKEN,
  vmid: DEFAULT_VMS.web.vmid,
  vpsId: DEFAULT_VMS.web.vpsId,
});

describe("read-only record scenarios against the mock", () => {
  // Recorded once: the clean check and the planted one read the same exchanges (the planted test alters copies).
  let recorded: Awaited<ReturnType<typeof runReadOnlyScenarios>>;
  beforeAll(async () => {
    recorded = await runReadOnlyScenarios(target());
  });

  it("every exchange passes the strict validator and redocly drift finds no error", () => {
    const { exchanges, failures } = recorded;
    expect(failures).toEqual([]);
    expect(exchanges.length).toBeGreaterThanOrEqual(5);
    const { checked, driftErrors } = checkLive(loadSpecs(), exchanges, workDir);
    expect(checked.flatMap((c) => c.findings)).toEqual([]);
    expect(driftErrors).toEqual([]);
  });

  it("a planted undeclared property and a wrong type are caught by both checks", () => {
    const planted = recorded.exchanges.map(({ scenario, entry }) => {
      if (!entry.request.url.includes("/api/v2/vps/") || !entry.request.url.endsWith("/snapshot-schedules")) {
        return { scenario, entry };
      }
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
    expect(
      planted.filter(({ entry }) => entry.response.content.text?.includes('"surprise":true')),
    ).not.toEqual([]);
    const { checked, driftErrors } = checkLive(loadSpecs(), planted, join(workDir, "planted"));
    const pointers = checked.flatMap((c) => c.findings.map((f) => f.pointer));
    expect(pointers).toEqual(expect.arrayContaining(["/surprise", "/limits/totalSnapshots"]));
    expect(driftErrors.length).toBeGreaterThan(0);
  });
});

const WORKFLOW_FILES = [
  "backup-now.arazzo.yaml",
  "backup-schedules.arazzo.yaml",
  "restore-backup.arazzo.yaml",
  "snapshot-rollback.arazzo.yaml",
  "snapshot-schedules.arazzo.yaml",
];

// The Redocly processes below run side by side (respect against this process's mock, and lint): each is
// asynchronous, so the mock keeps answering while they run.
describe.concurrent("Arazzo workflows with redocly respect against the mock", () => {
  it("every openapi/workflows/*.arazzo.yaml passes", async () => {
    const runs = await runWorkflows(server.url, MOCK_WORKFLOW_INPUTS);
    expect(runs.map((r) => r.file)).toEqual(WORKFLOW_FILES);
    for (const run of runs) expect(run.ok, run.output).toBe(true);
  });

  it("a workflow fails when the mock breaks its promise (the check can fail)", async () => {
    const broken = await startMockServer({ faults: { errorRate: 1 } });
    try {
      const [run] = await runWorkflows(broken.url, MOCK_WORKFLOW_INPUTS, ["snapshot-schedules.arazzo.yaml"]);
      expect(run?.ok).toBe(false);
    } finally {
      await broken.close();
    }
  });

  it("a wait fails when the job never completes (the poll's retries run out)", async () => {
    const stuck = await startMockServer({ jobs: { pollsToComplete: 1000, durationMs: 3_600_000 } });
    try {
      const [run] = await runWorkflows(stuck.url, MOCK_WORKFLOW_INPUTS, ["backup-now.arazzo.yaml"]);
      expect(run?.ok).toBe(false);
      expect(run?.output).toContain("waitForBackup");
    } finally {
      await stuck.close();
    }
  });
});

describe("every operation of both versions against the mock", () => {
  it("the read-only scenarios, the mock-only writes and the workflows' steps reach every operation", async () => {
    const specs = loadSpecs();
    const mock = await startMockServer();
    try {
      const { exchanges, failures } = await runReadOnlyScenarios({ ...target(), baseUrl: mock.url });
      expect(failures).toEqual([]);
      const entries: HarEntry[] = [];
      const common = { baseUrl: mock.url, fetch: recordingFetch(entries, () => {}), retry: false as const };
      await runMockWrites({
        v1: createV1Client({ apiKey: SAMPLE_V1_KEY, ...common }),
        v2: createV2Client({ token: SAMPLE_V2_TOKEN, ...common }),
        vmid: DEFAULT_VMS.web.vmid,
        vpsId: DEFAULT_VMS.web.vpsId,
      });
      const all = [...exchanges, ...entries.map((entry) => ({ scenario: "mock-writes", entry }))];
      const { checked, driftErrors } = checkLive(specs, all, join(workDir, "every-operation"));
      expect(checked.flatMap((c) => c.findings)).toEqual([]);
      expect(driftErrors).toEqual([]);
      const reached = new Set(
        checked.map((c) => {
          const x = toExchange(c.entry);
          const spec = specFor(specs, x);
          return `${spec.version} ${matchOperation(spec, x.method, x.url)?.operationId}`;
        }),
      );
      // the workflows' steps name their operations ($sourceDescriptions.<version>.<operationId>)
      const root = join(import.meta.dirname, "..", "..", "openapi", "workflows");
      for (const file of WORKFLOW_FILES) {
        for (const m of readFileSync(join(root, file), "utf8").matchAll(
          /\$sourceDescriptions\.(v[12])\.(\w+)/g,
        ))
          reached.add(`${m[1]} ${m[2]}`);
      }
      const every = specs.flatMap((spec) =>
        listOperations(spec).map((o) => `${spec.version} ${o.operationId}`),
      );
      expect(every.filter((o) => !reached.has(o))).toEqual([]);
    } finally {
      await mock.close();
    }
  });
});

describe("the workflows lint clean", () => {
  it("redocly lint openapi/workflows/*.arazzo.yaml", async () => {
    const root = join(import.meta.dirname, "..", "..");
    const files = WORKFLOW_FILES.map((f) => join(root, "openapi", "workflows", f));
    const run = redocly(["lint", ...files]);
    expect(run.code, run.output).toBe(0);
  });
});

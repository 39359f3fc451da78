// The mock kept honest by the contract suite's own tools: the read-only record scenarios against the mock pass
// the strict validator and `redocly drift`, and the Arazzo workflows pass `redocly respect` against it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSpecs } from "../../scripts/contract/spec.js";
import {
  checkLive,
  MOCK_WORKFLOW_INPUTS,
  runReadOnlyScenarios,
  runWorkflows,
} from "../../scripts/contract.js";
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

// The Redocly processes below run side by side (respect against this process's mock, and lint): each is
// asynchronous, so the mock keeps answering while they run.
describe.concurrent("Arazzo workflows with redocly respect against the mock", () => {
  it("every openapi/workflows/*.arazzo.yaml passes", async () => {
    const runs = await runWorkflows(server.url, MOCK_WORKFLOW_INPUTS);
    expect(runs.map((r) => r.file)).toEqual([
      "backup-schedules.arazzo.yaml",
      "snapshot-schedules.arazzo.yaml",
    ]);
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

  it("the workflows lint clean (redocly lint openapi/workflows/*.arazzo.yaml)", async () => {
    const { execFile } = await import("node:child_process");
    const root = join(import.meta.dirname, "..", "..");
    const files = ["backup-schedules.arazzo.yaml", "snapshot-schedules.arazzo.yaml"].map((f) =>
      join(root, "openapi", "workflows", f),
    );
    const code = await new Promise<number>((resolve) => {
      execFile(
        process.execPath,
        [join(root, "node_modules", "@redocly", "cli", "bin", "cli.js"), "lint", ...files],
        { cwd: root, env: { ...process.env, REDOCLY_TELEMETRY: "off" } },
        (error) => resolve(error ? 1 : 0),
      );
    });
    expect(code).toBe(0);
  });
});

// The mock kept honest by the contract suite's own tools: the Arazzo workflows pass `redocly respect` against it.
// Elsewhere, in a Redocly process that runs anyway: the workflows lint clean (test/spec/lint-rules.test.ts), and
// the read-only record scenarios against the mock pass the strict validator and `redocly drift`
// (test/contract/redocly-drift.test.ts, in the fixtures' drift run).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { MOCK_WORKFLOW_INPUTS, runWorkflows, type WorkflowRun } from "../../scripts/contract-live.js";
import { type MockServer, startMockServer } from "../../src/mock/index.js";

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

const WORKFLOW_FILES = [
  "backup-now.arazzo.yaml",
  "backup-schedules.arazzo.yaml",
  "restore-backup.arazzo.yaml",
  "snapshot-rollback.arazzo.yaml",
  "snapshot-schedules.arazzo.yaml",
];

// One respect process runs the good workflows against this file's mock and the planted faults against mocks of
// their own (respect runs the files one after the other and reports each file and step; a second process cost
// about a CPU-second): the planted copies name their source descriptions `planted1` and `planted2`, which
// --server sends behind a loopback front, where the snapshot schedule routes go to a mock that answers every
// request 500, all the others to a mock whose jobs never complete. Respect is asynchronous, so the mocks keep
// answering while it runs.
describe.concurrent("Arazzo workflows with redocly respect against the mock", () => {
  const PLANTED = ["snapshot-schedules.arazzo.yaml", "backup-now.arazzo.yaml"];
  let runs: Promise<WorkflowRun[]> | undefined;
  const allRuns = () => {
    runs ??= (async () => {
      const broken = await startMockServer({ faults: { errorRate: 1 } });
      const stuck = await startMockServer({ jobs: { pollsToComplete: 1000, durationMs: 3_600_000 } });
      const both = await front((path) => (/\/snapshot-schedules(\?|$)/.test(path) ? broken.url : stuck.url));
      try {
        const copies = PLANTED.map((file) => plantedCopy(file, join(workDir, "workflows")));
        return await runWorkflows(
          server.url,
          MOCK_WORKFLOW_INPUTS,
          [...WORKFLOW_FILES, ...copies],
          undefined,
          {
            planted1: both.url,
            planted2: both.url,
          },
        );
      } finally {
        await both.close();
        await broken.close();
        await stuck.close();
      }
    })();
    return runs;
  };
  const plantedRun = async (file: string) => (await allRuns()).find((r) => r.file === `planted-${file}`);

  it("every openapi/workflows/*.arazzo.yaml passes", async () => {
    const good = (await allRuns()).filter((r) => !r.file.startsWith("planted-"));
    expect(good.map((r) => r.file)).toEqual(WORKFLOW_FILES);
    for (const run of good) expect(run.ok, run.output).toBe(true);
  });

  it("a workflow fails when the mock breaks its promise (the check can fail)", async () => {
    const run = await plantedRun("snapshot-schedules.arazzo.yaml");
    expect(run?.ok).toBe(false);
    // the first step on a snapshot schedule route (the VPS lookup before it goes to the other mock)
    expect(run?.failedSteps, run?.output).toContain("readSchedule");
  });

  it("a wait fails when the job never completes (the poll's retries run out)", async () => {
    const run = await plantedRun("backup-now.arazzo.yaml");
    expect(run?.ok).toBe(false);
    expect(run?.output).toContain("waitForBackup");
    expect(run?.failedSteps, run?.output).toEqual(["waitForBackup"]);
  });
});

/**
 * A copy of openapi/workflows/`file` in `dir`, named `planted-<file>`, whose source descriptions `v1` and `v2` are
 * named `planted1` and `planted2` (the same descriptions, by absolute path; every step's reference renamed).
 */
function plantedCopy(file: string, dir: string): string {
  const source = join(import.meta.dirname, "..", "..", "openapi", "workflows", file);
  const doc = parse(readFileSync(source, "utf8")) as { sourceDescriptions: { name: string; url: string }[] };
  for (const description of doc.sourceDescriptions) {
    description.url = resolve(dirname(source), description.url);
    description.name = description.name.replace(/^v([12])$/, "planted$1");
  }
  const text = stringify(doc).replace(/\$sourceDescriptions\.v([12])\./g, "$$sourceDescriptions.planted$1.");
  mkdirSync(dir, { recursive: true });
  const copy = join(dir, `planted-${file}`);
  writeFileSync(copy, text);
  return copy;
}

/** A loopback front for mocks: each request passed on whole to the base URL `route` picks by its path. */
async function front(route: (path: string) => string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const path = req.url ?? "/";
    const upstream = request(
      new URL(path, route(path)),
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((closed) => server.close(() => closed()));
    },
  };
}

/**
 * npm run spec:diff: changes planted in a copy of the bundled specs are each reported and classified as the
 * package's users feel them (structurally and through the generated TypeScript types), with the semver bump they
 * imply; an unchanged pair reports nothing. The specs are bundled once, in process.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type Change, diffSpecs } from "../../scripts/spec-diff/changes.js";
import {
  formatChangelog,
  formatMarkdown,
  nextVersion,
  type SpecDiffResult,
  semver,
} from "../../scripts/spec-diff/report.js";
import { probeTypes } from "../../scripts/spec-diff/types-probe.js";
import type { OpenApiDoc } from "../../src/contract/spec.js";
import { bundleOnce } from "./bundles.js";

const projectRoot = join(import.meta.dirname, "..", "..");
let specs: Map<string, OpenApiDoc>;
beforeAll(async () => {
  // bundleApis, shared with git-ref.test.ts when both run in one worker (its release tag holds this very spec)
  specs = await bundleOnce(projectRoot);
});

const copy = (from: Map<string, OpenApiDoc>) =>
  new Map([...from].map(([api, doc]) => [api, structuredClone(doc)]));
const key = (c: Change) =>
  `${c.impact} | ${c.kind} | ${c.api} ${c.operationId} | ${c.where}${c.field === undefined ? "" : ` ${c.field}`}`;

/** The planted pair: `before` differs from today's spec in one place, `after` in the rest. */
function plantedPair(): { before: Map<string, OpenApiDoc>; after: Map<string, OpenApiDoc> } {
  const before = copy(specs);
  const after = copy(specs);
  const v1 = after.get("v1") as OpenApiDoc;
  const v2 = after.get("v2") as OpenApiDoc;
  const schemas = (doc: OpenApiDoc) => doc.components?.schemas;
  // A response field removed.
  const schedule = schemas(v1).BackupSchedule;
  delete schedule.properties.compress;
  schedule.required = schedule.required.filter((name: string) => name !== "compress");
  // A type narrowed in a request.
  schemas(v2).UpdateBackupSettingsRequest.properties.maxTotalBackups.type = "integer";
  // A new required request field.
  const snapshotRequest = schemas(v2).SaveSnapshotScheduleRequest;
  snapshotRequest.properties.timezone = { type: "string" };
  snapshotRequest.required.push("timezone");
  // An enum value added to a response, and a response field made nullable.
  schemas(v2).BackupSchedule.properties.status.enum.splice(-1, 0, "paused");
  schemas(v2).BackupSettings.properties.totalBackupLimit.type = ["integer", "null"];
  // A new operation.
  const collection = v2.paths["/api/v2/vps/{id}/backup-schedules/{scheduleId}"];
  v2.paths["/api/v2/vps/{id}/backup-schedules/{scheduleId}/actions/run"] = {
    parameters: collection?.parameters,
    post: { ...structuredClone(collection?.delete), operationId: "runBackupSchedule" },
  };
  // A path changed.
  const snapshots = v2.paths["/api/v2/vps/{id}/snapshot-schedules"];
  v2.paths["/api/v2/vps/{id}/snapshot-schedule"] = {
    parameters: snapshots?.parameters,
    delete: snapshots?.delete,
  };
  delete snapshots?.delete;
  // A request enum value removed: the old spec allowed one more `include`.
  const include = (before.get("v2") as OpenApiDoc).components?.parameters.Include.schema;
  include.enum.push("billing");
  return { before, after };
}

describe("spec:diff", () => {
  it("bundles in process exactly as npm run generate's Redocly CLI does (dist/openapi, made by the test setup)", () => {
    expect([...specs.keys()]).toEqual(["v1", "v2"]);
    for (const [api, doc] of specs) {
      const cli = JSON.parse(readFileSync(join(projectRoot, "dist", "openapi", `${api}.json`), "utf8"));
      expect(doc, api).toEqual(cli);
    }
  });

  it("reports nothing for an unchanged pair", async () => {
    const changes = diffSpecs(specs, copy(specs));
    expect(changes).toEqual([]);
    const result: SpecDiffResult = {
      base: "v0.1.0",
      commit: "0123456789",
      changes,
      semver: semver(changes, [], "0.1.0"),
    };
    expect(result.semver).toMatchObject({ bump: "none", next: "0.1.0" });
    expect(formatMarkdown(result)).toContain("No change to what the package's users see.");
    expect(formatChangelog(result)).toBe("");
  });

  it("classifies each planted change, and implies a major bump", () => {
    const { before, after } = plantedPair();
    const changes = diffSpecs(before, after);
    expect(changes.map(key).sort()).toEqual(
      [
        "breaking | field-removed | v1 getBackupSchedules | response 200 data.schedules[].compress",
        "breaking | field-removed | v1 saveBackupSchedule | response 200 data.schedule.compress",
        "breaking | type-narrowed | v2 updateBackupSettings | request body maxTotalBackups",
        "breaking | field-added | v2 saveSnapshotSchedule | request body timezone",
        "risky | enum-value-added | v2 getBackupSchedules | response 200 schedules[].status",
        "risky | enum-value-added | v2 saveBackupSchedule | response 201 status",
        "risky | made-nullable | v2 getBackupSchedules | response 200 settings.totalBackupLimit",
        "risky | made-nullable | v2 updateBackupSettings | response 200 settings.totalBackupLimit",
        "compatible | operation-added | v2 runBackupSchedule | operation",
        "breaking | operation-moved | v2 deleteSnapshotSchedule | operation",
        "breaking | enum-value-removed | v2 listVps | query parameter include",
      ].sort(),
    );
    const narrowed = changes.find((c) => c.kind === "type-narrowed");
    expect(narrowed).toMatchObject({ before: "number", after: "integer" });
    expect(changes.find((c) => c.kind === "operation-moved")).toMatchObject({
      before: "DELETE /api/v2/vps/{id}/snapshot-schedules",
      after: "DELETE /api/v2/vps/{id}/snapshot-schedule",
    });
    const bump = semver(changes, undefined, "0.1.0");
    expect(bump).toMatchObject({ bump: "major", next: "0.2.0", reason: "6 breaking change(s)" });

    const entry = formatChangelog({ base: "v0.1.0", commit: "0123456", changes, semver: bump });
    expect(entry).toMatch(/^### Breaking\n\n/);
    expect(entry).toContain(
      "- **v2 updateBackupSettings** (`PATCH /api/v2/vps/{id}/backup-schedules`), request body `maxTotalBackups`: type narrowed (number → integer).",
    );
    expect(entry).toContain("### Risky");
    expect(entry).toContain(
      'response 201 `status`: enum value "paused" added: an exhaustive switch over it misses a case',
    );
    expect(entry).toContain("### Compatible\n\n- **v2 runBackupSchedule**");
  });

  it("reads the same changes through the generated TypeScript types", async () => {
    const { before, after } = plantedPair();
    const probes = await probeTypes(before, after);
    const failing = probes.filter((p) => !p.fits).map((p) => `${p.api} ${p.operationId} ${p.where}`);
    expect(failing.sort()).toEqual(
      [
        "v1 getBackupSchedules response 200 application/json",
        "v1 saveBackupSchedule response 200 application/json",
        "v2 getBackupSchedules response 200 application/json",
        "v2 saveBackupSchedule response 201 application/json",
        "v2 updateBackupSettings response 200 application/json",
        "v2 saveSnapshotSchedule request body application/json",
        "v2 listVps parameters",
      ].sort(),
    );
    // Everything else fits, including what TypeScript cannot see (number to integer is number to number).
    expect(
      probes.find((p) => p.operationId === "updateBackupSettings" && p.where.startsWith("request body")),
    ).toMatchObject({ fits: true });
    expect(probes.length).toBeGreaterThan(100);
    const snapshot = probes.find((p) => p.operationId === "saveSnapshotSchedule" && !p.fits);
    expect(snapshot?.message).toMatch(/timezone/);
    const changes = diffSpecs(before, after);
    const markdown = formatMarkdown({
      base: "v0.1.0",
      commit: "0123456",
      changes,
      types: probes,
      semver: semver(changes, probes, "0.1.0"),
    });
    expect(markdown).toContain("**Semver: major** (6 breaking change(s); 6 breaking, 4 risky, 1 compatible)");
    expect(markdown).toContain("7 of ");
    expect(markdown).not.toContain("where the comparison above found nothing breaking or risky");
  });

  it("lists documentation-only changes on one line, as a patch", () => {
    const after = copy(specs);
    const v2 = after.get("v2") as OpenApiDoc;
    const paths = v2.paths as Record<string, Record<string, { description: string }>>;
    (paths["/api/v2/vps"]?.get as { description: string }).description += " Reworded.";
    (paths["/api/v2/vps/{id}/snapshot-schedules"]?.delete as { description: string }).description +=
      " Reworded.";
    const changes = diffSpecs(specs, after);
    expect(changes.map(key)).toEqual([
      "compatible | documentation | v2 listVps | operation",
      "compatible | documentation | v2 deleteSnapshotSchedule | operation",
    ]);
    const bump = semver(changes, undefined, "0.1.0");
    expect(bump).toMatchObject({ bump: "patch", next: "0.1.1", reason: "documentation only" });
    expect(formatChangelog({ base: "main", commit: "0123456", changes, semver: bump })).toBe(
      "### Compatible\n\n- Documentation changed (descriptions): **v2 listVps**, **v2 deleteSnapshotSchedule**.\n",
    );
  });

  it("makes a compile break that the comparison cannot explain a major bump", () => {
    const probe = { api: "v2", operationId: "listVps", endpoint: "GET /api/v2/vps", where: "parameters" };
    expect(semver([], [{ ...probe, fits: false, message: "x" }], "1.4.2")).toMatchObject({
      bump: "major",
      next: "2.0.0",
    });
    expect(semver([], [{ ...probe, fits: true }], "1.4.2")).toMatchObject({ bump: "none", next: "1.4.2" });
  });

  it("counts versions below 1.0.0 as npm's ^ ranges do", () => {
    expect(nextVersion("0.1.0", "major")).toBe("0.2.0");
    expect(nextVersion("0.1.0", "minor")).toBe("0.1.1");
    expect(nextVersion("1.2.3", "minor")).toBe("1.3.0");
    expect(nextVersion("1.2.3", "patch")).toBe("1.2.4");
  });
});

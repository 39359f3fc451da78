/**
 * npm run docs:check against the stored reference pages (never the network): today's pages agree with today's
 * spec once the reviewed departures are set aside, and every change planted in a copy of the pages or of the
 * spec is reported, where it is, as what it is.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { checkReferencePages } from "../../scripts/docs-check/check.js";
import type { Difference } from "../../scripts/docs-check/compare.js";
import { loadDepartures } from "../../scripts/docs-check/departures.js";
import { docsCheck } from "../../scripts/docs-check.js";
import { folderSource } from "../../scripts/reference-pages/sources.js";
import { operationsOf } from "../../scripts/spec-operations.js";
import type { OpenApiDoc } from "../../src/contract/spec.js";
import { copyPages, docsDir, plant, projectRoot, projectSpecs, skipWithoutPages } from "./api-docs.js";

const scratch = mkdtempSync(join(tmpdir(), "hostup-docs-check-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const departuresFile = join(projectRoot, "openapi", "reference-page-departures.yaml");

/** docs:check on the project's specs (bundled once: `projectSpecs`); `bundle`: docs:check bundles them itself. */
async function run(
  argv: string[],
  { bundle = false } = {},
): Promise<{ status: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const status = await docsCheck(argv, {
    root: projectRoot,
    ...(bundle ? {} : { specs: await projectSpecs() }),
    write: (text) => {
      out += text;
    },
    writeError: (text) => {
      err += text;
    },
  });
  return { status, out, err };
}

const key = (d: Pick<Difference, "operation" | "where" | "field" | "kind" | "page" | "spec">) =>
  `${d.operation} | ${d.where} | ${d.field} | ${d.kind} | page: ${d.page} | spec: ${d.spec}`;

describe("docs:check on the stored pages", () => {
  beforeEach(skipWithoutPages);
  it("reports nothing on today's pages and spec, listing the departures it set aside (exit 0)", async () => {
    const { status, out, err } = await run(["--pages", docsDir], { bundle: true });
    expect(err).toBe("");
    expect(out).toContain("✔ The spec and the pages agree");
    expect(out).toMatch(/Departures declared in openapi\/reference-page-departures\.yaml, set aside \(22\)/);
    expect(out).toContain(
      "data.schedules[].last_run: nullable: the page says not nullable, the spec nullable",
    );
    expect(out).toContain("Compared 15 of 28 operations");
    expect(out).toContain(
      "lifecycle/v2-get-backups.txt (field-lines, 17 fields, an excerpt cut short: only what it shows)",
    );
    expect(status).toBe(0);
  });

  it("--format json: no difference, every departure used, every stored page parsed", async () => {
    const { status, out } = await run(["--pages", docsDir, "--format", "json"]);
    const result = JSON.parse(out);
    expect(result.ok).toBe(true);
    expect(result.remaining).toEqual([]);
    expect(result.noLongerNeeded).toEqual([]);
    expect(result.applied).toHaveLength(loadDepartures(departuresFile).length);
    const compared = result.operations.filter((op: { readFrom?: string }) => op.readFrom);
    const read = Object.fromEntries(
      compared.map((op: { operation: string; rendering: string; excerpt?: string }) => [
        op.operation,
        `${op.rendering}${op.excerpt ? ` (${op.excerpt} excerpt)` : ""}`,
      ]),
    );
    expect(read).toEqual({
      "v1 getBackupSchedules": "field-lines",
      "v1 saveBackupSchedule": "field-lines",
      "v2 saveBackupSchedule": "markdown",
      "v2 updateBackupSettings": "field-lines",
      "v2 saveSnapshotSchedule": "run-together",
      // The lifecycle's excerpts: each rendering an excerpt holds, up to its cut.
      "v1 listBackups": "field-lines (cut excerpt)",
      "v1 listSnapshots": "field-lines (whole excerpt)",
      "v2 listBackups": "field-lines (cut excerpt)",
      "v2 createBackup": "field-lines+markdown (cut excerpt)",
      "v2 listBackupRestoreSources": "markdown (cut excerpt)",
      "v2 restoreBackupFromVps": "markdown+field-lines (cut excerpt)",
      "v2 deleteBackup": "markdown (cut excerpt)",
      "v2 restoreBackupToPayg": "markdown (cut excerpt)",
      "v2 listSnapshots": "markdown (cut excerpt)",
      "v2 createSnapshot": "field-lines (cut excerpt)",
    });
    for (const op of compared.filter((op: { excerpt?: string }) => !op.excerpt)) {
      expect(op.fields).toBeGreaterThan(10);
    }
    expect(status).toBe(0);
  });

  it("reports each change planted in copies of the pages, and a departure the page has fixed (exit 1)", async () => {
    const pages = join(scratch, "planted-pages");
    copyPages(pages);
    // The copy as made: nothing to report, so that what follows is the plants' doing.
    expect((await run(["--pages", pages])).status).toBe(0);

    const v1Get = join(pages, "v1-get-backup-schedules.txt");
    const v1Post = join(pages, "v1-post-backup-schedules.txt");
    const v2Post = join(pages, "v2-post-backup-schedules.md");
    const v2Patch = join(pages, "v2-patch-backup-schedules.txt");
    const v2Snapshot = join(pages, "v2-post-snapshot-schedules.txt");
    // A field removed from a response.
    plant(v1Get, "data.schedules[].compress string required · Example: zstd\n", "");
    // The departure the page fixes: last_run becomes nullable on the GET page too.
    plant(
      v1Get,
      "data.schedules[].last_run string required",
      "data.schedules[].last_run string · nullable required",
    );
    // A status renamed: 422 becomes 409.
    plant(v1Post, "422 Standard error response", "409 Standard error response");
    // A new required request field, an enum value added to a response, a new related endpoint.
    plant(
      v2Post,
      "- `name` (string, optional) Example: `Nightly backup`",
      "- `name` (string, optional) Example: `Nightly backup`\n- `timezone` (string, required) Example: `UTC`",
    );
    plant(v2Post, "cancelled, unknown, ", "cancelled, unknown, paused, ");
    plant(
      v2Post,
      "### Headers",
      "- `POST /api/v2/vps/{id}/backup-schedules/{scheduleId}/actions/run`: Run a backup schedule now\n\n### Headers",
    );
    // A type narrowed (number to integer) in two renderings, a scope and a method changed.
    plant(v2Patch, "maxTotalBackups number", "maxTotalBackups integer");
    plant(v2Patch, "Required API scope: write:vm", "Required API scope: backup:vm");
    plant(v2Patch, "PATCH https://cloud.hostup.se/api/v2", "PUT https://cloud.hostup.se/api/v2");
    plant(v2Snapshot, "intervalHours number required", "intervalHours integer required");

    const { status, out } = await run(["--pages", pages, "--format", "json"]);
    const result = JSON.parse(out);
    expect(result.remaining.map(key).sort()).toEqual(
      [
        "v1 getBackupSchedules | response 200 | data.schedules[].compress | field | page: absent | spec: string, required",
        "v1 saveBackupSchedule | statuses | 409 | status | page: documented | spec: absent",
        "v1 saveBackupSchedule | statuses | 422 | status | page: absent | spec: declared",
        "v2 saveBackupSchedule | request body | timezone | field | page: string, required | spec: absent",
        "v2 saveBackupSchedule | response 201 | status | enum | page: has paused | spec: lacks paused",
        "v2 saveBackupSchedule | related endpoints | POST /api/v2/vps/{id}/backup-schedules/{scheduleId}/actions/run | related-endpoint | page: names it | spec: absent",
        "v2 updateBackupSettings | request body | maxTotalBackups | type | page: integer | spec: number",
        "v2 updateBackupSettings | scope |  | scope | page: backup:vm | spec: write:vm",
        "v2 updateBackupSettings | operation |  | operation | page: PUT /api/v2/vps/{id}/backup-schedules | spec: PATCH /api/v2/vps/{id}/backup-schedules",
        "v2 saveSnapshotSchedule | request body | intervalHours | type | page: integer | spec: number",
      ].sort(),
    );
    expect(result.noLongerNeeded.map(key)).toEqual([
      "v1 getBackupSchedules | response 200 | data.schedules[].last_run | nullable | page: not nullable | spec: nullable",
    ]);
    expect(result.ok).toBe(false);
    expect(status).toBe(1);

    const text = (await run(["--pages", pages])).out;
    expect(text).toContain("✘ 10 difference(s) between the pages and the spec");
    expect(text).toContain(
      "response 200 data.schedules[].compress: in the spec (string, required), not on the page",
    );
    expect(text).toContain("request body timezone: on the page (string, required), not in the spec");
    expect(text).toContain("✘ 1 departure(s) no longer needed");
  });

  it("reports a page in which it recognises no field, rather than agreeing with it", async () => {
    const pages = join(scratch, "unreadable-pages");
    copyPages(pages);
    writeFileSync(
      join(pages, "v2-post-backup-schedules.md"),
      "<html><body>Something else entirely</body></html>",
    );
    const { status, out } = await run(["--pages", pages, "--format", "json"]);
    expect(JSON.parse(out).remaining.map(key)).toEqual([
      "v2 saveBackupSchedule | page |  | page | page: no field recognised (has its rendering changed?) | spec: declares a body",
      "v2 saveBackupSchedule | parameters | path id | parameter | page: absent | spec: declared",
    ]);
    expect(status).toBe(1);
  });

  it("reports what is planted in a copy of the spec: a field removed, a page no longer recorded", async () => {
    const specs = await projectSpecs();
    const v1 = specs.get("v1") as OpenApiDoc;
    const schedule = v1.components?.schemas.BackupSchedule;
    delete schedule.properties.compress;
    schedule.required = schedule.required.filter((name: string) => name !== "compress");
    delete v1.paths["/api/jobs/{jobId}"]?.get.externalDocs;
    const v2 = specs.get("v2") as OpenApiDoc;
    v2.components?.schemas.BackupSchedule.properties.status.enum.push("paused");
    const result = await checkReferencePages({
      specs,
      source: folderSource(docsDir),
      departures: loadDepartures(departuresFile),
    });
    expect(result.remaining.map(key).sort()).toEqual(
      [
        "v1 getBackupSchedules | response 200 | data.schedules[].compress | field | page: string, required | spec: absent",
        "v1 getJob | page |  | page | page: records no reference page | spec: no externalDocs.url",
        "v1 saveBackupSchedule | response 200 | data.schedule.compress | field | page: string, required | spec: absent",
        "v2 saveBackupSchedule | response 201 | status | enum | page: lacks paused | spec: has paused",
      ].sort(),
    );
  });
});

describe("docs:check on the lifecycle's excerpts", () => {
  beforeEach(skipWithoutPages);
  it("says of each lifecycle operation it cannot compare why: a reader's copy, or no page", async () => {
    const { out } = await run(["--pages", docsDir, "--format", "json"]);
    const reasons = Object.fromEntries(
      JSON.parse(out)
        .operations.filter((op: { notChecked?: string }) => op.notChecked)
        .map((op: { operation: string; notChecked: string }) => [
          op.operation,
          op.notChecked.replace(/^.*lifecycle\/(\S+) is an excerpt /, "$1: "),
        ]),
    );
    const readersCopy = "in no rendering the parser reads (a reader's flattened or summarised copy)";
    expect(reasons).toMatchObject({
      "v1 deleteBackup": `v1-delete-backup-volid.txt: ${readersCopy}`,
      "v1 deleteOrRollbackSnapshot": `v1-delete-snapshots.txt: ${readersCopy}`,
      "v1 getJob": `v1-get-job.txt: ${readersCopy}`,
      "v2 restoreSnapshot": `v2-post-snapshot-restore.txt: ${readersCopy}`,
      // No page was found for these two: their externalDocs.url is the address the site's naming gives.
      "v2 restoreBackup": `no copy of post-v2-vps-id-backups-backupid-actions-restore in the folder ${docsDir}`,
      "v2 deleteSnapshot": `no copy of delete-v2-vps-id-snapshots-snapshotid in the folder ${docsDir}`,
    });
  });

  it("reports what is planted in the lifecycle's excerpts, holding a cut one only to what it shows", async () => {
    const pages = join(scratch, "planted-excerpts");
    copyPages(pages);
    expect((await run(["--pages", pages])).status).toBe(0);
    const lifecycle = (file: string) => join(pages, "lifecycle", file);
    // A type narrowed in a field-lines excerpt, a field removed from a Markdown one (not reported: the page is
    // cut, so an absent field may have been cut away), a new field, and a new related endpoint.
    plant(
      lifecycle("v2-get-backups.txt"),
      "backups[].sizeGb number required",
      "backups[].sizeGb integer required",
    );
    plant(lifecycle("v2-get-backups-restore-sources.txt"), "- `sources[].name` (string, required)\n", "");
    plant(
      lifecycle("v2-get-backups-restore-sources.txt"),
      "- `sources[].sourceType` (string, required)",
      "- `sources[].region` (string, required)\n- `sources[].sourceType` (string, required)",
    );
    plant(
      lifecycle("v2-post-backups.txt"),
      "### Related Endpoints",
      "### Related Endpoints\n- `POST /api/v2/vps/{id}/backups/actions/verify`: Verify a backup",
    );
    // An enum value the reader wrote on the field's line, gone; and the page fixing a declared departure.
    plant(lifecycle("v1-get-backups.txt"), "[manual, scheduled]", "[manual]");
    plant(lifecycle("v2-post-snapshots.txt"), "operation object\n", "operation object required\n");
    // A NOTE line is a reader's, not the page's: a field written in one is not on the page.
    plant(
      lifecycle("v2-get-backups.txt"),
      "backups[].sizeGb",
      "NOTE: backups[].legacy boolean required\nbackups[].sizeGb",
    );

    const { status, out } = await run(["--pages", pages, "--format", "json"]);
    const result = JSON.parse(out);
    expect(result.remaining.map(key).sort()).toEqual(
      [
        "v1 listBackups | response 200 | data[].backupType | enum | page: lacks scheduled | spec: has scheduled",
        "v2 createBackup | related endpoints | POST /api/v2/vps/{id}/backups/actions/verify | related-endpoint | page: names it | spec: absent",
        "v2 listBackupRestoreSources | response 200 | sources[].region | field | page: string, required | spec: absent",
        "v2 listBackups | response 200 | backups[].sizeGb | type | page: integer | spec: number",
      ].sort(),
    );
    expect(result.noLongerNeeded.map(key)).toEqual([
      "v2 createSnapshot | response 202 | operation | required | page: optional | spec: required",
    ]);
    expect(status).toBe(1);
  });

  it("compares a whole excerpt in a rendering it reads, NOTE lines aside, and reports what is planted in it", async () => {
    const pages = join(scratch, "excerpt-pages");
    copyPages(pages);
    // A whole page made an excerpt: a SOURCE line first and a reader's note, then a field removed.
    const v1Get = join(pages, "v1-get-backup-schedules.txt");
    const text = readFileSync(v1Get, "utf8");
    writeFileSync(
      v1Get,
      `SOURCE: https://developer.hostup.se/endpoints/vps-services/get-vm-vmid-backup-schedules (COMPLETE)\nNOTE: compress is zstd here\n${text}`,
    );
    expect((await run(["--pages", pages])).status).toBe(0);
    plant(v1Get, "data.schedules[].compress string required · Example: zstd\n", "");
    const { status, out } = await run(["--pages", pages, "--format", "json"]);
    expect(JSON.parse(out).remaining.map(key)).toEqual([
      "v1 getBackupSchedules | response 200 | data.schedules[].compress | field | page: absent | spec: string, required",
    ]);
    expect(status).toBe(1);
    // The same excerpt marked cut is not compared, rather than reported as missing what the cut removed.
    plant(v1Get, "Responses", "Responses [...CUT]");
    const cut = await run(["--pages", pages, "--format", "json"]);
    expect(JSON.parse(cut.out).remaining).toEqual([]);
    expect(cut.status).toBe(0);
  });
});

describe("every operation records its reference page", () => {
  it("in externalDocs.url, at developer.hostup.se, named after its method and path", async () => {
    const operations = operationsOf(await projectSpecs());
    expect(operations.length).toBeGreaterThanOrEqual(13);
    for (const op of operations) {
      // get-v2-vps-id-backup-schedules for GET /api/v2/vps/{id}/backup-schedules
      const page = `${op.method}-${op.path
        .replace(/^\/api\//, "")
        .replace(/[{}]/g, "")
        .replaceAll("/", "-")}`;
      expect(op.operation.externalDocs?.url, `${op.api} ${op.operationId}`).toMatch(
        new RegExp(`^https://developer\\.hostup\\.se/endpoints/[a-z-]+/${page.toLowerCase()}$`),
      );
    }
  });
});

describe("docs:check's options and departures list", () => {
  it("refuses an unknown option or format, saying what it expects (exit 2)", async () => {
    const unknown = await run(["--page", "x"]);
    expect(unknown.status).toBe(2);
    expect(unknown.err).toMatch(/Unknown option '--page'[\s\S]*Usage: npm run docs:check/);
    const format = await run(["--pages", scratch, "--format", "yaml"]);
    expect(format.status).toBe(2);
    expect(format.err).toContain('--format must be text or json, got "yaml"');
  });

  it("refuses a folder that holds no page of any operation, rather than agreeing with it (exit 2)", async () => {
    const empty = join(scratch, "no-pages");
    mkdirSync(empty);
    writeFileSync(join(empty, "notes.txt"), "not a reference page\n");
    const { status, out, err } = await run(["--pages", empty]);
    expect(out).not.toContain("agree");
    expect(err).toContain("docs:check: read no reference page of the");
    expect(err).toContain(`operations from the folder ${empty}`);
    expect(status).toBe(2);
  });

  it("refuses a departure that does not say why, or names an unknown kind of difference", async () => {
    const file = join(scratch, "departures.yaml");
    writeFileSync(
      file,
      "departures:\n  - operation: v1 getJob\n    where: response 200\n    field: x\n    kind: nullable\n    page: a\n    spec: b\n",
    );
    const noWhy = await run(["--pages", scratch, "--departures", file]);
    expect(noWhy.status).toBe(2);
    expect(noWhy.err).toContain("departures[0].why: expected a string saying why the spec departs");
    writeFileSync(
      file,
      "departures:\n  - operation: v1 getJob\n    where: response 200\n    kind: colour\n    page: a\n    spec: b\n    why: c\n",
    );
    const badKind = await run(["--pages", scratch, "--departures", file]);
    expect(badKind.err).toMatch(/departures\[0\]\.kind: expected one of page, operation, .* got "colour"/);
  });
});

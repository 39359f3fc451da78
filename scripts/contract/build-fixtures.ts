// Builds the example corpus of test/fixtures/ from the bundled specs' own examples: one scenario per
// operation × documented status × named example, plus the hand-assembled cases a client must survive
// (weekly/monthly saves, a paged VPS list, a job polled to completion, paired v1/v2 reads of one VM).
// Each entry's comment says honestly where it came from (provenance.ts): "built from documented example:
// <page file>" only for the few spec examples that are a reference page's own (PAGE_EXAMPLES), "built
// from spec example (not shown on any page)" for all the others, which the spec's authors wrote. Every entry passes through the normaliser, so the corpus is in the same normal form
// as a live recording. Deterministic: the same specs give byte-identical files.
//
//   npx tsx scripts/contract/build-fixtures.ts [--out test/fixtures] [--check]
//
// Scenario folders whose entries say "recorded from live API" are never overwritten.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import {
  buildEntry,
  buildHar,
  FIXTURE_FILE,
  type Har,
  type HarEntry,
  readHar,
  serializeHar,
  writeHar,
} from "./har.js";
import { normaliseHar } from "./normalise.js";
import { type PageExample, pageExample, parseProvenance, provenanceComment } from "./provenance.js";
import {
  deref,
  type JsonObject,
  type LoadedSpec,
  listOperations,
  loadFreshSpecs,
  type OperationRef,
  REPO_ROOT,
} from "./spec.js";

export const HOST = "https://cloud.hostup.se";
export const FIXTURES_DIR = join(REPO_ROOT, "test", "fixtures");
export const INVALID_FIXTURES_DIR = join(REPO_ROOT, "test", "fixtures-invalid");

/** An entry's comment: a page's own example, or one the spec's authors wrote (see provenance.ts). */
function sourced(page: PageExample | undefined, details: string): string {
  return provenanceComment(
    page
      ? {
          kind: "page",
          page: page.page,
          details: page.adapted ? `${details}; adapted from the page: ${page.adapted.what}` : details,
        }
      : { kind: "spec", details },
  );
}

function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .toLowerCase();
}

export function examplesOf(doc: JsonObject, media: JsonObject | undefined): [string, unknown][] {
  if (!media) return [];
  if (media.examples) {
    return Object.entries<JsonObject>(media.examples).map(([name, ex]) => [name, deref(doc, ex)?.value]);
  }
  if (media.example !== undefined) return [["example", media.example]];
  return [];
}

function credentials(version: string): Record<string, string> {
  return version === "v1" ? { "x-api-key": "REDACTED" } : { authorization: "Bearer REDACTED" };
}

function paramExample(doc: JsonObject, op: OperationRef, name: string): string {
  const all: JsonObject[] = [...(op.pathItem.parameters ?? []), ...(op.operation.parameters ?? [])];
  for (const p of all) {
    const param = deref(doc, p);
    if (param?.name === name) return String(param.example ?? param.schema?.example ?? "1");
  }
  return "1";
}

function urlFor(doc: JsonObject, op: OperationRef, query = ""): string {
  const path = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) =>
    encodeURIComponent(paramExample(doc, op, name)),
  );
  return `${HOST}${path}${query}`;
}

function responseHeaders(
  doc: JsonObject,
  response: JsonObject | undefined,
  mediaType?: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (mediaType) out["content-type"] = mediaType;
  for (const [name, node] of Object.entries<JsonObject>(response?.headers ?? {})) {
    const header = deref(doc, node);
    const example = header?.example ?? header?.schema?.example;
    if (example !== undefined) out[name.toLowerCase()] = String(example);
  }
  return out;
}

interface Built {
  name: string;
  har: Har;
}

function entryFor(
  spec: LoadedSpec,
  op: OperationRef,
  status: string,
  body: unknown,
  mediaType: string | undefined,
  comment: string,
  request?: { body?: unknown; query?: string },
): HarEntry {
  const doc = spec.doc;
  const response = deref(doc, op.operation.responses[status]);
  return buildEntry({
    method: op.method,
    url: urlFor(doc, op, request?.query ?? ""),
    requestHeaders: {
      accept: "application/json",
      ...credentials(spec.version),
      ...(request?.body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(request?.body !== undefined ? { requestBody: request.body } : {}),
    status: Number(status),
    responseHeaders: responseHeaders(doc, response, body === undefined ? undefined : mediaType),
    ...(body === undefined ? {} : { responseBody: body }),
    comment,
  });
}

function firstRequestExample(
  spec: LoadedSpec,
  op: OperationRef,
): { name: string; value: unknown } | undefined {
  const rb = deref(spec.doc, op.operation.requestBody);
  const media = rb?.content?.["application/json"];
  const first = examplesOf(spec.doc, media)[0];
  return first ? { name: first[0], value: first[1] } : undefined;
}

function defaultQuery(op: OperationRef): string {
  return op.operationId === "listVps" ? "?limit=20" : "";
}

/** One scenario per operation × documented status × named response example. */
function exampleScenarios(spec: LoadedSpec): Built[] {
  const out: Built[] = [];
  for (const op of listOperations(spec)) {
    const req = firstRequestExample(spec, op);
    for (const status of Object.keys(op.operation.responses ?? {})) {
      const response = deref(spec.doc, op.operation.responses[status]);
      const contents = Object.entries<JsonObject>(response?.content ?? {});
      const base = `${spec.version}-${kebab(op.operationId)}-${status}`;
      const request = { ...(req ? { body: req.value } : {}), query: defaultQuery(op) };
      const reqPage = req && pageExample(spec.version, op.operationId, "request", req.name);
      const reqNote = req
        ? `; request: requestBody example "${req.name}" (${reqPage ? `from ${reqPage.page}` : "the spec's own"})`
        : "";
      if (contents.length === 0) {
        const comment = sourced(
          undefined,
          `${spec.version} spec ${op.operationId} ${status} (no body)${reqNote}`,
        );
        out.push({
          name: base,
          har: buildHar([entryFor(spec, op, status, undefined, undefined, comment, request)]),
        });
        continue;
      }
      for (const [mediaType, media] of contents) {
        for (const [exampleName, value] of examplesOf(spec.doc, media)) {
          const comment = sourced(
            pageExample(spec.version, op.operationId, status, exampleName),
            `${spec.version} spec ${op.operationId} ${status} example "${exampleName}"${reqNote}`,
          );
          out.push({
            name: `${base}-${kebab(exampleName)}`,
            har: buildHar([entryFor(spec, op, status, value, mediaType, comment, request)]),
          });
        }
      }
    }
  }
  return out;
}

function op(spec: LoadedSpec, operationId: string): OperationRef {
  const found = listOperations(spec).find((o) => o.operationId === operationId);
  if (!found) throw new Error(`${spec.version} has no operation ${operationId}`);
  return found;
}

/** A named example of the spec: a request body's (`request` true) or a response status's. */
export function example(
  spec: LoadedSpec,
  operationId: string,
  status: string,
  name: string,
  request = false,
): JsonObject {
  const o = op(spec, operationId);
  const node = request
    ? deref(spec.doc, o.operation.requestBody)
    : deref(spec.doc, o.operation.responses[status]);
  for (const media of Object.values<JsonObject>(node?.content ?? {})) {
    const found = examplesOf(spec.doc, media).find(([n]) => n === name);
    if (found) return structuredClone(found[1]) as JsonObject;
  }
  throw new Error(`${spec.version} ${operationId} ${request ? "request" : status} has no example "${name}"`);
}

/** The cases issue 4 lists that no single documented example shows. */
function assembledScenarios(v1: LoadedSpec, v2: LoadedSpec): Built[] {
  const out: Built[] = [];
  const fromSpec = (details: string) => provenanceComment({ kind: "spec", details });
  const from = (version: string, operationId: string, status: string, name: string) => {
    const p = pageExample(version, operationId, status, name);
    return `${status === "request" ? "requestBody" : status} example "${name}" (${p ? `from ${p.page}` : "the spec's own"})`;
  };

  // v1 weekly and monthly saves: the documented 200 answers a daily request; the answer is adapted to echo
  // the weekly/monthly request (the docs' "hour: 19 for a request of hour: 2" flaw is not repeated).
  for (const kind of ["weekly", "monthly"] as const) {
    const body = example(v1, "saveBackupSchedule", "", kind, true);
    const res = example(v1, "saveBackupSchedule", "200", "daily");
    Object.assign(res.data.schedule, {
      schedule_type: kind,
      hour: body.hour,
      minute: body.minute,
      day_of_week: kind === "weekly" ? body.day_of_week : null,
      day_of_month: kind === "monthly" ? body.day_of_month : null,
      retention_count: body.retention_count,
      enabled: body.enabled,
      notes: body.notes ?? res.data.schedule.notes,
    });
    const o = op(v1, "saveBackupSchedule");
    out.push({
      name: `v1-save-${kind}-backup-schedule`,
      har: buildHar([
        entryFor(
          v1,
          o,
          "200",
          res,
          "application/json",
          fromSpec(
            `v1 spec saveBackupSchedule ${from("v1", o.operationId, "request", kind)}; ` +
              `the ${from("v1", o.operationId, "200", "daily")} adapted to echo it`,
          ),
          {
            body,
          },
        ),
      ]),
    });
  }
  for (const kind of ["weekly", "monthly"] as const) {
    const body = example(v2, "saveBackupSchedule", "", kind, true);
    const res = example(v2, "saveBackupSchedule", "201", "daily");
    Object.assign(res, {
      frequency: kind,
      time: `${String(body.hour).padStart(2, "0")}:00`,
      daySpecifier: String(kind === "weekly" ? body.dayOfWeek : body.dayOfMonth),
      retentionCount: body.retentionCount,
      enabled: body.enabled,
      ...(body.name ? { name: body.name } : {}),
    });
    const o = op(v2, "saveBackupSchedule");
    out.push({
      name: `v2-save-${kind}-backup-schedule`,
      har: buildHar([
        entryFor(
          v2,
          o,
          "201",
          res,
          "application/json",
          fromSpec(
            `v2 spec saveBackupSchedule ${from("v2", o.operationId, "request", kind)}; ` +
              `the ${from("v2", o.operationId, "201", "daily")} adapted to echo it`,
          ),
          {
            body,
          },
        ),
      ]),
    });
  }

  // A paged VPS list: the first page's nextCursor fetches the last page.
  {
    const o = op(v2, "listVps");
    const first = example(v2, "listVps", "200", "firstPage");
    const last = example(v2, "listVps", "200", "lastPage");
    const comment = fromSpec(
      'v2 spec listVps 200 examples "firstPage" then "lastPage", followed through nextCursor',
    );
    out.push({
      name: "v2-list-vps-paged",
      har: buildHar([
        entryFor(v2, o, "200", first, "application/json", comment, { query: "?limit=2" }),
        entryFor(v2, o, "200", last, "application/json", comment, {
          query: `?limit=2&cursor=${encodeURIComponent(String(first.nextCursor))}`,
        }),
      ]),
    });
  }

  // A job polled until it finished: in progress, then completed (the same job id).
  {
    const o = op(v1, "getJob");
    const running = example(v1, "getJob", "200", "running");
    const completed = example(v1, "getJob", "200", "completed");
    completed.data.jobId = running.data.jobId;
    const comment = fromSpec('v1 spec getJob 200 examples "running" then "completed", one job id');
    out.push({
      name: "v1-get-job-until-completed",
      har: buildHar([
        entryFor(v1, o, "200", running, "application/json", comment),
        entryFor(v1, o, "200", completed, "application/json", comment),
      ]),
    });
  }

  // The record scenario of the same name: the job of the newest history entry, looked up by its job_id.
  {
    const schedules = example(v1, "getBackupSchedules", "200", "weekly");
    const job = example(v1, "getJob", "200", "completed");
    const jobId = String(schedules.data.history[0].job_id);
    job.data.jobId = jobId;
    const jobOp = op(v1, "getJob");
    const jobEntry = entryFor(
      v1,
      jobOp,
      "200",
      job,
      "application/json",
      fromSpec('v1 spec getJob 200 example "completed", its jobId the job_id of the paired history entry'),
    );
    jobEntry.request.url = `${HOST}/api/jobs/${encodeURIComponent(jobId)}`;
    out.push({
      name: "v1-get-job-from-history",
      har: buildHar([
        entryFor(
          v1,
          op(v1, "getBackupSchedules"),
          "200",
          schedules,
          "application/json",
          sourced(
            pageExample("v1", "getBackupSchedules", "200", "weekly"),
            'v1 spec getBackupSchedules 200 example "weekly"; its newest history entry\'s job_id is looked up next',
          ),
        ),
        jobEntry,
      ]),
    });
  }

  // Paired reads of one VM through both versions (v2 serves backup schedules from the v1 data). The v2
  // bodies are written out by hand from the v1 example, independently of src/sync, so that the fixture
  // test checks the mapping functions against a second reading of the field table.
  {
    const v1Res = example(v1, "getBackupSchedules", "200", "weekly");
    const v2Res = example(v2, "getBackupSchedules", "200", "oneSchedule");
    v2Res.schedules = [
      {
        id: "bks_01hxa3b4c5d6e7f8g9h0j1k2m3",
        name: "Auto weekly backup schedule",
        frequency: "weekly",
        time: "05:23",
        daySpecifier: "5",
        retentionCount: 7,
        enabled: true,
        lastRun: "2026-02-10T00:00:00.000Z",
        nextRun: "2026-02-10T00:00:00.000Z",
        status: null,
      },
    ];
    v2Res.settings = {
      totalBackupLimit: 7,
      manualBackupsActive: 7,
      scheduledBackupsActive: 0,
      availableScheduledSlots: 0,
      autoDeleteOldest: true,
    };
    const v1Snap = example(v1, "getSnapshotSchedule", "200", "enabled");
    const v2Snap = example(v2, "getSnapshotSchedule", "200", "scheduled");
    v2Snap.schedule = {
      enabled: true,
      intervalHours: 12,
      lastRun: "2026-02-10T00:00:00.000Z",
      nextRun: "2026-02-10T12:00:00.000Z",
    };
    v2Snap.limits = { totalSnapshots: 3 };
    const weekly = pageExample("v1", "getBackupSchedules", "200", "weekly");
    const c1 = sourced(
      weekly,
      'v1 spec getBackupSchedules 200 example "weekly"; paired with the v2 read of the same VM',
    );
    const c2 = fromSpec(
      'v2 spec getBackupSchedules 200 example "oneSchedule", values written by hand to hold the same state as the paired v1 read',
    );
    const s1 = fromSpec(
      'v1 spec getSnapshotSchedule 200 example "enabled"; paired with the v2 read of the same VM',
    );
    const s2 = fromSpec(
      'v2 spec getSnapshotSchedule 200 example "scheduled", values written by hand to hold the same state as the paired v1 read',
    );
    out.push({
      name: "v1-v2-paired-backup-schedules",
      har: buildHar([
        entryFor(v1, op(v1, "getBackupSchedules"), "200", v1Res, "application/json", c1),
        entryFor(v2, op(v2, "getBackupSchedules"), "200", v2Res, "application/json", c2),
      ]),
    });
    out.push({
      name: "v1-v2-paired-snapshot-schedules",
      har: buildHar([
        entryFor(v1, op(v1, "getSnapshotSchedule"), "200", v1Snap, "application/json", s1),
        entryFor(v2, op(v2, "getSnapshotSchedule"), "200", v2Snap, "application/json", s2),
      ]),
    });
  }
  return out;
}

/**
 * The docs' own v1 GET example with its `{"_truncated": "... and 18 more items"}` history element, kept
 * verbatim (not normalised) as a fixture that must fail validation: the artefact is not the API's answer.
 */
export function truncatedArtefactScenario(v1: LoadedSpec): Built {
  const res = example(v1, "getBackupSchedules", "200", "weekly");
  res.data.history.push({ _truncated: "... and 18 more items" });
  const comment = provenanceComment({
    kind: "page",
    page: "v1-get-backup-schedules.txt",
    details: "the page's own example verbatim, with its _truncated artefact: MUST FAIL validation",
  });
  return {
    name: "v1-get-backup-schedules-truncated-artefact",
    har: buildHar([entryFor(v1, op(v1, "getBackupSchedules"), "200", res, "application/json", comment)]),
  };
}

export function buildCorpus(specs: LoadedSpec[]): Built[] {
  const v1 = specs.find((s) => s.version === "v1");
  const v2 = specs.find((s) => s.version === "v2");
  if (!v1 || !v2) throw new Error("both v1 and v2 specs are needed");
  const all = [...exampleScenarios(v1), ...exampleScenarios(v2), ...assembledScenarios(v1, v2)];
  return all.map((b) => ({ name: b.name, har: normaliseHar(b.har) }));
}

function isLive(path: string): boolean {
  if (!existsSync(path)) return false;
  return readHar(path).log.entries.some((e) => parseProvenance(e.comment)?.kind === "live");
}

function main(argv: string[]): number {
  const outIndex = argv.indexOf("--out");
  const out = outIndex >= 0 ? String(argv[outIndex + 1]) : FIXTURES_DIR;
  const check = argv.includes("--check");
  const specs = loadFreshSpecs();
  const corpus = buildCorpus(specs);
  const stale: string[] = [];
  const names = new Set(corpus.map((b) => b.name));
  for (const { name, har } of corpus) {
    const file = join(out, name, FIXTURE_FILE);
    if (isLive(file)) continue;
    const text = serializeHar(har);
    const current = existsSync(file) ? readFileSync(file, "utf8") : undefined;
    if (current === text) continue;
    stale.push(name);
    if (!check) {
      mkdirSync(join(out, name), { recursive: true });
      writeHar(file, har);
    }
  }
  // Generated scenarios that the specs no longer produce are removed (live recordings are kept).
  if (existsSync(out)) {
    for (const name of readdirSync(out)) {
      const file = join(out, name, FIXTURE_FILE);
      if (names.has(name) || !existsSync(file) || isLive(file)) continue;
      stale.push(`${name} (no longer generated)`);
      if (!check) rmSync(join(out, name), { recursive: true });
    }
  }
  const v1 = specs.find((s) => s.version === "v1");
  if (v1 && out === FIXTURES_DIR) {
    const invalid = truncatedArtefactScenario(v1);
    const file = join(INVALID_FIXTURES_DIR, invalid.name, FIXTURE_FILE);
    const text = serializeHar(invalid.har);
    if (!existsSync(file) || readFileSync(file, "utf8") !== text) {
      stale.push(`fixtures-invalid/${invalid.name}`);
      if (!check) {
        mkdirSync(join(INVALID_FIXTURES_DIR, invalid.name), { recursive: true });
        writeHar(file, invalid.har);
      }
    }
  }
  if (check) {
    if (stale.length > 0) {
      console.error(`fixtures differ from what the specs' examples build:\n  ${stale.join("\n  ")}`);
      console.error("run: npx tsx scripts/contract/build-fixtures.ts");
      return 1;
    }
    console.log(`${corpus.length} generated fixtures are up to date`);
    return 0;
  }
  console.log(
    `${corpus.length} scenarios; ${stale.length} written or removed${stale.length ? `:\n  ${stale.join("\n  ")}` : ""}`,
  );
  return 0;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  process.exitCode = main(process.argv.slice(2));
}

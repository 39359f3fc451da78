// The hand-assembled scenarios of the example corpus: the cases a client must survive that no single documented
// example shows (weekly/monthly saves, a paged VPS list, a job polled to completion, paired v1/v2 reads of one VM),
// and the fixture that must fail (the docs' _truncated artefact). Built from the specs' examples like the rest.
import { buildHar } from "../src/contract/har.js";
import type { JsonObject, LoadedSpec } from "../src/contract/spec.js";
import { type Built, entryFor, example, HOST, op, sourced } from "./fixture-examples.js";
import { pageExample, provenanceComment } from "./fixture-provenance.js";

/** The cases issue 4 lists that no single documented example shows. */
export function assembledScenarios(v1: LoadedSpec, v2: LoadedSpec): Built[] {
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
  out.push(...pairedLifecycleScenarios(v1, v2));
  return out;
}

/**
 * Paired reads of one VM's backups (v1 list, v1 schedules history, v2 list) and snapshots (v1 list, v2 list). As
 * above, the v2 bodies and the v1 history are written out by hand from the v1 list examples (times converted by
 * hand: ctime 1769734009 is 2026-01-30T00:46:49Z), independently of src/sync, so that
 * test/sync/paired-fixtures.test.ts checks the mapping functions against a second reading of the field table. (The
 * normaliser renumbers ISO timestamps but not Unix seconds, so that test reads these scenarios as built, before
 * normalisation; the corpus holds their normalised form.)
 */
export function pairedLifecycleScenarios(v1: LoadedSpec, v2: LoadedSpec): Built[] {
  const fromSpec = (details: string) => provenanceComment({ kind: "spec", details });
  const sameState = "values written by hand to hold the same state as the paired v1 list";
  const list = example(v1, "listBackups", "200", "manualAndScheduled");
  const schedules = example(v1, "getBackupSchedules", "200", "weekly");
  const [manual, scheduled] = list.data as JsonObject[];
  if (!manual || !scheduled) throw new Error('v1 listBackups example "manualAndScheduled" needs two backups');
  // the scheduled backup belongs to the paired schedule
  scheduled.scheduleId = schedules.data.schedules[0].id;
  const historyEntry = (id: number, b: JsonObject, createdAt: string, jobId: string) => ({
    id,
    client_id: "30000",
    account_id: "20000",
    vm_id: "10000",
    backup_type: b.backupType,
    schedule_id: b.scheduleId,
    volid: b.volid,
    size: String(b.size),
    notes: b.notes,
    status: "active",
    created_at: createdAt,
    deleted_at: null,
    job_id: jobId,
    error_message: null,
  });
  schedules.data.history = [
    historyEntry(136071, scheduled, "2026-02-09T02:00:00.000Z", "backup-17911-1770602400000"),
    historyEntry(136070, manual, "2026-01-30T00:46:49.000Z", "backup-17910-1769734006476"),
    // deleted: in the history, in neither list
    {
      ...historyEntry(136069, manual, "2026-01-20T03:00:00.000Z", "backup-17909-1768878000000"),
      volid: "pbs-offsite-10g:backup/vm/10000/2026-01-20T03:00:00.000Z",
      status: "deleted",
      deleted_at: "2026-01-21T03:00:00.000Z",
    },
  ];
  Object.assign(schedules.data.settings, {
    manual_backups_active: 1,
    scheduled_backups_active: 1,
    total_backups_active: 2,
    available_scheduled_slots: 5,
  });
  const v2List = example(v2, "listBackups", "200", "oneManualBackup");
  v2List.backups = [
    {
      id: "bkp_01hxa3b4c5d6e7f8g9h0j1k2m3",
      displayId: "2026-01-30T00:46:49.000Z (vm/10877/2026-02-10T00:00:00.000Z)",
      storageKey: "vm/10877/2026-02-10T00:00:00.000Z",
      createdAt: "2026-01-30T00:46:49.000Z",
      sizeGb: 200,
      backupType: "manual",
      note: "Example note",
    },
    {
      id: "bkp_01hxa3b4c5d6e7f8g9h0j1k2m4",
      displayId: "2026-02-09T02:00:00.000Z (vm/10000/2026-02-09T02:00:00.000Z)",
      storageKey: "vm/10000/2026-02-09T02:00:00.000Z",
      createdAt: "2026-02-09T02:00:00.000Z",
      sizeGb: 200,
      backupType: "scheduled",
      note: "Auto weekly backup schedule",
    },
  ];
  v2List.quotaInfo = { used: 2, limit: 7, remaining: 5 };

  const snapshots = example(v1, "listSnapshots", "200", "twoSnapshots");
  const v2Snapshots = example(v2, "listSnapshots", "200", "oneSnapshot");
  v2Snapshots.data = [
    {
      displayId: "before-update",
      name: "before-update",
      description: "Before the kernel update",
      createdAt: "2026-01-14T16:29:26.000Z",
      expiresAt: "2026-01-15T16:29:26.000Z",
      includesMemoryState: false,
      parentName: null,
    },
    {
      displayId: "full-prox-konfig",
      name: "full-prox-konfig",
      description: null,
      createdAt: "2026-01-25T21:36:40.000Z",
      expiresAt: "2026-01-26T21:36:40.000Z",
      includesMemoryState: true,
      parentName: "before-update",
    },
  ];
  const json = "application/json";
  return [
    {
      name: "v1-v2-paired-backups",
      har: buildHar([
        entryFor(
          v1,
          op(v1, "listBackups"),
          "200",
          list,
          json,
          fromSpec(
            'v1 spec listBackups 200 example "manualAndScheduled", the scheduled backup\'s scheduleId that of the paired schedule; paired with the v1 history and the v2 list of the same VM',
          ),
        ),
        entryFor(
          v1,
          op(v1, "getBackupSchedules"),
          "200",
          schedules,
          json,
          fromSpec(
            `v1 getBackupSchedules 200: the page's example "weekly" with its history and settings ${sameState}`,
          ),
        ),
        entryFor(
          v2,
          op(v2, "listBackups"),
          "200",
          v2List,
          json,
          fromSpec(`v2 spec listBackups 200 example "oneManualBackup", ${sameState}`),
        ),
      ]),
    },
    {
      name: "v1-v2-paired-snapshots",
      har: buildHar([
        entryFor(
          v1,
          op(v1, "listSnapshots"),
          "200",
          snapshots,
          json,
          fromSpec(
            'v1 spec listSnapshots 200 example "twoSnapshots"; paired with the v2 list of the same VM',
          ),
        ),
        entryFor(
          v2,
          op(v2, "listSnapshots"),
          "200",
          v2Snapshots,
          json,
          fromSpec(`v2 spec listSnapshots 200 example "oneSnapshot", ${sameState}`),
        ),
      ]),
    },
  ];
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

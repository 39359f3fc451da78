// The commands of model-based.test.ts: each is one write (or a poll, a tick of the clock, an operator's knob), what
// the views read before it predict about its answer, and what it must change in both versions when it is accepted.
// A refused write must change no view at all.
import fc from "fast-check";
import { expect } from "vitest";
import { toStorageKey } from "../../src/sync/backup-mapping.js";
import { toV1SaveBackupScheduleRequest, toV1SaveSnapshotScheduleRequest } from "../../src/sync/index.js";
import { DB, type MockHarness, START, WEB } from "./harness.js";
import {
  beingTaken,
  checkViews,
  JOB_OPTIONS,
  jobDone,
  type Model,
  readViews,
  type StartedJob,
  snapshotNames,
  stopped,
  type Target,
  type Views,
} from "./model-views.js";

export { JOB_OPTIONS, type Model, type Target };

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, checked against the spec by the harness
type Json = any;

export type Step = fc.AsyncCommand<Model, MockHarness>;

/** A command: always applicable (it reads what it needs from the model when it runs), named for the report. */
function step(label: string, run: (m: Model, r: MockHarness) => Promise<void>): Step {
  return { check: () => true, run, toString: () => label };
}

/** A fresh run: the default seed, the clock at the harness's start, the views read and checked once. */
export async function modelRun(real: MockHarness, vm: Target): Promise<Model> {
  real.state.reset();
  real.clock.set(START);
  const live = real.state.findVm(vm.vmid);
  if (!live) throw new Error(`no VM ${vm.vmid}`);
  const model: Model = {
    vm,
    views: undefined as unknown as Views,
    jobs: [],
    pendingOrder: live.pendingOrder,
    backupCapacity: live.backupCapacity,
    backupIds: new Map(),
    scheduleIds: new Map(),
  };
  await observe(model, real);
  return model;
}

/** The client's other seeded VM: its restore sources list the model's VM, and it is the model's restore source. */
function otherVm(m: Model): Target {
  return m.vm.vmid === WEB.vmid ? DB : WEB;
}

/** Reads every view, checks it, and keeps it as the model's "before" for the next step. */
async function observe(m: Model, r: MockHarness): Promise<Views> {
  const views = await readViews(r, m.vm, otherVm(m));
  checkViews(views, m, r.clock.now());
  m.views = views;
  return views;
}

interface Write {
  method: string;
  path: string;
  body?: unknown;
  /** The request breaks the spec on purpose: only the answer is checked against it. */
  offSpec?: boolean;
  /** The job it starts, when the path does not say (the restores). */
  job?: Pick<StartedJob, "kind" | "storageKey" | "paygName">;
}

/**
 * Sends a write, reads the views, and checks: accepted exactly when `expected` says (a reason for the message),
 * every view as it was when refused, `effect` when accepted.
 */
async function write(
  m: Model,
  r: MockHarness,
  request: Write,
  expected: boolean,
  effect?: (before: Views, after: Views, answer: Json) => void,
): Promise<void> {
  const before = m.views;
  const answer = await r.call(request.path, {
    method: request.method,
    ...(request.body === undefined ? {} : { body: request.body }),
    ...(request.offSpec ? { offSpecRequest: true } : {}),
  });
  const what = `${request.method} ${request.path} ${JSON.stringify(request.body) ?? ""} -> ${answer.status} ${answer.text}`;
  expect(answer.status, what).toBeLessThan(500);
  const accepted = answer.status < 300;
  // v2 answers a job in `operation`, v1's snapshot delete and rollback in `data`
  const jobId: string | undefined = answer.body?.operation?.jobId ?? answer.body?.data?.jobId;
  if (accepted && answer.body?.operation) {
    expect(answer.body.operation, "a 202 names its job and where to poll it").toMatchObject({
      status: "queued",
      pollUrl: `/api/jobs/${jobId}`,
      result: null,
    });
  }
  if (accepted && jobId !== undefined) {
    m.jobs.push({
      id: jobId,
      startedAt: r.clock.now(),
      polls: 0,
      ...(request.job ?? { kind: jobKind(request), ...snapname(request) }),
    });
  }
  const after = await observe(m, r);
  expect(accepted, `${expected ? "should be accepted" : "should be refused"}: ${what}`).toBe(expected);
  if (!accepted) expect(after, `a refused write changes no view: ${what}`).toEqual(before);
  else effect?.(before, after, answer.body);
}

function jobKind(request: Write): StartedJob["kind"] {
  if (request.path.endsWith("/backups")) return "backup";
  if (request.path.includes("action=delete")) return "snapshot_delete";
  if (request.path.includes("action=rollback") || request.path.endsWith("/actions/restore"))
    return "snapshot_rollback";
  return "snapshot_create";
}

function snapname(request: Write): { snapname?: string } {
  const fromQuery = /snapname=([^&]+)/.exec(request.path)?.[1];
  const fromPath = /\/snapshots\/([^/]+)\/actions\/restore$/.exec(request.path)?.[1];
  const fromBody = (request.body as { name?: unknown } | undefined)?.name;
  const name = fromQuery ?? fromPath ?? (typeof fromBody === "string" ? fromBody : undefined);
  return name === undefined ? {} : { snapname: decodeURIComponent(name) };
}

const v1Path = (m: Model, rest: string) => `/api/vm/${m.vm.vmid}${rest}`;
const v2Path = (m: Model, rest: string) => `/api/v2/vps/${m.vm.vpsId}${rest}`;

/** The schedule rules a valid body must also meet: the gate, retention within the limit, a VM not stopped. */
function scheduleAccepted(m: Model, r: MockHarness, retention: number): boolean {
  const v = m.views;
  return (
    v.v2Schedules.actions.canCreate.allowed &&
    retention <= v.v1Schedules.settings.max_total_backups &&
    !stopped(m, r.clock.now())
  );
}

/** The v1 row without the display fields GET adds. */
function row(schedule: Json): Json {
  const { schedule_name: _n, schedule_time: _t, schedule_days: _d, ...rest } = schedule;
  return rest;
}

/** The spec's rule for snapshot names. */
const VALID_NAME = /^[A-Za-z0-9_-]{1,40}$/;

type V2ScheduleBody = Parameters<typeof toV1SaveBackupScheduleRequest>[0];
type V1ScheduleBody = Json;

const commands = {
  v2SaveBackupSchedule: (body: V2ScheduleBody) =>
    step(`v2SaveBackupSchedule(${JSON.stringify(body)})`, (m, r) => {
      const old = m.views.v1Schedules.schedules[0];
      return write(
        m,
        r,
        { method: "POST", path: v2Path(m, "/backup-schedules"), body },
        scheduleAccepted(m, r, body.retentionCount),
        (_before, after, answer) => {
          const saved = after.v1Schedules.schedules[0];
          expect(saved, "v1 shows the v2 body").toMatchObject({
            ...toV1SaveBackupScheduleRequest(body),
            notes: body.name ?? null,
          });
          // v2: the same frequency updates the schedule in place, another replaces it (a new id).
          if (old && old.schedule_type === body.frequency) expect(saved.id).toBe(old.id);
          else if (old) expect(saved.id).not.toBe(old.id);
          expect(answer, "the 201 is what GET then shows").toEqual(after.v2Schedules.schedules[0]);
        },
      );
    }),
  v1SaveBackupSchedule: (body: V1ScheduleBody) =>
    step(`v1SaveBackupSchedule(${JSON.stringify(body)})`, (m, r) => {
      const old = m.views.v1Schedules.schedules[0];
      return write(
        m,
        r,
        { method: "POST", path: v1Path(m, "/backup-schedules"), body },
        scheduleAccepted(m, r, body.retention_count),
        (_before, after, answer) => {
          const saved = after.v1Schedules.schedules[0];
          expect(saved, "v1 shows the body").toMatchObject({ ...body, notes: body.notes ?? null });
          // v1: posting again updates the schedule (same id).
          if (old) expect(saved.id).toBe(old.id);
          expect(answer.data.schedule, "the answer is what GET then shows").toEqual(row(saved));
          expect(answer.data.message).toMatch(old ? /updated/ : /created/);
        },
      );
    }),
  v2DeleteBackupSchedule: (which: "current" | "stale") =>
    step(`v2DeleteBackupSchedule(${which})`, (m, r) => {
      const current = m.views.v2Schedules.schedules[0];
      const id = which === "current" && current ? current.id : "bks_1";
      return write(
        m,
        r,
        { method: "DELETE", path: v2Path(m, `/backup-schedules/${id}`) },
        which === "current" && current !== undefined && !stopped(m, r.clock.now()),
        (before, after) => {
          expect(after.v1Schedules.schedules).toEqual([]);
          expect(after.v2Schedules.schedules).toEqual([]);
          expect(after.v1Backups, "its backups stay").toEqual(before.v1Backups);
        },
      );
    }),
  v2UpdateBackupSettings: (body: { maxTotalBackups?: number; autoDeleteOldest?: boolean }) =>
    step(`v2UpdateBackupSettings(${JSON.stringify(body)})`, (m, r) => {
      const max = body.maxTotalBackups;
      const retention = m.views.v1Schedules.schedules[0]?.retention_count ?? 0;
      const valid = max === undefined || (max <= m.backupCapacity && max >= retention);
      return write(
        m,
        r,
        { method: "PATCH", path: v2Path(m, "/backup-schedules"), body },
        valid && !stopped(m, r.clock.now()),
        (before, after, answer) => {
          const settings = after.v1Schedules.settings;
          if (max !== undefined) expect(settings.max_total_backups).toBe(Math.min(max, m.backupCapacity));
          else expect(settings.max_total_backups).toBe(before.v1Schedules.settings.max_total_backups);
          if (body.autoDeleteOldest !== undefined)
            expect(settings.auto_delete_oldest).toBe(body.autoDeleteOldest);
          expect(answer.settings, "the answer is what GET then shows").toEqual(after.v2Schedules.settings);
        },
      );
    }),
  saveSnapshotSchedule: (version: "v1" | "v2", enabled: boolean, hours: number) =>
    step(`${version}SaveSnapshotSchedule(${enabled}, ${hours})`, (m, r) => {
      const body = version === "v1" ? { enabled, interval_hours: hours } : { enabled, intervalHours: hours };
      const expected = toV1SaveSnapshotScheduleRequest({ enabled, intervalHours: hours });
      return write(
        m,
        r,
        { method: "POST", path: (version === "v1" ? v1Path : v2Path)(m, "/snapshot-schedules"), body },
        m.views.v2SnapshotSchedule.actions.canEnable.allowed && !stopped(m, r.clock.now()),
        (_before, after, answer) => {
          expect(after.v1SnapshotSchedule.schedule, "v1 shows the schedule").toMatchObject(expected);
          if (version === "v2")
            expect(answer, "the answer is what GET then shows").toEqual(after.v2SnapshotSchedule);
          else expect(answer.data.schedule).toEqual(after.v1SnapshotSchedule.schedule);
        },
      );
    }),
  v2DeleteSnapshotSchedule: () =>
    step("v2DeleteSnapshotSchedule()", (m, r) =>
      write(
        m,
        r,
        { method: "DELETE", path: v2Path(m, "/snapshot-schedules") },
        !stopped(m, r.clock.now()),
        (_before, after) => {
          expect(after.v1SnapshotSchedule.schedule).toBeNull();
          expect(after.v2SnapshotSchedule.schedule).toBeNull();
        },
      ),
    ),
  v2CreateBackup: (note: string | undefined) =>
    step(`v2CreateBackup(${JSON.stringify(note)})`, (m, r) =>
      write(
        m,
        r,
        { method: "POST", path: v2Path(m, "/backups"), body: note === undefined ? {} : { note } },
        m.views.v2Backups.actions.canCreateBackup.allowed,
        (before, after, answer) => {
          expect(after.v1Schedules.history[0], "a pending history entry for the job").toMatchObject({
            job_id: answer.operation.jobId,
            status: "pending",
            backup_type: "manual",
            notes: note ?? null,
          });
          expect(after.v1Backups, "not listed before its job is done").toEqual(before.v1Backups);
        },
      ),
    ),
  v2DeleteBackup: (index: number | "unknown") =>
    step(`v2DeleteBackup(${index})`, (m, r) => {
      const list = m.views.v2Backups.backups;
      const target = index === "unknown" || list.length === 0 ? undefined : list[index % list.length];
      return write(
        m,
        r,
        { method: "DELETE", path: v2Path(m, `/backups/${target?.id ?? "bkp_999999"}`) },
        target !== undefined && !stopped(m, r.clock.now()),
        (before, after) => deleted(before, after, target.storageKey),
      );
    }),
  v1DeleteBackup: (index: number | "unknown") =>
    step(`v1DeleteBackup(${index})`, (m, r) => {
      const list = m.views.v1Backups;
      const target = index === "unknown" || list.length === 0 ? undefined : list[index % list.length];
      const volid = target?.volid ?? `pbs-offsite-10g:backup/vm/${m.vm.vmid}/2001-01-01T00:00:00.000Z`;
      return write(
        m,
        r,
        { method: "DELETE", path: v1Path(m, `/backups/${encodeURIComponent(volid)}`) },
        target !== undefined && !stopped(m, r.clock.now()),
        (before, after) => deleted(before, after, before.v2Backups.backups[list.indexOf(target)].storageKey),
      );
    }),
  v2CreateSnapshot: (name: string, description: string | null | undefined) =>
    step(`v2CreateSnapshot(${JSON.stringify(name)}, ${JSON.stringify(description)})`, (m, r) => {
      const now = r.clock.now();
      const valid = VALID_NAME.test(name);
      const free =
        name !== "current" && !snapshotNames(m.views).includes(name) && !beingTaken(m, now).includes(name);
      return write(
        m,
        r,
        {
          method: "POST",
          path: v2Path(m, "/snapshots"),
          body: description === undefined ? { name } : { name, description },
          offSpec: !valid,
        },
        valid && free && m.views.v2Snapshots.actions.canCreate.allowed,
        (before, after) => {
          expect(snapshotNames(after), "listed once its job is done").toEqual(snapshotNames(before));
        },
      );
    }),
  deleteSnapshot: (version: "v1" | "v2", name: string) =>
    step(`${version}DeleteSnapshot(${JSON.stringify(name)})`, (m, r) => {
      const listed = snapshotNames(m.views).includes(name);
      const path =
        version === "v1"
          ? v1Path(m, `/snapshots?action=delete&snapname=${encodeURIComponent(name)}`)
          : v2Path(m, `/snapshots/${encodeURIComponent(name)}`);
      return write(
        m,
        r,
        { method: "DELETE", path, offSpec: !VALID_NAME.test(name) || name === "current" },
        listed && !stopped(m, r.clock.now()),
        (before, after) => {
          expect(snapshotNames(after), `${name} gone from both lists`).toEqual(
            snapshotNames(before).filter((n) => n !== name),
          );
        },
      );
    }),
  rollbackSnapshot: (version: "v1" | "v2", name: string) =>
    step(`${version}RollbackSnapshot(${JSON.stringify(name)})`, (m, r) => {
      const listed = snapshotNames(m.views).includes(name);
      const path =
        version === "v1"
          ? v1Path(m, `/snapshots?action=rollback&snapname=${encodeURIComponent(name)}`)
          : v2Path(m, `/snapshots/${encodeURIComponent(name)}/actions/restore`);
      const method = version === "v1" ? "DELETE" : "POST";
      return write(
        m,
        r,
        { method, path, offSpec: !VALID_NAME.test(name) || name === "current" },
        listed && m.views.v2Snapshots.actions.canRestore.allowed,
      );
    }),
  v2RestoreBackup: (which: BackupChoice) =>
    step(`v2RestoreBackup(${which})`, async (m, r) => {
      const backup = await chooseBackup(m, r, which, "own");
      return write(
        m,
        r,
        {
          method: "POST",
          path: v2Path(m, `/backups/${backup?.id ?? UNKNOWN_BACKUP}/actions/restore`),
          job: { kind: "restore", storageKey: backup?.storageKey },
        },
        typeof which === "number" && backup !== undefined && m.views.v2Backups.actions.canRestore.allowed,
        // The VM is stopped until the job is done (checkViews: `current.running`, the gates, writes refused).
        (before, after) => restoredKeepsBackups(before, after),
      );
    }),
  v2RestoreBackupToPayg: (which: BackupChoice, name: string | undefined) =>
    step(`v2RestoreBackupToPayg(${which}, ${JSON.stringify(name)})`, async (m, r) => {
      const backup = await chooseBackup(m, r, which, "own");
      const vmName = r.state.findVm(m.vm.vmid)?.name;
      return write(
        m,
        r,
        {
          method: "POST",
          path: v2Path(m, `/backups/${backup?.id ?? UNKNOWN_BACKUP}/actions/restore-to-payg`),
          body: name === undefined ? {} : { name },
          job: {
            kind: "restore_to_payg",
            storageKey: backup?.storageKey,
            paygName: name ?? `${vmName}-restore`,
          },
        },
        typeof which === "number" && backup !== undefined && m.views.v2Backups.actions.canRestore.allowed,
        // "The original VPS is used only to confirm ownership and locate the backup": no view of it changes.
        (before, after) => expect(after, "the source VPS is only read").toEqual(before),
      );
    }),
  v2RestoreBackupFromVps: (source: "other" | "self", which: BackupChoice) =>
    step(`v2RestoreBackupFromVps(${source}, ${which})`, async (m, r) => {
      const sourceVpsId = source === "other" ? otherVm(m).vpsId : m.vm.vpsId;
      const backup = await chooseBackup(m, r, which, source === "other" ? "source" : "own");
      return write(
        m,
        r,
        {
          method: "POST",
          path: v2Path(m, "/backups/actions/restore-from-vps"),
          body: { sourceVpsId, backupId: backup?.id ?? UNKNOWN_BACKUP },
          job: { kind: "restore_from_vps", storageKey: backup?.storageKey },
        },
        // "The source and target must be different VPS resources owned by the same client."
        source === "other" &&
          typeof which === "number" &&
          backup !== undefined &&
          m.views.v2Backups.actions.canRestoreFromAnotherVps.allowed,
        (before, after) => restoredKeepsBackups(before, after),
      );
    }),
  pollJob: (index: number) =>
    step(`pollJob(${index})`, async (m, r) => {
      if (m.jobs.length === 0) return;
      const job = m.jobs[index % m.jobs.length] as StartedJob;
      const answer = await r.call(`/api/jobs/${job.id}`);
      expect(answer.status, answer.text).toBe(200);
      if (!jobDone(job, r.clock.now())) job.polls++;
      const done = jobDone(job, r.clock.now());
      expect(answer.body.data.isCompleted || answer.body.data.isFailed, `job ${job.id} done`).toBe(done);
      const views = await observe(m, r);
      const entry = views.v1Schedules.history.find((h: Json) => h.job_id === job.id);
      if (job.kind === "backup" && answer.body.data.isCompleted && entry) {
        expect(answer.body.data.result, "the job names the backup it made").toEqual({ volid: entry.volid });
      }
      if (job.storageKey !== undefined && done) await restoreDone(m, r, job, answer.body.data);
    }),
  advanceClock: (ms: number) =>
    step(`advanceClock(${ms})`, async (m, r) => {
      r.clock.advance(ms);
      await observe(m, r);
    }),
  setPendingOrder: (on: boolean) =>
    step(`setPendingOrder(${on})`, async (m, r) => {
      const vm = r.state.findVm(m.vm.vmid);
      if (vm) vm.pendingOrder = on;
      m.pendingOrder = on;
      await observe(m, r);
    }),
  setBackupCapacity: (slots: number) =>
    step(`setBackupCapacity(${slots})`, async (m, r) => {
      const vm = r.state.findVm(m.vm.vmid);
      if (vm) vm.backupCapacity = slots;
      m.backupCapacity = slots;
      await observe(m, r);
    }),
};

/**
 * Which backup a restore names: one of a list by index (`own`: the VM's, `source`: the other VM's as the VM's restore
 * sources list it), an id no backup has, or a `foreign` one (the first of the other list, which the request must
 * not be able to name). Undefined when the list is empty or the id is unknown.
 */
type BackupChoice = number | "unknown" | "foreign";
const UNKNOWN_BACKUP = "bkp_999999";

async function chooseBackup(
  m: Model,
  r: MockHarness,
  which: BackupChoice,
  list: "own" | "source",
): Promise<Json | undefined> {
  if (which === "unknown") return undefined;
  const fromSource = (list === "source") !== (which === "foreign");
  const backups: Json[] = fromSource ? await sourceBackups(m, r) : m.views.v2Backups.backups;
  if (which === "foreign") return backups[0];
  return backups.length === 0 ? undefined : backups[which % backups.length];
}

/** The other VM's backups, as the VM's restore sources list them (a read: the listing is checked here). */
async function sourceBackups(m: Model, r: MockHarness): Promise<Json[]> {
  const answer = await r.call(v2Path(m, "/backups/restore-sources"));
  expect(answer.status, answer.text).toBe(200);
  const ids = answer.body.sources.map((s: Json) => s.id);
  expect(ids, "the target is never its own restore source").not.toContain(m.vm.vpsId);
  return answer.body.sources.find((s: Json) => s.id === otherVm(m).vpsId)?.backups ?? [];
}

/** A restore onto the VM: its backups, the quota and the history stay as they were (the disk is what changes). */
function restoredKeepsBackups(before: Views, after: Views): void {
  expect(after.v2Backups.backups, "a restore keeps every backup").toEqual(before.v2Backups.backups);
  expect(after.v2Backups.quotaInfo, "and the quota").toEqual(before.v2Backups.quotaInfo);
  expect(after.v1Schedules.history, "a restore adds no history entry").toEqual(before.v1Schedules.history);
}

/** A finished restore: its job names the backup (and the new VM, which the client's VPS list then shows). */
async function restoreDone(m: Model, r: MockHarness, job: StartedJob, data: Json): Promise<void> {
  expect(data.isCompleted, `restore job ${job.id} does not fail`).toBe(true);
  expect(toStorageKey(data.result.volid), `job ${job.id} names the backup it restored`).toBe(job.storageKey);
  if (job.kind === "restore_from_vps")
    expect(data.result.sourceVmId, "and the VM it came from").toBe(String(otherVm(m).vmid));
  if (job.kind !== "restore_to_payg") return;
  const vpses = await r.call("/api/v2/vps");
  expect(vpses.body.data, `the new VM ${data.result.vpsId} is listed`).toContainEqual({
    id: data.result.vpsId,
    name: job.paygName,
    billing: { isPayg: true },
  });
  const backups = await r.call(`/api/v2/vps/${data.result.vpsId}/backups`);
  expect(backups.body.backups, "the new VM starts without backups").toEqual([]);
}

/** After a delete: exactly that backup gone from both lists, and from the quota. */
function deleted(before: Views, after: Views, storageKey: string): void {
  const others = (v: Views) => v.v2Backups.backups.filter((b: Json) => b.storageKey !== storageKey);
  expect(after.v2Backups.backups, `only ${storageKey} is gone`).toEqual(others(before));
  expect(after.v1Backups.length, "v1 lists one fewer").toBe(before.v1Backups.length - 1);
  expect(after.v2Backups.quotaInfo.used, "the quota frees its slot").toBe(
    before.v2Backups.quotaInfo.used - 1,
  );
}

/** The steps by name, for fixed sequences (the reproductions of defects). */
export const steps = commands;

const hour = fc.integer({ min: 0, max: 23 });
/** Up to 9: above web-1's 7 and db-1's 5 slots, which the rules refuse. */
const retention = fc.integer({ min: 1, max: 9 });
const name = fc.constantFrom("Nightly", "Weekly backup");
const v2ScheduleBody: fc.Arbitrary<V2ScheduleBody> = fc.oneof(
  fc.record(
    {
      frequency: fc.constant("daily" as const),
      hour,
      retentionCount: retention,
      enabled: fc.boolean(),
      name,
    },
    { requiredKeys: ["frequency", "hour", "retentionCount", "enabled"] },
  ),
  fc.record(
    {
      frequency: fc.constant("weekly" as const),
      hour,
      dayOfWeek: fc.integer({ min: 0, max: 6 }),
      retentionCount: retention,
      enabled: fc.boolean(),
      name,
    },
    { requiredKeys: ["frequency", "hour", "dayOfWeek", "retentionCount", "enabled"] },
  ),
  fc.record(
    {
      frequency: fc.constant("monthly" as const),
      hour,
      dayOfMonth: fc.integer({ min: 1, max: 31 }),
      retentionCount: retention,
      enabled: fc.boolean(),
      name,
    },
    { requiredKeys: ["frequency", "hour", "dayOfMonth", "retentionCount", "enabled"] },
  ),
);
const v1ScheduleBody: fc.Arbitrary<V1ScheduleBody> = v2ScheduleBody.chain((b) =>
  fc.integer({ min: 0, max: 59 }).map((minute) => {
    const v1: Json = { ...toV1SaveBackupScheduleRequest(b, { minute }) };
    return v1;
  }),
);
/** Invalid but plausible: each breaks one rule of the spec, so each is refused 400 and changes nothing. */
const invalidSchedule = fc.constantFrom<[string, unknown]>(
  ["v2", { frequency: "weekly", hour: 2, retentionCount: 3, enabled: true }],
  ["v2", { frequency: "daily", hour: 2, dayOfWeek: 1, retentionCount: 3, enabled: true }],
  ["v2", { frequency: "daily", hour: 24, retentionCount: 3, enabled: true }],
  ["v2", { frequency: "monthly", hour: 1, dayOfMonth: 1, retentionCount: 0, enabled: true }],
  ["v1", { schedule_type: "monthly", hour: 1, minute: 0, retention_count: 2, enabled: true }],
  ["v1", { schedule_type: "daily", hour: 1, minute: 60, retention_count: 2, enabled: true }],
);
/** Mostly a listed backup, sometimes an unknown id or another VM's backup (both refused). */
const backupChoice: fc.Arbitrary<BackupChoice> = fc.oneof(
  { arbitrary: fc.nat(), weight: 2 },
  { arbitrary: fc.constantFrom<"unknown" | "foreign">("unknown", "foreign"), weight: 1 },
);
const snapshotName = fc.constantFrom("s1", "s2", "before-upgrade", "current", "bad name!");

export const allCommands: fc.Arbitrary<Step>[] = [
  v2ScheduleBody.map(commands.v2SaveBackupSchedule),
  v1ScheduleBody.map(commands.v1SaveBackupSchedule),
  invalidSchedule.map(([version, body]) =>
    step(`${version}SaveBackupSchedule(invalid ${JSON.stringify(body)})`, (m, r) =>
      write(
        m,
        r,
        {
          method: "POST",
          path: (version === "v1" ? v1Path : v2Path)(m, "/backup-schedules"),
          body,
          offSpec: true,
        },
        false,
      ),
    ),
  ),
  fc.constantFrom<"current" | "stale">("current", "stale").map(commands.v2DeleteBackupSchedule),
  fc
    .record(
      { maxTotalBackups: fc.integer({ min: 1, max: 9 }), autoDeleteOldest: fc.boolean() },
      { requiredKeys: [] },
    )
    .filter((b) => Object.keys(b).length > 0)
    .map(commands.v2UpdateBackupSettings),
  fc
    .tuple(fc.constantFrom<"v1" | "v2">("v1", "v2"), fc.boolean(), fc.integer({ min: 4, max: 24 }))
    .map(([version, enabled, hours]) => commands.saveSnapshotSchedule(version, enabled, hours)),
  fc.constant(null).map(() => commands.v2DeleteSnapshotSchedule()),
  fc.option(fc.constantFrom("Before deploy", ""), { nil: undefined }).map(commands.v2CreateBackup),
  fc.oneof(fc.nat(), fc.constant("unknown" as const)).map(commands.v2DeleteBackup),
  fc.oneof(fc.nat(), fc.constant("unknown" as const)).map(commands.v1DeleteBackup),
  fc
    .tuple(snapshotName, fc.option(fc.constantFrom("Before upgrade", ""), { nil: undefined }))
    .map(([n, d]) => commands.v2CreateSnapshot(n, d)),
  fc
    .tuple(fc.constantFrom<"v1" | "v2">("v1", "v2"), snapshotName)
    .map(([v, n]) => commands.deleteSnapshot(v, n)),
  fc
    .tuple(fc.constantFrom<"v1" | "v2">("v1", "v2"), snapshotName)
    .map(([v, n]) => commands.rollbackSnapshot(v, n)),
  backupChoice.map(commands.v2RestoreBackup),
  fc
    .tuple(backupChoice, fc.option(fc.constantFrom("restored-web"), { nil: undefined }))
    .map(([which, n]) => commands.v2RestoreBackupToPayg(which, n)),
  fc
    .tuple(fc.constantFrom<"other" | "self">("other", "other", "self"), backupChoice)
    .map(([source, which]) => commands.v2RestoreBackupFromVps(source, which)),
  fc.nat().map(commands.pollJob),
  fc
    .constantFrom(
      1_000,
      JOB_OPTIONS.durationMs + 1_000,
      3_600_000,
      6 * 3_600_000,
      25 * 3_600_000,
      8 * 86_400_000,
    )
    .map(commands.advanceClock),
  fc.boolean().map(commands.setPendingOrder),
  fc.constantFrom(0, 2, 7).map(commands.setBackupCapacity),
];

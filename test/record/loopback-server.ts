// A small stateful stand-in for HostUp on 127.0.0.1, for the record mode's end-to-end tests. It answers
// the routes the record scenarios use with spec-shaped bodies full of volatile values (fresh request ids
// and timestamps, live-looking ids), keeps one VM's backup and snapshot schedule, checks credentials,
// and can be told to fail a given request.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const API_KEY = "test-key";
export const TOKEN = "test-token";
export const VMID = "48213";
export const VPS_ID = "vps_live7x9k2m4q";

export interface ScheduleState {
  frequency: "daily" | "weekly" | "monthly";
  hour: number;
  minute: number;
  day: number | null;
  retention: number;
  enabled: boolean;
  name: string;
}

export interface FakeHostup {
  url: string;
  schedule: ScheduleState | null;
  snapshot: { enabled: boolean; intervalHours: number } | null;
  /** Requests seen, "METHOD /path". */
  seen: string[];
  /** The next request matching METHOD and a path suffix answers with this status (once each). */
  failures: { method: string; pathEndsWith: string; status: number }[];
  /** The v2 id of the backup schedule. A POST keeps it for the same frequency and issues a new one otherwise. */
  scheduleId: string;
  /** Misbehave: issue a new schedule id on every POST, even for the same frequency. */
  renumberEverySave: boolean;
  /** The VM's backup history (newest first): one entry per job id; GET /api/jobs/{jobId} answers these. */
  jobIds: string[];
  /** Rewrites every JSON body before it is sent (e.g. PHP's escaping, or echoing what the request carried). */
  rewriteBody: ((text: string, request: IncomingMessage) => string) | null;
  /** The VM's backups (oldest first), as the v1 and v2 backup lists show them. */
  backups: FakeBackup[];
  /** How many backups the VM may keep (v2 `quotaInfo.limit`). */
  backupLimit: number;
  /** The VM's snapshots (oldest first), without v1's pseudo-entry `current`. */
  snapshots: FakeSnapshot[];
  close(): Promise<void>;
}

export interface FakeBackup {
  id: string;
  ctime: number;
  backupType: "manual" | "scheduled";
  note: string | null;
}

export interface FakeSnapshot {
  name: string;
  description: string;
  snaptime: number;
}

export interface FakeOptions {
  schedule?: ScheduleState | null;
  snapshot?: FakeHostup["snapshot"];
  /** The credentials it accepts; default API_KEY and TOKEN. */
  apiKey?: string;
  token?: string;
  backups?: FakeBackup[];
  snapshots?: FakeSnapshot[];
}

// The fake's clock: real time at start, then one second further per request, so that two answers never share
// a timestamp by accident (the normaliser renumbers timestamps by identity and order, and a coincidence of
// two values within one millisecond made recordings differ from run to run).
let clock = Date.now();
const tick = () => {
  clock = Math.max(clock + 1000, Date.now());
};
const now = () => new Date(clock).toISOString();
const later = (hours: number) => new Date(clock + hours * 3_600_000).toISOString();
const pad = (n: number) => String(n).padStart(2, "0");

type Rewrite = FakeHostup["rewriteBody"];

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  type = "application/json",
  rewrite: Rewrite = null,
): void {
  res.writeHead(status, {
    "content-type": `${type}; charset=utf-8`,
    date: new Date().toUTCString(),
    server: "fake-hostup",
    "x-request-id": randomUUID(),
  });
  const text = JSON.stringify(body);
  res.end(rewrite ? rewrite(text, res.req) : text);
}

function v1Schedule(s: ScheduleState) {
  return {
    id: 7731,
    client_id: "88123",
    account_id: "55012",
    vm_id: VMID,
    enabled: s.enabled,
    schedule_type: s.frequency,
    hour: s.hour,
    minute: s.minute,
    day_of_week: s.frequency === "weekly" ? s.day : null,
    day_of_month: s.frequency === "monthly" ? s.day : null,
    retention_count: s.retention,
    backup_mode: "snapshot",
    compress: "zstd",
    notes: s.name,
    last_run: null,
    next_run: later(5),
    created_at: "2025-11-02T10:11:12.000Z",
    updated_at: now(),
    schedule_name: s.name,
    schedule_time: `${pad(s.hour)}:${pad(s.minute)}`,
    schedule_days: s.day === null ? "" : String(s.day),
  };
}

function v2Schedule(s: ScheduleState, id: string) {
  return {
    id,
    name: s.name,
    frequency: s.frequency,
    time: `${pad(s.hour)}:${pad(s.minute)}`,
    daySpecifier: s.day === null ? null : String(s.day),
    retentionCount: s.retention,
    enabled: s.enabled,
    lastRun: null,
    nextRun: later(5),
    status: null,
  };
}

const volidOf = (b: FakeBackup) =>
  `pbs-offsite-10g:backup/vm/${VMID}/${new Date(b.ctime * 1000).toISOString()}`;

function v1Backup(b: FakeBackup) {
  return {
    backupType: b.backupType,
    content: "pbs-vm",
    ctime: b.ctime,
    files: [{ "crypt-mode": "none", filename: "qemu-server.conf.blob", size: 631 }],
    format: "pbs",
    notes: b.note ?? "",
    protected: false,
    scheduleId: b.backupType === "scheduled" ? 7731 : null,
    scheduled: b.backupType === "scheduled",
    size: 21474836480,
    storage: "pbs-offsite-10g",
    vmid: VMID,
    volid: volidOf(b),
  };
}

function v2Backup(b: FakeBackup) {
  const createdAt = new Date(b.ctime * 1000).toISOString();
  const storageKey = `vm/${VMID}/${createdAt}`;
  return {
    id: b.id,
    displayId: `${createdAt} (${storageKey})`,
    storageKey,
    createdAt,
    sizeGb: 20,
    backupType: b.backupType,
    note: b.note,
  };
}

function v2Snapshot(s: FakeSnapshot) {
  return {
    displayId: s.name,
    name: s.name,
    description: s.description === "" ? null : s.description,
    createdAt: new Date(s.snaptime * 1000).toISOString(),
    expiresAt: new Date((s.snaptime + 86_400) * 1000).toISOString(),
    includesMemoryState: false,
    parentName: null,
  };
}

const allowed = { allowed: true, reason: null, code: null };
const refusedGate = (reason: string, code: string) => ({ allowed: false, reason, code });

function problem(status: number, code: string, path: string) {
  return {
    type: `https://developer.hostup.se/errors/${code}`,
    title: code,
    status,
    detail: `fake ${code}`,
    code,
    instance: path,
    requestId: `req_${randomUUID().replace(/-/g, "").slice(0, 26)}`,
    timestamp: now(),
  };
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? JSON.parse(text) : undefined;
}

export async function startFakeHostup(initial: FakeOptions = {}): Promise<FakeHostup> {
  const apiKey = initial.apiKey ?? API_KEY;
  const token = initial.token ?? TOKEN;
  const state = {
    schedule: initial.schedule === undefined ? null : initial.schedule,
    snapshot: initial.snapshot === undefined ? null : initial.snapshot,
    seen: [] as string[],
    failures: [] as FakeHostup["failures"],
    scheduleId: "bks_live3h8q1z",
    renumberEverySave: false,
    saves: 0,
    jobIds: [] as string[],
    rewriteBody: null as Rewrite,
    backups: initial.backups ?? [],
    backupLimit: 7,
    snapshots: initial.snapshots ?? [],
    operationJobs: new Set<string>(),
    operations: 0,
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const json = (r: ServerResponse, status: number, body: unknown, type?: string) =>
      send(r, status, body, type, state.rewriteBody);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname;
    const method = req.method ?? "GET";
    state.seen.push(`${method} ${path}`);
    tick();
    const body = (await readBody(req)) as Record<string, unknown> | undefined;
    const v2 = path.startsWith("/api/v2/");
    const fail = state.failures.findIndex((f) => f.method === method && path.endsWith(f.pathEndsWith));
    if (fail >= 0) {
      const [f] = state.failures.splice(fail, 1);
      const status = f?.status ?? 500;
      return v2
        ? json(res, status, problem(status, "internal_error", path), "application/problem+json")
        : json(res, status, {
            error: "Internal Server Error",
            message: "fake",
            code: "INTERNAL_ERROR",
            timestamp: now(),
            requestId: randomUUID(),
          });
    }
    // the jobs route is v1's; a v2 token polls its operations there as X-API-Key (the same account's key)
    const keys = path.startsWith("/api/jobs/") ? [apiKey, token] : [apiKey];
    if (
      v2 ? req.headers.authorization !== `Bearer ${token}` : !keys.includes(String(req.headers["x-api-key"]))
    ) {
      return v2
        ? json(res, 401, problem(401, "unauthorized", path), "application/problem+json")
        : json(res, 401, {
            error: "Unauthorized",
            message: "bad key",
            code: "UNAUTHORIZED",
            timestamp: now(),
            requestId: randomUUID(),
          });
    }
    const envelope = (data: unknown) => ({ success: true, timestamp: now(), requestId: randomUUID(), data });
    const s = state.schedule;
    if (method === "GET" && path === `/api/vm/${VMID}/backup-schedules`) {
      return json(
        res,
        200,
        envelope({
          success: true,
          schedules: s ? [v1Schedule(s)] : [],
          settings: {
            id: 3301,
            client_id: "88123",
            account_id: "55012",
            vm_id: VMID,
            max_total_backups: 7,
            max_manual_backups: 7,
            max_scheduled_backups: 0,
            auto_delete_oldest: true,
            created_at: "2025-11-02T10:11:12.000Z",
            updated_at: now(),
            manual_backups_active: 7,
            scheduled_backups_active: 0,
            total_backups_active: 7,
            available_scheduled_slots: 0,
          },
          history: state.jobIds.map((jobId, i) => ({
            id: 136070 + i,
            client_id: "88123",
            account_id: "55012",
            vm_id: VMID,
            backup_type: "manual",
            schedule_id: null,
            volid: `pbs-offsite-10g:backup/vm/${VMID}/${now()}`,
            size: "21474836480",
            notes: null,
            status: "active",
            created_at: now(),
            deleted_at: null,
            job_id: jobId,
            error_message: null,
          })),
          limits: {
            maxSchedules: 1,
            totalBackups: 7,
            maxRetention: 7,
            currentSchedules: s ? 1 : 0,
            manualBackupsActive: 7,
            scheduledBackupsActive: 0,
            availableScheduledSlots: 0,
          },
        }),
      );
    }
    if (method === "GET" && path === `/api/v2/vps/${VPS_ID}/backup-schedules`) {
      return json(res, 200, {
        schedules: s ? [v2Schedule(s, state.scheduleId)] : [],
        settings: {
          totalBackupLimit: 7,
          manualBackupsActive: 7,
          scheduledBackupsActive: 0,
          availableScheduledSlots: 0,
          autoDeleteOldest: true,
        },
        limits: {},
        actions: { canCreate: { allowed: true, reason: null, code: null } },
      });
    }
    if (method === "POST" && path === `/api/v2/vps/${VPS_ID}/backup-schedules` && body) {
      const b = body as Record<string, number | string | boolean | undefined>;
      if (!state.schedule || state.schedule.frequency !== b.frequency || state.renumberEverySave)
        state.scheduleId = `bks_live${++state.saves}n${state.saves}w`;
      state.schedule = {
        frequency: b.frequency as ScheduleState["frequency"],
        hour: Number(b.hour),
        minute: 0,
        day:
          b.frequency === "weekly"
            ? Number(b.dayOfWeek)
            : b.frequency === "monthly"
              ? Number(b.dayOfMonth)
              : null,
        retention: Number(b.retentionCount),
        enabled: Boolean(b.enabled),
        name: String(b.name ?? "Backup schedule"),
      };
      return json(res, 201, v2Schedule(state.schedule, state.scheduleId));
    }
    if (method === "DELETE" && path.startsWith(`/api/v2/vps/${VPS_ID}/backup-schedules/`)) {
      state.schedule = null;
      res.writeHead(204).end();
      return;
    }
    const job = /^\/api\/jobs\/([^/]+)$/.exec(path);
    const jobId = decodeURIComponent(job?.[1] ?? "");
    if (method === "GET" && job && state.operationJobs.has(jobId)) {
      // an operation's job has finished by the time it is polled
      const done = true;
      return json(
        res,
        200,
        envelope({
          jobId,
          queueType: "backup",
          type: "backup",
          state: done ? "completed" : "active",
          status: done ? "completed" : "active",
          progress: done ? 100 : 40,
          progressTextKey: "jobs.progress.done",
          progressDetails: null,
          progressMessage: done ? "Finished" : "Running",
          result: null,
          isCompleted: done,
          isFailed: false,
          isRunning: !done,
          isWaiting: false,
          createdAt: now(),
          finishedAt: done ? now() : null,
          jobName: "manual-backup",
          vmId: VMID,
          hostbillAccountId: "55012",
          isScheduled: false,
          delay: 0,
          statusKey: done ? "jobs.status.completed" : "jobs.status.active",
        }),
      );
    }
    if (method === "GET" && job && state.jobIds.includes(jobId)) {
      return json(
        res,
        200,
        envelope({
          jobId: decodeURIComponent(job[1] ?? ""),
          queueType: "backup",
          type: "backup",
          state: "completed",
          status: "completed",
          progress: 100,
          progressTextKey: "jobs.progress.done",
          progressDetails: { percentage: 100, message: "Backup finished", current: 100, total: 100 },
          progressMessage: "Backup finished",
          result: { volid: `pbs-offsite-10g:backup/vm/${VMID}/${now()}` },
          isCompleted: true,
          isFailed: false,
          isRunning: false,
          isWaiting: false,
          createdAt: now(),
          finishedAt: later(1),
          jobName: "manual-backup",
          vmId: VMID,
          hostbillAccountId: "55012",
          isScheduled: false,
          delay: 0,
          statusKey: "jobs.status.completed",
        }),
      );
    }
    const snapshotBody = () => ({
      schedule: state.snapshot
        ? { ...state.snapshot, lastRun: null, nextRun: later(state.snapshot.intervalHours) }
        : null,
      limits: { totalSnapshots: 3 },
      available: true,
      reason: null,
      actions: { canEnable: { allowed: true, reason: null, code: null } },
    });
    if (method === "GET" && path === `/api/vm/${VMID}/snapshot-schedules`) {
      const snap = state.snapshot;
      return json(
        res,
        200,
        envelope({
          success: true,
          limits: { totalSnapshots: 3 },
          schedule: snap
            ? {
                id: "4417",
                client_id: "88123",
                account_id: "55012",
                vm_id: VMID,
                enabled: snap.enabled,
                interval_hours: snap.intervalHours,
                retention_days: 7,
                last_run: null,
                next_run: later(snap.intervalHours),
                created_at: "2025-11-02T10:11:12.000Z",
                updated_at: now(),
              }
            : null,
        }),
      );
    }
    if (method === "GET" && path === `/api/v2/vps/${VPS_ID}/snapshot-schedules`)
      return json(res, 200, snapshotBody());
    if (method === "POST" && path === `/api/v2/vps/${VPS_ID}/snapshot-schedules` && body) {
      const b = body as { enabled: boolean; intervalHours: number };
      state.snapshot = {
        enabled: b.enabled,
        intervalHours: Math.min(24, Math.max(4, Math.floor(b.intervalHours))),
      };
      return json(res, 200, snapshotBody());
    }
    if (method === "DELETE" && path === `/api/v2/vps/${VPS_ID}/snapshot-schedules`) {
      state.snapshot = null;
      res.writeHead(204).end();
      return;
    }
    if (method === "GET" && path === "/api/v2/vps") {
      const second = url.searchParams.get("cursor") === "c2";
      return json(res, 200, {
        data: second
          ? [{ id: "vps_live9q" }]
          : [
              { id: VPS_ID, name: "web-1" },
              { id: "vps_live8p", name: "db-1" },
            ],
        hasMore: !second,
        nextCursor: second ? null : "c2",
      });
    }
    const operation = () => {
      const opJobId = `job_live${++state.operations}q${state.operations}`;
      state.operationJobs.add(opJobId);
      return {
        operation: { status: "queued", jobId: opJobId, pollUrl: `/api/jobs/${opJobId}`, result: null },
      };
    };
    const v2Base = `/api/v2/vps/${VPS_ID}`;
    if (method === "GET" && path === `/api/vm/${VMID}/backups`)
      return json(res, 200, envelope(state.backups.map(v1Backup)));
    if (method === "GET" && path === `/api/vm/${VMID}/snapshots`) {
      const list = state.snapshots.map((x) => ({ ...x, vmstate: 0 }));
      const current = {
        digest: "daa0946d4cc6949d7817ad60fa0ba7f3cd065184",
        running: 1,
        name: "current",
        description: "You are here!",
      };
      return json(res, 200, envelope([...list, current]));
    }
    if (method === "GET" && path === `${v2Base}/backups`) {
      const used = state.backups.length;
      const limit = state.backupLimit;
      return json(res, 200, {
        backups: state.backups.map(v2Backup),
        quotaInfo: { used, limit, remaining: Math.max(0, limit - used) },
        actions: {
          // with auto-delete on, HostUp allows a backup at full quota and deletes the oldest one to make room
          canCreateBackup: allowed,
          canRestore: used > 0 ? allowed : refusedGate("There is no backup.", "no_backups"),
        },
      });
    }
    if (method === "GET" && path === `${v2Base}/backups/restore-sources`) {
      return json(res, 200, {
        sources: [
          {
            id: "vps_live8p",
            name: "db-1",
            serviceStatus: "active",
            sourceType: "server",
            backups: [
              v2Backup({ id: "bkp_live5r", ctime: 1769000000, backupType: "manual", note: null }),
            ].map(({ backupType: _t, note: _n, ...b }) => b),
          },
        ],
      });
    }
    if (method === "POST" && path === `${v2Base}/backups`) {
      const note = (body as { note?: string } | undefined)?.note ?? null;
      state.backups.push({
        id: `bkp_live${state.operations + 1}b`,
        ctime: Math.floor(clock / 1000),
        backupType: "manual",
        note,
      });
      return json(res, 202, operation());
    }
    const backupPath = new RegExp(`^${v2Base}/backups/(bkp_[A-Za-z0-9]+)$`).exec(path);
    if (method === "DELETE" && backupPath) {
      const at = state.backups.findIndex((b) => b.id === backupPath[1]);
      if (at < 0) return json(res, 404, problem(404, "not_found", path), "application/problem+json");
      state.backups.splice(at, 1);
      res.writeHead(204).end();
      return;
    }
    if (method === "GET" && path === `${v2Base}/snapshots`) {
      return json(res, 200, {
        data: state.snapshots.map(v2Snapshot),
        limits: { totalSnapshots: 3 },
        available: true,
        actions: {
          canCreate:
            state.snapshots.length < 3 ? allowed : refusedGate("No free snapshot slot.", "snapshot_limit"),
          canRestore:
            state.snapshots.length > 0 ? allowed : refusedGate("There is no snapshot.", "no_snapshots"),
        },
      });
    }
    if (method === "POST" && path === `${v2Base}/snapshots` && body) {
      const b = body as { name: string; description?: string };
      state.snapshots.push({
        name: b.name,
        description: b.description ?? "",
        snaptime: Math.floor(clock / 1000),
      });
      return json(res, 202, operation());
    }
    const snapshotPath = new RegExp(`^${v2Base}/snapshots/([A-Za-z0-9_-]+)$`).exec(path);
    if (method === "DELETE" && snapshotPath) {
      const at = state.snapshots.findIndex((x) => x.name === snapshotPath[1]);
      if (at < 0) return json(res, 404, problem(404, "not_found", path), "application/problem+json");
      state.snapshots.splice(at, 1);
      res.writeHead(204).end();
      return;
    }
    return json(res, 404, problem(404, "not_found", path), "application/problem+json");
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      res.writeHead(500).end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeHostup = {
    url: `http://127.0.0.1:${port}`,
    get schedule() {
      return state.schedule;
    },
    set schedule(v) {
      state.schedule = v;
    },
    get snapshot() {
      return state.snapshot;
    },
    set snapshot(v) {
      state.snapshot = v;
    },
    seen: state.seen,
    failures: state.failures,
    get scheduleId() {
      return state.scheduleId;
    },
    set scheduleId(v) {
      state.scheduleId = v;
    },
    jobIds: state.jobIds,
    backups: state.backups,
    snapshots: state.snapshots,
    get backupLimit() {
      return state.backupLimit;
    },
    set backupLimit(v) {
      state.backupLimit = v;
    },
    get rewriteBody() {
      return state.rewriteBody;
    },
    set rewriteBody(v) {
      state.rewriteBody = v;
    },
    get renumberEverySave() {
      return state.renumberEverySave;
    },
    set renumberEverySave(v) {
      state.renumberEverySave = v;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return fake;
}

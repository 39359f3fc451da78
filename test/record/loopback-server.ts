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
  close(): Promise<void>;
}

export interface FakeOptions {
  schedule?: ScheduleState | null;
  snapshot?: FakeHostup["snapshot"];
  /** The credentials it accepts; default API_KEY and TOKEN. */
  apiKey?: string;
  token?: string;
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
    if (v2 ? req.headers.authorization !== `Bearer ${token}` : req.headers["x-api-key"] !== apiKey) {
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
    if (method === "GET" && job && state.jobIds.includes(decodeURIComponent(job[1] ?? ""))) {
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

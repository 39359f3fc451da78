// Check 3: every fixture is replayed with nock through the public client wrappers (createV1Client /
// createV2Client from src/index.ts). The network is closed, the recorded credentials' placeholders are
// required on the wire, the request body must equal the recorded one, every interceptor must be used,
// and the wrapper's result (or HostupApiError) must match the recorded response.
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Exchange, type HarEntry, readHar, toExchange } from "../../src/contract/har.js";
import { matchOperation, specFor } from "../../src/contract/match.js";
import { createV1Client, createV2Client, HostupApiError } from "../../src/index.js";
import { scenarios, specs_ } from "./fixtures.js";

// The fixtures hold this placeholder where a credential was; replay sends it and nock demands it.
const PLACEHOLDER = "REDACTED";

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
});
afterAll(() => {
  nock.enableNetConnect();
});

function intercept(entry: HarEntry, exchange: Exchange): nock.Scope {
  const url = new URL(exchange.url);
  const reqheaders: Record<string, string> = {};
  for (const name of ["authorization", "x-api-key"]) {
    const value = exchange.requestHeaders[name];
    if (value !== undefined) reqheaders[name] = value;
  }
  const scope = nock(url.origin, { reqheaders });
  const body = entry.request.postData ? JSON.parse(entry.request.postData.text) : undefined;
  const interceptor = scope.intercept(`${url.pathname}${url.search}`, exchange.method, body);
  const headers = Object.fromEntries(entry.response.headers.map((h) => [h.name, h.value]));
  return interceptor.reply(exchange.status, entry.response.content.text ?? "", headers);
}

type Call = () => Promise<unknown>;

function callFor(exchange: Exchange): { call: Call; unwrap: (body: unknown) => unknown } {
  const spec = specFor(specs_(), exchange);
  const match = matchOperation(spec, exchange.method, exchange.url);
  if (!match) throw new Error(`no operation for ${exchange.method} ${exchange.url}`);
  const p = match.pathParams;
  const body = exchange.requestBody as never;
  const opts = { retry: false as const };
  const query = Object.fromEntries(
    [...new URL(exchange.url).searchParams].map(([k, v]) => [k, k === "limit" ? Number(v) : v]),
  );
  if (spec.version === "v1") {
    const v1 = createV1Client({ apiKey: PLACEHOLDER, ...opts });
    const data = (b: unknown) => (b as { data?: unknown }).data;
    const vmid = Number(p.vmid);
    const calls: Record<string, Call> = {
      getBackupSchedules: () => v1.backupSchedules.get(vmid),
      saveBackupSchedule: () => v1.backupSchedules.save(vmid, body),
      getSnapshotSchedule: () => v1.snapshotSchedule.get(vmid),
      saveSnapshotSchedule: () => v1.snapshotSchedule.save(vmid, body),
      getJob: () => v1.jobs.get(String(p.jobId)),
      listBackups: () => v1.backups.list(vmid),
      deleteBackup: () => v1.backups.delete(vmid, String(p.volid)),
      listSnapshots: () => v1.snapshots.list(vmid),
      deleteOrRollbackSnapshot: () => v1.snapshots.deleteOrRollback(vmid, query as never),
    };
    const call = calls[match.operationId];
    if (!call) throw new Error(`no v1 wrapper mapped for ${match.operationId}`);
    return { call, unwrap: data };
  }
  const v2 = createV2Client({ token: PLACEHOLDER, ...opts });
  const id = String(p.id);
  const calls: Record<string, Call> = {
    listVps: () => v2.vps.list(query),
    getBackupSchedules: () => v2.backupSchedules.get(id),
    saveBackupSchedule: () => v2.backupSchedules.save(id, body),
    updateBackupSettings: () => v2.backupSchedules.updateSettings(id, body),
    deleteBackupSchedule: () => v2.backupSchedules.delete(id, String(p.scheduleId)),
    getSnapshotSchedule: () => v2.snapshotSchedule.get(id),
    saveSnapshotSchedule: () => v2.snapshotSchedule.save(id, body),
    deleteSnapshotSchedule: () => v2.snapshotSchedule.delete(id),
    listBackups: () => v2.backups.list(id),
    createBackup: () => v2.backups.create(id, body),
    listBackupRestoreSources: () => v2.backups.listRestoreSources(id),
    restoreBackupFromVps: () => v2.backups.restoreFromVps(id, body),
    deleteBackup: () => v2.backups.delete(id, String(p.backupId)),
    restoreBackup: () => v2.backups.restore(id, String(p.backupId)),
    restoreBackupToPayg: () => v2.backups.restoreToPayg(id, String(p.backupId), body),
    listSnapshots: () => v2.snapshots.list(id),
    createSnapshot: () => v2.snapshots.create(id, body),
    deleteSnapshot: () => v2.snapshots.delete(id, String(p.snapshotId)),
    restoreSnapshot: () => v2.snapshots.restore(id, String(p.snapshotId)),
  };
  const call = calls[match.operationId];
  if (!call) throw new Error(`no v2 wrapper mapped for ${match.operationId}`);
  return { call, unwrap: (b) => b };
}

async function replayEntry(entry: HarEntry): Promise<void> {
  const exchange = toExchange(entry);
  const scope = intercept(entry, exchange);
  const { call, unwrap } = callFor(exchange);
  const where = `${exchange.method} ${exchange.url} -> ${exchange.status}`;
  if (exchange.status < 300) {
    const result = await call();
    expect(result, where).toEqual(
      exchange.responseBody === undefined ? undefined : unwrap(exchange.responseBody),
    );
  } else {
    const error = await call().then(
      () => expect.fail(`${where}: the wrapper resolved, expected HostupApiError`),
      (e: unknown) => e,
    );
    expect(error, where).toBeInstanceOf(HostupApiError);
    const api = error as HostupApiError;
    const recorded = exchange.responseBody as { code?: string; requestId?: string };
    expect(api.status, where).toBe(exchange.status);
    expect(api.body, where).toEqual(recorded);
    expect(api.code, where).toBe(recorded.code);
    expect(api.requestId, where).toBe(recorded.requestId);
    if (exchange.responseHeaders["retry-after"]) expect(api.retryAfterMs, where).toBeGreaterThan(0);
  }
  if (!scope.isDone())
    expect.fail(`${where}: interceptor not used; pending: ${scope.pendingMocks().join(", ")}`);
}

describe("replay every fixture through the client wrappers", () => {
  it.each(scenarios().map((s) => [s.name, s] as const))("%s", async (_name, scenario) => {
    for (const entry of readHar(scenario.path).log.entries) await replayEntry(entry);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("v2-list-vps-paged: listAll follows nextCursor through both recorded pages", async () => {
    const scenario = scenarios().find((s) => s.name === "examples/v2-list-vps-paged");
    if (!scenario) return expect.fail("fixture examples/v2-list-vps-paged is missing");
    const entries = readHar(scenario.path).log.entries;
    for (const entry of entries) intercept(entry, toExchange(entry));
    const v2 = createV2Client({ token: PLACEHOLDER, retry: false });
    const ids: string[] = [];
    for await (const vps of v2.vps.listAll({ limit: 2 })) ids.push(vps.id);
    const recorded = entries.flatMap((e) => (toExchange(e).responseBody as { data: { id: string }[] }).data);
    expect(ids).toEqual(recorded.map((v) => v.id));
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("a replay fails when the client sends no credentials the recording demands", async () => {
    const scenario = scenarios().find((s) => s.name === "examples/v2-get-backup-schedules-200-one-schedule");
    if (!scenario) return expect.fail("fixture missing");
    const [entry] = readHar(scenario.path).log.entries;
    if (!entry) return expect.fail("empty fixture");
    intercept(entry, toExchange(entry));
    const v2 = createV2Client({ token: "another-placeholder", retry: false });
    await expect(v2.backupSchedules.get("vps_00000000000000000000000001")).rejects.toThrow();
    expect(nock.pendingMocks()).toHaveLength(1);
  });
});

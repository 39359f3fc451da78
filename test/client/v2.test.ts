import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createV2Client,
  HostupApiError,
  HostupError,
  HostupValidationError,
  type V2SaveBackupScheduleRequest,
} from "../../src/index.js";

const BASE = "https://cloud.hostup.se";
const TOKEN = "test-token";
const VPS = "vps_01hxa3b4c5d6e7f8g9h0j1k2m3";
const BKS = "bks_01hxa3b4c5d6e7f8g9h0j1k2m3";
const json = { "content-type": "application/json" };
const problemJson = { "content-type": "application/problem+json" };

const authHeaders = {
  reqheaders: {
    authorization: `Bearer ${TOKEN}`,
    // every v2 error is application/problem+json: a server that negotiates strictly needs both named
    accept: "application/json, application/problem+json",
    "user-agent": /^hostup-api\/\d+\.\d+\.\d+/,
  },
  badheaders: ["x-api-key", "cookie"],
};

const schedule = {
  id: BKS,
  name: "Nightly backup",
  frequency: "daily",
  time: "02:00",
  daySpecifier: null,
  retentionCount: 3,
  enabled: true,
  lastRun: null,
  nextRun: "2026-04-28T02:00:00.000Z",
  status: null,
};

function problem(status: number, code: string, detail: string, extra: object = {}) {
  return {
    type: `https://developer.hostup.se/errors/${code}`,
    title: "Problem",
    status,
    detail,
    code,
    instance: `/api/v2/vps/${VPS}/backup-schedules`,
    requestId: "req_01hxa3b4c5d6e7f8g9h0j1k2m3",
    timestamp: "2026-04-27T12:34:56.000Z",
    ...extra,
  };
}

// The client is created after nock is active (and per test), as openapi-fetch captures fetch at creation.
const client = () => createV2Client({ token: TOKEN, retry: { retries: 2, minDelayMs: 1, maxDelayMs: 50 } });

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
});
// the files of a worker share one nock (vitest runs them unisolated): let the next file reach loopback
afterAll(() => {
  nock.enableNetConnect();
});

describe("v2 wrappers: what goes on the wire and what comes back", () => {
  it("vps.list sends the query and returns the page", async () => {
    const page = { data: [{ id: VPS, name: "web-1" }], hasMore: false, nextCursor: null };
    const scope = nock(BASE, authHeaders)
      .get("/api/v2/vps")
      .query({ limit: "10", name: "web-1" })
      .reply(200, page, json);
    await expect(client().vps.list({ limit: 10, name: "web-1" })).resolves.toEqual(page);
    scope.done();
  });

  it("vps.list accepts every documented query parameter and leaves out undefined members", async () => {
    const page = { data: [], hasMore: false, nextCursor: null };
    const query = { limit: 100, cursor: "c1", primaryIp: "203.0.113.10", include: "pendingMaintenance" };
    const scope = nock(BASE, authHeaders)
      .get("/api/v2/vps")
      .query({ ...query, limit: "100" })
      .reply(200, page, json);
    await expect(client().vps.list({ ...query, name: undefined } as never)).resolves.toEqual(page);
    scope.done();
  });

  it("vps.listAll follows nextCursor across pages", async () => {
    const scope = nock(BASE, authHeaders)
      .get("/api/v2/vps")
      .query({ limit: "1" })
      .reply(200, { data: [{ id: "vps_a" }], hasMore: true, nextCursor: "c1" }, json)
      .get("/api/v2/vps")
      .query({ limit: "1", cursor: "c1" })
      .reply(200, { data: [{ id: "vps_b" }], hasMore: false, nextCursor: null }, json);
    const ids: string[] = [];
    for await (const vps of client().vps.listAll({ limit: 1 })) ids.push(vps.id);
    expect(ids).toEqual(["vps_a", "vps_b"]);
    scope.done();
  });

  it("vps.listAll refuses a cursor loop", async () => {
    const scope = nock(BASE)
      .get("/api/v2/vps")
      .reply(200, { data: [], hasMore: true, nextCursor: "same" }, json)
      .get("/api/v2/vps")
      .query({ cursor: "same" })
      .reply(200, { data: [], hasMore: true, nextCursor: "same" }, json);
    const all = async () => {
      for await (const _ of client().vps.listAll()) {
      }
    };
    await expect(all()).rejects.toMatchObject({ code: "invalid_response", operation: "listVps" });
    scope.done();
  });

  it("backupSchedules.get returns the body as the spec types it", async () => {
    const body = {
      schedules: [{ ...schedule }],
      settings: { maxTotalBackups: 5, autoDeleteOldest: true },
      limits: {},
      actions: { canCreate: { allowed: true, reason: null, code: null } },
    };
    const scope = nock(BASE, authHeaders).get(`/api/v2/vps/${VPS}/backup-schedules`).reply(200, body, json);
    await expect(client().backupSchedules.get(VPS)).resolves.toEqual(body);
    scope.done();
  });

  it("backupSchedules.save POSTs the exact body with JSON content type", async () => {
    const body: V2SaveBackupScheduleRequest = {
      frequency: "weekly",
      hour: 3,
      dayOfWeek: 1,
      retentionCount: 4,
      enabled: true,
      name: "Weekly backup",
    };
    const scope = nock(BASE, {
      reqheaders: { ...authHeaders.reqheaders, "content-type": "application/json" },
    })
      .post(`/api/v2/vps/${VPS}/backup-schedules`, (sent) => JSON.stringify(sent) === JSON.stringify(body))
      .reply(201, { ...schedule, frequency: "weekly", daySpecifier: "1" }, json);
    const saved = await client().backupSchedules.save(VPS, body);
    expect(saved.frequency).toBe("weekly");
    scope.done();
  });

  it("backupSchedules.updateSettings PATCHes and returns { settings }", async () => {
    const scope = nock(BASE, authHeaders)
      .patch(`/api/v2/vps/${VPS}/backup-schedules`, { maxTotalBackups: 7 })
      .reply(200, { settings: { maxTotalBackups: 7, autoDeleteOldest: false } }, json);
    const result = await client().backupSchedules.updateSettings(VPS, { maxTotalBackups: 7 });
    expect(result.settings).toMatchObject({ maxTotalBackups: 7 });
    scope.done();
  });

  it("backupSchedules.delete sends DELETE to the schedule and returns undefined", async () => {
    const scope = nock(BASE, authHeaders).delete(`/api/v2/vps/${VPS}/backup-schedules/${BKS}`).reply(204);
    await expect(client().backupSchedules.delete(VPS, BKS)).resolves.toBeUndefined();
    scope.done();
  });

  it("snapshotSchedule.get, save and delete", async () => {
    const state = {
      schedule: { enabled: true, intervalHours: 6, lastRun: null, nextRun: "2026-04-28T02:00:00.000Z" },
      limits: { totalSnapshots: 3 },
      available: true,
      reason: null,
      actions: { canEnable: { allowed: true, reason: null, code: null } },
    };
    const scope = nock(BASE, authHeaders)
      .get(`/api/v2/vps/${VPS}/snapshot-schedules`)
      .reply(200, state, json)
      .post(`/api/v2/vps/${VPS}/snapshot-schedules`, { enabled: true, intervalHours: 6 })
      .reply(200, state, json)
      .delete(`/api/v2/vps/${VPS}/snapshot-schedules`)
      .reply(204);
    const v2 = client();
    await expect(v2.snapshotSchedule.get(VPS)).resolves.toEqual(state);
    await expect(v2.snapshotSchedule.save(VPS, { enabled: true, intervalHours: 6 })).resolves.toEqual(state);
    await expect(v2.snapshotSchedule.delete(VPS)).resolves.toBeUndefined();
    scope.done();
  });

  it("raw is the configured openapi-fetch client", async () => {
    const scope = nock(BASE, authHeaders).get(`/api/v2/vps/${VPS}/snapshot-schedules`).reply(200, {}, json);
    const { response } = await client().raw.GET("/api/v2/vps/{id}/snapshot-schedules", {
      params: { path: { id: VPS } },
    });
    expect(response.status).toBe(200);
    scope.done();
  });
});

describe("v2 documented error statuses become HostupApiError", () => {
  const cases = [
    [400, "invalid_request", "The request body failed validation."],
    [401, "unauthorized", "Authentication is required."],
    [403, "forbidden", "The caller lacks a required scope or does not own the resource."],
    [404, "vps_not_found", "The requested resource could not be found."],
    [409, "vps_not_ready", "The VPS is not ready."],
    [500, "internal_error", "An unexpected error occurred."],
  ] as const;
  for (const [status, code, detail] of cases) {
    it(`${status} ${code}`, async () => {
      const extra =
        status === 400
          ? { errors: [{ pointer: "/hour", detail: "`hour` must be <= 23.", code: "invalid_request" }] }
          : {};
      const scope = nock(BASE)
        .post(`/api/v2/vps/${VPS}/backup-schedules`)
        .reply(status, problem(status, code, detail, extra), problemJson);
      const error = await client()
        .backupSchedules.save(VPS, { frequency: "daily", hour: 2, retentionCount: 3, enabled: true })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HostupApiError);
      expect(error).toBeInstanceOf(HostupError);
      expect(error).toMatchObject({
        status,
        code,
        message: detail,
        requestId: "req_01hxa3b4c5d6e7f8g9h0j1k2m3",
        apiVersion: "v2",
        operation: "saveBackupSchedule",
        retryAfterMs: undefined,
        body: { code, status },
      });
      if (status === 400) {
        expect((error as HostupApiError).fieldErrors).toEqual([
          { pointer: "/hour", message: "`hour` must be <= 23.", code: "invalid_request" },
        ]);
      }
      scope.done();
    });
  }

  it("502 upstream_vps_backup_schedule_shape_invalid is retried, then thrown", async () => {
    const body = problem(
      502,
      "upstream_vps_backup_schedule_shape_invalid",
      "The legacy VPS backup schedule response was missing a schedule row.",
    );
    const scope = nock(BASE)
      .get(`/api/v2/vps/${VPS}/backup-schedules`)
      .times(3)
      .reply(502, body, problemJson);
    await expect(client().backupSchedules.get(VPS)).rejects.toMatchObject({
      status: 502,
      code: "upstream_vps_backup_schedule_shape_invalid",
    });
    scope.done();
  });
});

describe("v2 local validation: refused before anything is sent", () => {
  const base = { hour: 2, retentionCount: 3, enabled: true };
  const refused: [string, () => Promise<unknown>, string, RegExp][] = [
    [
      "weekly without dayOfWeek",
      () => client().backupSchedules.save(VPS, { frequency: "weekly", ...base } as never),
      "/dayOfWeek",
      /dayOfWeek.*required/,
    ],
    [
      "monthly with dayOfWeek",
      () =>
        client().backupSchedules.save(VPS, {
          frequency: "monthly",
          dayOfMonth: 1,
          dayOfWeek: 2,
          ...base,
        } as never),
      "/dayOfWeek",
      /dayOfWeek.*not allowed/,
    ],
    [
      "daily with dayOfMonth",
      () => client().backupSchedules.save(VPS, { frequency: "daily", dayOfMonth: 1, ...base } as never),
      "/dayOfMonth",
      /dayOfMonth.*not allowed/,
    ],
    [
      "hour: 24",
      () => client().backupSchedules.save(VPS, { frequency: "daily", ...base, hour: 24 }),
      "/hour",
      /hour.*<= 23/,
    ],
    [
      "hour as a string",
      () => client().backupSchedules.save(VPS, { frequency: "daily", ...base, hour: "2" } as never),
      "/hour",
      /hour.*integer/,
    ],
    [
      "retentionCount: 0",
      () => client().backupSchedules.save(VPS, { frequency: "daily", ...base, retentionCount: 0 }),
      "/retentionCount",
      /retentionCount.*>= 1/,
    ],
    [
      "a misspelt member",
      () => client().backupSchedules.save(VPS, { frequency: "daily", ...base, retention: 3 } as never),
      "/retention",
      /retention.*not allowed/,
    ],
    [
      "an unknown frequency",
      () => client().backupSchedules.save(VPS, { ...base, frequency: "hourly" } as never),
      "/frequency",
      /frequency/,
    ],
    [
      "an empty PATCH",
      () => client().backupSchedules.updateSettings(VPS, {} as never),
      "",
      /at least 1 property/,
    ],
    [
      "intervalHours: 3",
      () => client().snapshotSchedule.save(VPS, { enabled: true, intervalHours: 3 }),
      "/intervalHours",
      /intervalHours.*>= 4/,
    ],
    [
      "intervalHours: 25",
      () => client().snapshotSchedule.save(VPS, { enabled: true, intervalHours: 25 }),
      "/intervalHours",
      /intervalHours.*<= 24/,
    ],
    [
      "a vpsId with ../",
      () => client().backupSchedules.get("vps_1/../../admin"),
      "/vpsId",
      /vpsId.*must match/,
    ],
    ["a vpsId with ?", () => client().snapshotSchedule.get("vps_1?x=1"), "/vpsId", /vpsId/],
    [
      "a scheduleId with #",
      () => client().backupSchedules.delete(VPS, "bks_1#x"),
      "/scheduleId",
      /scheduleId.*must match/,
    ],
    [
      "a scheduleId of another kind",
      () => client().backupSchedules.delete(VPS, VPS),
      "/scheduleId",
      /scheduleId/,
    ],
    ["list limit: 0", () => client().vps.list({ limit: 0 }), "/limit", /`limit` must be >= 1/],
    ["list limit: 101", () => client().vps.list({ limit: 101 }), "/limit", /`limit` must be <= 100/],
    ["list limit: 1000", () => client().vps.list({ limit: 1000 }), "/limit", /`limit` must be <= 100/],
    ["list limit: 2.5", () => client().vps.list({ limit: 2.5 }), "/limit", /`limit` must be an integer/],
    [
      "list limit as a string",
      () => client().vps.list({ limit: "10" } as never),
      "/limit",
      /`limit` must be an integer/,
    ],
    [
      "list with an unknown query key",
      () => client().vps.list({ limt: 10 } as never),
      "/limt",
      /`limt` is not allowed here/,
    ],
    [
      "list include outside the enum",
      () => client().vps.list({ include: "everything" } as never),
      "/include",
      /`include` must be one of "pendingMaintenance"/,
    ],
    [
      "list with an empty name",
      () => client().vps.list({ name: "" }),
      "/name",
      /`name` must have at least 1/,
    ],
    [
      "list with a query that is not an object",
      () => client().vps.list(7 as never),
      "",
      /`query` must be an object/,
    ],
    [
      "listAll limit: 101 (before the first page)",
      async () => {
        for await (const _ of client().vps.listAll({ limit: 101 })) {
        }
      },
      "/limit",
      /`limit` must be <= 100/,
    ],
    [
      "listAll with an unknown query key",
      async () => {
        for await (const _ of client().vps.listAll({ page: 2 } as never)) {
        }
      },
      "/page",
      /`page` is not allowed here/,
    ],
  ];
  for (const [name, call, pointer, message] of refused) {
    it(name, async () => {
      // no interceptor: with net connect disabled, anything sent would fail differently
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HostupValidationError);
      const first = (error as HostupValidationError).fieldErrors[0];
      expect(first?.pointer).toBe(pointer);
      expect(first?.message).toMatch(message);
      expect((error as Error).message).toMatch(message);
      expect(nock.pendingMocks()).toEqual([]);
    });
  }
});

describe("v2 validateRequests: false", () => {
  it("sends a body the spec would refuse and lets the server answer", async () => {
    const body = { frequency: "daily", hour: 24, retentionCount: 3, enabled: true } as const;
    const scope = nock(BASE, authHeaders)
      .post(`/api/v2/vps/${VPS}/backup-schedules`, body)
      .reply(400, problem(400, "invalid_request", "The request body failed validation."), problemJson);
    const error = await createV2Client({ token: TOKEN, validateRequests: false, retry: false })
      .backupSchedules.save(VPS, body)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostupApiError);
    expect((error as HostupApiError).status).toBe(400);
    scope.done();
  });

  it("sends a query the spec would refuse (limit 1000) and lets the server answer", async () => {
    const scope = nock(BASE, authHeaders)
      .get("/api/v2/vps")
      .query({ limit: "1000" })
      .reply(400, problem(400, "invalid_request", "limit must be between 1 and 100"), problemJson);
    const error = await createV2Client({ token: TOKEN, validateRequests: false, retry: false })
      .vps.list({ limit: 1000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostupApiError);
    expect((error as HostupApiError).status).toBe(400);
    scope.done();
  });

  it("still refuses a path parameter that would change the URL", async () => {
    const error = await createV2Client({ token: TOKEN, validateRequests: false })
      .backupSchedules.get("vps_1/../admin")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostupValidationError);
    expect((error as HostupValidationError).fieldErrors[0]?.pointer).toBe("/vpsId");
  });
});

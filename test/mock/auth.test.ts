// Auth and errors as the real API: 401 without credentials, 403 without write:vm, 404 for unknown or foreign VMs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DB, type MockHarness, startHarness, V1_READONLY, V2_READONLY, WEB } from "./harness.js";

let mock: MockHarness;
beforeAll(async () => {
  mock = await startHarness();
  mock.state.addVm({ vmid: 20000, vpsId: "vps_foreign1", clientId: "99999" });
});
afterAll(async () => {
  await mock.server.close();
});

describe("missing or unknown credentials: 401", () => {
  it("v2 without Authorization answers 401 unauthorized problem details", async () => {
    const answer = await mock.call(`/api/v2/vps/${WEB.vpsId}/backup-schedules`, { auth: null });
    expect(answer.status).toBe(401);
    expect(answer.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(answer.body).toEqual(
      expect.objectContaining({
        code: "unauthorized",
        status: 401,
        type: "https://developer.hostup.se/errors/unauthorized",
      }),
    );
    expect(answer.body.requestId).toMatch(/^req_[0-9a-z]{26}$/);
  });

  it("v1 without X-API-Key answers the v1 error body", async () => {
    const answer = await mock.call(`/api/vm/${WEB.vmid}/backup-schedules`, { auth: null });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual(expect.objectContaining({ error: "Unauthorized", code: "UNAUTHORIZED" }));
  });

  it("an unknown token is 401 too", async () => {
    expect((await mock.call("/api/v2/vps", { auth: "not-a-token" })).status).toBe(401);
    expect((await mock.call(`/api/vm/${WEB.vmid}/snapshot-schedules`, { auth: "not-a-key" })).status).toBe(
      401,
    );
  });

  it("the hostup_session cookie is accepted in place of a bearer token", async () => {
    const answer = await mock.call("/api/v2/vps", {
      auth: null,
      headers: { cookie: "theme=dark; hostup_session=mock-v2-token" },
    });
    expect(answer.status).toBe(200);
  });
});

describe("a credential without write:vm: 403 on writes, reads allowed", () => {
  it("v2 read-only token reads, but POST, PATCH and DELETE are 403 forbidden", async () => {
    expect((await mock.call(`/api/v2/vps/${WEB.vpsId}/backup-schedules`, { auth: V2_READONLY })).status).toBe(
      200,
    );
    const writes = [
      mock.call(`/api/v2/vps/${WEB.vpsId}/backup-schedules`, {
        auth: V2_READONLY,
        body: { frequency: "daily", hour: 1, retentionCount: 1, enabled: true },
      }),
      mock.call(`/api/v2/vps/${WEB.vpsId}/backup-schedules`, {
        auth: V2_READONLY,
        method: "PATCH",
        body: { autoDeleteOldest: true },
      }),
      mock.call(`/api/v2/vps/${WEB.vpsId}/backup-schedules/bks_2464`, {
        auth: V2_READONLY,
        method: "DELETE",
      }),
      mock.call(`/api/v2/vps/${WEB.vpsId}/snapshot-schedules`, { auth: V2_READONLY, method: "DELETE" }),
    ];
    for (const answer of await Promise.all(writes)) {
      expect(answer.status).toBe(403);
      expect(answer.body.code).toBe("forbidden");
    }
    expect((await mock.call(`/api/v2/vps/${WEB.vpsId}/backup-schedules`)).body.schedules).toHaveLength(1);
  });

  it("v1 read-only key: POST is 403 FORBIDDEN", async () => {
    const answer = await mock.call(`/api/vm/${WEB.vmid}/snapshot-schedules`, {
      auth: V1_READONLY,
      body: { enabled: true, interval_hours: 12 },
    });
    expect(answer.status).toBe(403);
    expect(answer.body.code).toBe("FORBIDDEN");
  });
});

describe("unknown or foreign VM: 404", () => {
  it("v2 answers vps_not_found for an unknown and for another client's VPS alike", async () => {
    const unknown = await mock.call("/api/v2/vps/vps_nosuchvm/snapshot-schedules");
    const foreign = await mock.call("/api/v2/vps/vps_foreign1/snapshot-schedules");
    for (const answer of [unknown, foreign]) {
      expect(answer.status).toBe(404);
      expect(answer.body.code).toBe("vps_not_found");
    }
    expect((await mock.call("/api/v2/vps")).body.data.map((v: { id: string }) => v.id)).not.toContain(
      "vps_foreign1",
    );
  });

  it("v1 answers 404 NOT_FOUND", async () => {
    const answer = await mock.call("/api/vm/20000/backup-schedules");
    expect(answer.status).toBe(404);
    expect(answer.body.code).toBe("NOT_FOUND");
  });

  it("another client's job is 404", async () => {
    const vm = mock.state.findVm("vps_foreign1");
    if (!vm) throw new Error("seed");
    const jobId = mock.state.startBackup(vm);
    expect((await mock.call(`/api/jobs/${jobId}`)).status).toBe(404);
  });

  it("a malformed id is 400 before anything else is looked up", async () => {
    const v2 = await mock.call("/api/v2/vps/not-a-vps/backup-schedules", { offSpecRequest: true });
    expect(v2.status).toBe(400);
    expect(v2.body.errors[0].pointer).toBe("/id");
    const v1 = await mock.call("/api/vm/0/backup-schedules", { offSpecRequest: true });
    expect(v1.status).toBe(400);
    expect(v1.body.code).toBe("VALIDATION_ERROR");
  });
});

describe("protocol errors", () => {
  it("malformed JSON is 400 invalid_request", async () => {
    const answer = await mock.call(`/api/v2/vps/${DB.vpsId}/backup-schedules`, {
      body: "{nope",
      offSpecRequest: true,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe("invalid_request");
  });

  it("an unknown path is 404 and a wrong method 405 with Allow", async () => {
    expect((await mock.call("/api/v2/nothing", { noOperation: true })).status).toBe(404);
    expect((await mock.call("/api/vm/1/nothing", { noOperation: true })).status).toBe(404);
    const wrong = await mock.call(`/api/v2/vps/${DB.vpsId}/backup-schedules`, {
      method: "PUT",
      body: {},
      noOperation: true,
    });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET, POST, PATCH");
  });
});

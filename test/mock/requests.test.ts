// The mock checks each request with the spec's generated validators (path, query, body) and the declared media
// type, and answers a client's mistake with 400 in the version's own error shape, never 5xx. Every answer here
// passes the strict spec check (no `unchecked`).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DB, type MockHarness, startHarness, WEB } from "./harness.js";

let mock: MockHarness;
beforeEach(async () => {
  mock = await startHarness();
});
afterEach(async () => {
  await mock.server.close();
});

const v2Backups = (id: string = WEB.vpsId) => `/api/v2/vps/${id}/backup-schedules`;
const v2Snapshots = (id: string = WEB.vpsId) => `/api/v2/vps/${id}/snapshot-schedules`;
const v1Backups = (vmid: number | string = WEB.vmid) => `/api/vm/${vmid}/backup-schedules`;
const daily = { frequency: "daily", hour: 2, retentionCount: 3, enabled: true };
const pointers = (body: { errors?: { pointer: string }[] }) => (body.errors ?? []).map((e) => e.pointer);

describe("query strings: checked with the operation's generated validator, after coercion", () => {
  it("an empty name or primaryIp is refused (the spec says minLength 1)", async () => {
    for (const param of ["name", "primaryIp"]) {
      const answer = await mock.call(`/api/v2/vps?${param}=`, { offSpecRequest: true });
      expect(answer.status, param).toBe(400);
      expect(answer.body.code).toBe("invalid_request");
      expect(pointers(answer.body)).toEqual([`/${param}`]);
      expect(answer.body.errors[0].detail).toContain(param);
    }
  });

  it("limit is read as the integer the spec declares; a non-number, a fraction or a repeat is refused", async () => {
    expect((await mock.call("/api/v2/vps?limit=1")).body.data).toHaveLength(1);
    for (const limit of ["abc", "1.5", "101", "", "1&limit=2"]) {
      const answer = await mock.call(`/api/v2/vps?limit=${limit}`, { offSpecRequest: true });
      expect(answer.status, limit).toBe(400);
      expect(pointers(answer.body), limit).toEqual(["/limit"]);
    }
  });

  it("include outside its enum, and an undeclared parameter, are refused", async () => {
    const include = await mock.call("/api/v2/vps?include=everything", { offSpecRequest: true });
    expect(pointers(include.body)).toEqual(["/include"]);
    const unknown = await mock.call("/api/v2/vps?nmae=web-1", { offSpecRequest: true });
    expect(unknown.status).toBe(400);
    expect(pointers(unknown.body)).toEqual(["/nmae"]);
  });
});

describe("Content-Type: a body must be sent as application/json", () => {
  it("JSON sent as text/plain is refused with 400 and not saved (v2)", async () => {
    const answer = await mock.call(v2Backups(DB.vpsId), {
      body: daily,
      headers: { "content-type": "text/plain" },
      offSpecRequest: true,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe("invalid_request");
    expect(answer.body.detail).toMatch(/application\/json.*text\/plain/);
    expect((await mock.call(v2Backups(DB.vpsId))).body.schedules).toEqual([]);
  });

  it("a body without Content-Type is refused with 400 and not saved (v1)", async () => {
    const answer = await mock.call(v1Backups(DB.vmid), {
      body: { schedule_type: "daily", hour: 2, minute: 0, retention_count: 1, enabled: true },
      headers: { "content-type": "" },
      offSpecRequest: true,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe("VALIDATION_ERROR");
    expect(answer.body.message).toMatch(/application\/json/);
    expect((await mock.call(v1Backups(DB.vmid))).body.data.schedules).toEqual([]);
  });

  it("application/json with a charset parameter, in any case, is accepted", async () => {
    const answer = await mock.call(v2Backups(DB.vpsId), {
      body: daily,
      headers: { "content-type": "Application/JSON; charset=utf-8" },
    });
    expect(answer.status).toBe(201);
  });
});

describe("bodies that are not the declared object: 400, never 500", () => {
  for (const body of ["null", '"daily"', "42", "[]"]) {
    it(`v2 saveBackupSchedule with ${body}`, async () => {
      const answer = await mock.call(v2Backups(), { body, offSpecRequest: true });
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe("invalid_request");
    });
  }

  it("v2 saveBackupSchedule with no body at all", async () => {
    const answer = await mock.call(v2Backups(), { method: "POST", offSpecRequest: true });
    expect(answer.status).toBe(400);
  });

  it("a handler that fails on a body its validator accepted answers the declared 400, and says so on stderr", async () => {
    const stderr = vi.spyOn(console, "error").mockImplementation(() => {});
    mock.state.saveBackupSchedule = () => {
      throw new TypeError("Cannot read properties of null (reading 'hour')");
    };
    try {
      const answer = await mock.call(v2Backups(), { body: daily });
      expect(answer.status).toBe(400);
      expect(answer.body.detail).toBe("The request body could not be processed.");
      expect(String(stderr.mock.calls[0]?.[0])).toContain("saveBackupSchedule could not process a body");
    } finally {
      stderr.mockRestore();
    }
  });
});

describe("path parameters: checked with the generated validators, answered in the API's shape", () => {
  for (const [name, path] of [
    ["getBackupSchedules", v2Backups("not-a-vps")],
    ["getSnapshotSchedule", v2Snapshots("not-a-vps")],
  ] as const) {
    it(`v2 ${name} answers a malformed id with the 400 its spec declares`, async () => {
      const answer = await mock.call(path, { offSpecRequest: true });
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe("invalid_request");
      expect(answer.body.detail).toBe("The path failed validation.");
      expect(answer.body.errors).toEqual([expect.objectContaining({ pointer: "/id", code: "pattern" })]);
    });
  }

  it("v1 reads vmid as the integer the spec declares", async () => {
    for (const vmid of ["0", "-3", "1.5", "abc", "1e3"]) {
      const answer = await mock.call(v1Backups(vmid), { offSpecRequest: true });
      expect(answer.status, vmid).toBe(400);
      expect(answer.body.details, vmid).toEqual([expect.objectContaining({ field: "vmid" })]);
    }
  });
});

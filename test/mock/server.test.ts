// Starting and stopping, the seed, and the README's example: a user's own code (the client) against the mock.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createV1Client, createV2Client, HostupApiError } from "../../src/index.js";
import {
  createManualClock,
  DEFAULT_VMS,
  defaultSeed,
  type MockServer,
  startMockServer,
} from "../../src/mock/index.js";

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("startMockServer", () => {
  it("listens on 127.0.0.1 on an ephemeral port and returns { url, close(), state }", async () => {
    server = await startMockServer();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
    expect(server.state.vms.size).toBe(2);
    const other = await startMockServer();
    expect(other.port).not.toBe(server.port);
    await other.close();
    await expect(fetch(`${other.url}/api/v2/vps`)).rejects.toThrow();
  });

  it("close() ends keep-alive connections too", async () => {
    server = await startMockServer();
    await fetch(`${server.url}/api/v2/vps`, { headers: { authorization: "Bearer mock-v2-token" } });
    const started = performance.now();
    await server.close();
    server = undefined;
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe("seed state", () => {
  it("the documented default: web-1 with a weekly schedule and history, db-1 without snapshot capacity", async () => {
    server = await startMockServer();
    const web = server.state.findVm(DEFAULT_VMS.web.vpsId);
    const db = server.state.findVm(DEFAULT_VMS.db.vmid);
    expect(web?.schedule).toEqual(
      expect.objectContaining({ schedule_type: "weekly", day_of_week: 5, hour: 5, minute: 23 }),
    );
    expect(web?.history.length).toBeGreaterThan(0);
    expect(db?.snapshotCapacity).toBe(0);
    expect(db?.schedule).toBeNull();
  });

  it("is replaced by the caller's seed, and reset() goes back to a seed", async () => {
    server = await startMockServer({
      seed: {
        credentials: [{ value: "test-token", clientId: "1", scopes: ["read:vm"] }],
        vms: [{ vmid: 42, vpsId: "vps_mine", name: "mine", clientId: "1", snapshotCapacity: 1 }],
      },
    });
    const list = await fetch(`${server.url}/api/v2/vps`, { headers: { authorization: "Bearer test-token" } });
    expect((await list.json()).data).toEqual([{ id: "vps_mine", name: "mine", billing: { isPayg: false } }]);
    expect(
      (await fetch(`${server.url}/api/v2/vps`, { headers: { authorization: "Bearer mock-v2-token" } }))
        .status,
    ).toBe(401);
    server.state.reset(defaultSeed());
    expect(server.state.findVm("vps_mine")).toBeUndefined();
    expect(server.state.vms.size).toBe(2);
  });

  it("refuses a malformed seed", async () => {
    await expect(startMockServer({ seed: { vms: [{ vmid: 0, vpsId: "vps_x" }] } })).rejects.toThrow(/vmid/);
    await expect(startMockServer({ seed: { vms: [{ vmid: 1, vpsId: "x" }] } })).rejects.toThrow(/vpsId/);
  });
});

describe("the README's example: your code against the mock, through the client", () => {
  it("saves a schedule with v2, reads it back with v1, waits for a backup job", async () => {
    const clock = createManualClock("2026-03-02T10:00:00Z");
    server = await startMockServer({ clock });
    const v2 = createV2Client({ token: "mock-v2-token", baseUrl: server.url });
    const v1 = createV1Client({ apiKey: "mock-v1-key", baseUrl: server.url });

    const [vps] = (await v2.vps.list({ name: "db-1" })).data;
    if (!vps) throw new Error("db-1 missing");
    const gate = await v2.backupSchedules.get(vps.id);
    expect(gate.actions.canCreate.allowed).toBe(true);
    const saved = await v2.backupSchedules.save(vps.id, {
      frequency: "daily",
      hour: 2,
      retentionCount: 3,
      enabled: true,
    });
    expect(saved.nextRun).toBe("2026-03-03T02:00:00.000Z");
    const legacy = await v1.backupSchedules.get(DEFAULT_VMS.db.vmid);
    expect(legacy.schedules[0]?.schedule_time).toBe("02:00");

    const error = await v2.snapshotSchedule
      .save(vps.id, { enabled: true, intervalHours: 12 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostupApiError);
    expect((error as HostupApiError).status).toBe(409);

    const vm = server.state.findVm(DEFAULT_VMS.db.vmid);
    if (!vm) throw new Error("db-1 missing");
    const jobId = server.state.startBackup(vm);
    const progress: number[] = [];
    const job = await v1.jobs.waitFor(jobId, {
      intervalMs: 1,
      onProgress: (p) => progress.push(p?.percentage ?? -1),
    });
    expect(job.isCompleted).toBe(true);
    expect(progress.length).toBeGreaterThan(0);
  });
});

describe("npm run mock / hostup-mock", () => {
  it("starts on loopback, prints the URL, the sample key and token, and stops on SIGTERM", async () => {
    const root = join(import.meta.dirname, "..", "..");
    const child = spawn(
      process.execPath,
      [join(root, "node_modules", "tsx", "dist", "cli.mjs"), join(root, "scripts", "mock.ts"), "--port", "0"],
      {
        cwd: root,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    try {
      const output = await new Promise<string>((resolve, reject) => {
        let text = "";
        const timer = setTimeout(() => reject(new Error(`no banner in time: ${text}`)), 15_000);
        child.stdout.on("data", (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes("Ctrl-C")) {
            clearTimeout(timer);
            resolve(text);
          }
        });
        child.once("exit", (code) => reject(new Error(`exited ${code}: ${text}`)));
      });
      expect(output).toContain("mock-v1-key");
      expect(output).toContain("mock-v2-token");
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      expect(url).toBeDefined();
      const answer = await fetch(`${url}/api/v2/vps`, { headers: { authorization: "Bearer mock-v2-token" } });
      expect(answer.status).toBe(200);
    } finally {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
  });
});

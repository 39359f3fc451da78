// Record mode end to end, against a fake HostUp on 127.0.0.1 (this suite never reaches the real API).
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FIXTURE_FILE, RAW_FILE, RECORDED_DIR } from "../../scripts/fixture-corpus.js";
import { runRecord, sourceComment } from "../../scripts/record.js";
import type { Har } from "../../src/contract/har.js";
import { scanText } from "../../src/contract/secrets.js";
import { loadSpecs } from "../../src/contract/spec.js";
import { validateScenario } from "../contract/fixtures.js";
import { API_KEY, type FakeHostup, startFakeHostup, TOKEN, VMID, VPS_ID } from "./loopback-server.js";

const WEEKLY_AT_TWO = {
  frequency: "weekly",
  hour: 2,
  minute: 0,
  day: 5,
  retention: 3,
  enabled: true,
  name: "Customer's weekly",
} as const;

let fake: FakeHostup;
let dir: string;
let out: string[];
let err: string[];

beforeEach(async () => {
  fake = await startFakeHostup({
    schedule: { ...WEEKLY_AT_TWO },
    snapshot: { enabled: true, intervalHours: 6 },
  });
  dir = mkdtempSync(join(tmpdir(), "hostup-record-"));
  out = [];
  err = [];
});
afterEach(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

function env(overrides: Record<string, string | undefined> = {}) {
  return {
    HOSTUP_BASE_URL: fake.url,
    HOSTUP_API_KEY: API_KEY,
    HOSTUP_TOKEN: TOKEN,
    HOSTUP_VMID: VMID,
    HOSTUP_VPS_ID: VPS_ID,
    ...overrides,
  };
}

function record(argv: string[], e = env()) {
  return runRecord({
    argv,
    env: e,
    fixturesDir: dir,
    log: (l) => out.push(l),
    error: (l) => err.push(l),
  });
}

const file = (scenario: string) => join(dir, scenario, "recording.har");

describe("npm run record (loopback)", () => {
  it("calls a recording live only when it was sent to a host other than loopback", () => {
    expect(sourceComment("https://cloud.hostup.se")).toBe("recorded from live API");
    expect(sourceComment("https://staging.example.net/base")).toBe("recorded from live API");
    for (const local of ["http://127.0.0.1:4010", "http://localhost:8080", "http://[::1]:9"])
      expect(sourceComment(local), local).toBe("recorded from a loopback server (not the live API)");
  });

  it("says what is missing and sends nothing without credentials", async () => {
    expect(await record([], env({ HOSTUP_API_KEY: undefined, HOSTUP_TOKEN: "" }))).toBe(2);
    expect(err.join("\n")).toMatch(/missing environment: HOSTUP_API_KEY, HOSTUP_TOKEN/);
    expect(fake.seen).toEqual([]);
  });

  it("records read-only scenarios: scrubbed, normalised, valid, one progress line per request", async () => {
    expect(await record(["v1-v2-paired-backup-schedules", "v2-list-vps-paged", "--update"])).toBe(0);
    const progress = out.filter((l) => /^ {2}(GET|POST|PATCH|DELETE)\s/.test(l));
    expect(progress).toHaveLength(fake.seen.length);
    expect(fake.seen).toEqual([
      `GET /api/vm/${VMID}/backup-schedules`,
      `GET /api/v2/vps/${VPS_ID}/backup-schedules`,
      "GET /api/v2/vps",
      "GET /api/v2/vps",
    ]);
    const specs = loadSpecs();
    for (const name of ["v1-v2-paired-backup-schedules", "v2-list-vps-paged"]) {
      const text = readFileSync(file(name), "utf8");
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(VMID);
      expect(text).not.toContain(VPS_ID);
      // a loopback server is not the live API, and the recording says so
      expect(text).toContain("recorded from a loopback server (not the live API)");
      expect(text).not.toContain("recorded from live API");
      expect(text).toContain('"value": "Bearer REDACTED"');
      expect(scanText(text, name)).toEqual([]);
      expect(validateScenario(specs, { name, path: file(name) })).toEqual([]);
    }
  });

  it("looks up the job of the newest history entry (GET /api/jobs/{jobId}), and skips it without history", async () => {
    expect(await record(["v1-get-job-from-history", "--update"])).toBe(0);
    expect(fake.seen).toEqual([`GET /api/vm/${VMID}/backup-schedules`]);
    expect(out.join("\n")).toContain("no backup history on this VM");
    fake.jobIds.push("backup-48213-1769734006476", "backup-48213-1769000000000");
    expect(await record(["v1-get-job-from-history", "--update"])).toBe(0);
    expect(fake.seen.slice(1)).toEqual([
      `GET /api/vm/${VMID}/backup-schedules`,
      "GET /api/jobs/backup-48213-1769734006476",
    ]);
    const name = "v1-get-job-from-history";
    const text = readFileSync(file(name), "utf8");
    expect(text).not.toContain("1769734006476");
    expect(text).toContain("/api/jobs/backup-0001");
    expect(validateScenario(loadSpecs(), { name, path: file(name) })).toEqual([]);
  });

  it("a second recording with new volatile values matches; a changed answer exits 1 with a diff", async () => {
    expect(await record(["v1-v2-paired-backup-schedules", "--update"])).toBe(0);
    await new Promise((r) => setTimeout(r, 5)); // new timestamps and request ids
    expect(await record(["v1-v2-paired-backup-schedules"])).toBe(0);
    expect(out).toContain("  same as the committed fixture");
    fake.schedule = { ...WEEKLY_AT_TWO, retention: 4 };
    expect(await record(["v1-v2-paired-backup-schedules"])).toBe(1);
    const report = err.join("\n");
    expect(report).toContain("differs from");
    expect(report).toMatch(/^- .*retention_count\\":3/m);
    expect(report).toMatch(/^\+ .*retention_count\\":4/m);
  });

  it("a key the server echoes JSON-escaped (PHP's \\/, \\u escapes) reaches the fixture in no form", async () => {
    const key = "test/key+1";
    const php = await startFakeHostup({ apiKey: key, schedule: { ...WEEKLY_AT_TWO } });
    const unicode = [...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
    php.rewriteBody = (text, request) => {
      const sent = String(request.headers["x-api-key"] ?? request.headers.authorization ?? "");
      // json_encode: every "/" escaped; the credential echoed twice, once \u-escaped
      return text
        .replace(/^\{/, `{"echo":${JSON.stringify(sent)},"again":"${unicode}",`)
        .replaceAll("/", "\\/");
    };
    try {
      const code = await record(
        ["v1-v2-paired-backup-schedules", "--update"],
        env({ HOSTUP_BASE_URL: php.url, HOSTUP_API_KEY: key }),
      );
      expect(err).toEqual([]);
      expect(code).toBe(0);
    } finally {
      await php.close();
    }
    const text = readFileSync(file("v1-v2-paired-backup-schedules"), "utf8");
    const decoded = text
      .replace(/\\+u([0-9a-fA-F]{4})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
      .replace(/\\+\//g, "/");
    expect(decoded).not.toContain(key);
    expect(decoded).not.toContain(TOKEN);
    expect(decoded).toContain('echo\\":\\"REDACTED');
  });

  it("a server that answers gzip-compressed (Content-Encoding: gzip) gives the same recording", async () => {
    // a gzip-compressing front to the fake, as a production server (or its proxy) answers
    const gzip = createServer(async (req, res) => {
      const headers: Record<string, string> = {};
      for (const name of ["accept", "authorization", "x-api-key"]) {
        const value = req.headers[name];
        if (typeof value === "string") headers[name] = value;
      }
      const upstream = await fetch(`${fake.url}${req.url}`, { method: req.method ?? "GET", headers });
      const body = gzipSync(Buffer.from(await upstream.arrayBuffer()));
      res.writeHead(upstream.status, {
        "content-type": upstream.headers.get("content-type") ?? "",
        "content-encoding": "gzip",
        "content-length": body.length,
      });
      res.end(body);
    });
    await new Promise<void>((resolve) => gzip.listen(0, "127.0.0.1", resolve));
    const name = "v2-list-vps-paged";
    try {
      const { port } = gzip.address() as AddressInfo;
      expect(await record([name, "--update"], env({ HOSTUP_BASE_URL: `http://127.0.0.1:${port}` }))).toBe(0);
      expect(err).toEqual([]);
    } finally {
      await new Promise((resolve) => gzip.close(resolve));
    }
    // fetch decoded the body: the raw form holds its text (HAR's content.text is the decoded body) beside the
    // header as sent, and the fixture is the committed one recorded without compression
    const raw = JSON.parse(readFileSync(join(dir, name, RAW_FILE), "utf8")) as Har;
    const response = raw.log.entries[0]?.response;
    expect(response?.headers).toContainEqual({ name: "content-encoding", value: "gzip" });
    expect(response?.content.encoding).toBeUndefined();
    expect(JSON.parse(response?.content.text ?? "")).toHaveProperty("data");
    expect(readFileSync(file(name), "utf8")).toBe(
      readFileSync(join(RECORDED_DIR, name, FIXTURE_FILE), "utf8"),
    );
  });

  it("does not write a recording in which the secret scan still finds a credential", async () => {
    // the server hands out a credential the normaliser does not know (a session token in a body)
    const planted = ["planted", "session", "t0k"].join("-");
    fake.rewriteBody = (text) => text.replace(/^\{/, `{"authToken":"${planted}",`);
    expect(await record(["v1-v2-paired-backup-schedules", "--update"])).toBe(1);
    const report = err.join("\n");
    expect(report).toMatch(/v1-v2-paired-backup-schedules: .*not written/);
    expect(report).toContain("credential-named JSON property");
    expect(report).not.toContain(planted);
    expect(existsSync(file("v1-v2-paired-backup-schedules"))).toBe(false);
  });

  it("refuses a credential too short to be scrubbed from recordings, sending nothing", async () => {
    expect(await record([], env({ HOSTUP_TOKEN: "abc" }))).toBe(2);
    expect(err.join("\n")).toMatch(/HOSTUP_TOKEN is 3 characters long: .*at least 8/);
    expect(fake.seen).toEqual([]);
  });

  it("refuses write scenarios without --allow-writes", async () => {
    expect(await record(["v2-save-weekly-backup-schedule"])).toBe(2);
    expect(err.join("\n")).toContain("--allow-writes");
    expect(fake.seen).toEqual([]);
  });

  it("a write scenario restores the customer's schedule afterwards", async () => {
    expect(await record(["v2-save-weekly-backup-schedule", "--allow-writes", "--update"])).toBe(0);
    expect(fake.schedule).toEqual(WEEKLY_AT_TWO);
    expect(fake.seen.filter((s) => s.startsWith("POST"))).toHaveLength(2);
  });

  it("a failure half-way through a write scenario still restores the state", async () => {
    // The scenario's own save fails; the restore (the second POST) goes through.
    fake.failures.push({ method: "POST", pathEndsWith: "/backup-schedules", status: 500 });
    fake.schedule = { ...WEEKLY_AT_TWO };
    const before = { ...WEEKLY_AT_TWO };
    const code = await record(["v2-save-weekly-backup-schedule", "--allow-writes", "--update"]);
    expect(code).toBe(1);
    expect(err.join("\n")).toMatch(/v2-save-weekly-backup-schedule: failed/);
    expect(out.join("\n")).toContain("restoring the state found before the scenario (a step failed)");
    expect(fake.schedule).toEqual(before);
    expect(fake.seen.filter((s) => s.startsWith("POST"))).toHaveLength(2);
  });

  it("when the restore itself fails, it says so loudly", async () => {
    fake.failures.push({ method: "POST", pathEndsWith: "/backup-schedules", status: 500 });
    fake.failures.push({ method: "POST", pathEndsWith: "/backup-schedules", status: 500 });
    expect(await record(["v2-save-weekly-backup-schedule", "--allow-writes"])).toBe(1);
    expect(err.join("\n")).toMatch(/could not restore[\s\S]*CHECK THE ACCOUNT BY HAND/);
  });

  it("refuses to start when it could not restore what it found (a minute v2 cannot set)", async () => {
    fake.schedule = { ...WEEKLY_AT_TWO, minute: 23 };
    expect(await record(["v2-save-weekly-backup-schedule", "--allow-writes"])).toBe(1);
    expect(err.join("\n")).toMatch(/refusing to start: .*02:23/);
    expect(fake.seen.filter((s) => !s.startsWith("GET"))).toEqual([]);
    expect(fake.schedule?.minute).toBe(23);
  });

  it.each([0, 3])(
    "a weekly schedule on day %i is restored to its real day, under the same id",
    async (day) => {
      fake.schedule = { ...WEEKLY_AT_TWO, day };
      const id = fake.scheduleId;
      expect(await record(["v2-save-weekly-backup-schedule", "--allow-writes", "--update"])).toBe(0);
      expect(fake.schedule).toEqual({ ...WEEKLY_AT_TWO, day });
      expect(fake.scheduleId).toBe(id);
    },
  );

  it("a daily schedule comes back daily (the frequency changed twice, so a new id is expected)", async () => {
    const daily = { ...WEEKLY_AT_TWO, frequency: "daily", day: null } as const;
    fake.schedule = { ...daily };
    expect(await record(["v2-save-weekly-backup-schedule", "--allow-writes", "--update"])).toBe(0);
    expect(fake.schedule).toEqual(daily);
  });

  it("a restore that renumbers a schedule of unchanged frequency is reported", async () => {
    fake.renumberEverySave = true;
    expect(await record(["v2-save-weekly-backup-schedule", "--allow-writes"])).toBe(1);
    expect(err.join("\n")).toMatch(
      /came back as bks_\w+ although its frequency never changed[\s\S]*CHECK THE ACCOUNT/,
    );
  });

  it.each([
    ["a weekly schedule without a day", { day: null }, /daySpecifier null, not a day of the week 0-6/],
    [
      "a monthly schedule without a day",
      { frequency: "monthly", day: null },
      /daySpecifier null, not a day of the month 1-31/,
    ],
    [
      "a schedule the spec's rules refuse (retention 0)",
      { retention: 0 },
      /would be refused by the spec's rules \(.*retentionCount/,
    ],
  ] as const)("refuses to start, writing nothing, for %s", async (_what, change, reason) => {
    fake.schedule = { ...WEEKLY_AT_TWO, ...change };
    const before = structuredClone(fake.schedule);
    expect(await record(["v2-save-weekly-backup-schedule", "--allow-writes"])).toBe(1);
    expect(err.join("\n")).toMatch(/refusing to start: /);
    expect(err.join("\n")).toMatch(reason);
    expect(fake.seen.filter((s) => !s.startsWith("GET"))).toEqual([]);
    expect(fake.schedule).toEqual(before);
  });

  it("a snapshot write scenario restores a VPS that had no schedule", async () => {
    fake.snapshot = null;
    expect(await record(["v2-save-snapshot-schedule", "--allow-writes", "--update"])).toBe(0);
    expect(fake.snapshot).toBeNull();
    expect(fake.seen).toContain(`DELETE /api/v2/vps/${VPS_ID}/snapshot-schedules`);
  });
});

describe("npm run record (loopback): the backup and snapshot lifecycle", () => {
  const customerBackups = [
    { id: "bkp_live1a", ctime: 1769000000, backupType: "scheduled", note: null },
    { id: "bkp_live2a", ctime: 1769100000, backupType: "manual", note: "Before upgrade" },
  ] as const;
  beforeEach(() => {
    fake.backups.push(...customerBackups.map((b) => ({ ...b })));
    fake.snapshots.push({ name: "before-upgrade", description: "Customer's", snaptime: 1769200000 });
  });

  it("records the read-only lifecycle scenarios: valid, scrubbed, the VM's ids gone", async () => {
    const names = ["v1-v2-paired-backups", "v1-v2-paired-snapshots", "v2-list-backup-restore-sources"];
    expect(await record([...names, "--update"])).toBe(0);
    expect(fake.seen).toEqual([
      `GET /api/vm/${VMID}/backups`,
      `GET /api/vm/${VMID}/backup-schedules`,
      `GET /api/v2/vps/${VPS_ID}/backups`,
      `GET /api/vm/${VMID}/snapshots`,
      `GET /api/v2/vps/${VPS_ID}/snapshots`,
      `GET /api/v2/vps/${VPS_ID}/backups/restore-sources`,
    ]);
    const specs = loadSpecs();
    for (const name of names) {
      const text = readFileSync(file(name), "utf8");
      for (const secret of [API_KEY, TOKEN, VMID, VPS_ID]) expect(text).not.toContain(secret);
      expect(scanText(text, name)).toEqual([]);
      expect(validateScenario(specs, { name, path: file(name) })).toEqual([]);
    }
  });

  it("refuses the write scenarios without --allow-writes", async () => {
    for (const name of ["v2-create-delete-manual-backup", "v2-create-delete-snapshot"]) {
      expect(await record([name])).toBe(2);
    }
    expect(fake.seen).toEqual([]);
  });

  it("a manual backup is made, waited for (GET /api/jobs with the token as X-API-Key) and deleted again", async () => {
    expect(await record(["v2-create-delete-manual-backup", "--allow-writes", "--update"])).toBe(0);
    expect(fake.backups).toEqual(customerBackups);
    const base = `/api/v2/vps/${VPS_ID}/backups`;
    expect(fake.seen.filter((l) => !l.startsWith(`GET ${base}`))).toEqual([
      `POST ${base}`,
      "GET /api/jobs/job_live1q1",
      `DELETE ${base}/bkp_live1b`,
    ]);
    const name = "v2-create-delete-manual-backup";
    const text = readFileSync(file(name), "utf8");
    expect(text).not.toContain(TOKEN);
    expect(validateScenario(loadSpecs(), { name, path: file(name) })).toEqual([]);
  });

  it("a snapshot is made, waited for and deleted again", async () => {
    const before = structuredClone(fake.snapshots);
    expect(await record(["v2-create-delete-snapshot", "--allow-writes", "--update"])).toBe(0);
    expect(fake.snapshots).toEqual(before);
    expect(fake.seen).toContain(`DELETE /api/v2/vps/${VPS_ID}/snapshots/hostup-api-recording`);
    const name = "v2-create-delete-snapshot";
    expect(validateScenario(loadSpecs(), { name, path: file(name) })).toEqual([]);
  });

  it("refuses to start, writing nothing, when no backup slot is free (auto-delete could remove the oldest)", async () => {
    fake.backupLimit = 2;
    expect(await record(["v2-create-delete-manual-backup", "--allow-writes"])).toBe(1);
    expect(err.join("\n")).toMatch(/refusing to start: no backup slot is known to be free/);
    expect(fake.seen.filter((l) => !l.startsWith("GET"))).toEqual([]);
    expect(fake.backups).toEqual(customerBackups);
  });

  it("refuses to start when an earlier run's backup or snapshot is still there", async () => {
    fake.backups.push({
      id: "bkp_live9z",
      ctime: 1769300000,
      backupType: "manual",
      note: "hostup-api contract recording",
    });
    fake.snapshots.push({ name: "hostup-api-recording", description: "", snaptime: 1769300000 });
    expect(
      await record(["v2-create-delete-manual-backup", "v2-create-delete-snapshot", "--allow-writes"]),
    ).toBe(1);
    expect(err.join("\n")).toMatch(/already there \(an earlier run's\?\)[\s\S]*already there/);
    expect(fake.seen.filter((l) => !l.startsWith("GET"))).toEqual([]);
  });

  it("a failed delete leaves the backup: it says so loudly", async () => {
    fake.failures.push({ method: "DELETE", pathEndsWith: "/backups/bkp_live1b", status: 500 });
    expect(await record(["v2-create-delete-manual-backup", "--allow-writes"])).toBe(1);
    expect(err.join("\n")).toMatch(/could not restore[\s\S]*CHECK THE ACCOUNT BY HAND/);
  });

  it("a failed create still runs the restore, which finds nothing to delete", async () => {
    fake.failures.push({ method: "POST", pathEndsWith: "/snapshots", status: 500 });
    const before = structuredClone(fake.snapshots);
    expect(await record(["v2-create-delete-snapshot", "--allow-writes"])).toBe(1);
    expect(out.join("\n")).toContain("restoring the state found before the scenario (a step failed)");
    expect(err.join("\n")).not.toContain("CHECK THE ACCOUNT");
    expect(fake.snapshots).toEqual(before);
    expect(fake.seen.filter((l) => l.startsWith("DELETE"))).toEqual([]);
  });
});

// test/fixtures/recorded/ holds what record mode writes against this loopback fake (the live API is out of reach):
// each scenario's normalised recording.har and, beside it, its scrubbed raw.har. Recording the fake again must give
// the committed files; UPDATE_RECORDINGS=1 rewrites them (npx vitest run test/record/record.test.ts).
describe("the committed recordings (test/fixtures/recorded)", () => {
  const READ_ONLY = [
    "v1-get-job-from-history",
    "v1-v2-paired-backup-schedules",
    "v1-v2-paired-backups",
    "v1-v2-paired-snapshot-schedules",
    "v1-v2-paired-snapshots",
    "v2-list-backup-restore-sources",
    "v2-list-vps-paged",
  ];

  it("are what recording the loopback fake gives, normalised, each with its raw form", async () => {
    fake.jobIds.push("backup-48213-1769734006476");
    fake.backups.push({ id: "bkp_live2a", ctime: 1769100000, backupType: "manual", note: "Before upgrade" });
    fake.snapshots.push({ name: "before-upgrade", description: "Customer's", snaptime: 1769200000 });
    const update = process.env.UPDATE_RECORDINGS === "1";
    const code = await runRecord({
      argv: [...READ_ONLY, ...(update ? ["--update"] : [])],
      env: env(),
      fixturesDir: RECORDED_DIR,
      log: (l) => out.push(l),
      error: (l) => err.push(l),
    });
    expect(err.join("\n")).toBe("");
    expect(code).toBe(0);
    for (const name of READ_ONLY) {
      const recording = readFileSync(join(RECORDED_DIR, name, FIXTURE_FILE), "utf8");
      const raw = readFileSync(join(RECORDED_DIR, name, RAW_FILE), "utf8");
      expect(recording).toContain("recorded from a loopback server (not the live API)");
      expect(recording).not.toContain("recorded from live API");
      expect(raw).not.toBe(recording);
      expect(scanText(raw, name)).toEqual([]);
    }
  });
});

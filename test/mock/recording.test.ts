// The mock records what it serves, when asked (record / recordTo): a user's own calls through the client become a
// HAR that hostup-api/contract judges clean, scrubbed of the mock's credentials unless asked otherwise.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { checkRecordings } from "../../src/contract/check.js";
import { type Har, parseHar, serializeHar } from "../../src/contract/har.js";
import { loadSpecs } from "../../src/contract/spec.js";
import { createV1Client, createV2Client, HostupApiError } from "../../src/index.js";
import {
  createManualClock,
  DEFAULT_VMS,
  MOCK_RECORDING_COMMENT,
  type MockServer,
  SAMPLE_V1_KEY,
  SAMPLE_V2_TOKEN,
  startMockServer,
} from "../../src/mock/index.js";

const dir = mkdtempSync(join(tmpdir(), "hostup-mock-recording-"));
let mock: MockServer | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A user's own test: reads, a save with a body, a PATCH, v1, and two refusals (404, 409). */
async function myCalls(url: string): Promise<void> {
  const v2 = createV2Client({ token: SAMPLE_V2_TOKEN, baseUrl: url, retry: false });
  const v1 = createV1Client({ apiKey: SAMPLE_V1_KEY, baseUrl: url, retry: false });
  const [vps] = (await v2.vps.list({ limit: 1 })).data;
  if (!vps) throw new Error("the mock lists no VPS");
  await v2.backupSchedules.get(vps.id);
  await v2.backupSchedules.save(vps.id, { frequency: "daily", hour: 2, retentionCount: 3, enabled: true });
  await v2.backupSchedules.updateSettings(vps.id, { autoDeleteOldest: false });
  await v1.backupSchedules.get(DEFAULT_VMS.web.vmid);
  await expect(v2.backupSchedules.get("vps_01hxa3b4c5d6e7f8g9h0j1k2zz")).rejects.toBeInstanceOf(
    HostupApiError,
  );
  await expect(
    v2.snapshotSchedule.save(DEFAULT_VMS.db.vpsId, { enabled: true, intervalHours: 12 }),
  ).rejects.toBeInstanceOf(HostupApiError);
}

const check = (har: Har, file = "mock.har") =>
  checkRecordings(loadSpecs(), [{ file, text: serializeHar(har), har }]);

describe("the mock's recording", () => {
  it("holds every exchange answered, in order, and hostup-api/contract judges it clean", async () => {
    mock = await startMockServer({ record: true, clock: createManualClock("2026-03-02T10:00:00Z") });
    await myCalls(mock.url);
    const har = await mock.har();
    expect(
      har.log.entries.map(
        (e) => `${e.request.method} ${new URL(e.request.url).pathname} ${e.response.status}`,
      ),
    ).toEqual([
      "GET /api/v2/vps 200",
      `GET /api/v2/vps/${DEFAULT_VMS.web.vpsId}/backup-schedules 200`,
      `POST /api/v2/vps/${DEFAULT_VMS.web.vpsId}/backup-schedules 201`,
      `PATCH /api/v2/vps/${DEFAULT_VMS.web.vpsId}/backup-schedules 200`,
      `GET /api/vm/${DEFAULT_VMS.web.vmid}/backup-schedules 200`,
      "GET /api/v2/vps/vps_01hxa3b4c5d6e7f8g9h0j1k2zz/backup-schedules 404",
      `POST /api/v2/vps/${DEFAULT_VMS.db.vpsId}/snapshot-schedules 409`,
    ]);
    const [, , save] = har.log.entries;
    expect(JSON.parse(save?.request.postData?.text ?? "{}")).toEqual({
      frequency: "daily",
      hour: 2,
      retentionCount: 3,
      enabled: true,
    });
    expect(har.log.entries.every((e) => e.comment === MOCK_RECORDING_COMMENT)).toBe(true);
    expect(har.log.entries[0]?.startedDateTime).toBe("2026-03-02T10:00:00.000Z");
    const result = check(har);
    expect(result.findings).toEqual([]);
    expect(result.secrets).toEqual([]);
    expect(result.exitCode).toBe(0);
    const hit = (op: string, status: string) =>
      result.coverage.rows.find((r) => r.operationId === op && r.status === status && r.version === "v2")
        ?.hits.length;
    expect(hit("saveBackupSchedule", "201")).toBe(1);
    expect(hit("saveSnapshotSchedule", "409")).toBe(1);
  });

  it("is scrubbed by default: the sample credentials are placeholders; { scrub: false } gives them as sent", async () => {
    mock = await startMockServer({ record: true });
    await myCalls(mock.url);
    const text = serializeHar(await mock.har());
    expect(text).not.toContain(SAMPLE_V2_TOKEN);
    expect(text).not.toContain(SAMPLE_V1_KEY);
    expect(text).toContain('"value": "Bearer REDACTED"');
    const raw = serializeHar(await mock.har({ scrub: false }));
    expect(raw).toContain(`"value": "Bearer ${SAMPLE_V2_TOKEN}"`);
    // and the secret scan says so: the raw form is what must never be shared
    expect(check(parseHar(raw, "raw.har"), "raw.har").exitCode).toBe(2);
  });

  it("catches the client's drift: a planted undeclared property in what the mock served", async () => {
    mock = await startMockServer({ record: true });
    await myCalls(mock.url);
    const har = await mock.har();
    const entry = har.log.entries[1];
    if (!entry?.response.content.text) throw new Error("no body");
    entry.response.content.text = entry.response.content.text.replace(/^\{/, '{"surprise":true,');
    const result = check(har);
    expect(result.exitCode).toBe(1);
    expect(result.findings).toEqual([
      expect.objectContaining({
        entry: 1,
        pointer: "/surprise",
        expected: 'no property "surprise" (the spec does not declare it)',
      }),
    ]);
  });

  it("recordTo writes the recording when the mock closes (folders created)", async () => {
    const file = join(dir, "nested", "my-tests.har");
    const local = await startMockServer({ recordTo: file });
    await createV2Client({ token: SAMPLE_V2_TOKEN, baseUrl: local.url }).vps.list();
    expect(existsSync(file)).toBe(false);
    await local.close();
    const har = parseHar(readFileSync(file, "utf8"), file);
    expect(har.log.entries).toHaveLength(1);
    expect(readFileSync(file, "utf8")).not.toContain(SAMPLE_V2_TOKEN);
  });

  it("without record or recordTo there is nothing to give, and har() says how to turn it on", async () => {
    mock = await startMockServer();
    await expect(mock.har()).rejects.toThrow(/start it with \{ record: true \} or \{ recordTo: file \}/);
  });
});

// The normaliser: a raw recording normalises to the committed fixture, and the committed corpus is in
// normal form (normalising it changes nothing).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildEntry, type Har, listScenarios, readHar, serializeHar } from "../../scripts/contract/har.js";
import { normaliseHar } from "../../scripts/contract/normalise.js";
import { REPO_ROOT } from "../../scripts/contract/spec.js";

const FIXTURES = join(REPO_ROOT, "test", "fixtures");

/** What the live API would have sent for a committed fixture: real-looking ids, times, headers, keys. */
function rawFrom(fixture: Har): Har {
  const raw = structuredClone(fixture);
  const swap = (s: string) =>
    s
      .replace(/2026-01-01T(\d\d):00:00\.000Z/g, (_m, h: string) =>
        new Date(Date.UTC(2026, 6, 14, 9, 41, 7) + Number(h) * 3_600_000).toISOString(),
      )
      .replace(
        /00000000-0000-4000-8000-0000000000(\d\d)/g,
        (_m, n: string) => `9f1c2ab4-51d2-4c0e-9a7b-8e5d3c2b1a${n}`,
      )
      .replace(/vps_0{25}(\d)/g, (_m, n: string) => `vps_01j8zq3k7m2x9v${n}`)
      .replace(/req_0{25}(\d)/g, (_m, n: string) => `req_01j8zq3k7m2x9w${n}`)
      .replace(/\/api\/vm\/10000\//g, "/api/vm/48213/")
      .replace(/"vm_id":"10000"/g, '"vm_id":"48213"')
      .replace(/"client_id":"30000"/g, '"client_id":"88123"')
      .replace(/"account_id":"20000"/g, '"account_id":"55012"')
      .replace(/"id":1001/g, '"id":7731')
      .replace(/"id":1002/g, '"id":3301');
  for (const e of raw.log.entries) {
    e.startedDateTime = "2026-07-14T09:41:07.123Z";
    e.time = 187;
    e.request.url = swap(e.request.url);
    e.request.headers = e.request.headers.map((h) =>
      h.name === "authorization"
        ? { name: "Authorization", value: "Bearer test-token" }
        : h.name === "x-api-key"
          ? { name: "X-API-Key", value: "test-key" }
          : h,
    );
    e.request.headers.push({ name: "User-Agent", value: "hostup-api/0.1.0" });
    e.response.headers.push(
      { name: "Date", value: "Tue, 14 Jul 2026 09:41:07 GMT" },
      { name: "Server", value: "nginx" },
    );
    if (e.response.content.text) e.response.content.text = swap(e.response.content.text);
  }
  return raw;
}

describe("normaliser", () => {
  it("normalising a raw recording reproduces the committed fixture", () => {
    for (const name of [
      "v1-v2-paired-backup-schedules",
      "v1-v2-paired-snapshot-schedules",
      "v2-save-weekly-backup-schedule",
    ]) {
      const path = join(FIXTURES, name, "recording.har");
      const committed = readFileSync(path, "utf8");
      const raw = rawFrom(readHar(path));
      expect(serializeHar(raw)).not.toBe(committed);
      expect(serializeHar(normaliseHar(raw, { secrets: ["test-key", "test-token"] })), name).toBe(committed);
    }
  });

  it("the committed corpus is in normal form", () => {
    for (const s of listScenarios(FIXTURES)) {
      expect(serializeHar(normaliseHar(readHar(s.path))), s.name).toBe(readFileSync(s.path, "utf8"));
    }
  });

  it("scrubs a secret wherever it occurs, and keeps timestamps in their order", () => {
    const har: Har = JSON.parse(readFileSync(join(FIXTURES, "v2-list-vps-paged", "recording.har"), "utf8"));
    const entry = har.log.entries[0];
    if (!entry?.response.content.text) throw new Error("fixture without body");
    entry.request.url += "&debug=s3cret-value";
    entry.response.content.text = entry.response.content.text.replace('"web-1"', '"s3cret-value web"');
    entry.response.headers.push({ name: "X-RateLimit-Reset", value: "2030-01-01T00:00:00.000Z" });
    entry.response.headers.push({ name: "Set-Cookie", value: "hostup_session=abc; Path=/" });
    const text = serializeHar(normaliseHar(har, { secrets: ["s3cret-value"] }));
    expect(text).not.toContain("s3cret-value");
    expect(text).toContain("debug=REDACTED");
    expect(text).toContain("hostup_session=REDACTED");
    expect(text).toContain('"value": "2026-01-01T00:00:00.000Z"');
  });

  // A key echoed back the way servers write JSON: PHP's json_encode escapes every "/" (`\/`); others escape
  // characters as `\uXXXX`. The raw bodies below are written in those forms (not produced by reversing the
  // normaliser); the fixture must hold the key in no form at all, whether the body is parsed (JSON) or kept as
  // text (a JSON error sent as text/plain), and also percent-encoded in a URL.
  it("scrubs a key echoed JSON-escaped (\\/, \\u), in a JSON body, a text body and a URL", () => {
    const key = "test/key+1";
    const token = "test-token";
    const path = join(FIXTURES, "v1-v2-paired-backup-schedules", "recording.har");
    const raw = rawFrom(readHar(path));
    const [v1, v2] = raw.log.entries;
    if (!v1?.response.content.text || !v2?.response.content.text) throw new Error("fixture without bodies");
    v1.request.headers = v1.request.headers.map((h) => (h.name === "X-API-Key" ? { ...h, value: key } : h));
    // PHP: every "/" escaped, the key among them, echoed in the envelope
    v1.response.content.text = v1.response.content.text
      .replace(/^\{/, `{"message":"key ${key} accepted",`)
      .replaceAll("/", "\\/");
    // every character of the key as \uXXXX, and the token half-escaped, in the v2 body
    const unicode = [...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
    v2.response.content.text = v2.response.content.text.replace(
      /^\{/,
      `{"echo":"${unicode}","again":"\\u0074est-\\u0074oken",`,
    );
    // the same echo in a body kept as text
    raw.log.entries.push(
      buildEntry({
        method: "GET",
        url: `https://cloud.hostup.se/api/v2/vps?debug=${encodeURIComponent(key)}`,
        status: 500,
        responseHeaders: { "content-type": "text/plain" },
        responseBody: `{"error":"bad key ${key.replace("/", "\\/")} or ${unicode}"}`,
      }),
    );
    const text = serializeHar(normaliseHar(raw, { secrets: [key, token] }));
    // every JSON escape undone, at any depth of nesting, and every percent-escape
    let decoded = text;
    for (let i = 0; i < 4; i++) {
      decoded = decoded
        .replace(/\\+u([0-9a-fA-F]{4})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
        .replace(/\\+\//g, "/")
        .replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    }
    expect(decoded).not.toContain(key);
    expect(decoded).not.toContain(token);
    expect(decoded).toContain("key REDACTED accepted");
    expect(text).toContain("debug=REDACTED");
    // still a fixture in normal form
    expect(serializeHar(normaliseHar(JSON.parse(text) as Har))).toBe(text);
  });

  it("refuses a credential too short to be scrubbed safely (it would rewrite unrelated text)", () => {
    const har = readHar(join(FIXTURES, "v2-list-vps-paged", "recording.har"));
    expect(() => normaliseHar(har, { secrets: ["abc"] })).toThrow(/at least 8 characters/);
  });

  it("drops the docs' _truncated artefact from arrays", () => {
    const path = join(
      REPO_ROOT,
      "test",
      "fixtures-invalid",
      "v1-get-backup-schedules-truncated-artefact",
      "recording.har",
    );
    const body = (har: Har) => har.log.entries[0]?.response.content.text ?? "";
    expect(body(readHar(path))).toContain("_truncated");
    expect(body(normaliseHar(readHar(path)))).not.toContain("_truncated");
  });
});

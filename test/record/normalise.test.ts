// Preparing a recording: scrubbing (credentials) and normalising (stable diffs), split apart. Each recorded scenario
// keeps its scrubbed raw form (raw.har, as record mode captured it from the loopback fake) beside the normalised one
// (recording.har): normalising the real raw input reproduces the committed fixture, as octokit/fixtures checks
// normalize(raw-fixture) === normalized-fixture. And the committed corpus is in normal form.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  corpus,
  FIXTURE_FILE,
  INVALID_FIXTURES_DIR,
  listScenarios,
  RAW_FILE,
  RECORDED_DIR,
} from "../../scripts/fixture-corpus.js";
import { buildEntry, type Har, type HarNameValue, readHar, serializeHar } from "../../src/contract/har.js";
import { contentEncodingOf, harBodyText } from "../../src/contract/har-body.js";
import { normaliseHar } from "../../src/contract/normalise.js";
import { scrubHar, scrubSecrets } from "../../src/contract/scrub.js";
import { scanText } from "../../src/contract/secrets.js";
import { DEFAULT_BASE_URL } from "../../src/options.js";

const recorded = listScenarios(RECORDED_DIR);
const raw = (name: string) => readHar(join(RECORDED_DIR, name, RAW_FILE));
/** How record mode normalises: under the spec's server (a loopback stand-in listens on a new port every run). */
const normalise = (har: Har) => normaliseHar(har, { origin: DEFAULT_BASE_URL });

describe("normaliser", () => {
  it("normalising each recording's raw form reproduces its committed recording", () => {
    expect(recorded.map((s) => s.name)).toEqual([
      "v1-get-job-from-history",
      "v1-v2-paired-backup-schedules",
      "v1-v2-paired-backups",
      "v1-v2-paired-snapshot-schedules",
      "v1-v2-paired-snapshots",
      "v2-list-backup-restore-sources",
      "v2-list-vps-paged",
    ]);
    for (const { name, path } of recorded) {
      const committed = readFileSync(path, "utf8");
      const text = readFileSync(join(RECORDED_DIR, name, RAW_FILE), "utf8");
      // real raw input: volatile values and every header as sent, only the credentials scrubbed
      expect(text, name).not.toBe(committed);
      expect(text, name).toMatch(/"url": "http:\/\/127\.0\.0\.1:\d+\/api\//);
      expect(text, name).toMatch(/"name": "user-agent"/);
      expect(serializeHar(normalise(readHar(join(RECORDED_DIR, name, RAW_FILE)))), name).toBe(committed);
      // and the raw form is already scrubbed: scrubbing again changes nothing
      expect(serializeHar(scrubHar(readHar(join(RECORDED_DIR, name, RAW_FILE)))), name).toBe(text);
    }
  });

  it("the committed corpus is in normal form", () => {
    for (const s of corpus()) {
      expect(serializeHar(normaliseHar(readHar(s.path))), s.name).toBe(readFileSync(s.path, "utf8"));
    }
  });

  it("renumbers the lifecycle's ids: bkp_ ids, the VM in a volid or storageKey, a pollUrl's job as its jobId", () => {
    const har = {
      log: {
        version: "1.2",
        creator: { name: "t", version: "1" },
        entries: [
          buildEntry({
            method: "POST",
            url: `${DEFAULT_BASE_URL}/api/v2/vps/vps_live7x9k2m4q/backups`,
            status: 202,
            responseHeaders: { "content-type": "application/json" },
            responseBody: {
              operation: { status: "queued", jobId: "job_live1q1", pollUrl: "/api/jobs/job_live1q1" },
            },
          }),
          buildEntry({
            method: "GET",
            url: `${DEFAULT_BASE_URL}/api/jobs/job_live1q1`,
            status: 200,
            responseHeaders: { "content-type": "application/json" },
            responseBody: { data: { jobId: "job_live1q1" } },
          }),
          buildEntry({
            method: "GET",
            url: `${DEFAULT_BASE_URL}/api/vm/48213/backups`,
            status: 200,
            responseHeaders: { "content-type": "application/json" },
            responseBody: {
              data: [
                { vmid: "48213", volid: "pbs:backup/vm/48213/x", id: "bkp_live2a", storageKey: "vm/48213/x" },
              ],
            },
          }),
        ],
      },
    } as Har;
    const text = serializeHar(normalise(har));
    for (const live of ["48213", "job_live1q1", "bkp_live2a", "vps_live7x9k2m4q"])
      expect(text).not.toContain(live);
    const [accepted, poll, list] = normalise(har).log.entries;
    const operation = JSON.parse(accepted?.response.content.text ?? "{}").operation;
    expect(operation.pollUrl).toBe(`/api/jobs/${operation.jobId}`);
    expect(poll?.request.url).toBe(`${DEFAULT_BASE_URL}/api/jobs/${operation.jobId}`);
    const backup = JSON.parse(list?.response.content.text ?? "{}").data[0];
    expect(backup.volid).toBe(`pbs:backup/vm/${backup.vmid}/x`);
    expect(backup.storageKey).toBe(`vm/${backup.vmid}/x`);
    expect(list?.request.url).toBe(`${DEFAULT_BASE_URL}/api/vm/${backup.vmid}/backups`);
  });

  it("normalising is not scrubbing: a credential header is left as it is", () => {
    const har = raw("v2-list-vps-paged");
    const entry = har.log.entries[0];
    if (!entry) throw new Error("no entry");
    entry.request.headers = entry.request.headers.map((h) =>
      h.name === "authorization" ? { ...h, value: "Bearer planted-t0k" } : h,
    );
    expect(serializeHar(normalise(har))).toContain("Bearer planted-t0k");
    expect(serializeHar(normalise(scrubHar(har)))).not.toContain("planted-t0k");
  });

  it("scrubs a secret wherever it occurs, and keeps timestamps in their order", () => {
    const har = raw("v2-list-vps-paged");
    const entry = har.log.entries[0];
    if (!entry?.response.content.text) throw new Error("fixture without body");
    entry.request.url += "&debug=s3cret-value";
    entry.response.content.text = entry.response.content.text.replace('"web-1"', '"s3cret-value web"');
    entry.response.headers.push({ name: "X-RateLimit-Reset", value: "2030-01-01T00:00:00.000Z" });
    entry.response.headers.push({ name: "Set-Cookie", value: "hostup_session=abc; Path=/" });
    const text = serializeHar(normalise(scrubHar(har, { secrets: ["s3cret-value"] })));
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
    const har = raw("v1-v2-paired-backup-schedules");
    const [v1, v2] = har.log.entries;
    if (!v1?.response.content.text || !v2?.response.content.text) throw new Error("fixture without bodies");
    v1.request.headers = v1.request.headers.map((h) => (h.name === "x-api-key" ? { ...h, value: key } : h));
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
    har.log.entries.push(
      buildEntry({
        method: "GET",
        url: `https://cloud.hostup.se/api/v2/vps?debug=${encodeURIComponent(key)}`,
        status: 500,
        responseHeaders: { "content-type": "text/plain" },
        responseBody: `{"error":"bad key ${key.replace("/", "\\/")} or ${unicode}"}`,
      }),
    );
    const text = serializeHar(normalise(scrubHar(har, { secrets: [key, token] })));
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

  // A secret that contains another is replaced whole, in whatever order the caller names them: replacing the
  // shorter first left the rest of the longer one ("REDACTED-and-more").
  it("replaces the longer of two overlapping secrets whole, in either order", () => {
    const [short, long] = ["fake-key", "fake-key-and-more"];
    for (const secrets of [
      [short, long],
      [long, short],
    ]) {
      expect(scrubSecrets(`a ${long} b`, secrets)).toBe("a REDACTED b");
      const har = raw("v2-list-vps-paged");
      const entry = har.log.entries[0];
      if (!entry) throw new Error("no entry");
      entry.request.url += `&debug=${long}`;
      expect(serializeHar(scrubHar(har, { secrets }))).not.toContain("-and-more");
    }
  });

  // Every character as a server may escape it: a quote or backslash once per level of nesting, the short JSON
  // escapes (a private key's line breaks), \uXXXX (a surrogate pair for a character past U+FFFF), percent-encoded
  // UTF-8 bytes; and base64 or base64url whose "+" and "/" fall inside the secret's own characters.
  it("scrubs a secret with quotes, backslashes, control and non-ASCII characters in every form", () => {
    const secret = 'pa"ss\\w\u00f6rd\u{1f600}\n\t\r\f\b>>>???';
    const unicode = [...secret]
      .map((c) =>
        [...Array(c.length).keys()]
          .map((i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, "0")}`)
          .join(""),
      )
      .join("");
    const b64 = Buffer.from(secret).toString("base64");
    expect(b64).toMatch(/\+.*\//);
    const forms = [
      JSON.stringify(secret),
      JSON.stringify(JSON.stringify(secret)),
      encodeURIComponent(secret),
      unicode,
      b64.replaceAll("/", "\\/"),
      b64.replaceAll("+", "-").replaceAll("/", "_"),
    ];
    for (const form of forms) {
      const out = scrubSecrets(`<${form}>`, [secret]);
      expect(out, form).toContain("REDACTED");
      expect(out, form).not.toMatch(/pa|ss|%3E|003e|Pj4|Pz8/);
    }
    // only the secret's own forms: a "\/" stands for "/" alone, not for any character
    expect(scrubSecrets("\\/bcdefgh", ["abcdefgh"])).toBe("\\/bcdefgh");
  });

  it("leaves a plain body's Content-Encoding and size alone; a base64 body without text is no error", () => {
    const har = raw("v2-list-vps-paged");
    const [first, second] = har.log.entries;
    if (!first?.response.content.text || !second) throw new Error("fixture without body");
    first.response.content.text = first.response.content.text.replace('"web-1"', '"s3cret-value web"');
    first.response.headers.push({ name: "Content-Encoding", value: "gzip" });
    second.response.content = { size: 0, mimeType: "application/json", encoding: "base64" };
    const scrubbed = scrubHar(har, { secrets: ["s3cret-value"] }).log.entries;
    expect(contentEncodingOf(scrubbed[0]?.response.headers)).toBe("gzip");
    expect(scrubbed[0]?.response.content.size).toBe(first.response.content.size);
    expect(scrubbed[0]?.response.content.text).toContain('"REDACTED web"');
    expect(scrubbed[1]?.response.content).toEqual(second.response.content);
  });

  it("refuses a credential too short to be scrubbed safely (it would rewrite unrelated text)", () => {
    expect(() => scrubHar(raw("v2-list-vps-paged"), { secrets: ["abc"] })).toThrow(/at least 8 characters/);
  });

  it("drops the docs' _truncated artefact from arrays", () => {
    const path = join(INVALID_FIXTURES_DIR, "v1-get-backup-schedules-truncated-artefact", FIXTURE_FILE);
    const body = (har: Har) => har.log.entries[0]?.response.content.text ?? "";
    expect(body(readHar(path))).toContain("_truncated");
    expect(body(normaliseHar(readHar(path)))).not.toContain("_truncated");
  });
});

// Bodies as browsers and proxies store them: base64 (`encoding: "base64"`), the bytes compressed as the message's
// Content-Encoding says. Built from the real raw recordings by encoding their bodies the way a proxy would; the
// client reads them decoded, so preparing them must read (and write) them decoded too.
type Coding = "identity" | "gzip" | "deflate" | "br";
const COMPRESS = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync };

/** `body` as a proxy stores it: compressed by `coding` (said in `headers`), then base64. */
function storeEncoded(body: { text?: string; encoding?: string }, headers: HarNameValue[], coding: Coding) {
  if (!body.text) return;
  const bytes = Buffer.from(body.text, "utf8");
  body.text = (coding === "identity" ? bytes : COMPRESS[coding](bytes)).toString("base64");
  body.encoding = "base64";
  if (coding !== "identity") headers.push({ name: "Content-Encoding", value: coding });
}

function storedByProxy(har: Har, coding: Coding): Har {
  const copy = structuredClone(har);
  for (const { request, response } of copy.log.entries) {
    if (request.postData) storeEncoded(request.postData, request.headers, coding);
    storeEncoded(response.content, response.headers, coding);
  }
  return copy;
}

/** A write with volatile values in its request body (the recorded scenarios are read-only). */
function postScenario(): Har {
  const har = raw("v1-v2-paired-backup-schedules");
  har.log.entries.push(
    buildEntry({
      method: "POST",
      url: "http://127.0.0.1:4321/api/v2/vps/vps_live7x9k2m4q/backup-schedules",
      requestHeaders: { "content-type": "application/json", "user-agent": "node" },
      requestBody: {
        name: "Nightly",
        frequency: "daily",
        time: "02:00",
        note: "since 2026-02-03T04:05:06.000Z",
      },
      status: 200,
      responseHeaders: { "content-type": "application/json" },
      responseBody: { data: { id: "bks_live3h8q1z", nextRun: "2026-02-04T02:00:00.000Z" } },
    }),
  );
  return har;
}

describe("bodies stored base64, compressed or not (as browsers and proxies store them)", () => {
  const CODINGS: Coding[] = ["identity", "gzip", "deflate", "br"];

  it("normalise to the very fixture the plain bodies give: read decoded, renumbered, written plain", () => {
    const scenarios = [...recorded.map((s) => raw(s.name)), postScenario()];
    for (const har of scenarios) {
      const plain = serializeHar(normalise(har));
      for (const coding of CODINGS) {
        const fixture = normalise(storedByProxy(har, coding));
        expect(serializeHar(fixture), coding).toBe(plain);
      }
    }
    // and the plain one is the committed fixture (first test): the body was neither lost nor left volatile
    const post = normalise(storedByProxy(postScenario(), "gzip")).log.entries.at(-1);
    expect(post?.request.postData).toEqual({
      mimeType: "application/json",
      text: expect.stringContaining('"note":"since 2026-01-01T0'),
    });
    expect(post?.request.url).toMatch(/\/api\/v2\/vps\/vps_0{25}1\/backup-schedules$/);
  });

  it("a binary body stays base64, decompressed, its Content-Encoding gone; normalising again changes nothing", () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00, 0x01]);
    const har = raw("v2-list-vps-paged");
    const entry = har.log.entries[0];
    if (!entry) throw new Error("no entry");
    entry.response.headers = [
      { name: "Content-Type", value: "image/png" },
      { name: "Content-Encoding", value: "gzip" },
    ];
    entry.response.content = {
      size: png.length,
      mimeType: "image/png",
      text: gzipSync(png).toString("base64"),
      encoding: "base64",
    };
    const fixture = normalise(har);
    const response = fixture.log.entries[0]?.response;
    expect(response?.content).toEqual({
      size: png.length,
      mimeType: "image/png",
      text: png.toString("base64"),
      encoding: "base64",
    });
    expect(response?.bodySize).toBe(png.length);
    expect(contentEncodingOf(response?.headers)).toBeUndefined();
    expect(serializeHar(normaliseHar(fixture))).toBe(serializeHar(fixture));
    // a compressed file sent as such (no Content-Encoding), which holds another one: gzip is only recognised by its
    // first bytes here, and unpacking the outer layer would leave bytes a second pass unpacks again; kept as stored
    const archive = gzipSync(gzipSync(png)).toString("base64");
    entry.response.headers = [{ name: "Content-Type", value: "application/gzip" }];
    entry.response.content = { size: 0, mimeType: "application/gzip", text: archive, encoding: "base64" };
    const kept = normalise(har);
    expect(kept.log.entries[0]?.response.content).toMatchObject({ text: archive, encoding: "base64" });
    expect(serializeHar(normaliseHar(kept))).toBe(serializeHar(kept));
  });

  // Scrubbing runs first and must read the bodies as the scan does (decoded): a key echoed inside a gzip body is
  // replaced, not passed through compressed, where only a reader that decodes would see it.
  it("scrubbing replaces a secret inside a base64 or compressed body, request or response", () => {
    const secret = "s3cret-value";
    const planted = postScenario();
    const [first] = planted.log.entries;
    const post = planted.log.entries.at(-1);
    if (!first?.response.content.text || !post?.request.postData) throw new Error("fixture without bodies");
    first.response.content.text = first.response.content.text.replace(
      /^\{/,
      `{"echo":"Bearer ${secret}","again":"${secret.replace("-", "\\u002d")}",`,
    );
    post.request.postData.text = post.request.postData.text.replace("Nightly", `Nightly ${secret}`);
    const decoded = (har: Har) =>
      har.log.entries.flatMap(({ request, response }) => [
        harBodyText(response.content, contentEncodingOf(response.headers)) ?? "",
        harBodyText(request.postData, contentEncodingOf(request.headers)) ?? "",
      ]);
    const expected = serializeHar(normalise(scrubHar(planted, { secrets: [secret] })));
    for (const coding of CODINGS) {
      const scrubbed = scrubHar(storedByProxy(planted, coding), { secrets: [secret] });
      const bodies = decoded(scrubbed).join("\n");
      expect(bodies, coding).not.toMatch(/s3cret/);
      expect(bodies, coding).toContain('"echo":"Bearer REDACTED","again":"REDACTED"');
      expect(bodies, coding).toContain("Nightly REDACTED");
      // the scan reads the same decoded bodies and finds nothing left (it flagged the Bearer before)
      expect(scanText(serializeHar(scrubbed), "raw.har", { secrets: [secret] }), coding).toEqual([]);
      // the raw form is stable under scrubbing, and normalises to what the plain bodies give
      expect(serializeHar(scrubHar(scrubbed, { secrets: [secret] })), coding).toBe(serializeHar(scrubbed));
      expect(serializeHar(normalise(scrubbed)), coding).toBe(expected);
    }
  });

  it("a body the scrubber rewrote is written plain: no `encoding`, no Content-Encoding left to misread it", () => {
    const har = raw("v2-list-vps-paged");
    const entry = har.log.entries[0];
    if (!entry?.response.content.text) throw new Error("fixture without body");
    entry.response.content.text = entry.response.content.text.replace('"web-1"', '"s3cret-value web"');
    const stored = storedByProxy(har, "gzip");
    const scrubbed = scrubHar(stored, { secrets: ["s3cret-value"] });
    const [changed, untouched] = scrubbed.log.entries;
    expect(changed?.response.content.encoding).toBeUndefined();
    expect(contentEncodingOf(changed?.response.headers)).toBeUndefined();
    expect(changed?.response.content.text).toContain('"REDACTED web"');
    // a body without a secret stays as it was stored: the raw form is what was captured
    expect(untouched?.response).toEqual(stored.log.entries[1]?.response);
    // bytes that are not text keep every byte around the secret, decompressed and base64
    const bytes = (middle: string) =>
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(middle), Buffer.from([0])]);
    if (!changed) throw new Error("no entry");
    changed.response.content = {
      size: 0,
      mimeType: "application/octet-stream",
      text: gzipSync(bytes("key=s3cret-value")).toString("base64"),
      encoding: "base64",
    };
    changed.response.headers.push({ name: "Content-Encoding", value: "gzip" });
    const binary = scrubHar(scrubbed, { secrets: ["s3cret-value"] }).log.entries[0]?.response;
    expect(binary?.content).toEqual({
      size: 15,
      mimeType: "application/octet-stream",
      text: bytes("key=REDACTED").toString("base64"),
      encoding: "base64",
    });
    expect(contentEncodingOf(binary?.headers)).toBeUndefined();
    // a request body of bytes likewise
    changed.request.postData = {
      mimeType: "application/octet-stream",
      text: bytes("key=s3cret-value").toString("base64"),
      encoding: "base64",
    };
    expect(scrubHar(scrubbed, { secrets: ["s3cret-value"] }).log.entries[0]?.request.postData).toEqual({
      mimeType: "application/octet-stream",
      text: bytes("key=REDACTED").toString("base64"),
      encoding: "base64",
    });
  });
});

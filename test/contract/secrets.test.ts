// No fixture holds a credential: every committed HAR is scanned for bearer tokens, X-API-Key values,
// hostup_session cookies and Set-Cookie headers, and any HAR header or cookie object named authorization (any
// scheme), cookie, set-cookie, x-api-key or hostup_session; only the "REDACTED" placeholders may sit there.
// A planted secret of each kind proves the scan finds it.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { buildEntry, buildHar, type Har, serializeHar } from "../../scripts/contract/har.js";
import { normaliseHar } from "../../scripts/contract/normalise.js";
import { formatSecretFindings, scanText } from "../../scripts/contract/secrets.js";
import { REPO_ROOT } from "../../scripts/contract/spec.js";
import { FIXTURES_DIR, INVALID_FIXTURES_DIR } from "./fixtures.js";

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe("secret scan of the fixtures", () => {
  const files = [...filesUnder(FIXTURES_DIR), ...filesUnder(INVALID_FIXTURES_DIR)];

  it("finds no credential in any fixture file", () => {
    expect(files.length).toBeGreaterThan(100);
    const findings = files.flatMap((f) => scanText(readFileSync(f, "utf8"), relative(REPO_ROOT, f)));
    if (findings.length > 0) expect.fail(`\n${formatSecretFindings(findings)}`);
  });

  it("requests carry placeholder credentials (replay can require them on the wire)", () => {
    const text = files.map((f) => readFileSync(f, "utf8")).join("\n");
    expect(text).toContain('"value": "Bearer REDACTED"');
    expect(text).toMatch(/"name": "x-api-key",\s+"value": "REDACTED"/);
  });

  // Planted values are short on purpose: long token-shaped strings trip the repository's own hooks.
  const planted: [string, Record<string, string>, Record<string, string>][] = [
    ["bearer token", { authorization: "Bearer planted-tok3n" }, {}],
    ["X-API-Key header", { "x-api-key": "planted-k3y" }, {}],
    ["hostup_session cookie", { cookie: "hostup_session=planted5" }, {}],
    ["Set-Cookie header", {}, { "set-cookie": "hostup_session=planted6; Path=/; HttpOnly" }],
  ];

  it.each(planted)("catches a planted %s", (kind, requestHeaders, responseHeaders) => {
    const har = buildHar([
      buildEntry({
        method: "GET",
        url: "https://cloud.hostup.se/api/v2/vps",
        requestHeaders,
        status: 200,
        responseHeaders: { "content-type": "application/json", ...responseHeaders },
        responseBody: { data: [], hasMore: false, nextCursor: null },
      }),
    ]);
    const findings = scanText(serializeHar(har), "planted.har");
    expect(findings.map((f) => f.kind)).toContain(kind);
    const report = formatSecretFindings(findings);
    expect(report).toContain("planted.har:");
    expect(report).not.toMatch(/planted-tok3n|planted-k3y|planted5|planted6/);
  });

  // HAR cookie objects and credential headers of any scheme: each planted alone, each must be caught by name.
  const harPlanted: [string, string, (har: Har) => void][] = [
    [
      "a request.cookies hostup_session",
      "hostup_session header or cookie",
      (har) => har.log.entries[0]?.request.cookies.push({ name: "hostup_session", value: "s3cr3tsess" }),
    ],
    [
      "a response.cookies hostup_session",
      "hostup_session header or cookie",
      (har) => har.log.entries[0]?.response.cookies.push({ name: "hostup_session", value: "s3cr3tsess" }),
    ],
    [
      'an authorization header with the "Token" scheme',
      "authorization header or cookie",
      (har) => har.log.entries[0]?.request.headers.push({ name: "authorization", value: "Token abcdef123" }),
    ],
    [
      "a cookie header without hostup_session",
      "cookie header or cookie",
      (har) => har.log.entries[0]?.request.headers.push({ name: "cookie", value: "sid=s3cr3tsid" }),
    ],
    [
      "a set-cookie header with another cookie",
      "set-cookie header or cookie",
      (har) =>
        har.log.entries[0]?.response.headers.push({ name: "set-cookie", value: "sid=s3cr3tsid; Path=/" }),
    ],
    [
      "an x-api-key header",
      "x-api-key header or cookie",
      (har) => har.log.entries[0]?.request.headers.push({ name: "X-API-Key", value: "k3yvalue" }),
    ],
    [
      "a header object with value before name, inside a body (escaped JSON)",
      "authorization header or cookie",
      (har) => {
        const content = har.log.entries[0]?.response.content;
        if (content) content.text = JSON.stringify({ value: "Basic dXNlcg", name: "Authorization" });
      },
    ],
  ];

  function cleanHar(): Har {
    return buildHar([
      buildEntry({
        method: "GET",
        url: "https://cloud.hostup.se/api/v2/vps",
        requestHeaders: { authorization: "Bearer REDACTED" },
        status: 200,
        responseHeaders: { "content-type": "application/json" },
        responseBody: { data: [], hasMore: false, nextCursor: null },
      }),
    ]);
  }

  it("the clean base HAR of the plants below has no finding", () => {
    expect(scanText(serializeHar(cleanHar()), "clean.har")).toEqual([]);
  });

  it.each(harPlanted)("catches %s", (_what, kind, plant) => {
    const har = cleanHar();
    plant(har);
    const findings = scanText(serializeHar(har), "planted.har");
    expect(findings.map((f) => f.kind)).toContain(kind);
    expect(formatSecretFindings(findings)).not.toMatch(/s3cr3t|abcdef123|k3yvalue|dXNlcg/);
  });

  it("accepts what the normaliser writes in their place (no false alarm on scrubbed recordings)", () => {
    const har = cleanHar();
    for (const [, , plant] of harPlanted) plant(har);
    const normalised = normaliseHar(har);
    const text = serializeHar(normalised);
    expect(text).toContain('"value": "Token REDACTED"');
    expect(text).toContain('"value": "sid=REDACTED"');
    expect(text).toMatch(/"name": "hostup_session",\s+"value": "REDACTED"/);
    // The escaped body is not a header: the normaliser leaves it, so the scan still (rightly) flags it.
    expect(scanText(text, "normalised.har").map((f) => f.kind)).toEqual(["authorization header or cookie"]);
  });

  it("catches a key in a query string and a credential-named JSON property", () => {
    const text = JSON.stringify({
      url: "https://cloud.hostup.se/api/v2/vps?api_key=plantedq",
      body: '{"apiKey":"plantedj"}',
    });
    expect(scanText(text, "x").map((f) => f.kind)).toEqual([
      "api key in a query string",
      "credential-named JSON property",
    ]);
  });
});

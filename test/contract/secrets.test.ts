// No fixture holds a credential: every committed HAR is scanned for bearer tokens, X-API-Key values,
// hostup_session cookies and Set-Cookie headers; only the "REDACTED" placeholder may sit there.
// A planted secret of each kind proves the scan finds it.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { buildEntry, buildHar, serializeHar } from "../../scripts/contract/har.js";
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

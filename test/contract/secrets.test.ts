// No fixture holds a credential. Every committed HAR is scanned by text (bearer and Basic credentials,
// X-API-Key values, hostup_session cookies, Set-Cookie headers, credential-named query parameters and JSON
// properties, URL userinfo, and any name/value object named like a credential, in either order and with other
// members between) and by structure (every header, cookie, queryString and params object by name, every URL,
// every credential-named JSON property, at any depth, inside bodies too); only the "REDACTED" placeholders may
// sit there. A planted secret of each kind proves the scan finds it; placeholders in the same places prove it
// raises no false alarm.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../scripts/redocly.js";
import { buildEntry, buildHar, type Har, serializeHar } from "../../src/contract/har.js";
import { normaliseHar } from "../../src/contract/normalise.js";
import { isCredentialName, scrubHar } from "../../src/contract/scrub.js";
import { formatSecretFindings, scanText } from "../../src/contract/secrets.js";
import { FIXTURES_DIR, INVALID_FIXTURES_DIR } from "./fixtures.js";

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** A HAR with one clean exchange (its credential already a placeholder): the base the plants below change. */
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

  it("accepts what scrubbing writes in their place, normalised or not (no false alarm on scrubbed recordings)", () => {
    const har = cleanHar();
    for (const [, , plant] of harPlanted) plant(har);
    const scrubbed = scrubHar(har);
    // the raw form kept beside a recording: every credential header and cookie already a placeholder
    expect(scanText(serializeHar(scrubbed), "raw.har").map((f) => f.kind)).toEqual([
      "authorization header or cookie",
      "authorization name/value pair",
    ]);
    const normalised = normaliseHar(scrubbed);
    const text = serializeHar(normalised);
    expect(text).toContain('"value": "Token REDACTED"');
    expect(text).toContain('"value": "sid=REDACTED"');
    expect(text).toMatch(/"name": "hostup_session",\s+"value": "REDACTED"/);
    // The escaped body is not a header: scrubbing leaves it, so the scan still (rightly) flags it, by text
    // and by structure (the body parsed).
    const findings = scanText(text, "normalised.har");
    expect(findings.map((f) => f.kind)).toEqual([
      "authorization header or cookie",
      "authorization name/value pair",
    ]);
    expect(findings[1]?.path).toBe("log.entries[0].response.content.text(json)");
  });

  // A header value without a scheme or a cookie name is all credential: its first word is not a shape to keep.
  it("scrubbing keeps no part of an authorization without a scheme, or of a cookie without a name", () => {
    const token = `hk_${"x".repeat(32)}`;
    const har = cleanHar();
    const entry = har.log.entries[0];
    if (!entry) throw new Error("no entry");
    entry.request.headers = [
      { name: "authorization", value: token },
      { name: "cookie", value: `${token}; theme=dark` },
    ];
    entry.response.headers.push(
      { name: "set-cookie", value: token },
      { name: "set-cookie", value: `${token}; Path=/` },
    );
    const text = serializeHar(scrubHar(har));
    expect(text).not.toContain(token);
    expect(scrubHar(har).log.entries[0]?.request.headers).toEqual([
      { name: "authorization", value: "REDACTED" },
      { name: "cookie", value: "REDACTED; theme=REDACTED" },
    ]);
    expect(scrubHar(har).log.entries[0]?.response.headers.filter((h) => h.name === "set-cookie")).toEqual([
      { name: "set-cookie", value: "REDACTED" },
      { name: "set-cookie", value: "REDACTED" },
    ]);
    expect(scanText(text, "scrubbed.har")).toEqual([]);
  });

  it("catches a key in a query string and a credential-named JSON property", () => {
    const text = JSON.stringify({
      url: "https://cloud.hostup.se/api/v2/vps?api_key=plantedq",
      body: '{"apiKey":"plantedj"}',
    });
    expect(scanText(text, "x").map((f) => f.kind)).toEqual([
      "api key in a query string",
      "credential-named JSON property",
      "api_key query parameter",
      "credential-named JSON property",
    ]);
  });
});

// What the scan used to miss. Planted values are obviously fake and short; the one credential-shaped value (a
// Basic pair) is built here, at run time.
describe("secret scan: by structure as well as by text", () => {
  const basic = `Basic ${Buffer.from("planted:pw").toString("base64")}`;
  const entry = (har: Har) => {
    const e = har.log.entries[0];
    if (!e) throw new Error("no entry");
    return e;
  };
  const body = (har: Har, value: unknown) => {
    entry(har).response.content.text = typeof value === "string" ? value : JSON.stringify(value);
  };
  /** PHP's json_encode: every "/" escaped. */
  const php = (value: unknown) => JSON.stringify(value).replaceAll("/", "\\/");
  const base = () =>
    buildHar([
      buildEntry({
        method: "GET",
        url: "https://cloud.hostup.se/api/v2/vps?limit=2",
        requestHeaders: { authorization: "Bearer REDACTED" },
        status: 200,
        responseHeaders: { "content-type": "application/json" },
        responseBody: { data: [], hasMore: false, nextCursor: null },
      }),
    ]);

  const plants: [string, string, (har: Har) => void][] = [
    [
      "a header object with a comment between name and value",
      "x-api-key header",
      (har) =>
        entry(har).request.headers.push({ name: "x-api-key", comment: "note", value: "planted-k3y" } as {
          name: string;
          value: string;
        }),
    ],
    [
      "a cookie object with a comment between name and value",
      "hostup_session cookie",
      (har) =>
        entry(har).request.cookies.push({ name: "hostup_session", comment: "c", value: "planted-s3ss" } as {
          name: string;
          value: string;
        }),
    ],
    [
      "an x-api-key property in a body",
      "credential-named JSON property",
      (har) => body(har, { "x-api-key": "planted-k3y" }),
    ],
    [
      "a hostup_session property, nested in a body",
      "credential-named JSON property",
      (har) => body(har, { data: [{ meta: { hostup_session: "planted-s3ss" } }] }),
    ],
    [
      "an authToken property in a body",
      "credential-named JSON property",
      (har) => body(har, { authToken: "planted-t0k" }),
    ],
    [
      "an authToken property in a body double-encoded as a string",
      "credential-named JSON property",
      (har) => body(har, { detail: JSON.stringify({ authToken: "planted-t0k" }) }),
    ],
    [
      "?key= in the request URL",
      "key query parameter",
      (har) => {
        entry(har).request.url = "https://cloud.hostup.se/api/v2/vps?key=planted-k3y";
      },
    ],
    [
      "a token queryString object",
      "token query parameter",
      (har) => entry(har).request.queryString.push({ name: "token", value: "planted-t0k" }),
    ],
    [
      "an api_key queryString object",
      "api_key query parameter",
      (har) => entry(har).request.queryString.push({ name: "api_key", value: "planted-k3y" }),
    ],
    [
      "&token= in a URL a PHP body escapes (\\/ and \\u0026)",
      "token query parameter",
      (har) =>
        body(
          har,
          php({ next: "https://cloud.hostup.se/api/v2/vps?limit=2&token=planted-t0k" }).replace(
            "&",
            "\\u0026",
          ),
        ),
    ],
    [
      "URL userinfo in the request URL",
      "URL userinfo",
      (har) => {
        entry(har).request.url = "https://user:planted-pw@cloud.hostup.se/api/v2/vps";
      },
    ],
    [
      "URL userinfo in a PHP body",
      "URL userinfo",
      (har) => body(har, php({ link: "https://user:planted-pw@cloud.hostup.se/" })),
    ],
    ["Basic credentials in a JSON body", "basic credentials", (har) => body(har, { detail: `got ${basic}` })],
    [
      "Basic credentials in a plain-text body",
      "basic credentials",
      (har) => {
        body(har, `upstream said: Authorization: ${basic}`);
        entry(har).response.content.mimeType = "text/plain";
      },
    ],
    [
      "Basic credentials in a response header other than authorization",
      "basic credentials",
      (har) => entry(har).response.headers.push({ name: "x-debug", value: `auth=${basic}` }),
    ],
  ];

  it("the base HAR of the plants below has no finding", () => {
    expect(scanText(serializeHar(base()), "clean.har")).toEqual([]);
  });

  it.each(plants)("catches %s", (_what, kind, plant) => {
    const har = base();
    plant(har);
    const findings = scanText(serializeHar(har), "planted.har");
    expect(findings.map((f) => f.kind)).toContain(kind);
    expect(formatSecretFindings(findings)).not.toMatch(/planted-|cGxhbnRlZDpwdw/);
  });

  it("placeholders pass in all those places", () => {
    const har = base();
    const e = entry(har);
    e.request.url = "https://REDACTED:REDACTED@cloud.hostup.se/api/v2/vps?key=REDACTED&token=&limit=2";
    e.request.queryString.push({ name: "api_key", value: "REDACTED" });
    e.request.headers.push({ name: "x-api-key", comment: "note", value: "REDACTED" } as {
      name: string;
      value: string;
    });
    body(har, php({ authToken: "REDACTED", "x-api-key": null, detail: "Basic REDACTED", n: "Basic plan" }));
    expect(scanText(serializeHar(har), "placeholders.har")).toEqual([]);
  });

  it("finds a configured credential in any encoding: plain, JSON-escaped (\\/, \\u), nested, percent-encoded", () => {
    const secret = "planted/k3y+1";
    const unicode = [...secret].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
    const forms = [
      secret,
      secret.replaceAll("/", "\\/"),
      unicode,
      unicode.toUpperCase().replaceAll("\\U", "\\u"),
      secret.replace("k3y", "\\u006b3y"),
      encodeURIComponent(secret),
    ];
    for (const form of forms) {
      const har = base();
      body(har, `{"echo":"${form}"}`);
      const text = serializeHar(har);
      const findings = scanText(text, "echo.har", { secrets: [secret] });
      expect(
        findings.map((f) => f.kind),
        form,
      ).toContain("configured credential");
      expect(formatSecretFindings(findings)).not.toContain("k3y");
    }
    expect(scanText(serializeHar(base()), "clean.har", { secrets: [secret] })).toEqual([]);
  });

  it("finds a configured credential inside a body stored base64, gzip-compressed or not", () => {
    const secret = "planted/k3y+1";
    const bytes = Buffer.from(`{"echo":"${secret.replaceAll("/", "\\/")}"}`);
    for (const coding of ["identity", "gzip"]) {
      const har = base();
      const { response } = entry(har);
      response.content.text = (coding === "gzip" ? gzipSync(bytes) : bytes).toString("base64");
      response.content.encoding = "base64";
      if (coding === "gzip") response.headers.push({ name: "content-encoding", value: "gzip" });
      const findings = scanText(serializeHar(har), "stored.har", { secrets: [secret] });
      expect(findings, coding).toContainEqual(
        expect.objectContaining({
          kind: "configured credential",
          path: "log.entries[0].response.content.text(base64)",
        }),
      );
      expect(formatSecretFindings(findings)).not.toContain("k3y");
    }
  });
});

// A regular expression takes a backtracking step per repetition of a group: the JSON-string rules overflowed the
// stack on a body of millions of characters or escapes ("internal error: RangeError", exit 70, on a HAR of a big
// download). The scan now reads such a text in overlapping windows, and still finds what sits after the body.
describe("secret scan: a text too long to match whole", () => {
  it("a body of 5 million escapes: no RangeError, and the credentials after it are found, masked", () => {
    const SECRET = "q7Zk2mPx9vLr4tNw8sYb";
    // not JSON, so only the scan by text runs: a finding here is the text rules' own
    const text = `log {"body": "${"\\n".repeat(5_000_000)}", "token": "${SECRET}"} Authorization: Bearer ${SECRET}\n`;
    const findings = scanText(text, "big.log");
    expect(findings.map((f) => f.kind).sort()).toEqual(["bearer token", "credential-named JSON property"]);
    expect(JSON.stringify(findings)).not.toContain(SECRET);
  });
});

// What a mutation run (Stryker) showed the tests above did not pin down: each assertion below failed against a
// mutant of secrets.ts or scrub.ts that the rest of the suite let through.
describe("secret scan: each rule, its placeholders and its report, pinned", () => {
  it("names a credential by its exact name or its ending, and nothing merely like one", () => {
    const credential = [
      "key",
      "auth",
      "pass",
      "pwd",
      "sid",
      "sig",
      "signature",
      "access_token",
      "Client-Secret",
      "passwd",
      "passphrase",
      "apiKey",
      "x-access-key",
      "private_key",
      "PHPSESSID",
      "proxy-authorization",
      "credential",
      "credentials",
    ];
    expect(credential.filter((name) => !isCredentialName(name))).toEqual([]);
    const other = ["tokenizer", "author", "keyboard", "limit", "sessions_count"];
    expect(other.filter((name) => isCredentialName(name))).toEqual([]);
  });

  // Not JSON, so only the text rules run: each finding here is one rule's own, on its line.
  it("reads a plain-text log by its text rules, whatever the spacing, and masks each value", () => {
    const basic = Buffer.from("user:pw").toString("base64");
    const log = [
      "https://user:pw-s3cr3t@cloud.hostup.se/api/v2/vps",
      "Authorization:  Bearer   tok-s3cr3t",
      `Authorization: Basic  ${basic}`,
      "x-api-key:k3y-s3cr3t",
      "Cookie: hostup_session=sess-s3cr3t; theme=dark",
      "see https:\\/\\/cloud.hostup.se\\/x\\u003Ftoken=t0k-s3cr3t",
      'sent {"name": "x-api-key", "comment": "c", "value": "k3y-s3cr3t"}',
      'got {"accessToken": "t0k-s3cr3t"',
      // none of these: placeholders, empty values, prose, a name that is not a credential's
      "Authorization: Bearer REDACTED, Basic plan, https://REDACTED@cloud.hostup.se/ and https://REDACTED:REDACTED@x/",
      'Cookie: hostup_session=; GET /x?bad%zz=1&token=REDACTED {"authorization": "Bearer REDACTED"}',
    ].join("\n");
    expect(scanText(log, "app.log").map((f) => [f.line, f.kind, f.excerpt])).toEqual([
      [7, "x-api-key header or cookie", '"name": "x-api-key", "comment": "c", "value": "k3y***3t"'],
      [2, "bearer token", "Bearer tok***3t"],
      [3, "basic credentials", "Basic dXN***=="],
      [4, "X-API-Key header", "x-api-key:k3y***3t"],
      [5, "hostup_session cookie", "hostup_session=ses***3t"],
      [1, "URL userinfo", "https://use***3t@"],
      [6, "api key in a query string", "\\u003Ftoken=t0k***3t"],
      [8, "credential-named JSON property", '"accessToken": "t0k***3t"'],
    ]);
  });

  it("reads name/value objects written compact or spaced around the colon", () => {
    const text = [
      '[{"name":"x-api-key","value":"k3y-s3cr3t"}',
      '{"name" : "x-api-key" , "value" : "k3y-s3cr3t"}',
      '{"name":"set-cookie","value":"sid=c00k-s3cr3t"}',
      '{"name" : "set-cookie" , "value" : "sid=c00k-s3cr3t"}',
    ].join(",\n");
    const kinds = scanText(text, "pairs.txt").map((f) => f.kind);
    expect(kinds.filter((k) => k === "X-API-Key header")).toHaveLength(2);
    expect(kinds.filter((k) => k === "Set-Cookie header")).toHaveLength(2);
  });

  it("reads a HAR by structure: a path per finding, a masked excerpt, every kind named", () => {
    const basic = Buffer.from("user:pw").toString("base64");
    const har = buildHar([
      buildEntry({
        method: "POST",
        url: "https://cloud.hostup.se/api/v2/vps",
        requestHeaders: { authorization: "Bearer REDACTED" },
        requestBody: "x",
        status: 200,
        responseHeaders: { "content-type": "application/json" },
        // a body with white space before it, a URL that does not parse
        responseBody: ` ${JSON.stringify({
          "x-api-key": "abcdef",
          key: "abcdefg",
          detail: `Basic  ${basic}`,
          note: "Bearer   tok-s3cr3t",
          link: "https://user:pw-s3cr3t@cloud.hostup.se/ http://[oops",
        })}`,
      }),
    ]);
    const entry = har.log.entries[0];
    if (!entry) throw new Error("no entry");
    entry.request.postData = {
      mimeType: "application/x-www-form-urlencoded",
      text: "",
      params: [{ name: "password", value: "pw-s3cr3t" }],
    } as typeof entry.request.postData;
    // members other tools write: null, a name or a value that is not a string
    Object.assign(har.log, { _extra: null });
    entry.request.queryString.push(
      { name: 7, value: "x" } as never,
      { name: "token", value: 12345 } as never,
    );
    const found = scanText(serializeHar(har), "s.har").filter(
      (f) => f.path?.includes("(json)") || f.path?.includes("params"),
    );
    const body = "log.entries[0].response.content.text(json)";
    expect(found.map((f) => [f.path, f.kind, f.excerpt])).toEqual([
      ["log.entries[0].request.postData.params[0]", "password form parameter", "password: pw-***3t"],
      [`${body}["x-api-key"]`, "credential-named JSON property", "x-api-key: ***"],
      [`${body}.key`, "credential-named JSON property", "key: abc***fg"],
      [`${body}.detail`, "basic credentials", "Basic: dXN***=="],
      [`${body}.note`, "bearer token", "Bearer: tok***3t"],
      [`${body}.link`, "URL userinfo", "cloud.hostup.se: use***3t"],
    ]);
    expect(formatSecretFindings(found.slice(0, 2)).split("\n")).toEqual([
      's.har at log.entries[0].request.postData.params[0]: password form parameter: password: pw-***3t (only a "REDACTED" placeholder is allowed here)',
      `s.har at ${body}["x-api-key"]: credential-named JSON property: x-api-key: *** (only a "REDACTED" placeholder is allowed here)`,
    ]);
    const configured = scanText("echo pw-s3cr3t", "echo.log", { secrets: ["pw-s3cr3t"] });
    expect(formatSecretFindings(configured)).toBe(
      'echo.log:1: configured credential: (the value of a credential given to the scan, in some encoding) (only a "REDACTED" placeholder is allowed here)',
    );
  });

  // Only the exact shapes scrubbing writes pass; a credential beside a placeholder is still a credential.
  const header = (name: string, value: string, where: "request" | "response" = "request") => {
    const har = cleanHar();
    har.log.entries[0]?.[where].headers.push({ name, value });
    return scanText(serializeHar(har), "h.har").map((f) => f.kind);
  };

  it.each([
    ["authorization", "s3cr3t Bearer REDACTED"],
    ["authorization", "Bearer REDACTEDs3cr3t"],
    ["set-cookie", "s3cr3t hostup_session=REDACTED"],
    ["set-cookie", "hostup_session=REDACTEDs3cr3t"],
    ["cookie", "sid=s3cr3t; a=REDACTED"],
    ["cookie", "a=REDACTED; sid=s3cr3t"],
    ["x-api-key", "k=REDACTED"],
    ["x-api-key", "Bearer REDACTED"],
  ])("flags %s: %s", (name, value) => {
    expect(header(name, value)).toContain(`${name} header`);
  });

  it.each([
    ["proxy-authorization", "Basic REDACTED"],
    ["authorization", "Bearer  REDACTED"],
    ["set-cookie", "hostup_session=REDACTED; Path=/; HttpOnly"],
    ["cookie", "a=REDACTED;b=REDACTED;  session_id=REDACTED"],
    ["cookie", "REDACTED; theme=REDACTED"],
    ["cookie", "theme=REDACTED; REDACTED"],
    ["x-session-cookie", "a=REDACTED"],
  ])("accepts %s: %s", (name, value) => {
    expect(header(name, value)).toEqual([]);
  });

  it("URL userinfo passes only as REDACTED or REDACTED:REDACTED", () => {
    const kinds = (url: string) => {
      const har = cleanHar();
      const entry = har.log.entries[0];
      if (entry) entry.request.url = url;
      return scanText(serializeHar(har), "u.har").map((f) => f.kind);
    };
    expect(kinds("https://REDACTED@cloud.hostup.se/api/v2/vps")).toEqual([]);
    expect(kinds("https://user:REDACTED@cloud.hostup.se/api/v2/vps")).toContain("URL userinfo");
    expect(kinds("https://REDACTED:s3cr3t@cloud.hostup.se/api/v2/vps")).toContain("URL userinfo");
  });

  it("scrubbing keeps an authorization's scheme and every cookie's name, nothing else", () => {
    const har = cleanHar();
    const entry = har.log.entries[0];
    if (!entry) throw new Error("no entry");
    entry.request.headers = [
      { name: "Proxy-Authorization", value: `Basic ${Buffer.from("user:pw").toString("base64")}` },
      { name: "authorization", value: " Token  abc123xyz" },
      { name: "cookie", value: "a=1;b=2;  session_id=3;" },
      { name: "x-session-cookie", value: "a=1" },
      { name: "x-api-key", value: "k3y=s3cr3t" },
    ];
    entry.response.headers.push({ name: "set-cookie", value: " sid=1; Path=/" });
    delete (entry.request as { cookies?: unknown }).cookies;
    const scrubbed = scrubHar(har).log.entries[0]?.request;
    expect(scrubbed?.headers).toEqual([
      { name: "Proxy-Authorization", value: "Basic REDACTED" },
      { name: "authorization", value: "Token REDACTED" },
      { name: "cookie", value: "a=REDACTED; b=REDACTED; session_id=REDACTED" },
      { name: "x-session-cookie", value: "a=REDACTED" },
      { name: "x-api-key", value: "REDACTED" },
    ]);
    expect(scrubbed?.cookies).toEqual([]);
    expect(scrubHar(har).log.entries[0]?.response.headers.at(-1)).toEqual({
      name: "set-cookie",
      value: "sid=REDACTED",
    });
  });
});

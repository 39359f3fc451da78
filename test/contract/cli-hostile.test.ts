// `hostup-contract check` against HAR files a hostile (or merely unlucky) user hands it: entries of the wrong
// shape are a usage error naming the field (never an internal error with a stack trace), deeply nested bodies are
// checked, and a credential is never printed, wherever in a body it sits and however the body is encoded.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT } from "../../src/contract/check.js";
import { runCli } from "../../src/contract/command.js";
import { buildEntry, buildHar, type HarEntry, serializeHar } from "../../src/contract/har.js";

const dir = mkdtempSync(join(tmpdir(), "hostup-contract-hostile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// biome-ignore lint/suspicious/noExplicitAny: an entry is planted in any shape, right or wrong
type Raw = any;

/** A fake credential of the shape the scan looks for; the tests demand that no output shows it. */
const SECRET = "q7Zk2mPx9vLr4tNw8sYb";
const VPS = "https://cloud.hostup.se/api/v2/vps/vps_01hxa3b4c5d6e7f8g9h0j1k2m3";

function cli(args: string[], env: Record<string, string> = {}): { code: number; out: string } {
  let out = "";
  const code = runCli(args, {
    env,
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      out += t;
    },
  });
  return { code, out };
}

/** A plain v2 backups list exchange, changed by `change`, written as raw JSON (so any shape can be planted). */
function file(name: string, change: (entry: Raw) => void): string {
  const entry = buildEntry({
    method: "GET",
    url: `${VPS}/backups`,
    requestHeaders: { authorization: "Bearer REDACTED" },
    status: 200,
    responseHeaders: { "content-type": "application/json" },
    responseBody: {
      backups: [],
      quotaInfo: { used: 0, limit: 3, remaining: 3 },
      actions: {
        canCreateBackup: { allowed: true, reason: null, code: null },
        canRestore: { allowed: false, reason: "There is no backup to restore.", code: "no_backups" },
      },
    },
  }) as unknown as Raw;
  change(entry);
  const path = join(dir, `${name}.har`);
  writeFileSync(path, serializeHar(buildHar([entry as unknown as HarEntry])));
  return path;
}

describe("entries of the wrong shape: exit 3 naming the field, no stack trace", () => {
  it.each([
    ["a header that is null", (e: Raw) => e.request.headers.push(null), /entry #0 "request\.headers\[1\]"/],
    [
      "a response header without a string value",
      (e: Raw) => e.response.headers.push({ name: "x-api-key", value: { v: SECRET } }),
      /entry #0 "response\.headers\[1\]" must be \{name, value\} strings/,
    ],
    [
      "a request cookie that is a number",
      (e: Raw) => {
        e.request.cookies = [7];
      },
      /entry #0 "request\.cookies\[0\]"/,
    ],
    [
      "queryString that is not an array",
      (e: Raw) => {
        e.request.queryString = "limit=1";
      },
      /entry #0 "request\.queryString" must be an array/,
    ],
    [
      "postData.mimeType that is a number",
      (e: Raw) => {
        e.request.postData = { mimeType: 5, text: "{}" };
      },
      /entry #0 "request\.postData\.mimeType" must be a string/,
    ],
    [
      "postData.text that is an object",
      (e: Raw) => {
        e.request.postData = { mimeType: "application/json", text: { note: "x" } };
      },
      /entry #0 "request\.postData\.text" must be a string/,
    ],
    [
      "a base64 body whose text is a number",
      (e: Raw) => {
        e.response.content = { size: 2, mimeType: "application/json", encoding: "base64", text: 12 };
      },
      /entry #0 "response\.content\.text" must be a string/,
    ],
    [
      "content.encoding that is not a string",
      (e: Raw) => {
        e.response.content.encoding = ["base64"];
      },
      /entry #0 "response\.content\.encoding" must be a string/,
    ],
  ])("%s", (_what, change, message) => {
    const run = cli(["check", file(`shape-${_what.replace(/\W+/g, "-")}`, change)]);
    expect(run.out).toMatch(message);
    expect(run.code).toBe(EXIT.usage);
    expect(run.out).not.toMatch(/internal error|\n\s+at /);
    expect(run.out).not.toContain(SECRET);
  });
});

describe("bodies nested deeper than a stack", () => {
  it.each([
    ["arrays", `${"[".repeat(100_000)}1${"]".repeat(100_000)}`],
    ["objects", `${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`],
  ])(
    "%s, 100,000 levels: drift found and reported, the scan says what it could not check, no crash",
    (_what, text) => {
      const run = cli([
        "check",
        file(`deep-${_what}`, (e) => {
          e.response.content.text = text;
        }),
      ]);
      expect(run.out).not.toMatch(/internal error|\n\s+at /);
      expect(run.out).toContain("response body (200 application/json)");
      // a credential in there would go unseen by the structure scan: that fails closed, as a secret does (exit 2)
      expect(run.out).toContain("JSON nested too deeply to scan by structure");
      expect(run.code).toBe(EXIT.secrets);
    },
  );

  it("a credential at the bottom of 5,000 levels is found, and not printed", () => {
    const run = cli([
      "check",
      file("deep-secret", (e) => {
        e.response.content.text = `${'{"a":'.repeat(5_000)}{"access_token":"${SECRET}"}${"}".repeat(5_000)}`;
      }),
    ]);
    expect(run.out).not.toMatch(/internal error|\n\s+at /);
    expect(run.code).toBe(EXIT.secrets);
    expect(run.out).not.toContain(SECRET);
  });
});

describe("a credential is never printed, wherever it sits", () => {
  const formats = [[], ["--format", "json"], ["--format", "junit"]];

  it("inside a body, under a property whose own name says nothing (/a holds {b: [{apiKey}]})", () => {
    const path = file("nested-key", (e) => {
      e.request.method = "POST";
      e.request.postData = {
        mimeType: "application/json",
        text: JSON.stringify({ a: { b: [{ apiKey: SECRET }] } }),
      };
    });
    for (const format of formats) {
      const run = cli(["check", path, ...format]);
      expect(run.code).toBe(EXIT.secrets);
      expect(run.out, format.join(" ")).not.toContain(SECRET);
    }
  });

  it("in a body a browser stored base64-encoded: found by the scan, and not printed", () => {
    for (const [name, plain] of [
      ["b64-json", JSON.stringify({ token: SECRET })],
      ["b64-bearer", `Authorization: Bearer ${SECRET}`],
    ] as const) {
      const path = file(name, (e) => {
        e.response.content = {
          size: plain.length,
          mimeType: "application/json",
          encoding: "base64",
          text: Buffer.from(plain).toString("base64"),
        };
      });
      for (const format of formats) {
        const run = cli(["check", path, ...format]);
        expect(run.code, name).toBe(EXIT.secrets);
        expect(run.out, `${name} ${format.join(" ")}`).not.toContain(SECRET);
      }
    }
  });

  it("a token in a URL's fragment (#access_token=..., as OAuth's implicit flow puts it)", () => {
    const run = cli([
      "check",
      file("fragment", (e) => {
        e.request.url = `${VPS}/backups#access_token=${SECRET}`;
      }),
    ]);
    expect(run.code).toBe(EXIT.secrets);
    expect(run.out).not.toContain(SECRET);
  });
});

describe("a credential the scan found is not printed where it is echoed under another name", () => {
  it("the API key of a request header, echoed by the server in an undeclared body property", () => {
    const path = file("echoed", (e) => {
      e.request.headers = [{ name: "x-api-key", value: SECRET }];
      const body = JSON.parse(e.response.content.text);
      e.response.content.text = JSON.stringify({ ...body, echo: `key was ${SECRET}` });
    });
    for (const format of [[], ["--format", "json"], ["--format", "junit"]]) {
      const run = cli(["check", path, ...format]);
      expect(run.code).toBe(EXIT.secrets);
      expect(run.out).toMatch(/no property (\\?"|&quot;)echo/);
      expect(run.out, format.join(" ")).not.toContain(SECRET);
    }
  });
});

// HAR 1.2's postData holds "plain text posted data"; HAR 1.3's proposal adds `encoding` ("base64") as `content` has
// it, and a proxy stores a compressed request body so, with the request's Content-Encoding. The check read the
// base64 text as the body ("expected type object") and the secret scan missed a credential in a br-compressed one.
describe("a request body stored base64-encoded and compressed (postData.encoding, the request's Content-Encoding)", () => {
  /** A v2 snapshot schedule save whose body (with `extra` members) is stored compressed by `coding`. */
  const compressedPost = (name: string, coding: string, extra: Record<string, unknown>) =>
    file(name, (e) => {
      const plain = JSON.stringify({ enabled: true, intervalHours: 12, ...extra });
      const bytes = Buffer.from(plain);
      const compressed =
        coding === "br"
          ? brotliCompressSync(bytes)
          : coding === "gzip, br"
            ? brotliCompressSync(gzipSync(bytes))
            : gzipSync(bytes);
      e.request.method = "POST";
      e.request.url = `${VPS}/snapshot-schedules`;
      e.request.headers.push({ name: "content-encoding", value: coding });
      e.request.postData = {
        mimeType: "application/json",
        text: compressed.toString("base64"),
        encoding: "base64",
      };
    });

  it.for(["gzip", "br", "gzip, br"])("is decompressed (%s) and checked", (coding) => {
    const run = cli(["check", compressedPost(`post-${coding}`, coding, { surprise: 1 }), "--format", "json"]);
    const requestFindings = JSON.parse(run.out).findings.filter(
      (f: { location: string }) => f.location === "request body",
    );
    expect(requestFindings).toEqual([expect.objectContaining({ pointer: "/surprise" })]);
  });

  it("a credential inside it is found, and not printed", () => {
    const path = compressedPost("post-layered-secret", "gzip, br", { note: `Bearer ${SECRET}` });
    for (const format of [[], ["--format", "json"]]) {
      const run = cli(["check", path, ...format]);
      expect(run.code).toBe(EXIT.secrets);
      expect(run.out, format.join(" ")).toContain("request.postData.text(base64)");
      expect(run.out, format.join(" ")).not.toContain(SECRET);
    }
  });

  it("--secret-env hides a configured value in it from the drift finding", () => {
    const value = "my-own-v4lue";
    const path = compressedPost("post-gzip-configured", "gzip", { surprise: value });
    const run = cli(["check", path, "--secret-env", "MY_VALUE"], { MY_VALUE: value });
    expect(run.out).toContain('no property "surprise"');
    expect(run.out).not.toContain(value);
  });

  it("a postData without `encoding` is plain text, as HAR 1.2 says (not base64-decoded)", () => {
    const path = file("post-plain", (e) => {
      e.request.method = "POST";
      e.request.url = `${VPS}/snapshot-schedules`;
      // valid base64 as well as a string: read as the body itself, a string where an object is expected
      e.request.postData = { mimeType: "application/json", text: '"e30="' };
    });
    const run = cli(["check", path, "--format", "json"]);
    const requestFindings = JSON.parse(run.out).findings.filter(
      (f: { location: string }) => f.location === "request body",
    );
    expect(requestFindings).toEqual([expect.objectContaining({ pointer: "", expected: "type object" })]);
  });
});

// A recording is the user's, but its keys and methods come from a server or a hand: a body key holding an ANSI
// escape and a line break was printed as is, clearing the terminal and forging a line of the report (in CI logs
// too, where GitHub renders ANSI colours); the same escaping as the client's error messages applies.
describe("the report shows a recording's control characters escaped", () => {
  const hostileKey = file("control-key", (e) => {
    const body = JSON.parse(e.response.content.text);
    body["evil\x1b[2J\nFAKE LINE"] = 1;
    e.response.content.text = JSON.stringify(body);
  });
  const hostileMethod = file("control-method", (e) => {
    e.request.method = "GET\x9b31m";
  });

  it.for(["text", "text, on GitHub Actions (annotations)"])("%s", (name) => {
    let out = "";
    const code = runCli(["check", hostileKey, hostileMethod], {
      env: name.includes("GitHub") ? { GITHUB_ACTIONS: "true" } : {},
      stdout: (t) => {
        out += t;
      },
      stderr: (t) => {
        out += t;
      },
    });
    expect(code).toBe(EXIT.drift);
    expect(out).toContain("evil\\u{1b}[2J\\u{a}FAKE LINE");
    expect(out).not.toMatch(/^FAKE LINE/m);
    expect(out.includes("\x1b") || out.includes("\x9b"), "a raw ESC or CSI").toBe(false);
    expect(out).toContain("GET\\u{9b}31M /api/v2/vps/");
    if (name.includes("GitHub")) expect(out).toMatch(/^::error .*evil\\u\{1b\}\[2J%0AFAKE LINE/m);
  });

  it("a secret finding's path through such a key is escaped too", () => {
    const path = file("control-secret", (e) => {
      e.response.content.text = JSON.stringify({ "a\x1b[2J\nb": { token: SECRET } });
    });
    const run = cli(["check", path]);
    expect(run.code).toBe(EXIT.secrets);
    expect(run.out.includes("\x1b"), "a raw ESC").toBe(false);
    expect(run.out).not.toContain(SECRET);
  });
});

describe("a usage error never echoes a credential", () => {
  it("a request.url that is not absolute is not repeated (its query may hold a token)", () => {
    const url = `cloud.hostup.se/api/v2/vps?access_token=${SECRET}`;
    const run = cli([
      "check",
      file("relative-url", (e) => {
        e.request.url = url;
      }),
    ]);
    expect(run.code).toBe(EXIT.usage);
    expect(run.out).toContain(
      `entry #0 "request.url" must be an absolute URL, got a string of ${url.length} characters`,
    );
    expect(run.out).not.toContain(SECRET);
  });

  it("a request.url that is not a string is not repeated either (an object may hold a token)", () => {
    const run = cli([
      "check",
      file("object-url", (e) => {
        e.request.url = { href: VPS, headers: { authorization: `Bearer ${SECRET}` } };
      }),
    ]);
    expect(run.code).toBe(EXIT.usage);
    expect(run.out).toContain('entry #0 "request.url" must be an absolute URL, got an object');
    expect(run.out).not.toContain(SECRET.slice(0, 8));
  });

  it("a file that is not JSON: the parser's excerpt of it is not repeated (a key, a terminal escape)", () => {
    // V8's message quotes about ten characters on each side of the error
    for (const text of [`{"token": ${SECRET}}`, "\u001b]0;owned\u0007\u001b[31m"]) {
      const path = join(dir, "broken.har");
      writeFileSync(path, text);
      const run = cli(["check", path]);
      expect(run.code).toBe(EXIT.usage);
      expect(run.out).toMatch(/broken\.har: not a HAR file: not JSON \(Unexpected token/);
      expect(run.out).not.toContain(SECRET.slice(0, 6));
      expect(run.out).not.toContain("\u001b");
      expect(run.out).not.toContain("\u0007");
    }
  });
});

describe("--secret-env refuses a value too short to be a credential", () => {
  // every "a" of the files was a finding: a line each, a flood for a HAR of megabytes
  it.for(["a", "   ", "short12"])("%j: usage error naming the variable, nothing checked", (value) => {
    const run = cli(["check", file("short-secret", () => {}), "--secret-env", "HOSTUP_SHORT"], {
      HOSTUP_SHORT: value,
    });
    expect(run.code).toBe(EXIT.usage);
    expect(run.out).toMatch(
      /--secret-env HOSTUP_SHORT: the value has fewer than 8 characters \(a shorter one would match unrelated text\)/,
    );
    expect(run.out).not.toMatch(/configured credential/);
  });
});

describe("what a HAR holds is shown within bounds", () => {
  it("a method of 100,000 characters is shown cut, in a report of a few lines", () => {
    const run = cli([
      "check",
      file("long-method", (e) => {
        e.request.method = "X".repeat(100_000);
      }),
    ]);
    expect(run.code).toBe(EXIT.drift);
    expect(run.out).toMatch(/found in the recording: X{20}\.\.\. \/api\/v2\/vps\//);
    expect(run.out.length).toBeLessThan(30_000);
  });

  it("a HAR that starts with a byte order mark (as Windows tools write UTF-8) is read", () => {
    const path = file("bom", () => {});
    writeFileSync(path, `\ufeff${readFileSync(path, "utf8")}`);
    const run = cli(["check", path]);
    expect(run.out).not.toMatch(/not a HAR file/);
    expect(run.code).toBe(EXIT.clean);
    // and scanned as any other: a credential in a base64 body is found only by the scan by structure
    const plain = JSON.stringify({ token: SECRET });
    const leaky = file("bom-leak", (e) => {
      e.response.content = {
        size: plain.length,
        mimeType: "application/json",
        encoding: "base64",
        text: Buffer.from(plain).toString("base64"),
      };
    });
    writeFileSync(leaky, `\ufeff${readFileSync(leaky, "utf8")}`);
    const leak = cli(["check", leaky]);
    expect(leak.code).toBe(EXIT.secrets);
    expect(leak.out).not.toContain(SECRET);
  });
});

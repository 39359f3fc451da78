// `hostup-contract check`, in process: a recording of the mock (a user's own calls) is clean; a planted undeclared
// property, a wrong type, an unknown operation and a planted secret each fail with their exit code and a readable
// finding, in every output format (text, json, junit, and the GitHub annotations + step summary); bad input is a
// usage error that names the file. The packed command is exercised by test/client/package.test.ts.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../src/contract/check.js";
import { runCli } from "../../src/contract/command.js";
import { buildEntry, type Har, serializeHar } from "../../src/contract/har.js";
import { harBodyText } from "../../src/contract/har-body.js";
import { createV1Client, createV2Client } from "../../src/index.js";
import { SAMPLE_V1_KEY, SAMPLE_V2_TOKEN, startMockServer } from "../../src/mock/index.js";

let dir = "";
let clean: Har;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "hostup-contract-cli-"));
  const mock = await startMockServer({ record: true });
  try {
    const v2 = createV2Client({ token: SAMPLE_V2_TOKEN, baseUrl: mock.url, retry: false });
    const [vps] = (await v2.vps.list()).data;
    await v2.backupSchedules.get(vps?.id ?? "");
    await createV1Client({ apiKey: SAMPLE_V1_KEY, baseUrl: mock.url }).snapshotSchedule.get(10000);
    clean = await mock.har();
  } finally {
    await mock.close();
  }
  writeFileSync(join(dir, "clean.har"), serializeHar(clean));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  summary: string;
}

function cli(args: string[], env: Record<string, string | undefined> = {}): Run {
  let stdout = "";
  let stderr = "";
  const summaryFile = join(dir, `summary-${Math.random().toString(36).slice(2)}.md`);
  const github = env.GITHUB_ACTIONS === "true" ? { GITHUB_STEP_SUMMARY: summaryFile } : {};
  writeFileSync(summaryFile, "");
  const code = runCli(args, {
    env: { ...github, ...env },
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr, summary: readFileSync(summaryFile, "utf8") };
}

/** A copy of the clean recording with one change, written to its own file. */
function planted(name: string, change: (har: Har) => void): string {
  const har = structuredClone(clean);
  change(har);
  const file = join(dir, `${name}.har`);
  writeFileSync(file, serializeHar(har));
  return file;
}

const body = (har: Har, i: number, edit: (b: Record<string, unknown>) => void) => {
  const content = har.log.entries[i]?.response.content;
  if (!content?.text) throw new Error(`entry ${i} has no body`);
  const b = JSON.parse(content.text);
  edit(b);
  content.text = JSON.stringify(b);
};

interface Plant {
  name: string;
  file: () => string;
  code: number;
  /** In the text report. */
  text: RegExp;
  /** The JSON report's finding. */
  json: (report: { findings: Record<string, unknown>[]; secrets: Record<string, unknown>[] }) => void;
  /** The JUnit failure's type. */
  junitType: string;
  /** The annotation's title. */
  annotation: RegExp;
}

const plants: Plant[] = [
  {
    name: "an undeclared property",
    file: () => planted("undeclared", (har) => body(har, 1, (b) => Object.assign(b, { surprise: true }))),
    code: EXIT.drift,
    text: /where: +response body \(200 application\/json\) \/surprise\n.*- expected by the spec: +no property "surprise" \(the spec does not declare it\)\n.*\+ found in the recording: true/,
    json: (r) =>
      expect(r.findings).toEqual([
        expect.objectContaining({ kind: "schema", pointer: "/surprise", entry: 1 }),
      ]),
    junitType: "schema",
    annotation:
      /^::error file=.*undeclared\.har,line=\d+,title=hostup-contract%3A drift in v2 getBackupSchedules .*::entry #1, response body .* \/surprise: expected by the spec: no property "surprise"/m,
  },
  {
    name: "a wrong type",
    file: () =>
      planted("wrong-type", (har) =>
        body(har, 0, (b) => {
          (b.data as Record<string, unknown>[])[0] = {
            ...(b.data as Record<string, unknown>[])[0],
            name: 42,
          };
        }),
      ),
    code: EXIT.drift,
    text: /\/data\/0\/name\n.*- expected by the spec: +type string\n.*\+ found in the recording: integer 42/,
    json: (r) =>
      expect(r.findings).toEqual([
        expect.objectContaining({ pointer: "/data/0/name", expected: "type string", found: "integer 42" }),
      ]),
    junitType: "schema",
    annotation:
      /^::error file=.*wrong-type\.har,line=\d+,title=hostup-contract%3A drift in v2 listVps .*found in the recording: integer 42$/m,
  },
  {
    name: "an unknown operation",
    file: () =>
      planted("unknown-operation", (har) => {
        har.log.entries.push(
          buildEntry({
            method: "GET",
            url: `${new URL(har.log.entries[0]?.request.url ?? "").origin}/api/v2/dns/zones`,
            requestHeaders: { authorization: "Bearer REDACTED" },
            status: 200,
            responseHeaders: { "content-type": "application/json" },
            responseBody: { zones: [] },
          }),
        );
      }),
    code: EXIT.drift,
    text: /operation: GET \/api\/v2\/dns\/zones\n.*\n.*- expected by the spec: +an operation of the v2 description .*\n.*\+ found in the recording: GET \/api\/v2\/dns\/zones, which matches no path and method/,
    json: (r) =>
      expect(r.findings).toEqual([expect.objectContaining({ kind: "unknown-operation", entry: 3 })]),
    junitType: "unknown-operation",
    annotation:
      /^::error file=.*unknown-operation\.har,line=\d+,title=hostup-contract%3A drift in GET \/api\/v2\/dns\/zones::/m,
  },
  {
    name: "a planted secret",
    file: () =>
      planted("secret", (har) => {
        const headers = har.log.entries[0]?.request.headers ?? [];
        for (const h of headers) if (h.name === "authorization") h.value = "Bearer planted-tok3n";
      }),
    code: EXIT.secrets,
    text: /secrets:\n[\s\S]*secret\.har:\d+: bearer token: Bearer pla\*\*\*3n \(only a "REDACTED" placeholder is allowed here\)/,
    json: (r) =>
      expect(r.secrets).toEqual(expect.arrayContaining([expect.objectContaining({ kind: "bearer token" })])),
    junitType: "secret",
    annotation:
      /^::error file=.*secret\.har,line=\d+,title=hostup-contract%3A secret \(bearer token\)::Bearer pla\*\*\*3n: only a "REDACTED" placeholder/m,
  },
];

describe("hostup-contract check: a clean recording of the mock", () => {
  it("passes in every format, with the coverage table", () => {
    const file = join(dir, "clean.har");
    const text = cli(["check", file]);
    expect(text.stderr).toBe("");
    expect(text.code).toBe(EXIT.clean);
    expect(text.stdout).toMatch(/\| v2 +\| listVps +\| GET +\| \/api\/v2\/vps +\| 200 +\| 1 +\|/);
    expect(text.stdout).toMatch(/\| v1 +\| getSnapshotSchedule +\| GET .* \| 200 +\| 1 +\|/);
    expect(text.stdout).toContain("✔ hostup-contract: 1 file(s), 3 exchange(s): no drift, no secrets");
    const json = JSON.parse(cli(["check", file, "--format", "json"]).stdout);
    expect(json).toMatchObject({ exitCode: 0, exchanges: 3, findings: [], secrets: [] });
    const junit = cli(["check", file, "--format", "junit"]);
    expect(junit.code).toBe(EXIT.clean);
    expect(junit.stdout).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="hostup-contract" tests="4" failures="0"/,
    );
    expect(junit.stdout).not.toContain("<failure");
    const gh = cli(["check", file], { GITHUB_ACTIONS: "true" });
    expect(gh.code).toBe(EXIT.clean);
    expect(gh.stdout).not.toContain("::error");
    expect(gh.summary).toMatch(/^## ✔ hostup-contract: 1 file\(s\), 3 exchange\(s\): no drift, no secrets/);
    expect(gh.summary).toContain("### Coverage: 3/");
  });

  it("checks a folder: every *.har under it", () => {
    const sub = join(dir, "folder", "deeper");
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, "a.har"), serializeHar(clean));
    writeFileSync(join(dir, "folder", "notes.txt"), "not a recording");
    const run = cli(["check", join(dir, "folder"), "--format", "json"]);
    expect(run.code).toBe(EXIT.clean);
    expect(JSON.parse(run.stdout).files).toEqual([join(sub, "a.har")]);
  });
});

describe.each(plants)("hostup-contract check: $name", (plant) => {
  let file = "";
  beforeAll(() => {
    file = plant.file();
  });

  it(`text: exit ${plant.code} and a diff-like finding`, () => {
    const run = cli(["check", file]);
    expect(run.code).toBe(plant.code);
    expect(run.stdout).toMatch(plant.text);
    expect(run.stdout).toMatch(new RegExp(`✘ hostup-contract: .*\\(exit ${plant.code}\\)\\n$`));
    expect(run.stdout).not.toContain("planted-tok3n");
  });

  it("json: the finding, the exit code", () => {
    const run = cli(["check", file, "--format", "json"]);
    expect(run.code).toBe(plant.code);
    const report = JSON.parse(run.stdout);
    expect(report.exitCode).toBe(plant.code);
    plant.json(report);
    expect(run.stdout).not.toContain("planted-tok3n");
  });

  it("junit: a failed test case of the right type", () => {
    const run = cli(["check", file, "--format", "junit"]);
    expect(run.code).toBe(plant.code);
    expect(run.stdout).toMatch(/<testsuites name="hostup-contract" tests="\d+" failures="1"/);
    expect(run.stdout).toMatch(new RegExp(`<failure message="[^"]+" type="${plant.junitType}">`));
    expect(run.stdout).not.toContain("planted-tok3n");
  });

  it("GitHub Actions: an ::error annotation on the file and line, and the step summary", () => {
    const run = cli(["check", file], { GITHUB_ACTIONS: "true" });
    expect(run.code).toBe(plant.code);
    expect(run.stdout).toMatch(plant.annotation);
    expect(run.summary).toMatch(new RegExp(`^## ✘ hostup-contract: .*\\(exit ${plant.code}\\)`));
    expect(run.summary).toContain(plant.code === EXIT.secrets ? "### Secrets" : "### Drift");
    expect(`${run.stdout}${run.summary}`).not.toContain("planted-tok3n");
    // with a machine-readable format the annotations go to stderr, and stdout stays parseable
    const json = cli(["check", file, "--format", "json"], { GITHUB_ACTIONS: "true" });
    expect(JSON.parse(json.stdout).exitCode).toBe(plant.code);
    expect(json.stderr).toMatch(/^::error file=/m);
  });
});

describe("hostup-contract: usage errors (exit 3) name what is wrong", () => {
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it.each([
    [
      "a file that is not JSON",
      () => write("page.har", "<html>login</html>"),
      /page\.har: not a HAR file: not JSON/,
    ],
    [
      "JSON that is not a HAR",
      () => write("data.json", '{"data": []}'),
      /data\.json: not a HAR file: no "log" object/,
    ],
    [
      "a HAR whose entry has no URL",
      () =>
        write(
          "no-url.har",
          JSON.stringify({ log: { entries: [{ request: { method: "GET" }, response: { status: 200 } }] } }),
        ),
      /no-url\.har: not a HAR file: entry #0 "request\.url" must be an absolute URL, got undefined/,
    ],
    ["a missing path", () => join(dir, "nowhere.har"), /nowhere\.har: no such file or folder \(ENOENT\)/],
  ])("%s", (_what, file, message) => {
    const run = cli(["check", join(dir, "clean.har"), file()]);
    expect(run.code).toBe(EXIT.usage);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(message);
  });

  it.each([
    [[], /no command given/],
    [["lint", "x.har"], /unknown command "lint"/],
    [["check"], /check needs at least one HAR file or folder/],
    [["check", "x.har", "--format", "xml"], /--format must be one of text, json, junit, got "xml"/],
    [["check", "x.har", "--colour"], /Unknown option '--colour'/],
    [["check", "x.har", "--origin", "cloud"], /--origin must be a URL/],
    [
      ["check", "x.har", "--secret-env", "HOSTUP_UNSET_FOR_TEST"],
      /HOSTUP_UNSET_FOR_TEST: the environment variable is not set/,
    ],
  ])("%j", (args, message) => {
    const run = cli(args as string[]);
    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toMatch(message);
  });

  it("a folder without .har files", () => {
    mkdirSync(join(dir, "empty"), { recursive: true });
    expect(cli(["check", join(dir, "empty")]).stderr).toMatch(/no \.har files in/);
  });

  it("--help lists the exit codes", () => {
    const run = cli(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/0 +clean[\s\S]*1 +drift[\s\S]*2 +secrets[\s\S]*3 +usage error/);
  });
});

describe("hostup-contract: options", () => {
  it("--origin leaves out the entries sent elsewhere (a browser's HAR)", () => {
    const file = planted("browser", (har) => {
      har.log.entries.push(
        buildEntry({ method: "GET", url: "https://cdn.example.net/app.js", status: 200, responseBody: "x" }),
      );
    });
    expect(cli(["check", file]).code).toBe(EXIT.drift);
    const origin = new URL(clean.log.entries[0]?.request.url ?? "").origin;
    const run = cli(["check", file, "--origin", origin, "--format", "json"]);
    expect(run.code).toBe(EXIT.clean);
    expect(JSON.parse(run.stdout)).toMatchObject({ exchanges: 3, skipped: 1 });
  });

  it("reads a browser's HAR: a body stored base64-encoded is decoded and checked", () => {
    const file = planted("base64", (har) => {
      const content = har.log.entries[0]?.response.content;
      if (!content?.text) throw new Error("no body");
      content.text = Buffer.from(content.text.replace(/^\{/, '{"surprise":1,')).toString("base64");
      content.encoding = "base64";
    });
    const run = cli(["check", file, "--format", "json"]);
    expect(run.code).toBe(EXIT.drift);
    expect(JSON.parse(run.stdout).findings).toEqual([
      expect.objectContaining({ entry: 0, pointer: "/surprise" }),
    ]);
  });

  // A proxy may store a body as it travelled: base64 of the compressed bytes, with the response's Content-Encoding.
  // Read undecompressed, the JSON was "not an object" at the root, and a credential inside was never seen.
  const compressed = (name: string, compress: (bytes: Buffer) => Buffer, header?: string) =>
    planted(name, (har) => {
      const response = har.log.entries[0]?.response;
      if (!response?.content.text) throw new Error("no body");
      const text = response.content.text.replace(/^\{/, '{"surprise":1,');
      response.content.text = compress(Buffer.from(text)).toString("base64");
      response.content.encoding = "base64";
      if (header) response.headers.push({ name: "Content-Encoding", value: header });
    });

  it.for([
    ["gzip", gzipSync],
    ["deflate", deflateSync],
    ["br", brotliCompressSync],
  ] as const)(
    "reads a proxy's HAR: a body stored %s-compressed is decompressed and checked",
    ([coding, compress]) => {
      const run = cli(["check", compressed(`compressed-${coding}`, compress, coding), "--format", "json"]);
      expect(run.code).toBe(EXIT.drift);
      expect(JSON.parse(run.stdout).findings).toEqual([
        expect.objectContaining({ entry: 0, pointer: "/surprise" }),
      ]);
    },
  );

  // Content-Encoding lists the codings in the order they were applied ("gzip, br": gzip, then br), in any case, and
  // may come as one header per coding; each was read as one unknown coding and the body left compressed.
  const layered = (bytes: Buffer) => brotliCompressSync(gzipSync(bytes));
  it.for([
    ["gzip, br", ["gzip, br"]],
    ["GZIP", ["GZIP"]],
    ["gzip then br, one header each", ["gzip", "br"]],
    ["identity, gzip", ["identity, gzip"]],
  ] as const)("decompresses a body stored with Content-Encoding %s", ([, headers]) => {
    const compress = headers.join(",").toLowerCase().includes("br") ? layered : gzipSync;
    const plant = (name: string, member: string) =>
      planted(`${name}-${headers.join("-").replace(/\W+/g, "-")}`, (har) => {
        const response = har.log.entries[0]?.response;
        if (!response?.content.text) throw new Error("no body");
        const text = response.content.text.replace(/^\{/, `{${member},`);
        response.content.text = compress(Buffer.from(text)).toString("base64");
        response.content.encoding = "base64";
        for (const value of headers) response.headers.push({ name: "Content-Encoding", value });
      });
    const drift = cli(["check", plant("layered", '"surprise":1'), "--format", "json"]);
    expect(drift.code).toBe(EXIT.drift);
    expect(JSON.parse(drift.stdout).findings).toEqual([
      expect.objectContaining({ entry: 0, pointer: "/surprise" }),
    ]);
    // the secret scan reads the body as the check does
    const secret = cli(["check", plant("layered-secret", '"note":"Bearer fake-layer-1"')]);
    expect(secret.code).toBe(EXIT.secrets);
    expect(secret.stdout + secret.stderr).not.toContain("fake-layer-1");
  });

  it("recognises gzip by its first bytes when no Content-Encoding says so", () => {
    const run = cli(["check", compressed("compressed-unlabelled", gzipSync), "--format", "json"]);
    expect(JSON.parse(run.stdout).findings).toEqual([
      expect.objectContaining({ entry: 0, pointer: "/surprise" }),
    ]);
  });

  it("finds a credential inside a compressed body, and never prints it", () => {
    const file = planted("compressed-secret", (har) => {
      const response = har.log.entries[0]?.response;
      if (!response?.content.text) throw new Error("no body");
      const text = response.content.text.replace(/^\{/, '{"note":"Bearer fake-gzip-1",');
      response.content.text = gzipSync(Buffer.from(text)).toString("base64");
      response.content.encoding = "base64";
      response.headers.push({ name: "Content-Encoding", value: "gzip" });
    });
    const run = cli(["check", file]);
    expect(run.code).toBe(EXIT.secrets);
    expect(run.stdout).not.toContain("fake-gzip-1");
  });

  it("leaves a body that decompresses past the limit as stored (a zip bomb), and never throws", () => {
    // valid JSON when whole (then spaces past the limit): decompressed anyway, it would parse
    const whole = Buffer.concat([Buffer.from('{"a":1}'), Buffer.alloc(4096, 0x20)]);
    const content = { text: gzipSync(whole).toString("base64"), encoding: "base64" };
    expect(JSON.parse(harBodyText(content, "gzip", 8192) ?? "")).toEqual({ a: 1 });
    const stored = harBodyText(content, "gzip", 1024);
    expect(stored).toBe(Buffer.from(content.text, "base64").toString("utf8"));
    expect(harBodyText({ text: "bm90IGd6aXA=", encoding: "base64" }, "gzip")).toBe("not gzip");
  });

  it("--secret-env finds a credential's value in any encoding, and never prints it", () => {
    const value = "my/own-t0ken";
    const file = planted("echo", (har) =>
      body(har, 0, (b) => Object.assign(b, { note: value.replace("/", "\\/") })),
    );
    expect(cli(["check", file]).code).not.toBe(EXIT.secrets);
    const run = cli(["check", file, "--secret-env", "MY_TOKEN"], { MY_TOKEN: value });
    expect(run.code).toBe(EXIT.secrets);
    expect(run.stdout).toContain("configured credential");
    expect(run.stdout).not.toContain("own-t0ken");
    // the drift finding of the undeclared property shows the placeholder instead
    expect(run.stdout).toMatch(/\+ found in the recording: "REDACTED"/);
  });

  it("a credential-named property's value is not shown in the drift finding (the scan reports it, masked)", () => {
    const file = planted("token-body", (har) =>
      body(har, 0, (b) => Object.assign(b, { sessionToken: "planted-s3ss" })),
    );
    const run = cli(["check", file]);
    expect(run.code).toBe(EXIT.secrets);
    expect(run.stdout).toContain('no property "sessionToken"');
    expect(run.stdout).toContain("+ found in the recording: (a credential-named value, not shown)");
    expect(run.stdout).not.toContain("planted-s3ss");
  });
});

// What the packed-package test (package.test.ts) does with hostup-contract in the consumer's project: the
// consumer's own calls through the client against the mock, recording on (recordTo); copies of that recording with
// one planted fault each; and `hostup-contract check` on them, run as the installed bin (the clean one through npx).
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { buildEntry, type Har, parseHar, serializeHar } from "../../src/contract/har.js";

const execFileAsync = promisify(execFile);

/** The consumer's test run: its own calls, through the installed client, against the installed mock. */
export const CONSUMER_CALLS = `import { createV1Client, createV2Client } from "hostup-api";
import { SAMPLE_V1_KEY, SAMPLE_V2_TOKEN, startMockServer } from "hostup-api/mock";

const mock = await startMockServer({ recordTo: "traffic/clean.har" });
try {
  const v2 = createV2Client({ token: SAMPLE_V2_TOKEN, baseUrl: mock.url });
  const [vps] = (await v2.vps.list()).data;
  await v2.backupSchedules.get(vps.id);
  await v2.backupSchedules.save(vps.id, { frequency: "weekly", dayOfWeek: 1, hour: 2, retentionCount: 3, enabled: true });
  await createV1Client({ apiKey: SAMPLE_V1_KEY, baseUrl: mock.url }).snapshotSchedule.get(10000);
} finally {
  await mock.close();
}
`;

/** The report formats of `--format`; the GitHub Actions extras (annotations, step summary) come with any of them. */
export type Format = "text" | "json" | "junit";
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** What the run appended to $GITHUB_STEP_SUMMARY (runs with GITHUB_ACTIONS=true only). */
  summary: string;
}

function bodyOf(har: Har, index: number): Record<string, unknown> {
  const text = har.log.entries[index]?.response.content.text;
  if (!text) throw new Error(`entry ${index} of the consumer's recording has no body`);
  return JSON.parse(text);
}

function setBody(har: Har, index: number, body: unknown): void {
  const content = har.log.entries[index]?.response.content;
  if (content) content.text = JSON.stringify(body);
}

/** The planted faults, each applied to a copy of the clean recording. */
export const PLANTS: Record<string, (har: Har) => void> = {
  undeclared: (har) => setBody(har, 1, { ...bodyOf(har, 1), surprise: true }),
  "wrong-type": (har) => {
    const body = bodyOf(har, 0) as { data: Record<string, unknown>[] };
    body.data[0] = { ...body.data[0], name: 42 };
    setBody(har, 0, body);
  },
  "unknown-operation": (har) => {
    const origin = new URL(har.log.entries[0]?.request.url ?? "").origin;
    har.log.entries.push(
      buildEntry({
        method: "GET",
        url: `${origin}/api/v2/dns/zones`,
        requestHeaders: { authorization: "Bearer REDACTED" },
        status: 200,
        responseHeaders: { "content-type": "application/json" },
        responseBody: { zones: [] },
      }),
    );
  },
  secret: (har) => {
    for (const h of har.log.entries[0]?.request.headers ?? [])
      if (h.name.toLowerCase() === "authorization") h.value = "Bearer planted-tok3n";
  },
};

/** Writes traffic/<plant>.har next to the consumer's clean recording, and a file that is not HAR. */
export function plantFaults(project: string): string[] {
  const clean = parseHar(readFileSync(join(project, "traffic", "clean.har"), "utf8"), "clean.har");
  for (const [name, plant] of Object.entries(PLANTS)) {
    const copy = structuredClone(clean);
    plant(copy);
    mkdirSync(join(project, "planted"), { recursive: true });
    writeFileSync(join(project, "planted", `${name}.har`), serializeHar(copy));
  }
  writeFileSync(join(project, "planted", "login-page.har"), "<html>please log in</html>");
  return ["clean", ...Object.keys(PLANTS)];
}

/**
 * `hostup-contract check <files>` in a format, as the installed bin; with `github`, as on GitHub Actions
 * (GITHUB_ACTIONS=true: annotations, on stdout in text format and on stderr otherwise, and a step summary).
 */
export async function runContractCli(
  project: string,
  files: string | readonly string[],
  format: Format,
  tag: string,
  github = false,
): Promise<CliRun> {
  const summaryFile = join(project, `summary-${tag}.md`);
  writeFileSync(summaryFile, "");
  const env = {
    ...process.env,
    GITHUB_ACTIONS: github ? "true" : "",
    GITHUB_STEP_SUMMARY: github ? summaryFile : "",
  };
  const args = [
    "check",
    ...(typeof files === "string" ? [files] : files),
    ...(format === "text" ? [] : ["--format", format]),
  ];
  const bin = join(project, "node_modules", ".bin", "hostup-contract");
  try {
    const { stdout, stderr } = await execFileAsync(bin, args, { cwd: project, env, encoding: "utf8" });
    return { code: 0, stdout, stderr, summary: readFileSync(summaryFile, "utf8") };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== "number") throw error;
    return {
      code: e.code,
      stdout: e.stdout ?? "",
      stderr: e.stderr ?? "",
      summary: readFileSync(summaryFile, "utf8"),
    };
  }
}

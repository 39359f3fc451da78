/**
 * npm run spec:diff end to end in a scratch git repository holding a copy of the project's spec: the default ref
 * (the last release tag, else main), a change planted in the working tree after it, the three output formats,
 * and a ref that does not exist. The TypeScript view is left to spec-diff.test.ts (--no-types here).
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { defaultBase } from "../../scripts/spec-diff/git-ref.js";
import { specDiffCommand } from "../../scripts/spec-diff.js";

const projectRoot = join(import.meta.dirname, "..", "..");
const repo = mkdtempSync(join(tmpdir(), "hostup-spec-diff-repo-"));
afterAll(() => rmSync(repo, { recursive: true, force: true }));

const git = (...args: string[]) =>
  execFileSync(
    "git",
    [
      "-c",
      "user.name=spec-diff test",
      "-c",
      "user.email=test@example.invalid",
      "-c",
      "commit.gpgsign=false",
      ...args,
    ],
    { cwd: repo, stdio: "pipe" },
  ).toString();

async function run(argv: string[]): Promise<{ status: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const status = await specDiffCommand(argv, {
    root: repo,
    write: (text) => {
      out += text;
    },
    writeError: (text) => {
      err += text;
    },
  });
  return { status, out, err };
}

beforeAll(() => {
  for (const path of ["openapi", "redocly.yaml", "package.json"]) {
    cpSync(join(projectRoot, path), join(repo, path), { recursive: true });
  }
  git("init", "-q");
  git("symbolic-ref", "HEAD", "refs/heads/main");
  git("add", ".");
  git("commit", "-q", "-m", "spec as released");
});

describe("spec:diff against a git ref", () => {
  it("compares with main when there is no release tag, and with the last v* tag when there is", () => {
    expect(defaultBase(repo)).toBe("main");
    git("tag", "not-a-release");
    expect(defaultBase(repo)).toBe("main");
    git("tag", "v0.1.0");
    expect(defaultBase(repo)).toBe("v0.1.0");
  });

  it("reports nothing when the working tree's spec is the ref's", async () => {
    const { status, out } = await run(["--no-types", "--format", "json"]);
    expect(status).toBe(0);
    const result = JSON.parse(out);
    expect(result).toMatchObject({ base: "v0.1.0", changes: [], semver: { bump: "none" } });
  });

  it("reports a response field removed in the working tree as breaking, in each format", async () => {
    const file = join(repo, "openapi", "v1", "components", "schemas", "BackupSchedule.yaml");
    const schema = parse(readFileSync(file, "utf8"));
    delete schema.properties.compress;
    schema.required = schema.required.filter((name: string) => name !== "compress");
    writeFileSync(file, stringify(schema));

    const json = await run(["--no-types", "--format", "json"]);
    expect(json.status).toBe(0);
    const result = JSON.parse(json.out);
    expect(result.commit).toBe(git("rev-parse", "v0.1.0").trim());
    expect(
      result.changes.map((c: { impact: string; kind: string; where: string; field: string }) =>
        [c.impact, c.kind, c.where, c.field].join(" "),
      ),
    ).toEqual([
      "breaking field-removed response 200 data.schedules[].compress",
      "breaking field-removed response 200 data.schedule.compress",
    ]);
    expect(result.semver).toMatchObject({ bump: "major", current: "0.1.0", next: "0.2.0" });

    const markdown = await run(["v0.1.0", "--no-types"]);
    expect(markdown.out).toMatch(/^## OpenAPI changes since `v0\.1\.0` \(`[0-9a-f]{7}`\)/);
    expect(markdown.out).toContain("**Semver: major**");
    const changelog = await run(["--no-types", "--format", "changelog"]);
    expect(changelog.out).toBe(
      [
        "### Breaking",
        "",
        "- **v1 getBackupSchedules** (`GET /api/vm/{vmid}/backup-schedules`), response 200 `data.schedules[].compress`: response field removed (was string).",
        "- **v1 saveBackupSchedule** (`POST /api/vm/{vmid}/backup-schedules`), response 200 `data.schedule.compress`: response field removed (was string).",
        "",
      ].join("\n"),
    );
  });

  it("refuses a ref that does not exist, and a bad format (exit 2)", async () => {
    const unknown = await run(["no-such-ref", "--no-types"]);
    expect(unknown.status).toBe(2);
    expect(unknown.err).toContain('unknown git ref "no-such-ref"');
    const format = await run(["--format", "html"]);
    expect(format.status).toBe(2);
    expect(format.err).toContain('--format must be markdown, changelog or json, got "html"');
  });
});

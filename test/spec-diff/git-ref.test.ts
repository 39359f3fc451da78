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
import { bundleOnce } from "./bundles.js";

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
    // each content bundled once: the runs below bundle the same release and the same working tree again
    bundle: bundleOnce,
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

  it("names the ref, the side and the file when a spec cannot be read (exit 2)", async () => {
    // a release in a history of its own, from before the spec existed: no openapi/ at all
    const emptyTree = git("hash-object", "-t", "tree", "-w", "/dev/null").trim();
    git("tag", "no-spec", git("commit-tree", emptyTree, "-m", "before the spec").trim());
    const noSpec = await run(["no-spec", "--no-types"]);
    expect(noSpec.err).toMatch(/^spec:diff: at no-spec \([0-9a-f]{7}\): it has no openapi\/ folder/);
    expect(noSpec.status).toBe(2);

    // a ref whose spec does not bundle: a $ref to a file that is not there
    const file = join(repo, "openapi", "v1", "paths", "api_vm_{vmid}_backup-schedules.yaml");
    const good = readFileSync(file, "utf8");
    const broken = good.replace(
      "../components/schemas/BackupSchedulesResponse.yaml",
      "../components/schemas/Nope.yaml",
    );
    expect(broken).not.toBe(good);
    writeFileSync(file, broken);
    try {
      git("add", file);
      git("tag", "broken", git("commit-tree", git("write-tree").trim(), "-m", "broken").trim());
      git("reset", "-q");
      writeFileSync(file, good);
      const where =
        "openapi/v1/paths/api_vm_{vmid}_backup-schedules.yaml#/get/responses/200/content/application~1json/schema";
      const base = await run(["broken", "--no-types"]);
      expect(base.err).toMatch(/^spec:diff: at broken \([0-9a-f]{7}\): v1 does not bundle: /);
      expect(base.err).toContain(
        `Can't resolve $ref: ENOENT: no such file or directory 'openapi/v1/components/schemas/Nope.yaml' (${where})`,
      );
      expect(base.status).toBe(2);

      writeFileSync(file, broken);
      const tree = await run(["v0.1.0", "--no-types"]);
      expect(tree.err).toMatch(/^spec:diff: in the working tree: v1 does not bundle: /);
      expect(tree.err).toContain(`(${where})`);
      expect(tree.status).toBe(2);
    } finally {
      writeFileSync(file, good);
    }
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

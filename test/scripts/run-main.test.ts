// The drivers' one "run when executed" check (scripts/run-main.ts). The check it replaced, import.meta.url ===
// new URL(`file://${process.argv[1]}`).href, silently did nothing through a symlinked checkout (exit 0, no output)
// and for folders whose names hold "#" or "%".
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { failureText, isMainModule } from "../../scripts/run-main.js";
import { StepFailed } from "../../scripts/tool-process.js";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "hostup-run-main-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("isMainModule", () => {
  const odd = join(dir, "a#b%20c d");
  mkdirSync(odd);
  const file = join(odd, "driver.ts");
  writeFileSync(file, "");
  const url = pathToFileURL(file).href;
  symlinkSync(odd, join(dir, "link"), "dir");

  it.each([
    ["the absolute path", file],
    ["a relative path", relative(process.cwd(), file)],
    ["a path through a symlink", join(dir, "link", "driver.ts")],
    ["a path with ./ and ..", join(odd, ".", "..", "a#b%20c d", "driver.ts")],
  ])("is true for %s", (_what, entry) => {
    expect(isMainModule(url, entry)).toBe(true);
  });

  it("is false for another file, or no program path", () => {
    expect(isMainModule(url, join(dir, "other.ts"))).toBe(false);
    expect(isMainModule(url, undefined)).toBe(false);
  });
});

describe("a driver run through a symlinked checkout", () => {
  it("runs (npm run record with an unknown scenario: exit 2 and the list of known ones)", () => {
    const link = join(dir, "checkout");
    symlinkSync(root, link, "dir");
    const result = spawnSync(
      process.execPath,
      [
        join(root, "node_modules", "tsx", "dist", "cli.mjs"),
        join(link, "scripts", "record.ts"),
        "no-such-scenario",
      ],
      { cwd: dir, encoding: "utf8", env: { ...process.env, HOSTUP_API_KEY: "", HOSTUP_TOKEN: "" } },
    );
    expect(result.stderr).toContain("unknown scenario(s): no-such-scenario");
    expect(result.status).toBe(2);
  });
});

describe("failureText", () => {
  it("a failed step is its message alone (npm run contract on a spec that does not bundle printed a stack)", () => {
    expect(failureText(new StepFailed("bundle: v2 does not bundle: x.yaml"))).toBe(
      "✘ bundle: v2 does not bundle: x.yaml",
    );
  });

  it("anything else keeps its stack: a bug of ours", () => {
    const bug = new TypeError("boom");
    expect(failureText(bug)).toBe(bug.stack);
    expect(failureText("plain")).toBe("plain");
  });
});

// Biome (format and lint) over the project, as one of the test files: it runs beside the others instead of before
// them (`npm test` used to wait for it), and its report is the test's failure message. `npm run lint:ts` runs it
// on its own.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
/** Biome's own launcher, run with this Node (node_modules/.bin/biome is a link on POSIX, a .cmd on Windows). */
const biome = join(root, "node_modules", "@biomejs", "biome", "bin", "biome");

/** `biome check <args>` in the project, with `input` on stdin: its exit code and its report. */
function check(args: string[], input?: string): Promise<{ code: number; report: string }> {
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      [biome, "check", "--colors=off", ...args],
      { cwd: root },
      (error, stdout, stderr) =>
        done({ code: error ? Number(error.code ?? 1) : 0, report: `${stdout}${stderr}` }),
    );
    child.stdin?.end(input ?? "");
  });
}

describe.concurrent("biome check", () => {
  it("finds nothing to fix in the project", async () => {
    const { code, report } = await check(["."]);
    expect(code, report).toBe(0);
  });

  it("fails on a file it would format differently (planted)", async () => {
    const { code, report } = await check(["--stdin-file-path=planted.ts"], "const  planted =1\n");
    expect(code).not.toBe(0);
    expect(report).toMatch(/contents aren't fixed/);
  });
});

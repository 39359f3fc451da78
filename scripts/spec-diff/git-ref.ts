/**
 * The OpenAPI sources of the project at a git ref, written to a folder: `git archive` of `openapi/` and
 * `redocly.yaml` (what the in-process bundler reads), so the working tree and its index are left alone.
 */
import { spawnSync } from "node:child_process";

function git(args: string[], cwd: string): { status: number | null; stdout: Buffer; stderr: string } {
  const result = spawnSync("git", args, { cwd, maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw new Error(`git could not start: ${result.error.message}`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.toString().trim() };
}

/** The ref to compare with by default: the last release tag (v1.2.3) before HEAD, else `main`. */
export function defaultBase(cwd: string): string {
  const tag = git(["describe", "--tags", "--abbrev=0", "--match", "v[0-9]*"], cwd);
  if (tag.status === 0) return tag.stdout.toString().trim();
  for (const candidate of ["main", "origin/main"]) {
    if (git(["rev-parse", "--verify", "--quiet", `${candidate}^{commit}`], cwd).status === 0)
      return candidate;
  }
  throw new Error("no release tag (v*) and no main branch to compare with: name a git ref");
}

/**
 * The commit to compare with: where HEAD's history meets `ref` (git merge-base), so that a branch behind `main`
 * is compared with what it started from, not with what `main` gained since; for a release tag in HEAD's past,
 * the tag itself.
 */
export function baseCommit(ref: string, cwd: string): string {
  const commit = git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], cwd);
  if (commit.status !== 0) {
    throw new Error(
      `unknown git ref "${ref}" (in a shallow clone, fetch it first: git fetch --tags origin main, or check out with fetch-depth: 0)`,
    );
  }
  const mergeBase = git(["merge-base", ref, "HEAD"], cwd);
  return (mergeBase.status === 0 ? mergeBase.stdout : commit.stdout).toString().trim();
}

/** Writes the commit's openapi/ and redocly.yaml into `dir` (which must exist). */
export function extractSpecSources(ref: string, cwd: string, dir: string): void {
  const listed = git(["ls-tree", "--name-only", ref, "--", "openapi", "redocly.yaml"], cwd);
  const paths = listed.stdout.toString().split("\n").filter(Boolean);
  if (!paths.includes("openapi")) throw new Error("it has no openapi/ folder: nothing to compare with");
  const archive = git(["archive", "--format=tar", ref, "--", ...paths], cwd);
  if (archive.status !== 0) throw new Error(`git archive ${ref} failed: ${archive.stderr}`);
  const tar = spawnSync("tar", ["-x", "-C", dir], { input: archive.stdout });
  if (tar.error || tar.status !== 0) {
    throw new Error(`tar could not unpack ${ref}: ${tar.error?.message ?? tar.stderr.toString().trim()}`);
  }
}

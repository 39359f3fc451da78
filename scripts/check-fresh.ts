// `npm run check:fresh [-- --keep]`: the Quickstart on a machine that has never seen this project. Clones the
// committed HEAD of this checkout into a temporary folder and runs `npm ci`, `npm run generate` (which must leave
// the clone as committed) and `npm test` there, with HOME and the npm cache pointing at new empty folders, so
// nothing from this machine's npm cache, config or earlier installs can help. Only `npm ci` uses the network
// (the registry); the tests themselves never do. ~/.npmrc is copied into the new HOME when there is one (it may
// name the registry, a proxy or a CA). HOSTUP_API_DOCS is passed on when set.
// Exit codes: 0 passed (the folder is removed unless --keep), 1 a step failed (the folder is kept and named),
// 2 usage.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runMain } from "./run-main.js";

const ROOT = resolve(import.meta.dirname, "..");

function git(args: string[], cwd: string): string {
  const result = spawnSync("git", args, { cwd, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`git ${args.join(" ")} failed:\n${result.stderr}`);
  return result.stdout.trim();
}

/** This process's environment without npm's own variables (npm run sets the cache, the user config...). */
function freshEnv(home: string, cache: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(npm_|INIT_CWD$|XDG_)/i.test(name)) env[name] = value;
  }
  return {
    ...env,
    HOME: home,
    npm_config_cache: cache,
    npm_config_userconfig: join(home, ".npmrc"),
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_CACHE_HOME: join(home, ".cache"),
    ...(process.env.HOSTUP_API_DOCS ? { HOSTUP_API_DOCS: resolve(process.env.HOSTUP_API_DOCS) } : {}),
  };
}

function main(argv: string[]): number {
  const unknown = argv.filter((a) => a !== "--keep");
  if (unknown.length > 0) {
    console.error(`unknown argument(s): ${unknown.join(" ")}\nusage: npm run check:fresh [-- --keep]`);
    return 2;
  }
  const keep = argv.includes("--keep");
  const head = git(["rev-parse", "HEAD"], ROOT);
  if (git(["status", "--porcelain", "--untracked-files=no"], ROOT) !== "") {
    console.warn("note: uncommitted changes are not part of the check (it clones the committed HEAD)");
  }
  const base = mkdtempSync(join(tmpdir(), "hostup-api-fresh-"));
  const clone = join(base, "hostup-api");
  const home = join(base, "home");
  const cache = join(base, "npm-cache");
  mkdirSync(home);
  mkdirSync(cache);
  const npmrc = join(homedir(), ".npmrc");
  if (existsSync(npmrc)) copyFileSync(npmrc, join(home, ".npmrc"));
  git(["clone", "--quiet", "--no-hardlinks", ROOT, clone], base);
  git(["checkout", "--quiet", "--detach", head], clone);
  console.log(`fresh clone of ${head.slice(0, 12)} in ${clone}`);
  console.log(`HOME=${home} npm_config_cache=${cache}${existsSync(npmrc) ? " (~/.npmrc copied)" : ""}`);
  if (!process.env.HOSTUP_API_DOCS) console.log("HOSTUP_API_DOCS is not set: the reference-page tests skip");

  const env = freshEnv(home, cache);
  // each `git status` proves the step before it left the clone as committed
  const steps: [string, string[]][] = [
    ["npm", ["ci", "--no-audit", "--no-fund"]],
    ["npm", ["run", "generate"]],
    ["git", ["status", "--porcelain"]],
    ["npm", ["test"]],
    ["git", ["status", "--porcelain"]],
  ];
  const started = Date.now();
  let previous = "";
  for (const [command, args] of steps) {
    const step = `${command} ${args.join(" ")}`;
    console.log(`\n== ${step}`);
    const t0 = Date.now();
    const result = spawnSync(command, args, {
      cwd: clone,
      env,
      encoding: "utf8",
      stdio: command === "git" ? "pipe" : "inherit",
    });
    const failed =
      result.status !== 0 ||
      // `npm run generate` must leave the clone as committed (the generated files in git are fresh), and so must
      // `npm test`
      (command === "git" && result.stdout.trim() !== "");
    if (failed) {
      if (command === "git") console.error(`${previous} changed the clone:\n${result.stdout}`);
      console.error(
        `\nFAILED: ${step} (exit ${result.status ?? result.signal}); the clone is kept in ${base}`,
      );
      return 1;
    }
    console.log(`== ${step}: ok (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    previous = step;
  }
  console.log(`\nfresh-machine check passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (keep) console.log(`kept: ${base}`);
  else rmSync(base, { recursive: true, force: true });
  return 0;
}

runMain(import.meta.url, main);

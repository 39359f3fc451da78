// "Run when executed": the one check every driver uses, so that `tsx scripts/x.ts` runs it and an import (a test, the
// bench) does not. Compares real paths, not `file://${argv[1]}` (which misreads a relative path, a symlinked
// checkout, or a folder whose name holds "#" or "%").
import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { StepFailed } from "./tool-process.js";

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Whether the module at `moduleUrl` (its import.meta.url) is the program Node was started with (`entry`, argv[1]). */
export function isMainModule(moduleUrl: string, entry: string | undefined = process.argv[1]): boolean {
  if (!entry) return false;
  return realPath(resolve(entry)) === realPath(fileURLToPath(moduleUrl));
}

/**
 * What a driver prints for an exception out of its `main`: a failed step (StepFailed: a tool, a spec that does not
 * bundle) says what went wrong and what to do in its message alone; anything else is our bug, with its stack.
 */
export function failureText(error: unknown): string {
  if (error instanceof StepFailed) return `✘ ${error.message}`;
  return error instanceof Error ? (error.stack ?? String(error)) : String(error);
}

/**
 * Runs `main(argv)` when the calling module is the program, and sets the exit code it returns; an exception is
 * printed (failureText) and exits 1.
 */
export function runMain(moduleUrl: string, main: (argv: string[]) => number | Promise<number>): void {
  if (!isMainModule(moduleUrl)) return;
  Promise.resolve()
    .then(() => main(process.argv.slice(2)))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (error: unknown) => {
        console.error(failureText(error));
        process.exitCode = 1;
      },
    );
}

#!/usr/bin/env node
// hostup-contract: see command.ts, or run hostup-contract --help.
import { EXIT } from "./check.js";
import { runCli } from "./command.js";

try {
  process.exitCode = runCli(process.argv.slice(2), {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
} catch (error) {
  // not exit 1, which means drift
  process.stderr.write(`hostup-contract: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exitCode = EXIT.internal;
}

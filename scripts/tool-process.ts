/**
 * The tools of the generate scripts (Redocly's CLI, the TypeScript compilers) run as child processes of this Node,
 * by the path of their bin: waited for (`run`) or side by side (`runAsync`). A failure throws `StepFailed`
 * with the tool's output, cleaned of colours and of Redocly's Node 20 banner.
 */
import { spawn, spawnSync } from "node:child_process";
import { relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");

/** A tool failed or a generated file is stale: the message says what to do, a stack would not help. */
export class StepFailed extends Error {}

// Redocly prints a Node 20 end-of-life banner on every run; it is noise in our logs, not an error.
const redoclyBanner = /^\s*[╔║╚].*$/gmu;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI colour codes is the point
const ansiColours = /\u001b\[[0-9;]*m/g;

const toolEnv = () => ({
  ...process.env,
  REDOCLY_TELEMETRY: "off",
  REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
  NO_COLOR: "1",
});

const clean = (output: string) =>
  output
    .replace(ansiColours, "")
    .replace(redoclyBanner, "")
    .replace(/\n{3,}/g, "\n\n");

export interface RunOptions {
  quiet?: boolean;
  cwd?: string;
}

function finish(
  script: string,
  args: string[],
  status: number | null,
  output: string,
  startError: Error | undefined,
  quiet: boolean,
): string {
  const name = relative(root, script);
  if (startError) throw new StepFailed(`${name} could not start: ${startError.message}`);
  if (status !== 0) throw new StepFailed(`${name} ${args.join(" ")} exited ${status}\n${output.trim()}`);
  if (!quiet && output.trim()) console.log(indent(output.trim()));
  return output;
}

/** Runs a Node script (a tool's bin) and waits; throws its output when it fails. */
export function run(script: string, args: string[], { quiet = false, cwd = root }: RunOptions = {}): string {
  const result = spawnSync(process.execPath, [script, ...args], { cwd, encoding: "utf8", env: toolEnv() });
  const output = clean(`${result.stdout ?? ""}${result.stderr ?? ""}`);
  return finish(script, args, result.status, output, result.error, quiet);
}

/** `run` without blocking this process: what runs side by side uses it. */
export function runAsync(
  script: string,
  args: string[],
  { quiet = false, cwd = root }: RunOptions = {},
): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [script, ...args], { cwd, env: toolEnv() });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", (error) => {
      try {
        finish(script, args, null, "", error, quiet);
      } catch (failure) {
        fail(failure);
      }
    });
    child.once("close", (status) => {
      try {
        done(finish(script, args, status, clean(output), undefined, quiet));
      } catch (failure) {
        fail(failure);
      }
    });
  });
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
}

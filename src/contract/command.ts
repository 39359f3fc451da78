// The `hostup-contract` command (bin: cli.ts): checks recorded HTTP traffic (HAR files from your tests against the
// mock, a browser or a proxy) against the HostUp descriptions this package ships.
import { appendFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DEFAULT_BASE_URL } from "../options.js";
import { VERSION } from "../version.js";
import { checkRecordings, EXIT, type ExitCode } from "./check.js";
import { annotations, summaryMarkdown } from "./github.js";
import { HarFormatError } from "./har.js";
import { harFiles, type Recording, RecordingPathError, readRecordings } from "./recordings.js";
import { formatReport, REPORT_FORMATS, type ReportFormat } from "./reports.js";
import { loadSpecs } from "./spec.js";

export const HELP = `Usage: hostup-contract check <har file or folder>... [options]

Checks every exchange of the HAR files (a folder: every *.har under it) against the HostUp v1 and v2
descriptions shipped with hostup-api, strictly: an undeclared property, a wrong type, an undocumented status
or an unknown operation is drift. Scans the files for credentials, and prints which operation x status pairs
the traffic exercised.

Options:
  --format <text|json|junit>  report on stdout (default text)
  --origin <url>              check only entries sent to this origin (repeatable), e.g. for a browser's HAR:
                              --origin ${DEFAULT_BASE_URL}
  --secret-env <NAME>         also look for the value of this environment variable, in any encoding (repeatable)
  -h, --help                  show this help
  -v, --version               print the version

On GitHub Actions (GITHUB_ACTIONS=true) each finding is also an ::error annotation (on stdout with --format
text, on stderr otherwise), and a Markdown summary is appended to $GITHUB_STEP_SUMMARY.

Exit codes:
  ${EXIT.clean}  clean: no drift, no secrets
  ${EXIT.drift}  drift: at least one finding against the spec
  ${EXIT.secrets}  secrets: a file holds what looks like a credential (takes precedence over drift)
  ${EXIT.usage}  usage error: bad arguments, a missing path, a file that is not HAR or an entry member of the
     wrong type; nothing was checked
  ${EXIT.internal} internal error in hostup-contract (please report it)`;

export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

function usage(io: CliIo, message: string): ExitCode {
  io.stderr(`hostup-contract: ${message}\nRun hostup-contract --help for usage.\n`);
  return EXIT.usage;
}

export function runCli(argv: string[], io: CliIo): ExitCode {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    return usage(io, (error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(`${HELP}\n`);
    return EXIT.clean;
  }
  if (values.version) {
    io.stdout(`${VERSION}\n`);
    return EXIT.clean;
  }
  const [command, ...paths] = positionals;
  if (command !== "check") return usage(io, command ? `unknown command "${command}"` : "no command given");
  if (paths.length === 0) return usage(io, "check needs at least one HAR file or folder");
  const format = (values.format ?? "text") as ReportFormat;
  if (!REPORT_FORMATS.includes(format))
    return usage(io, `--format must be one of ${REPORT_FORMATS.join(", ")}, got "${values.format}"`);
  for (const origin of values.origin ?? []) {
    if (!URL.canParse(origin))
      return usage(io, `--origin must be a URL such as ${DEFAULT_BASE_URL}, got "${origin}"`);
  }
  const secrets: string[] = [];
  for (const name of values["secret-env"] ?? []) {
    const value = io.env[name];
    if (!value) return usage(io, `--secret-env ${name}: the environment variable is not set`);
    // as the client refuses such a key: every occurrence of "a" in the files would be a finding
    if (value.trim().length < 8)
      return usage(
        io,
        `--secret-env ${name}: the value has fewer than 8 characters (a shorter one would match unrelated text)`,
      );
    secrets.push(value);
  }

  let recordings: Recording[];
  try {
    const files = harFiles(paths);
    if (files.length === 0) return usage(io, `no .har files in ${paths.join(", ")}`);
    recordings = readRecordings(files);
  } catch (error) {
    if (error instanceof HarFormatError || error instanceof RecordingPathError)
      return usage(io, error.message);
    throw error;
  }
  const result = checkRecordings(loadSpecs(), recordings, {
    ...(values.origin ? { origins: values.origin } : {}),
    secrets,
  });
  io.stdout(formatReport(result, format));
  if (io.env.GITHUB_ACTIONS === "true") {
    const commands = annotations(result, recordings);
    if (format === "text") io.stdout(commands);
    else io.stderr(commands);
    if (io.env.GITHUB_STEP_SUMMARY) appendFileSync(io.env.GITHUB_STEP_SUMMARY, summaryMarkdown(result));
  }
  return result.exitCode;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: "string" },
      origin: { type: "string", multiple: true },
      "secret-env": { type: "string", multiple: true },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "v" },
    },
  });
}

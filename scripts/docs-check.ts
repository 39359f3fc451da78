/**
 * `npm run docs:check`: HostUp's reference pages against the spec. For every operation of the bundled specs it
 * reads the page its `externalDocs.url` names (fetched now and saved to .cache/reference-pages/, or read from a
 * folder with `--pages DIR`), and reports every difference that the reviewed departures list does not declare.
 *
 *   npm run docs:check                        fetch the published pages
 *   npm run docs:check -- --pages DIR         read DIR instead (files named <page>.md / <page>.txt, or as
 *                                             scripts/reference-pages/local-copies.ts maps them)
 *   npm run docs:check -- --format json       the result as JSON
 *
 * Exit status: 0 when the spec and the pages agree, 1 when they differ (or a departure is no longer needed),
 * 2 when the check could not run (bad option, unreadable page, a spec that does not bundle, no page read at all).
 */

import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { OpenApiDoc } from "../src/contract/spec.js";
import { bundleApis } from "./bundle-in-process.js";
import { checkReferencePages } from "./docs-check/check.js";
import { loadDepartures } from "./docs-check/departures.js";
import { formatJson, formatText } from "./docs-check/report.js";
import { fetchSource, folderSource } from "./reference-pages/sources.js";
import { runMain } from "./run-main.js";

const projectRoot = resolve(fileURLToPath(import.meta.url), "..", "..");

export const usage = `Usage: npm run docs:check -- [--pages DIR] [--format text|json] [--cache DIR] [--origin URL]
  --pages DIR      read the pages from DIR instead of fetching them
  --format FORMAT  text (default) or json
  --cache DIR      where fetched pages are saved (default .cache/reference-pages)
  --origin URL     fetch every page from this origin instead of its own (a mirror)
  --departures F   the reviewed departures list (default openapi/reference-page-departures.yaml)`;

export interface Io {
  root?: string;
  write?: (text: string) => void;
  writeError?: (text: string) => void;
  fetch?: typeof globalThis.fetch;
  /** The bundled specs of `root`, when the caller already has them (tests that check many page folders). */
  specs?: Map<string, OpenApiDoc>;
}

/** Runs docs:check with command-line arguments; resolves to the exit status. */
export async function docsCheck(argv: string[], io: Io = {}): Promise<number> {
  const root = io.root ?? projectRoot;
  const write = io.write ?? ((text) => process.stdout.write(text));
  const writeError = io.writeError ?? ((text) => process.stderr.write(text));
  let options: { pages?: string; format: string; cache: string; origin?: string; departures: string };
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        pages: { type: "string" },
        format: { type: "string", default: "text" },
        cache: { type: "string", default: join(".cache", "reference-pages") },
        origin: { type: "string" },
        departures: { type: "string", default: join("openapi", "reference-page-departures.yaml") },
        help: { type: "boolean" },
      },
    });
    if (values.help) {
      write(`${usage}\n`);
      return 0;
    }
    if (values.format !== "text" && values.format !== "json") {
      throw new Error(`--format must be text or json, got "${values.format}"`);
    }
    if (values.origin !== undefined && !/^https?:\/\/[^/]+\/?$/.test(values.origin)) {
      throw new Error(`--origin must be an origin such as http://127.0.0.1:8080, got "${values.origin}"`);
    }
    options = values as typeof options;
  } catch (error) {
    writeError(`docs:check: ${(error as Error).message}\n${usage}\n`);
    return 2;
  }
  try {
    const departuresFile = resolve(root, options.departures);
    const departures = loadDepartures(departuresFile);
    const source = options.pages
      ? folderSource(resolve(root, options.pages))
      : fetchSource({
          cacheDir: resolve(root, options.cache),
          ...(options.origin ? { origin: options.origin } : {}),
          ...(io.fetch ? { fetch: io.fetch } : {}),
        });
    const specs = io.specs ?? (await bundleApis(root));
    const result = await checkReferencePages({ specs, source, departures });
    // A folder with no page of any operation (the wrong folder, an empty cache) would otherwise "agree" with
    // the spec; a site without the pages reports each as not found instead.
    if (source.kind === "folder" && !result.operations.some((op) => op.readFrom)) {
      throw new Error(
        `read no reference page of the ${result.operations.length} operations from ${result.source}: ` +
          "is it the folder of saved pages (files named <page>.md or <page>.txt, e.g. get-v2-vps.md)?",
      );
    }
    const shown = relative(root, departuresFile);
    write(options.format === "json" ? formatJson(result, shown) : formatText(result, shown));
    return result.ok ? 0 : 1;
  } catch (error) {
    writeError(`docs:check: ${(error as Error).message}\n`);
    return 2;
  }
}

runMain(import.meta.url, (argv) => docsCheck(argv));

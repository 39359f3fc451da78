// Recordings on disk: the HAR files a user names (files, or folders searched for *.har), their entries as
// exchanges, and every exchange checked against the description it belongs to.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { DriftFinding } from "./findings.js";
import { type Exchange, type Har, type HarEntry, parseHar, toExchange } from "./har.js";
import { contentEncodingOf, harBodyText } from "./har-body.js";
import { specFor } from "./match.js";
import { scrubSecrets } from "./scrub.js";
import type { LoadedSpec } from "./spec.js";
import { validateExchange } from "./validate.js";

/** A path the caller named that cannot be read (missing, unreadable): a usage error, like a file that is not HAR. */
export class RecordingPathError extends Error {
  override name = "RecordingPathError";
}

export interface Recording {
  /** The path as named (or found under a named folder). */
  file: string;
  /** The file's text, as the secret scan reads it. */
  text: string;
  har: Har;
}

export interface RecordedExchange {
  file: string;
  /** Index in log.entries. */
  entry: number;
  har: HarEntry;
  exchange: Exchange;
}

export interface ExchangeFinding extends DriftFinding {
  file: string;
  entry: number;
}

function harFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((d) => {
      const path = join(dir, d.name);
      if (d.isDirectory())
        return d.name === "node_modules" || d.name.startsWith(".") ? [] : harFilesUnder(path);
      return d.isFile() && d.name.toLowerCase().endsWith(".har") ? [path] : [];
    });
}

/** The files to check: each named file as it is (whatever its name), each named folder's *.har files, recursively. */
export function harFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch (error) {
      throw new RecordingPathError(
        `${path}: no such file or folder (${(error as NodeJS.ErrnoException).code})`,
      );
    }
    out.push(...(isDirectory ? harFilesUnder(path) : [path]));
  }
  return [...new Set(out)];
}

/** Reads and parses each file; a file that is not HAR throws HarFormatError naming it. */
export function readRecordings(files: readonly string[]): Recording[] {
  return files.map((file) => {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw new RecordingPathError(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code})`);
    }
    return { file, text, har: parseHar(text, file) };
  });
}

/**
 * The entry with each of `secrets` (in any encoding) replaced in its URL and bodies, a base64 body decoded (and
 * decompressed) first: what
 * the checks then report can show no credential. Used only when a secret was found, so the checks are otherwise
 * unchanged.
 */
function withoutSecrets(entry: HarEntry, secrets: string[]): HarEntry {
  const { postData } = entry.request;
  const requestText = harBodyText(postData, contentEncodingOf(entry.request.headers));
  const content = entry.response.content;
  const text = harBodyText(content, contentEncodingOf(entry.response.headers));
  const { encoding: _decoded, ...plain } = content ?? { size: 0, mimeType: "" };
  const { encoding: _decodedRequest, ...plainPostData } = postData ?? { mimeType: "", text: "" };
  return {
    ...entry,
    request: {
      ...entry.request,
      url: scrubSecrets(entry.request.url, secrets),
      ...(postData && requestText !== undefined
        ? { postData: { ...plainPostData, text: scrubSecrets(requestText, secrets) } }
        : {}),
    },
    response: {
      ...entry.response,
      ...(content && text !== undefined ? { content: { ...plain, text: scrubSecrets(text, secrets) } } : {}),
    },
  };
}

/**
 * The entries of `recordings` as exchanges. With `origins` (e.g. ["https://cloud.hostup.se"]), only the entries sent
 * to one of them: a browser's or a proxy's HAR holds every other site's traffic too. With `hide`, those values are
 * replaced first (see withoutSecrets).
 */
export function exchangesOf(
  recordings: readonly Recording[],
  options: { origins?: readonly string[]; hide?: string[] } = {},
): { exchanges: RecordedExchange[]; skipped: number } {
  const origins = options.origins?.map((o) => new URL(o).origin);
  const exchanges: RecordedExchange[] = [];
  let skipped = 0;
  for (const { file, har } of recordings) {
    har.log.entries.forEach((entry, index) => {
      if (origins && !origins.includes(new URL(entry.request.url).origin)) {
        skipped++;
        return;
      }
      const checked = options.hide ? withoutSecrets(entry, options.hide) : entry;
      exchanges.push({ file, entry: index, har: entry, exchange: toExchange(checked) });
    });
  }
  return { exchanges, skipped };
}

/** Every exchange against the description it belongs to (specFor), strictly. */
export function checkExchanges(
  specs: readonly LoadedSpec[],
  exchanges: readonly RecordedExchange[],
): ExchangeFinding[] {
  return exchanges.flatMap(({ file, entry, exchange }) =>
    validateExchange(specFor(specs, exchange), exchange).map((f) => ({ ...f, file, entry })),
  );
}

/**
 * Where docs:check reads HostUp's reference pages from: a folder of copies (`--pages DIR`), or the published
 * pages themselves, each saved to a cache folder as it is read so that the run can be repeated offline
 * (`--pages <cache>`) and the pages diffed by hand.
 *
 * A page is fetched as its `.md` copy (the address plus `.md`, the richest rendering); when that does not exist,
 * the page itself, whose HTML is reduced to text (the field-lines or run-together rendering).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { localCopies } from "./local-copies.js";

export interface PageText {
  text: string;
  /** The file or address it was read from. */
  from: string;
}

export interface PageSource {
  /** A folder may hold only some pages; a page the published site lacks is gone. */
  kind: "folder" | "published";
  /** For the report: where pages come from. */
  describe: string;
  /** The page `name` (at `url`); undefined when the source does not have it. */
  read(name: string, url: string): Promise<PageText | undefined>;
}

/** Pages from a folder: `<name>.md`, `<name>.txt`, or the file `localCopies` names for it. */
export function folderSource(
  dir: string,
  copies: Readonly<Record<string, string>> = localCopies,
): PageSource {
  if (!existsSync(dir)) throw new Error(`--pages ${dir}: no such folder`);
  return {
    kind: "folder",
    describe: `the folder ${dir}`,
    async read(name) {
      const candidates = [`${name}.md`, `${name}.txt`, ...(copies[name] ? [copies[name]] : [])];
      for (const file of candidates) {
        const path = join(dir, file);
        if (existsSync(path)) return { text: readFileSync(path, "utf8"), from: path };
      }
      return undefined;
    },
  };
}

export interface FetchOptions {
  /** Where each page read is saved as `<name>.md` or `<name>.txt`. */
  cacheDir: string;
  /** Read every page from this origin instead of its own (a mirror; the tests' loopback server). */
  origin?: string;
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
}

/** The most a page may weigh: a page is a few tens of kB; more means something else answered. */
const maxBytes = 5_000_000;

export class PageFetchError extends Error {}

/** The published pages, fetched now and saved to `cacheDir`. */
export function fetchSource({
  cacheDir,
  origin,
  fetch = globalThis.fetch,
  timeoutMs = 30_000,
}: FetchOptions): PageSource {
  const get = async (url: string, hops = 0): Promise<{ status: number; type: string; body: string }> => {
    const signal = AbortSignal.timeout(timeoutMs);
    const timedOut = (error: unknown) =>
      signal.aborted
        ? new PageFetchError(`GET ${url}: no complete answer within ${timeoutMs} ms`)
        : new PageFetchError(`GET ${url} failed: ${(error as Error).message}`);
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { accept: "text/markdown, text/plain;q=0.9, text/html;q=0.8" },
        signal,
        // a mirror (--origin) was asked for: a redirect off it would reach another host
        ...(origin ? { redirect: "manual" as const } : {}),
      });
    } catch (error) {
      throw timedOut(error);
    }
    const location = response.headers.get("location");
    if (origin && response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel().catch(() => undefined);
      const target = new URL(location, url);
      if (target.origin !== new URL(url).origin)
        throw new PageFetchError(`GET ${url} redirected to ${target.origin}: not followed`);
      if (hops >= 5) throw new PageFetchError(`GET ${url}: more than 5 redirects`);
      return get(target.href, hops + 1);
    }
    const length = Number(response.headers.get("content-length") ?? 0);
    if (length > maxBytes) {
      await response.body?.cancel();
      throw new PageFetchError(`GET ${url}: ${length} bytes, more than a reference page can be`);
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      return { status: response.status, type: response.headers.get("content-type") ?? "", body: "" };
    }
    // read at most maxBytes: a body without Content-Length may never end
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw new PageFetchError(`GET ${url}: more than ${maxBytes} bytes`);
        }
        chunks.push(value);
      }
    } catch (error) {
      throw error instanceof PageFetchError ? error : timedOut(error);
    }
    const body = new TextDecoder().decode(Buffer.concat(chunks));
    return { status: response.status, type: response.headers.get("content-type") ?? "", body };
  };
  const save = (file: string, text: string): string => {
    mkdirSync(cacheDir, { recursive: true });
    const path = join(cacheDir, file);
    writeFileSync(path, text);
    return path;
  };
  return {
    kind: "published",
    describe: `${origin ?? "each operation's externalDocs.url"} (saved to ${cacheDir})`,
    async read(name, url) {
      const address = origin ? new URL(new URL(url).pathname, origin).href : url;
      const markdown = await get(`${address}.md`);
      // A site may answer a missing .md with its HTML "not found" page and a 200.
      if (markdown.status === 200 && !/text\/html/.test(markdown.type)) {
        save(`${name}.md`, markdown.body);
        return { text: markdown.body, from: `${address}.md` };
      }
      if (markdown.status !== 200 && markdown.status !== 404) {
        throw new PageFetchError(`GET ${address}.md answered ${markdown.status}`);
      }
      const page = await get(address);
      if (page.status === 404 || page.status === 410) return undefined;
      if (page.status !== 200) throw new PageFetchError(`GET ${address} answered ${page.status}`);
      const text = /text\/html/.test(page.type) ? htmlToText(page.body) : page.body;
      save(`${name}.txt`, text);
      return { text, from: address };
    },
  };
}

const entities: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  middot: "·",
  hellip: "…",
  ndash: "–",
  mdash: "—",
  lsquo: "‘",
  rsquo: "’",
  ldquo: "“",
  rdquo: "”",
};

/**
 * The text of an HTML page, one block a line: what a browser's "copy all" gives, which is the rendering the
 * field-lines parser reads. Scripts and styles are dropped.
 */
export function htmlToText(html: string): string {
  return withoutTags(withoutBlocks(html))
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
      const code =
        entity.startsWith("#x") || entity.startsWith("#X")
          ? Number.parseInt(entity.slice(2), 16)
          : entity.startsWith("#")
            ? Number(entity.slice(1))
            : undefined;
      if (code === undefined) return entities[entity.toLowerCase()] ?? whole;
      // a number no character has (&#99999999;) stays as it was written
      return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    })
    .split("\n")
    .map((line) => line.replace(/[ \t]+/g, " ").trim())
    .join("\n")
    .replace(/\n{2,}/g, "\n")
    .trim();
}

/**
 * `html` without comments, scripts, styles, noscript and template elements. Scanned with indexOf, not a lazy
 * regex: with many an opening and no close (`<!--` repeated), a regex retries to the end from each, quadratic in
 * the page's size. An element left open runs to the end of the page, as a browser reads it.
 */
function withoutBlocks(html: string): string {
  const open = /<!--|<(script|style|noscript|template)\b/gi;
  let out = "";
  let from = 0;
  for (;;) {
    open.lastIndex = from;
    const match = open.exec(html);
    if (!match) return out + html.slice(from);
    out += html.slice(from, match.index);
    const name = match[1]?.toLowerCase() ?? "";
    const close = name ? new RegExp(`</${name}>`, "gi") : /-->/g;
    close.lastIndex = match.index + match[0].length;
    if (!close.exec(html)) return out;
    from = close.lastIndex;
  }
}

const blockTag =
  /^<\/?(p|div|li|ul|ol|h[1-6]|tr|table|section|article|header|footer|pre|dt|dd|dl|main|nav|br)\b/i;

/** Every tag removed (a block's and `<br>` become a line break), in one pass (see withoutBlocks). */
function withoutTags(html: string): string {
  let out = "";
  let from = 0;
  for (;;) {
    const start = html.indexOf("<", from);
    const end = start < 0 ? -1 : html.indexOf(">", start + 1);
    if (end < 0) return out + html.slice(from);
    if (end === start + 1) {
      out += html.slice(from, end + 1); // "<>" is text
      from = end + 1;
      continue;
    }
    out += html.slice(from, start) + (blockTag.test(html.slice(start, end)) ? "\n" : "");
    from = end + 1;
  }
}

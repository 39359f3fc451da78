// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) reading and writing: what a browser, a proxy, the
// mock's recorder or record mode writes, turned into exchanges the validator reads; and the builder of entries that
// the fixture builder, the recorders and the normaliser share.
import { readFileSync, writeFileSync } from "node:fs";
import { printable } from "../printable.js";
import { contentEncodingOf, harBodyText } from "./har-body.js";
import { entryProblem } from "./har-shape.js";

export interface HarNameValue {
  name: string;
  value: string;
}

export interface HarPostData {
  mimeType: string;
  /** HAR 1.2: "plain text posted data"; base64 when `encoding` says so. */
  text: string;
  /**
   * "base64" when the body is stored encoded (HAR 1.3's proposal, as `content.encoding` in 1.2): a binary body, or a
   * proxy's bytes as sent, compressed as the request's Content-Encoding says (see har-body.ts).
   */
  encoding?: string;
}

export interface HarRequest {
  method: string;
  url: string;
  httpVersion: string;
  cookies: HarNameValue[];
  headers: HarNameValue[];
  queryString: HarNameValue[];
  postData?: HarPostData;
  headersSize: number;
  bodySize: number;
}

export interface HarContent {
  size: number;
  mimeType: string;
  text?: string;
  /** "base64" when a browser stored a binary body encoded, or a proxy the bytes as sent (see har-body.ts). */
  encoding?: string;
}

export interface HarResponse {
  status: number;
  statusText: string;
  httpVersion: string;
  cookies: HarNameValue[];
  headers: HarNameValue[];
  content: HarContent;
  redirectURL: string;
  headersSize: number;
  bodySize: number;
}

export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: HarRequest;
  response: HarResponse;
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
  comment?: string;
}

export interface Har {
  log: {
    version: "1.2";
    creator: { name: string; version: string };
    comment?: string;
    entries: HarEntry[];
  };
}

/** One HTTP exchange of a HAR entry, bodies parsed when they are JSON. */
export interface Exchange {
  method: string;
  url: string;
  status: number;
  requestHeaders: Record<string, string>;
  responseHeaders: Record<string, string>;
  requestContentType?: string;
  requestBody?: unknown;
  /** Media type of the response without parameters, e.g. "application/problem+json". */
  contentType?: string;
  responseBody?: unknown;
  /** The raw response text; undefined for an empty body. */
  responseText?: string;
}

export const HAR_CREATOR = { name: "hostup-api contract suite", version: "1" } as const;
export const PINNED_START = "2026-01-01T00:00:00.000Z";

/** A file that is not a HAR 1.2 document, or an entry that lacks what the checks read. */
export class HarFormatError extends Error {
  override name = "HarFormatError";
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: not a HAR file: ${problem}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Parses a HAR's text; anything else is a HarFormatError naming `file` and what is wrong. */
export function parseHar(text: string, file: string): Har {
  let value: unknown;
  try {
    // a byte order mark, which Windows tools write before UTF-8 (RFC 8259 lets a parser ignore it)
    value = JSON.parse(text.startsWith("\ufeff") ? text.slice(1) : text);
  } catch (error) {
    // V8 quotes the text around the error: a terminal escape, or the first characters of a key, from the file
    const reason = (error as Error).message.replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, "");
    throw new HarFormatError(file, `not JSON (${printable(reason, 200)})`);
  }
  if (!isObject(value) || !isObject(value.log)) throw new HarFormatError(file, 'no "log" object');
  if (!Array.isArray(value.log.entries)) throw new HarFormatError(file, 'no "log.entries" array');
  value.log.entries.forEach((entry, index) => {
    const problem = entryProblem(entry);
    if (problem) throw new HarFormatError(file, `entry #${index} ${problem}`);
  });
  return value as unknown as Har;
}

export function readHar(path: string): Har {
  return parseHar(readFileSync(path, "utf8"), path);
}

/** Stable text form of a HAR: 2-space JSON and a final newline, so committed recordings diff cleanly. */
export function serializeHar(har: Har): string {
  return `${JSON.stringify(har, null, 2)}\n`;
}

export function writeHar(path: string, har: Har): void {
  writeFileSync(path, serializeHar(har));
}

export function headerMap(headers: HarNameValue[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of headers ?? []) out[String(h.name).toLowerCase()] = String(h.value);
  return out;
}

export function mediaType(contentType: string | undefined): string | undefined {
  const bare = contentType?.split(";")[0]?.trim().toLowerCase();
  return bare ? bare : undefined;
}

function parseBody(text: string | undefined, type: string | undefined): unknown {
  if (text === undefined || text === "") return undefined;
  if (type && /json/.test(type)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

export function toExchange(entry: HarEntry): Exchange {
  const requestHeaders = headerMap(entry.request.headers);
  const responseHeaders = headerMap(entry.response.headers);
  const requestContentType = mediaType(entry.request.postData?.mimeType ?? requestHeaders["content-type"]);
  const content = entry.response.content ?? { size: 0, mimeType: "" };
  const text = harBodyText(content, contentEncodingOf(entry.response.headers));
  const contentType =
    text === undefined || text === ""
      ? undefined
      : mediaType(responseHeaders["content-type"] ?? content.mimeType);
  return {
    method: entry.request.method.toUpperCase(),
    url: entry.request.url,
    status: entry.response.status,
    requestHeaders,
    responseHeaders,
    ...(requestContentType ? { requestContentType } : {}),
    ...(entry.request.postData
      ? {
          requestBody: parseBody(
            harBodyText(entry.request.postData, contentEncodingOf(entry.request.headers)),
            requestContentType,
          ),
        }
      : {}),
    ...(contentType ? { contentType } : {}),
    ...(text ? { responseBody: parseBody(text, contentType), responseText: text } : {}),
  };
}

const STATUS_TEXT: Record<number, string> = {
  200: "OK",
  201: "Created",
  204: "No Content",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

export function statusText(status: number): string {
  return STATUS_TEXT[status] ?? "";
}

export interface EntryInput {
  method: string;
  url: string;
  /** A map, or HAR name/value pairs (repeated names such as set-cookie kept). Names are lower-cased and sorted. */
  requestHeaders?: Record<string, string> | HarNameValue[];
  requestCookies?: HarNameValue[];
  /** JSON value, or a string taken as the raw body text. */
  requestBody?: unknown;
  /** postData.mimeType; default the content-type header, else application/json. */
  requestMimeType?: string;
  status: number;
  /** Default the usual text of `status`. */
  statusText?: string;
  responseHeaders?: Record<string, string> | HarNameValue[];
  responseCookies?: HarNameValue[];
  /** content.mimeType; default the content-type header, else "". */
  responseMimeType?: string;
  /** JSON value, or a string taken as the raw body text. */
  responseBody?: unknown;
  comment?: string;
  startedDateTime?: string;
  time?: number;
}

function sortedHeaders(headers: Record<string, string> | HarNameValue[] | undefined): HarNameValue[] {
  const pairs = Array.isArray(headers)
    ? headers.map((h) => ({ name: h.name.toLowerCase(), value: h.value }))
    : Object.entries(headers ?? {}).map(([name, value]) => ({ name: name.toLowerCase(), value }));
  return pairs.sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.value < b.value ? -1 : a.value > b.value ? 1 : 0,
  );
}

/** Builds one HAR entry from plain values (used by the fixture generator, the recorder and the normaliser). */
export function buildEntry(input: EntryInput): HarEntry {
  const url = new URL(input.url);
  const requestHeaders = sortedHeaders(input.requestHeaders);
  const requestText =
    input.requestBody === undefined
      ? undefined
      : typeof input.requestBody === "string"
        ? input.requestBody
        : JSON.stringify(input.requestBody);
  const responseHeaders = sortedHeaders(input.responseHeaders);
  const responseText =
    input.responseBody === undefined
      ? undefined
      : typeof input.responseBody === "string"
        ? input.responseBody
        : JSON.stringify(input.responseBody);
  const responseType = input.responseMimeType ?? headerMap(responseHeaders)["content-type"] ?? "";
  const requestType =
    input.requestMimeType ?? headerMap(requestHeaders)["content-type"] ?? "application/json";
  const entry: HarEntry = {
    startedDateTime: input.startedDateTime ?? PINNED_START,
    time: input.time ?? 0,
    request: {
      method: input.method.toUpperCase(),
      url: url.toString(),
      httpVersion: "HTTP/1.1",
      cookies: input.requestCookies ?? [],
      headers: requestHeaders,
      queryString: [...url.searchParams.entries()].map(([name, value]) => ({ name, value })),
      ...(requestText === undefined ? {} : { postData: { mimeType: requestType, text: requestText } }),
      headersSize: -1,
      bodySize: requestText === undefined ? 0 : Buffer.byteLength(requestText),
    },
    response: {
      status: input.status,
      statusText: input.statusText ?? statusText(input.status),
      httpVersion: "HTTP/1.1",
      cookies: input.responseCookies ?? [],
      headers: responseHeaders,
      content: {
        size: responseText === undefined ? 0 : Buffer.byteLength(responseText),
        mimeType: responseType,
        ...(responseText === undefined ? {} : { text: responseText }),
      },
      redirectURL: "",
      headersSize: -1,
      bodySize: responseText === undefined ? 0 : Buffer.byteLength(responseText),
    },
    cache: {},
    timings: { send: 0, wait: input.time ?? 0, receive: 0 },
    ...(input.comment ? { comment: input.comment } : {}),
  };
  return entry;
}

export function buildHar(
  entries: HarEntry[],
  comment?: string,
  creator: { name: string; version: string } = HAR_CREATOR,
): Har {
  return {
    log: { version: "1.2", creator: { ...creator }, ...(comment ? { comment } : {}), entries },
  };
}

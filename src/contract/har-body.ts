// The text of a HAR body. A browser stores a binary body base64-encoded; a proxy may store the bytes as they
// travelled, still compressed as the message's Content-Encoding says (a response's `content`, and a request's
// `postData` with `encoding`, which HAR 1.3's proposal adds: HAR 1.2's postData holds plain text only). Both are read as the client would read
// them: decoded, then decompressed, so that the checks and the secret scan see the JSON and not its gzip; and
// scrubbing and normalising, which write a body back, write that decoded form (plainHarBody).
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";

/** What a body may decompress to: a larger one (a zip bomb in a recording) is left as stored. */
export const MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

type Decompress = (bytes: Buffer, options: { maxOutputLength: number }) => Buffer;

const DECOMPRESS: Record<string, Decompress> = {
  gzip: gunzipSync,
  "x-gzip": gunzipSync,
  deflate: inflateSync,
  br: brotliDecompressSync,
};

/** gzip's magic bytes, and a zlib (deflate) header: what marks compressed bytes when no header says so. */
function sniff(bytes: Buffer): string | undefined {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return "gzip";
  const [first = 0, second = 0] = bytes;
  if ((first & 0x0f) === 8 && (first * 256 + second) % 31 === 0) return "deflate";
  return undefined;
}

/** A message's Content-Encoding: every such header's value, in order (one header per coding is allowed too). */
export function contentEncodingOf(headers: unknown): string | undefined {
  if (!Array.isArray(headers)) return undefined;
  const values = headers
    .filter((h) => typeof h?.name === "string" && h.name.toLowerCase() === "content-encoding")
    .map((h) => String(h.value));
  return values.length ? values.join(", ") : undefined;
}

interface DecodedBody {
  /** What the client reads: decoded, then decompressed. */
  bytes: Buffer;
  /** The bytes as stored (base64-decoded only). */
  stored: Buffer;
  /** Whether `bytes` was decompressed on the strength of its first bytes alone, no Content-Encoding saying so. */
  sniffed: boolean;
}

function decodeBody(text: string, contentEncoding: string | undefined, maxBytes: number): DecodedBody {
  const stored = Buffer.from(text, "base64");
  const asStored = { bytes: stored, stored, sniffed: false };
  const listed = (contentEncoding ?? "")
    .split(",")
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== "" && coding !== "identity");
  const sniffed = listed.length ? undefined : sniff(stored);
  const codings = sniffed ? [sniffed] : listed;
  if (codings.length === 0 || !codings.every((coding) => Object.hasOwn(DECOMPRESS, coding))) return asStored;
  try {
    let out: Buffer = stored;
    for (const coding of codings.reverse())
      out = (DECOMPRESS[coding] as Decompress)(out, { maxOutputLength: maxBytes });
    return { bytes: out, stored, sniffed: sniffed !== undefined };
  } catch {
    // not compressed after all, corrupt, or too large: the bytes as stored
    return asStored;
  }
}

/**
 * The bytes of a HAR `content` (or `postData`): its `text`, base64-decoded when `encoding` is "base64", and then
 * decompressed by `contentEncoding` (the message's Content-Encoding: the codings in the order they were applied, so
 * undone last to first; when none is known, gzip and deflate are recognised by their first bytes). Bytes that do not
 * decompress, with a coding this does not know, or past `maxBytes`, are given as they are stored.
 */
export function harBodyBytes(
  content: { text?: unknown; encoding?: unknown } | undefined,
  contentEncoding?: string,
  maxBytes = MAX_DECOMPRESSED_BYTES,
): Buffer | undefined {
  const text = content?.text;
  if (typeof text !== "string") return undefined;
  if (content?.encoding !== "base64") return Buffer.from(text, "utf8");
  return decodeBody(text, contentEncoding, maxBytes).bytes;
}

/** The text of a HAR `content` (or `postData`) as the client reads it: harBodyBytes as UTF-8. */
export function harBodyText(
  content: { text?: unknown; encoding?: unknown } | undefined,
  contentEncoding?: string,
  maxBytes = MAX_DECOMPRESSED_BYTES,
): string | undefined {
  if (typeof content?.text === "string" && content.encoding !== "base64") return content.text;
  return harBodyBytes(content, contentEncoding, maxBytes)?.toString("utf8");
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A body in its plain form: the text it decodes to, or, for bytes that are not UTF-8, those bytes in base64. */
export type PlainHarBody = { text: string; binary: false } | { text: string; binary: true; bytes: Buffer };

/**
 * The plain form of a HAR body, for a recording written back (scrubbed, normalised): decoded and decompressed as
 * harBodyText reads it, so that it needs neither `encoding` nor the message's Content-Encoding. Only bytes that are
 * not UTF-8 (an image) stay base64: `text` is then their base64, to be stored with `encoding: "base64"` (as stored,
 * when only their first bytes said they were compressed).
 */
export function plainHarBody(
  content: { text?: unknown; encoding?: unknown } | undefined,
  contentEncoding?: string,
): PlainHarBody | undefined {
  if (typeof content?.text !== "string") return undefined;
  if (content.encoding !== "base64") return { text: content.text, binary: false };
  const body = decodeBody(content.text, contentEncoding, MAX_DECOMPRESSED_BYTES);
  try {
    return { text: strictUtf8.decode(body.bytes), binary: false };
  } catch {
    // unpacked by its looks alone into more bytes (an archive sent as such): the next reading would unpack those
    // again if they look compressed too, so they are kept as stored
    const bytes = body.sniffed ? body.stored : body.bytes;
    return { text: bytes.toString("base64"), binary: true, bytes };
  }
}

// The text of a HAR body. A browser stores a binary body base64-encoded; a proxy may store the bytes as they
// travelled, still compressed as the response's Content-Encoding says. Both are read as the client would read
// them: decoded, then decompressed, so that the checks and the secret scan see the JSON and not its gzip.
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";

/** What a body may decompress to: a larger one (a zip bomb in a recording) is left as stored. */
export const MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

const DECOMPRESS: Record<string, (bytes: Buffer, options: { maxOutputLength: number }) => Buffer> = {
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

/**
 * The text of a HAR `content` (or `postData`): its `text`, base64-decoded when `encoding` is "base64", and then
 * decompressed by `contentEncoding` (the response's Content-Encoding; when none is known, gzip and deflate are
 * recognised by their first bytes). Bytes that do not decompress, or decompress past `maxBytes`, are read as they
 * are.
 */
export function harBodyText(
  content: { text?: unknown; encoding?: unknown } | undefined,
  contentEncoding?: string,
  maxBytes = MAX_DECOMPRESSED_BYTES,
): string | undefined {
  const text = content?.text;
  if (typeof text !== "string") return undefined;
  if (content?.encoding !== "base64") return text;
  const bytes = Buffer.from(text, "base64");
  const coding = contentEncoding?.trim().toLowerCase() || sniff(bytes);
  const decompress = coding ? DECOMPRESS[coding] : undefined;
  if (decompress) {
    try {
      return decompress(bytes, { maxOutputLength: maxBytes }).toString("utf8");
    } catch {
      // not compressed after all, corrupt, or too large: the bytes as stored
    }
  }
  return bytes.toString("utf8");
}

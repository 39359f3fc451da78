/**
 * `maxResponseBytes`: a body is counted after fetch's decoding (gzip, deflate, br) while it is read, so a small gzip
 * that inflates without end stops at the cap, and the rest is never read (the source is cancelled).
 */

/** Reads a body as UTF-8 text, throwing `tooBig()` (and cancelling the rest) once it passes `limit` bytes. */
export async function readText(
  body: ReadableStream<Uint8Array> | null | undefined,
  limit: number,
  tooBig: () => Error,
): Promise<string> {
  if (!body) return "";
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let read = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    read += value.byteLength;
    if (read > limit) {
      reader.cancel().catch(() => {});
      throw tooBig();
    }
    text += decoder.decode(value, { stream: true });
  }
}

/**
 * The response with its body read (at most `limit` bytes) into memory, for readers that do not count (openapi-fetch
 * reading an error body, `raw`'s callers).
 */
export async function readCapped(response: Response, limit: number, tooBig: () => Error): Promise<Response> {
  const { body, status } = response;
  // a null-body status (204, 304) cannot be given a body, not even an empty one
  if (!body || status === 204 || status === 205 || status === 304) return response;
  const text = await readText(body, limit, tooBig);
  return new Response(text, { status, statusText: response.statusText, headers: response.headers });
}

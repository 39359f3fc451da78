/**
 * `maxResponseBytes`: bodies are counted after fetch's decoding (gzip, deflate, br) while they are read, so a small
 * gzip that inflates without end stops at the cap, and the rest is never read (the source is cancelled).
 */

const NULL_BODY = new Set([204, 205, 304]);

/** A size declared above the cap (`Content-Length` of an unencoded body) is refused before reading. */
function refuseDeclared(response: Response, limit: number, tooBig: () => Error): void {
  const declared = Number(response.headers.get("content-length"));
  if (declared > limit && !response.headers.has("content-encoding")) {
    response.body?.cancel().catch(() => {});
    throw tooBig();
  }
}

/** The response, unchanged when its size is declared within the cap; throws `tooBig()` when declared above it. */
export function checkDeclaredSize(response: Response, limit: number, tooBig: () => Error): Response {
  refuseDeclared(response, limit, tooBig);
  return response;
}

/**
 * The response with a body that errors with `tooBig()` once more than `limit` bytes have come through, for readers
 * we do not control (openapi-fetch's `response.text()` on errors, and `raw`).
 */
export function capBody(response: Response, limit: number, tooBig: () => Error): Response {
  const { body, status } = response;
  if (!body || NULL_BODY.has(status)) return response;
  refuseDeclared(response, limit, tooBig);
  const reader = body.getReader();
  let read = 0;
  const counted = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      read += value.byteLength;
      if (read <= limit) return controller.enqueue(value);
      reader.cancel().catch(() => {});
      controller.error(tooBig());
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Response(counted, { status, statusText: response.statusText, headers: response.headers });
}

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

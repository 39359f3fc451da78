import createClient, { type Client } from "openapi-fetch";
import type { HostupApiVersion } from "./errors.js";
import { type ClientOptions, checkBaseUrl, checkTimeout, checkUserAgent } from "./options.js";
import { resolveRetryPolicy } from "./retry.js";
import type { Transport } from "./transport.js";

/**
 * What `createV1Client` and `createV2Client` share: the option checks, the openapi-fetch client (credential,
 * `Accept`, `User-Agent`, redirect refusal) and the transport settings every call reads.
 */
export function connect<Paths extends {}>(
  factory: string,
  version: HostupApiVersion,
  options: ClientOptions,
  secret: string,
  authHeaders: Record<string, string>,
  /** The media types the version's spec declares for its answers (v2 errors are application/problem+json). */
  accept: string,
): { raw: Client<Paths>; transport: Transport } {
  const userFetch = options.fetch;
  const raw = createClient<Paths>({
    baseUrl: checkBaseUrl(factory, options.baseUrl),
    // looked up per request, so a fetch patched after client creation (nock, msw) is still seen
    fetch: (request) => (userFetch ?? globalThis.fetch)(request),
    headers: {
      ...authHeaders,
      Accept: accept,
      "User-Agent": checkUserAgent(factory, options.userAgent),
    },
    // fetch would carry the credential header across a cross-origin redirect; a 3xx becomes an error instead
    redirect: "manual",
  });
  const transport: Transport = {
    version,
    secret,
    retry: resolveRetryPolicy(options.retry, factory),
    timeoutMs: checkTimeout(factory, options.timeoutMs),
  };
  return { raw, transport };
}

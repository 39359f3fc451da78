import createClient, { type Client } from "openapi-fetch";
import type { HostupApiVersion } from "./errors.js";
import { capBody, checkDeclaredSize } from "./limit.js";
import {
  type ClientOptions,
  checkBaseUrl,
  checkMaxResponseBytes,
  checkTimeout,
  checkUserAgent,
} from "./options.js";
import { redactDeep } from "./redact.js";
import { tooLarge } from "./responses.js";
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
  const limit = checkMaxResponseBytes(factory, options.maxResponseBytes);
  // looked up per request, so a fetch patched after client creation (nock, msw) is still seen
  const fetchFor =
    (cap: (response: Response, tooBig: () => Error) => Response) => async (request: Request) => {
      const response = await (userFetch ?? globalThis.fetch)(request);
      // raw's callers see this error as is: it leaves redacted
      return cap(response, () =>
        redactDeep(
          tooLarge(
            { version, operation: `${request.method} ${new URL(request.url).pathname}`, secret },
            response.status,
            response.headers.get("x-request-id") ?? undefined,
            limit,
          ),
          secret,
        ),
      );
    };
  const raw = createClient<Paths>({
    baseUrl: checkBaseUrl(factory, options.baseUrl),
    // raw's callers read bodies with openapi-fetch: every body is counted on its way through
    fetch: fetchFor((response, tooBig) => capBody(response, limit, tooBig)),
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
    maxResponseBytes: limit,
    io: {
      // the transport reads success bodies itself (readText counts them); openapi-fetch reads error bodies
      parseAs: "stream",
      fetch: fetchFor((response, tooBig) =>
        response.ok ? checkDeclaredSize(response, limit, tooBig) : capBody(response, limit, tooBig),
      ),
    },
  };
  return { raw, transport };
}

import createClient, { type Client } from "openapi-fetch";
import type { HostupApiVersion } from "./errors.js";
import { readCapped } from "./limit.js";
import {
  type ClientOptions,
  checkBaseUrl,
  checkMaxResponseBytes,
  checkTimeout,
  checkType,
  checkUserAgent,
} from "./options.js";
import { redactDeep } from "./redact.js";
import { type FieldErrorReader, tooLarge } from "./responses.js";
import { resolveRetryPolicy } from "./retry.js";
import type { Transport } from "./transport.js";

/**
 * What `createV1Client` and `createV2Client` share: the option checks, the openapi-fetch client (credential,
 * `Accept`, `User-Agent`, redirect refusal) and the transport settings every call reads.
 */
export function connect<Paths extends {}>(
  factory: string,
  version: HostupApiVersion,
  accept: string,
  options: ClientOptions,
  secret: string,
  authHeaders: Record<string, string>,
  fieldErrors: FieldErrorReader,
): { raw: Client<Paths>; transport: Transport } {
  const userFetch = options.fetch;
  checkType(factory, "fetch", userFetch, "function");
  // a string "false" would otherwise mean true
  checkType(factory, "validateRequests", options.validateRequests, "boolean");
  const limit = checkMaxResponseBytes(factory, options.maxResponseBytes);
  // looked up per request, so a fetch patched after client creation (nock, msw) is still seen
  const fetch = (request: Request) => (userFetch ?? globalThis.fetch)(request);
  const raw = createClient<Paths>({
    baseUrl: checkBaseUrl(factory, options.baseUrl),
    // raw's callers read bodies with openapi-fetch, which does not count: read here, at most maxResponseBytes
    fetch: async (request) => {
      const response = await fetch(request);
      const operation = `${request.method} ${new URL(request.url).pathname}`;
      return readCapped(response, limit, () =>
        redactDeep(tooLarge({ version, operation, secret }, response, limit), secret),
      );
    },
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
    fieldErrors,
    fetch,
  };
  return { raw, transport };
}

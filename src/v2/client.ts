import type { Client } from "openapi-fetch";
import { connect } from "../connect.js";
import { HostupValidationError } from "../errors.js";
import { clientJobs, accept as v1Accept } from "../generated/jobs.js";
import type { V1Methods } from "../generated/operations-v1.js";
import { accept, clientTable, type V2Methods } from "../generated/operations-v2.js";
import type { paths as V1Paths } from "../generated/v1.js";
import type { paths } from "../generated/v2.js";
import { methodsOf } from "../methods.js";
import {
  type CallOptions,
  CLIENT_OPTIONS,
  type ClientOptions,
  checkCredential,
  checkKnown,
  checkOptionsObject,
} from "../options.js";
import { printable } from "../printable.js";
import { redactDeep } from "../redact.js";
import { v1FieldErrors, v2FieldErrors } from "../responses.js";
import { sendOptions } from "../transport.js";
import type {
  V1Job,
  V2ListVpsQuery,
  V2Operation,
  V2OperationAccepted,
  V2VpsList,
  V2VpsSummary,
} from "../types.js";
import { notWellFormed } from "../validation.js";
import { type WaitForJobOptions, waitForJob } from "../wait-for-job.js";

export interface V2ClientOptions extends ClientOptions {
  /** HostUp API key, sent as `Authorization: Bearer <token>`. */
  token: string;
}

/** One method per operation of the v2 spec, plus `vps.listAll`, `operations.waitFor` and `raw`. */
export interface V2Client extends V2Methods {
  operations: {
    /**
     * Waits for the work a v2 write started (its 202 `{operation}`, the `operation` itself, or a `jobId`): polls
     * `operation.pollUrl`, `GET /api/jobs/{jobId}` (the v1 jobs route, sent the same key as `X-API-Key`), until
     * the job completes or fails (returns the job either way), with `jobs.waitFor`'s options, deadline and errors.
     */
    waitFor(
      operation: V2OperationAccepted | V2Operation | string,
      options?: WaitForJobOptions,
    ): Promise<V1Job>;
  };
  vps: V2Methods["vps"] & {
    /** Every VPS, page after page, following `nextCursor`. */
    listAll(
      query?: Omit<V2ListVpsQuery, "cursor">,
      options?: CallOptions,
    ): AsyncGenerator<V2VpsSummary, void>;
  };
  /**
   * The underlying openapi-fetch client, for full control: the credential, `Accept`, `User-Agent`, the refusal of
   * redirects and the `maxResponseBytes` cap are set; no validation, retries or timeouts (those are the methods').
   */
  raw: Client<paths>;
}

/** The jobId of a v2 operation, read from its `pollUrl` (what the pages say to poll). */
const POLL_URL = /^\/api\/jobs\/([A-Za-z0-9_:-]+)$/;

function jobIdOf(where: string, operation: unknown): string {
  const refuse = (pointer: string, message: string): never => {
    throw new HostupValidationError(where, [{ pointer, message }]);
  };
  if (typeof operation === "string") {
    return operation.trim() === "" ? refuse("", "a jobId must be a non-empty string") : operation;
  }
  if (!operation || typeof operation !== "object") {
    return refuse("", "expected a 202 answer `{operation}`, its `operation`, or a jobId string");
  }
  const inner = "operation" in operation ? (operation as { operation: unknown }).operation : operation;
  const prefix = inner === operation ? "" : "/operation";
  const { pollUrl, jobId } = (inner ?? {}) as { pollUrl?: unknown; jobId?: unknown };
  const match = typeof pollUrl === "string" ? POLL_URL.exec(pollUrl) : null;
  // the spec: pollUrl is /api/jobs/ of the operation's own jobId; one that names another job is not waited for
  const own = typeof jobId === "string" && match && match[1] !== jobId ? jobId : undefined;
  // the server's pollUrl is shown when it is short (escaped: see printable), not repeated when it is a megabyte
  const got = printable(JSON.stringify(pollUrl) ?? "undefined", Number.POSITIVE_INFINITY);
  const shown = (text: string) => (text.length > 120 ? `a value ${text.length} characters long` : text);
  return own === undefined && match?.[1]
    ? match[1]
    : refuse(
        `${prefix}/pollUrl`,
        `\`pollUrl\` must be /api/jobs/${own === undefined ? "{jobId}" : shown(printable(own, Number.POSITIVE_INFINITY))}, got ${shown(got)}`,
      );
}

/**
 * What listAll remembers of a cursor to see it come back: a short one whole, a long one (the spec sets no length)
 * as its length and two 32-bit hashes, so that a server paging on with megabyte cursors does not make it keep every
 * one. Two different long cursors with the same fingerprint would end the list as a loop; only a server crafting
 * them could do that (one in about 2^64 otherwise).
 */
function fingerprint(cursor: string): string {
  if (cursor.length <= 256) return `=${cursor}`;
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let i = 0; i < cursor.length; i++) {
    const unit = cursor.charCodeAt(i);
    a = Math.imul(a ^ unit, 0x01000193);
    b = Math.imul(b ^ unit, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return `#${cursor.length}:${a >>> 0}:${b >>> 0}`;
}

/** listAll gives up after this many empty pages in a row that still say `hasMore`. */
const MAX_EMPTY_PAGES = 10;

/** A client for HostUp's v2 API (`Authorization: Bearer`, camelCase, RFC 7807 problem details). */
export function createV2Client(options: V2ClientOptions): V2Client {
  const factory = "createV2Client";
  const token = checkCredential(factory, "token", options?.token);
  // `apiKey` passes: one options object may serve both clients
  checkKnown(factory, options, `token ${CLIENT_OPTIONS}`, "apiKey");
  const { raw, transport } = connect<paths>(
    factory,
    "v2",
    accept,
    options,
    token,
    { Authorization: `Bearer ${token}` },
    v2FieldErrors,
  );
  const methods = methodsOf<V2Methods>(clientTable, raw, transport, options.validateRequests !== false);

  async function* listAll(
    query?: Omit<V2ListVpsQuery, "cursor">,
    callOptions?: CallOptions,
  ): AsyncGenerator<V2VpsSummary, void> {
    const seen = new Set<string>();
    let empty = 0;
    // Checked as each page arrives (so the error carries that answer): nothing is yielded from empty pages, so
    // the caller could not break out of a server that pages on and on.
    const pages = sendOptions<V2VpsList>({
      // checked here as vps.list checks it: spread, a string or null would pass for no options
      ...checkOptionsObject<CallOptions>("listVps", callOptions, "signal timeoutMs"),
      shape({ data, hasMore, nextCursor }) {
        empty = data.length === 0 ? empty + 1 : 0;
        if (!hasMore) return undefined;
        // "true when another page follows", but no way to ask for it: ending here would pass for the whole list
        if (!nextCursor) return "a page that says `hasMore` without a `nextCursor`";
        const key = fingerprint(nextCursor);
        if (seen.has(key)) return "a cursor it had already returned (stopping an endless loop)";
        // sent back in the next page's URL, which cannot carry a lone surrogate
        if (notWellFormed(nextCursor)) return "a `nextCursor` that is not well-formed Unicode";
        seen.add(key);
        return empty < MAX_EMPTY_PAGES
          ? undefined
          : `${MAX_EMPTY_PAGES} pages in a row without an item, each with a new cursor (stopping an endless loop)`;
      },
    });
    let cursor: string | undefined;
    do {
      const page = await methods.vps.list(cursor === undefined ? query : { ...query, cursor }, pages);
      yield* page.data;
      cursor = page.hasMore ? (page.nextCursor as string) : undefined;
    } while (cursor !== undefined);
  }

  // v2 has no jobs route: its operations are polled on v1's, which reads the same API key from X-API-Key
  const jobsTable = { jobs: clientJobs };
  const jobsConnection = connect<V1Paths>(
    factory,
    "v1",
    v1Accept,
    options,
    token,
    { "X-API-Key": token },
    v1FieldErrors,
  );
  const jobs = methodsOf<Pick<V1Methods, "jobs">>(
    jobsTable,
    jobsConnection.raw,
    jobsConnection.transport,
    options.validateRequests !== false,
  ).jobs;
  const where = "operations.waitFor";
  const waitFor: V2Client["operations"]["waitFor"] = async (operation, waitOptions) => {
    try {
      return await waitForJob(where, jobs.get, jobIdOf(where, operation), waitOptions);
    } catch (error) {
      // errors leave without the credential (the caller's abort reason, a poll's failure as cause)
      throw redactDeep(error, token);
    }
  };

  return { ...methods, vps: { ...methods.vps, listAll }, operations: { waitFor }, raw };
}

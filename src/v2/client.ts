import type { Client } from "openapi-fetch";
import { connect } from "../connect.js";
import { accept, clientTable, type V2Methods } from "../generated/operations-v2.js";
import type { paths } from "../generated/v2.js";
import { methodsOf } from "../methods.js";
import { type CallOptions, type ClientOptions, checkCredential } from "../options.js";
import { v2FieldErrors } from "../responses.js";
import type { SendOptions } from "../transport.js";
import type { V2ListVpsQuery, V2VpsList, V2VpsSummary } from "../types.js";

export interface V2ClientOptions extends ClientOptions {
  /** HostUp API key, sent as `Authorization: Bearer <token>`. */
  token: string;
}

/** One method per operation of the v2 spec (V2Methods, generated), plus `vps.listAll` and `raw`. */
export interface V2Client extends V2Methods {
  vps: V2Methods["vps"] & {
    /** Every VPS, page after page, following `nextCursor`. */
    listAll(
      query?: Omit<V2ListVpsQuery, "cursor">,
      options?: CallOptions,
    ): AsyncGenerator<V2VpsSummary, void>;
  };
  /** The underlying openapi-fetch client (auth, User-Agent and redirect refusal set), for full control. */
  raw: Client<paths>;
}

/** listAll gives up after this many empty pages in a row that still say `hasMore`. */
const MAX_EMPTY_PAGES = 10;

/** A client for HostUp's v2 API (`Authorization: Bearer`, camelCase, RFC 7807 problem details). */
export function createV2Client(options: V2ClientOptions): V2Client {
  const factory = "createV2Client";
  const token = checkCredential(factory, "token", options?.token);
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
    const pages: SendOptions<V2VpsList> = {
      ...callOptions,
      shape({ data, hasMore, nextCursor }) {
        empty = data.length === 0 ? empty + 1 : 0;
        if (!hasMore || !nextCursor) return undefined;
        if (seen.has(nextCursor)) return "a cursor it had already returned (stopping an endless loop)";
        seen.add(nextCursor);
        return empty < MAX_EMPTY_PAGES
          ? undefined
          : `${MAX_EMPTY_PAGES} pages in a row without an item, each with a new cursor (stopping an endless loop)`;
      },
    };
    let cursor: string | undefined;
    do {
      const page = await methods.vps.list(cursor === undefined ? query : { ...query, cursor }, pages);
      yield* page.data;
      cursor = page.hasMore && page.nextCursor ? page.nextCursor : undefined;
    } while (cursor !== undefined);
  }

  return { ...methods, vps: { ...methods.vps, listAll }, raw };
}

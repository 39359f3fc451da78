import type { Client } from "openapi-fetch";
import { connect } from "../connect.js";
import { HostupApiError } from "../errors.js";
import type { paths } from "../generated/v2.js";
import {
  validateListVpsQuery,
  validateParamScheduleId,
  validateParamVpsId,
  validateSaveBackupScheduleBody,
  validateSaveSnapshotScheduleBody,
  validateUpdateBackupSettingsBody,
} from "../generated/validators-v2.js";
import { type CallOptions, type ClientOptions, checkCredential } from "../options.js";
import { wrongShape } from "../responses.js";
import { type Expect, send } from "../transport.js";
import type {
  V2BackupSchedule,
  V2BackupSchedules,
  V2ListVpsQuery,
  V2SaveBackupScheduleRequest,
  V2SaveSnapshotScheduleRequest,
  V2SnapshotScheduleState,
  V2UpdateBackupSettingsRequest,
  V2UpdateBackupSettingsResult,
  V2VpsList,
  V2VpsSummary,
} from "../types.js";
import { checkParam, checkQuery as checkRequestQuery, serialiseBody, skipQueryCheck } from "../validation.js";

export interface V2ClientOptions extends ClientOptions {
  /** HostUp API key, sent as `Authorization: Bearer <token>`. */
  token: string;
}

export interface V2Client {
  vps: {
    /** `listVps`: one page, `{ data, hasMore, nextCursor }`. The query is checked against the spec (limit 1..100). */
    list(query?: V2ListVpsQuery, options?: CallOptions): Promise<V2VpsList>;
    /** Every VPS, page after page, following `nextCursor`. */
    listAll(
      query?: Omit<V2ListVpsQuery, "cursor">,
      options?: CallOptions,
    ): AsyncGenerator<V2VpsSummary, void>;
  };
  backupSchedules: {
    /** `getBackupSchedules` */
    get(vpsId: string, options?: CallOptions): Promise<V2BackupSchedules>;
    /** `saveBackupSchedule`: POST, create or replace (201). */
    save(vpsId: string, body: V2SaveBackupScheduleRequest, options?: CallOptions): Promise<V2BackupSchedule>;
    /** `updateBackupSettings`: PATCH the retention settings. */
    updateSettings(
      vpsId: string,
      body: V2UpdateBackupSettingsRequest,
      options?: CallOptions,
    ): Promise<V2UpdateBackupSettingsResult>;
    /** `deleteBackupSchedule` */
    delete(vpsId: string, scheduleId: string, options?: CallOptions): Promise<undefined>;
  };
  snapshotSchedule: {
    /** `getSnapshotSchedule` */
    get(vpsId: string, options?: CallOptions): Promise<V2SnapshotScheduleState>;
    /** `saveSnapshotSchedule`: POST replaces the singleton schedule. */
    save(
      vpsId: string,
      body: V2SaveSnapshotScheduleRequest,
      options?: CallOptions,
    ): Promise<V2SnapshotScheduleState>;
    /** `deleteSnapshotSchedule` */
    delete(vpsId: string, options?: CallOptions): Promise<undefined>;
  };
  /** The underlying openapi-fetch client (auth, User-Agent and redirect refusal set), for full control. */
  raw: Client<paths>;
}

/** listVps's page, checked where listAll reads it: `data` an array, `hasMore` a boolean, `nextCursor` string or null. */
const page: Expect = (ctx, response, body) => {
  const { data, hasMore, nextCursor } = body as Partial<V2VpsList>;
  if (
    !Array.isArray(data) ||
    typeof hasMore !== "boolean" ||
    (nextCursor !== null && typeof nextCursor !== "string")
  ) {
    throw wrongShape(ctx, response, "a page without `data[]`, boolean `hasMore` and `nextCursor`", body);
  }
  return body;
};

/** listAll gives up after this many empty pages in a row that still say `hasMore`. */
const MAX_EMPTY_PAGES = 10;

const BACKUP = "/api/v2/vps/{id}/backup-schedules";
const SNAPSHOT = "/api/v2/vps/{id}/snapshot-schedules";

/** A client for HostUp's v2 API (`Authorization: Bearer`, camelCase, RFC 7807 problem details). */
export function createV2Client(options: V2ClientOptions): V2Client {
  const factory = "createV2Client";
  const token = checkCredential(factory, "token", options?.token);
  const { raw, transport: t } = connect<paths>(
    factory,
    "v2",
    options,
    token,
    { Authorization: `Bearer ${token}` },
    "application/json, application/problem+json",
  );
  const validating = options.validateRequests !== false;
  const checkQuery = options.validateRequests === false ? skipQueryCheck : checkRequestQuery;
  const vpsId = (operation: string, id: string) => {
    checkParam(operation, validateParamVpsId, "vpsId", id);
    return { id };
  };

  async function list(input?: V2ListVpsQuery, callOptions?: CallOptions): Promise<V2VpsList> {
    const query = checkQuery("listVps", validateListVpsQuery, input);
    return (await send(
      t,
      "listVps",
      page,
      (signal) => raw.GET("/api/v2/vps", { params: { query }, ...t.io, signal }),
      callOptions,
    )) as V2VpsList;
  }

  return {
    vps: {
      list,
      async *listAll(query, callOptions) {
        const seen = new Set<string>();
        let cursor: string | undefined;
        let empty = 0;
        do {
          const page = await list(cursor === undefined ? query : { ...query, cursor }, callOptions);
          yield* page.data;
          cursor = page.hasMore && page.nextCursor ? page.nextCursor : undefined;
          // nothing is yielded, so the caller cannot break out: a server that pages on and on is stopped here
          empty = page.data.length === 0 ? empty + 1 : 0;
          const loop =
            cursor === undefined
              ? undefined
              : seen.has(cursor)
                ? "the server returned a cursor it had already returned"
                : empty >= MAX_EMPTY_PAGES
                  ? `${MAX_EMPTY_PAGES} pages in a row without an item, each with a new cursor`
                  : undefined;
          if (loop) {
            throw new HostupApiError({
              status: 200,
              code: "invalid_response",
              message: `listVps: ${loop}; stopping to avoid an endless loop`,
              apiVersion: "v2",
              operation: "listVps",
            });
          }
          if (cursor !== undefined) seen.add(cursor);
        } while (cursor !== undefined);
      },
    },
    backupSchedules: {
      async get(id, callOptions) {
        const path = vpsId("getBackupSchedules", id);
        return (await send(
          t,
          "getBackupSchedules",
          "json",
          (signal) => raw.GET(BACKUP, { params: { path }, ...t.io, signal }),
          callOptions,
        )) as V2BackupSchedules;
      },
      async save(id, body, callOptions) {
        const path = vpsId("saveBackupSchedule", id);
        const json = serialiseBody(
          "saveBackupSchedule",
          validating ? validateSaveBackupScheduleBody : undefined,
          body,
        );
        return (await send(
          t,
          "saveBackupSchedule",
          "json",
          (signal) =>
            raw.POST(BACKUP, { params: { path }, body, bodySerializer: () => json, ...t.io, signal }),
          callOptions,
        )) as V2BackupSchedule;
      },
      async updateSettings(id, body, callOptions) {
        const path = vpsId("updateBackupSettings", id);
        const json = serialiseBody(
          "updateBackupSettings",
          validating ? validateUpdateBackupSettingsBody : undefined,
          body,
        );
        return (await send(
          t,
          "updateBackupSettings",
          "json",
          (signal) =>
            raw.PATCH(BACKUP, {
              params: { path },
              body,
              bodySerializer: () => json,
              ...t.io,
              signal,
            }),
          callOptions,
        )) as V2UpdateBackupSettingsResult;
      },
      async delete(id, scheduleId, callOptions) {
        const { id: vps } = vpsId("deleteBackupSchedule", id);
        checkParam("deleteBackupSchedule", validateParamScheduleId, "scheduleId", scheduleId);
        await send(
          t,
          "deleteBackupSchedule",
          "none",
          (signal) =>
            raw.DELETE(`${BACKUP}/{scheduleId}`, {
              params: { path: { id: vps, scheduleId } },
              ...t.io,
              signal,
            }),
          callOptions,
        );
        return undefined;
      },
    },
    snapshotSchedule: {
      async get(id, callOptions) {
        const path = vpsId("getSnapshotSchedule", id);
        return (await send(
          t,
          "getSnapshotSchedule",
          "json",
          (signal) => raw.GET(SNAPSHOT, { params: { path }, ...t.io, signal }),
          callOptions,
        )) as V2SnapshotScheduleState;
      },
      async save(id, body, callOptions) {
        const path = vpsId("saveSnapshotSchedule", id);
        const json = serialiseBody(
          "saveSnapshotSchedule",
          validating ? validateSaveSnapshotScheduleBody : undefined,
          body,
        );
        return (await send(
          t,
          "saveSnapshotSchedule",
          "json",
          (signal) =>
            raw.POST(SNAPSHOT, {
              params: { path },
              body,
              bodySerializer: () => json,
              ...t.io,
              signal,
            }),
          callOptions,
        )) as V2SnapshotScheduleState;
      },
      async delete(id, callOptions) {
        const path = vpsId("deleteSnapshotSchedule", id);
        await send(
          t,
          "deleteSnapshotSchedule",
          "none",
          (signal) => raw.DELETE(SNAPSHOT, { params: { path }, ...t.io, signal }),
          callOptions,
        );
        return undefined;
      },
    },
    raw,
  };
}

/**
 * The format of the generated operation tables (src/generated/operations-v1.ts, operations-v2.ts): one plain,
 * data-only entry per operation of a spec, keyed by operationId, from which the client builds its methods and the
 * mock its routes and request checks. `npm run generate` writes the tables from the bundled specs
 * (scripts/generate-operations.ts); nothing here is hand-written per operation.
 *
 * Where each field comes from:
 *
 *   client        x-hostup-client of the operation: `namespace.method`, e.g. `backupSchedules.save`
 *   method, path  the path item's key and the operation's method, e.g. POST `/api/v2/vps/{id}/backup-schedules`
 *   pathParams    the `in: path` parameters, in the order of the path template (the method's arguments come in
 *                 that order); `argument` is the parameter's x-hostup-argument (v2's `{id}` is `vpsId`)
 *   query         the `in: query` parameters: each one's type, and one validator of the whole query object (a
 *                 closed object schema: unknown keys are refused)
 *   body          the JSON request body's schema and whether the body is required
 *   success       the operation's one 2xx response: its status and media type (none for a 204)
 *   accept        every media type the operation's responses declare, success and errors (the Accept header)
 *   envelope      x-hostup-envelope (v1: `data`): the member of the success body that the method returns
 *   job           the string members of a write's result that name the job it started (`operation.jobId` and
 *                 `operation.pollUrl` of v2's 202, v1's `jobId`), read from the `required` of the result's schema
 *   idempotent    x-hostup-idempotent of a POST or PATCH; GET, PUT and DELETE are idempotent
 *   pagination    x-hostup-pagination of a paged list
 *   security      the names of the security schemes of the operation's `security`, any one of which suffices
 *   scope         the first (for most operations the only) scope of x-hostup-scope, e.g. `write:vm`
 *   scopes        every scope x-hostup-scope lists, all of which the key needs, e.g. [`backup:vm`, `write:billing`]
 *
 * Validators are the exports of src/generated/validators-v{1,2}.ts (Ajv standalone, compiled from the same
 * bundle), imported by reference: a version's table pulls in only that version's validators.
 *
 * The client reads a compact view of the same entries, generated next to them in the same module: `clientTable`
 * (format: ClientTable below) with only what a call needs and the defaults left out, each of its namespaces also
 * exported alone (`clientJobs`: what v2's `operations.waitFor` polls through, without the rest of v1), and
 * `accept`, the Accept header of the version. Security, scopes and parameter types are for servers (the mock): an app that imports
 * only a client never bundles them (the full `operations` is tree-shaken out of it).
 *
 * The typed methods come with the table: each operations module also exports an interface (`V1Methods`,
 * `V2Methods`) with one method per entry, named by `client`, whose arguments are the path arguments in order,
 * then `body` (if the operation has one), then `query` (if it has query parameters), then `options`; parameter
 * and result types are the openapi-typescript types of the operation (the envelope's member when `envelope` is
 * set, `undefined` when the success has no body), and its JSDoc is the operation's summary. A body whose schema
 * has `minProperties` >= 1, which openapi-typescript does not model, is typed `NonEmptyBody` (below): `{}` does not
 * compile.
 */
import type { Validator } from "./validation.js";

export type HttpMethod = "GET" | "PUT" | "POST" | "PATCH" | "DELETE";

/**
 * A parameter's schema type: what a server (the mock) turns the parameter's text into before validating it
 * (`"10000"` is the integer 10000 for an `integer`; an `array` collects the repeated query key).
 */
export type ParamType = "string" | "integer" | "number" | "boolean" | "array";

/** One `in: path` parameter. */
export interface PathParam {
  /** The name in the path template: `id` for `{id}`. */
  readonly name: string;
  /** The client method's argument (x-hostup-argument), which error pointers name: `vpsId` gives `/vpsId`. */
  readonly argument: string;
  readonly type: ParamType;
  readonly validate: Validator;
}

/** The `in: query` parameters. */
export interface QueryParams {
  /** Each parameter's type, by name. */
  readonly params: Readonly<Record<string, ParamType>>;
  /** Validates the whole query object (after conversion by type): one closed object schema. */
  readonly validate: Validator;
}

export interface RequestBody {
  readonly mediaType: "application/json";
  readonly required: boolean;
  readonly validate: Validator;
}

export interface Success {
  readonly status: number;
  /** Absent when the success has no body (204). */
  readonly mediaType?: string;
}

/** How to walk a paged list: pass `nextCursor` of a page as the query parameter `cursor` while `hasMore` is true. */
export interface Pagination {
  /** The query parameter that takes the cursor. */
  readonly cursor: string;
  /** The answer's member with the page's items. */
  readonly items: string;
  /** The answer's member that says whether another page follows. */
  readonly hasMore: string;
  /** The answer's member with the next page's cursor. */
  readonly nextCursor: string;
}

export interface OperationEntry {
  /** `namespace.method` in the client, e.g. `backupSchedules.save`. */
  readonly client: string;
  readonly method: HttpMethod;
  /** The path template, a key of the generated `paths`, e.g. `/api/v2/vps/{id}/backup-schedules`. */
  readonly path: string;
  readonly pathParams: readonly PathParam[];
  /** Absent when the operation has no query parameters. */
  readonly query?: QueryParams;
  /** Absent when the operation takes no body. */
  readonly body?: RequestBody;
  readonly success: Success;
  /** The media types of all the operation's responses, success first. */
  readonly accept: readonly string[];
  /** The member of the success body that is the result (v1's envelope: `data`); absent: the whole body. */
  readonly envelope?: string;
  /** The envelope's member is an array (v1's backup and snapshot lists); absent: an object. */
  readonly envelopeArray?: true;
  /**
   * The string members of the result that name the job a write started, as dotted paths (`operation.jobId`,
   * `operation.pollUrl`; v1's `jobId`); absent: the operation starts no job.
   */
  readonly job?: readonly string[];
  /** Whether a failed attempt may be sent again. */
  readonly idempotent: boolean;
  readonly pagination?: Pagination;
  /** Security scheme names (keys of the table module's `securitySchemes`); any one of them suffices. */
  readonly security: readonly string[];
  /**
   * The API scope the operation needs (x-hostup-scope), e.g. `read:vm`; for an operation that needs several, the
   * first of `scopes`. Check `scopes` to know whether a key may call the operation.
   */
  readonly scope: string;
  /** Every API scope the operation needs (x-hostup-scope, one or a list): the key needs all of them. */
  readonly scopes: readonly string[];
}

/** A version's operations by operationId. */
export type OperationTable = Readonly<Record<string, OperationEntry>>;

/** A security scheme as the spec declares it (the subset HostUp uses). */
export type SecurityScheme =
  | { readonly type: "apiKey"; readonly in: "header" | "query" | "cookie"; readonly name: string }
  | { readonly type: "http"; readonly scheme: string };

/**
 * One operation as the client's runtime (src/methods.ts) reads it: the entry of `operations` without what only a
 * server needs, and with each default left out. Grouped by `client` name: `clientTable.backupSchedules.save`.
 */
export interface ClientOperation {
  /** The operationId, which errors name. */
  readonly id: string;
  /** Method and path template, as `GET /api/v2/vps/{id}/backup-schedules`. */
  readonly route: `${HttpMethod} ${string}`;
  /** The path parameters in the order of the template (the method's first arguments): name, argument, validator. */
  readonly args?: readonly (readonly [name: string, argument: string, validate: Validator])[];
  /** The JSON body's validator; absent when the operation takes no body. */
  readonly body?: Validator;
  /** Set when the body may be left out. */
  readonly optionalBody?: true;
  /** The query's validator; absent when the operation has no query parameters. */
  readonly query?: Validator;
  /** Set when the success has no body (204). */
  readonly noContent?: true;
  /** The member of the success body that is the result (v1's envelope: `data`). */
  readonly envelope?: string;
  /** Set when the envelope's member is an array (v1's backup and snapshot lists); absent: an object. */
  readonly envelopeArray?: true;
  /** The string members the result must have: those that name the job a write started (`operation.jobId`). */
  readonly job?: readonly string[];
  /** Set when a failed attempt must not be sent again (a POST that creates); absent: the operation is idempotent. */
  readonly idempotent?: false;
  readonly page?: Omit<Pagination, "cursor">;
}

/** The operations of one namespace (`backupSchedules`) as the client reads them, by method name. */
export type ClientNamespace = Readonly<Record<string, ClientOperation>>;

/** A version's operations as the client reads them, by `client` name: namespace, then method. */
export type ClientTable = Readonly<Record<string, ClientNamespace>>;

/**
 * `T` with at least one of its members present: one variant per member, which requires that member (its type
 * without `undefined`) and leaves the others as `T` has them. `AtLeastOne<{ a?: number; b?: string }>` is
 * `{ a: number; b?: string } | { b: string; a?: number }`.
 */
export type AtLeastOne<T> = { [K in keyof T]-?: Required<Pick<T, K>> & Omit<T, K> }[keyof T];

/** The members of `Body` that are sent: all but those that can only be `undefined` (JSON leaves them out). */
type SentMembers<Body> = { [K in keyof Body]-?: [Body[K]] extends [undefined] ? never : K }[keyof Body];

/**
 * The type of a body argument whose schema has `minProperties` >= 1 (openapi-typescript does not model it): the
 * method is generic in the argument's type, `Body`, so that `{}` can be told apart from `Schema`, whose members are
 * all optional. A body that sends no member must be `AtLeastOne<Schema>`, so `{}` does not compile; any other is
 * checked against `Schema` as before, and a variable typed `Schema` passes (it may be empty: the run-time check
 * refuses it then). `Body` is the middle branch so that TypeScript infers it from the argument; a member `Schema`
 * lacks makes the type `Schema`, so a misspelt member of an object literal is reported as before.
 */
export type NonEmptyBody<Body, Schema> = [SentMembers<Body>] extends [never]
  ? AtLeastOne<Schema>
  : [Exclude<keyof Body, keyof Schema>] extends [never]
    ? Body
    : Schema;

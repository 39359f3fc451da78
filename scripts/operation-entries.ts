/**
 * Reads a bundled description's operations into entries: for each operation, what the operation table holds
 * (format: src/operation-table.ts) and what the client's method signature needs, with the errors' codes and the
 * security schemes. scripts/generate-operations.ts writes them out as TypeScript.
 *
 * Everything it reads is linted first (redocly.yaml: x-hostup-client, x-hostup-argument, x-hostup-idempotent,
 * x-hostup-pagination, x-hostup-envelope); what lint cannot see (a spec shape the table cannot express) is a
 * SpecError naming the operation.
 */
import { deref, type OperationValidators, requestSchemas } from "./generate-validators.js";

type Json = Record<string, unknown>;

const METHODS = ["get", "put", "post", "patch", "delete"] as const;
const IDEMPOTENT_METHODS = new Set(["get", "put", "delete"]);
const PARAM_TYPES = new Set(["string", "integer", "number", "boolean", "array"]);

export class SpecError extends Error {}

const resolved = (doc: Json, value: unknown): Json => deref(doc, value).node;

/** A validator, written as a reference to the validators module's export rather than as a string. */
export class Ref {
  constructor(readonly name: string) {}
}

export interface Entry {
  operationId: string;
  summary: string;
  client: [namespace: string, method: string];
  method: string;
  path: string;
  pathParams: { name: string; argument: string; type: string; validate: Ref }[];
  query?: { params: Record<string, string>; validate: Ref };
  queryRequired: boolean;
  body?: { mediaType: "application/json"; required: boolean; validate: Ref };
  /** The body's schema has `minProperties` >= 1: the method's type refuses `{}` (not part of the table). */
  bodyNonEmpty: boolean;
  success: { status: number; mediaType?: string };
  accept: string[];
  envelope?: string;
  envelopeArray?: true;
  job?: string[];
  idempotent: boolean;
  pagination?: Record<string, string>;
  security: string[];
  scope: string;
  scopes: string[];
}

/** An operation's parameters by `in:name`, the operation's own overriding its path item's. */
function parametersOf(doc: Json, pathItem: Json, operation: Json): Map<string, Json> {
  const parameters = new Map<string, Json>();
  for (const raw of [
    ...((pathItem.parameters as unknown[]) ?? []),
    ...((operation.parameters as unknown[]) ?? []),
  ]) {
    const parameter = resolved(doc, raw);
    parameters.set(`${String(parameter.in)}:${String(parameter.name)}`, parameter);
  }
  for (const parameter of parameters.values()) {
    if (parameter.in === "header" || parameter.in === "cookie")
      throw new SpecError(`${String(parameter.in)} parameters are not supported by the operation table`);
  }
  return parameters;
}

/** What a server must turn a parameter's text into before validating it (the mock reads URLs). */
function paramType(doc: Json, parameter: Json): string {
  const type = resolved(doc, parameter.schema)?.type;
  if (typeof type !== "string" || !PARAM_TYPES.has(type))
    throw new SpecError(
      `parameter ${String(parameter.name)}: its schema must state one type of ${[...PARAM_TYPES].join(", ")}`,
    );
  return type;
}

/** The path parameters in the order of the path template: the order of the method's arguments. */
function pathParamsOf(
  doc: Json,
  path: string,
  parameters: Map<string, Json>,
  validators: OperationValidators,
) {
  const pathParams = [...path.matchAll(/\{([^}]+)\}/g)].map(([, raw]) => {
    const name = String(raw);
    const parameter = parameters.get(`path:${name}`);
    const argument = parameter?.["x-hostup-argument"];
    const validate = validators.path[name];
    if (!parameter || typeof argument !== "string")
      throw new SpecError(`path parameter {${name}} has no x-hostup-argument`);
    if (!validate) throw new SpecError(`path parameter {${name}} has no schema to validate it with`);
    return { name, argument, type: paramType(doc, parameter), validate: new Ref(validate) };
  });
  if (new Set(pathParams.map((p) => p.argument)).size !== pathParams.length)
    throw new SpecError("two path parameters share an argument name");
  return pathParams;
}

function bodyOf(doc: Json, operation: Json, validators: OperationValidators): Entry["body"] {
  if (operation.requestBody === undefined) return undefined;
  const requestBody = resolved(doc, operation.requestBody);
  const types = Object.keys((requestBody.content as Json) ?? {});
  if (types.length !== 1 || types[0] !== "application/json" || !validators.body)
    throw new SpecError(
      `the request body must be application/json only (got ${types.join(", ") || "no content"})`,
    );
  return {
    mediaType: "application/json",
    required: requestBody.required === true,
    validate: new Ref(validators.body),
  };
}

/**
 * Whether the body's schema asks for at least one member (`minProperties` >= 1), which openapi-typescript does not
 * model: the method's type then refuses a body with none (NonEmptyBody in src/operation-table.ts). A larger
 * `minProperties` is checked as 1 by the types; the validators check the rest.
 */
function bodyNonEmpty(doc: Json, operation: Json): boolean {
  if (operation.requestBody === undefined) return false;
  const content = (resolved(doc, operation.requestBody).content ?? {}) as Json;
  const schema = resolved(doc, (content["application/json"] as Json | undefined)?.schema) ?? {};
  return typeof schema.minProperties === "number" && schema.minProperties >= 1;
}

/** The one 2xx answer (status, media type, JSON schema), and every media type the responses declare. */
function successOf(doc: Json, operation: Json) {
  const responses = (operation.responses ?? {}) as Json;
  const statuses = Object.keys(responses).filter((status) => /^2\d\d$/.test(status));
  if (statuses.length !== 1)
    throw new SpecError(`needs exactly one 2xx response (has ${statuses.join(", ") || "none"})`);
  const status = statuses[0] as string;
  const content = (resolved(doc, responses[status]).content ?? {}) as Json;
  const types = Object.keys(content);
  if (types.length > 1) throw new SpecError(`its ${status} answer has more than one media type`);
  const accept = [...types];
  for (const response of Object.values(responses)) {
    for (const type of Object.keys((resolved(doc, response).content as Json) ?? {}))
      if (!accept.includes(type)) accept.push(type);
  }
  const schema = resolved(doc, (content["application/json"] as Json | undefined)?.schema) ?? {};
  return { status: Number(status), mediaType: types[0], schema, accept };
}

/** The members of a job reference the caller follows: `jobId`, and `pollUrl` where the schema has it too. */
const JOB_MEMBERS = ["jobId", "pollUrl"];

/**
 * The string members of a write's result that name the job it started, as dotted paths: `jobId` when the result
 * requires it (v1's snapshot action), else `<member>.jobId` (and `.pollUrl`) of a required object member that
 * requires them (v2's `operation`). Reads are left out: a job's own answer is checked where it is polled.
 */
function jobOf(doc: Json, method: string, result: Json): string[] | undefined {
  if (method === "get") return undefined;
  const requires = (schema: Json) =>
    JOB_MEMBERS.filter((name) => ((schema.required as unknown[]) ?? []).includes(name));
  if (requires(result).includes("jobId")) return requires(result);
  for (const name of (result.required as string[] | undefined) ?? []) {
    const member = resolved(doc, (result.properties as Json | undefined)?.[name]) ?? {};
    if (requires(member).includes("jobId")) return requires(member).map((inner) => `${name}.${inner}`);
  }
  return undefined;
}

/** The scheme names of the operation's security requirements, any one of which suffices. */
function securityOf(doc: Json, operation: Json): string[] {
  return ((operation.security ?? doc.security ?? []) as Json[]).map((requirement) => {
    const names = Object.keys(requirement);
    if (names.length !== 1)
      throw new SpecError(
        "each security requirement must name exactly one scheme (any one of them suffices)",
      );
    return names[0] as string;
  });
}

/** x-hostup-scope: one scope, or a list of all the scopes the key needs. */
function scopesOf(operation: Json): string[] {
  const value = operation["x-hostup-scope"];
  const scopes = Array.isArray(value) ? value : [value];
  if (scopes.length === 0 || !scopes.every((scope) => typeof scope === "string" && scope !== ""))
    throw new SpecError("x-hostup-scope is missing, or not a scope or a non-empty list of scopes");
  return scopes as string[];
}

function entryOf(
  doc: Json,
  path: string,
  method: string,
  pathItem: Json,
  operation: Json,
  validators: OperationValidators,
): Entry {
  const client = operation["x-hostup-client"];
  if (typeof client !== "string" || !/^[a-z]\w*\.[a-z]\w*$/.test(client))
    throw new SpecError("x-hostup-client is missing or not `namespace.method`");
  const scopes = scopesOf(operation);
  const parameters = parametersOf(doc, pathItem, operation);
  const queryParams = [...parameters.values()].filter((p) => p.in === "query");
  const body = bodyOf(doc, operation, validators);
  const success = successOf(doc, operation);
  const envelope = operation["x-hostup-envelope"];
  if (
    envelope !== undefined &&
    (typeof envelope !== "string" || !((success.schema.required as unknown[]) ?? []).includes(envelope))
  )
    throw new SpecError(
      `x-hostup-envelope \`${String(envelope)}\` is not a required member of its ${success.status} JSON answer`,
    );
  const idempotent = operation["x-hostup-idempotent"];
  const result =
    typeof envelope === "string"
      ? (resolved(doc, (success.schema.properties as Json | undefined)?.[envelope]) ?? {})
      : success.schema;
  const job = jobOf(doc, method, result);
  const pagination = operation["x-hostup-pagination"] as Record<string, string> | undefined;
  const [namespace, name] = client.split(".") as [string, string];
  return {
    operationId: String(operation.operationId),
    summary: String(operation.summary ?? operation.operationId),
    client: [namespace, name],
    method: method.toUpperCase(),
    path,
    pathParams: pathParamsOf(doc, path, parameters, validators),
    ...(validators.query && {
      query: {
        params: Object.fromEntries(queryParams.map((p) => [String(p.name), paramType(doc, p)])),
        validate: new Ref(validators.query),
      },
    }),
    queryRequired: queryParams.some((p) => p.required === true),
    ...(body && { body }),
    bodyNonEmpty: bodyNonEmpty(doc, operation),
    success: { status: success.status, ...(success.mediaType && { mediaType: success.mediaType }) },
    accept: success.accept,
    ...(typeof envelope === "string" && { envelope }),
    // v1's backup and snapshot lists: the envelope's member is an array, not an object
    ...(typeof envelope === "string" &&
      resolved(doc, (success.schema.properties as Json | undefined)?.[envelope])?.type === "array" && {
        envelopeArray: true as const,
      }),
    ...(job && { job }),
    idempotent: typeof idempotent === "boolean" ? idempotent : IDEMPOTENT_METHODS.has(method),
    ...(pagination && {
      pagination: {
        cursor: pagination.cursor,
        items: pagination.items,
        hasMore: pagination.hasMore,
        nextCursor: pagination.nextCursor,
      } as Record<string, string>,
    }),
    security: securityOf(doc, operation),
    scope: scopes[0] as string,
    scopes,
  };
}

/** Every operation of a bundle, in the order of its paths and of METHODS; throws on what the table cannot express. */
export function operationEntries(doc: Json): Entry[] {
  const { byOperation } = requestSchemas(doc);
  const entries: Entry[] = [];
  const clients = new Map<string, string>();
  for (const [path, rawItem] of Object.entries((doc.paths ?? {}) as Json)) {
    const pathItem = resolved(doc, rawItem);
    for (const method of METHODS) {
      const operation = pathItem[method] as Json | undefined;
      if (!operation) continue;
      const validators = byOperation[String(operation.operationId)] ?? { path: {} };
      let entry: Entry;
      try {
        entry = entryOf(doc, path, method, pathItem, operation, validators);
      } catch (error) {
        if (!(error instanceof SpecError)) throw error;
        const where = `${String(operation.operationId)} (${method.toUpperCase()} ${path})`;
        throw new SpecError(`${where}: ${error.message}`);
      }
      const client = entry.client.join(".");
      const taken = clients.get(client);
      if (taken)
        throw new SpecError(`${entry.operationId} and ${taken} are both x-hostup-client \`${client}\``);
      clients.set(client, entry.operationId);
      entries.push(entry);
    }
  }
  return entries;
}

/**
 * The server's error codes the spec shows: the top-level `code` of every example of an error answer (4xx, 5xx),
 * but those whose example calls its code illustrative (v1's pages show the error body's shape, not its codes).
 * The type of `HostupApiError.code` lists them, so an editor offers them; the server may send others.
 */
export function errorCodes(doc: Json): string[] {
  const codes = new Set<string>();
  for (const rawItem of Object.values((doc.paths ?? {}) as Json)) {
    const pathItem = resolved(doc, rawItem);
    for (const method of METHODS) {
      const operation = pathItem[method] as Json | undefined;
      for (const [status, response] of Object.entries((operation?.responses ?? {}) as Json)) {
        if (!/^[45]/.test(status)) continue;
        for (const media of Object.values((resolved(doc, response).content ?? {}) as Record<string, Json>)) {
          const examples = Object.values((media.examples ?? {}) as Json).map((example) =>
            resolved(doc, example),
          );
          if (media.example !== undefined) examples.push({ value: media.example });
          for (const { summary, value } of examples) {
            const code = (value as Json | undefined)?.code;
            if (typeof code === "string" && !/illustrative/i.test(String(summary ?? ""))) codes.add(code);
          }
        }
      }
    }
  }
  return [...codes].sort();
}

/** The scheme definitions the table's `security` names refer to. */
export function securitySchemes(doc: Json): Record<string, Json> {
  const schemes: Record<string, Json> = {};
  const declared = ((doc.components as Json)?.securitySchemes ?? {}) as Json;
  for (const [name, raw] of Object.entries(declared)) {
    const scheme = resolved(doc, raw);
    if (scheme.type === "apiKey") schemes[name] = { type: "apiKey", in: scheme.in, name: scheme.name };
    else if (scheme.type === "http") schemes[name] = { type: "http", scheme: scheme.scheme };
    else throw new SpecError(`security scheme ${name}: type ${String(scheme.type)} is not supported`);
  }
  return schemes;
}

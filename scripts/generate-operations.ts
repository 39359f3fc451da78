/**
 * Writes a version's operation table from its bundled description: src/generated/operations-v{1,2}.ts, the one
 * place the client's methods and the mock's routes and request checks come from (format: src/operation-table.ts).
 * Like Octokit's generated endpoint table: plain data per operationId, the validators by import, no per-operation
 * code; plus the interface of the client's methods, typed from openapi-typescript's `operations`.
 *
 *   tsx scripts/generate-operations.ts v2 dist/openapi/v2.json src/generated/operations-v2.ts [--check]
 *
 * Everything it reads is linted first (redocly.yaml: x-hostup-client, x-hostup-argument, x-hostup-idempotent,
 * x-hostup-pagination, x-hostup-envelope); what lint cannot see (a spec shape the table cannot express) fails here,
 * naming the operation.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  deref,
  type OperationValidators,
  requestSchemas,
  SHARED_MODULE,
  SHARED_NAMESPACE,
  sharedValidators,
  validatorsSource,
} from "./generate-validators.js";
import { runMain } from "./run-main.js";

type Json = Record<string, unknown>;

export interface GenerateOperationsOptions {
  version: "v1" | "v2";
  /** Bundled OpenAPI description (JSON), e.g. dist/openapi/v2.json. */
  bundle: string;
  /** The module to write, e.g. src/generated/operations-v2.ts. */
  out: string;
  /** Write nothing; throw when `out` differs from what would be written. */
  check?: boolean;
  /** Where the text goes (default: written to `out`); `npm run generate` holds it until the lint has passed. */
  write?: (file: string, text: string) => void;
}

const METHODS = ["get", "put", "post", "patch", "delete"] as const;
const IDEMPOTENT_METHODS = new Set(["get", "put", "delete"]);
const PARAM_TYPES = new Set(["string", "integer", "number", "boolean", "array"]);
const root = resolve(fileURLToPath(import.meta.url), "..", "..");

class SpecError extends Error {}

const resolved = (doc: Json, value: unknown): Json => deref(doc, value).node;

/** A validator, written as a reference to the validators module's export rather than as a string. */
class Ref {
  constructor(readonly name: string) {}
}

interface Entry {
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
function securitySchemes(doc: Json): Record<string, Json> {
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

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A TypeScript literal of plain data, on one line when it fits, validators as references. */
function literal(value: unknown, indent = ""): string {
  if (value instanceof Ref) return value.name;
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  const inner = `${indent}  `;
  const items = Array.isArray(value)
    ? value.map((item) => literal(item, inner))
    : Object.entries(value).map(
        ([key, item]) => `${IDENTIFIER.test(key) ? key : JSON.stringify(key)}: ${literal(item, inner)}`,
      );
  const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  if (items.length === 0) return `${open}${close}`;
  const oneLine = Array.isArray(value) ? `[${items.join(", ")}]` : `{ ${items.join(", ")} }`;
  if (!oneLine.includes("\n") && indent.length + oneLine.length <= 100) return oneLine;
  return `${open}\n${items.map((item) => `${inner}${item},`).join("\n")}\n${indent}${close}`;
}

/**
 * The method's signature: openapi-typescript types of its arguments, body, query and result. A body that must not
 * be empty is a type parameter checked by NonEmptyBody, which needs the argument's own type to tell `{}` apart.
 */
function signature(entry: Entry, indent: string): string {
  const op = `Op[${JSON.stringify(entry.operationId)}]`;
  const args = entry.pathParams.map(
    (p) => `${p.argument}: ${op}["parameters"]["path"][${JSON.stringify(p.name)}]`,
  );
  let typeParams = "";
  if (entry.body) {
    let type = `NonNullable<${op}["requestBody"]>["content"]["application/json"]`;
    if (entry.bodyNonEmpty) {
      typeParams = `<\n${indent}  Body extends ${type},\n${indent}>`;
      type = `NonEmptyBody<Body, ${type}>`;
    }
    args.push(`body${entry.body.required ? "" : "?"}: ${type}`);
  }
  if (entry.query) {
    args.push(
      entry.queryRequired
        ? `query: ${op}["parameters"]["query"]`
        : `query?: NonNullable<${op}["parameters"]["query"]>`,
    );
  }
  args.push("options?: CallOptions");
  let result = "undefined";
  if (entry.success.mediaType) {
    result = `${op}["responses"][${entry.success.status}]["content"][${JSON.stringify(entry.success.mediaType)}]`;
    if (entry.envelope) result += `[${JSON.stringify(entry.envelope)}]`;
  }
  return `${entry.client[1]}${typeParams}(\n${args.map((arg) => `${indent}  ${arg},\n`).join("")}${indent}): Promise<${result}>;`;
}

/**
 * The client's view of the entries (format: ClientTable in src/operation-table.ts): grouped by client name, only
 * what a call reads, defaults left out, so that the table costs an app as little as the wrappers it replaced.
 */
function clientTable(entries: Entry[]): Record<string, Record<string, Json>> {
  const table: Record<string, Record<string, Json>> = {};
  for (const entry of entries) {
    const [namespace, name] = entry.client;
    table[namespace] ??= {};
    table[namespace][name] = {
      id: entry.operationId,
      route: `${entry.method} ${entry.path}`,
      ...(entry.pathParams.length > 0 && {
        args: entry.pathParams.map((p) => [p.name, p.argument, p.validate]),
      }),
      ...(entry.body && { body: entry.body.validate }),
      ...(entry.body && !entry.body.required && { optionalBody: true }),
      ...(entry.query && { query: entry.query.validate }),
      ...(!entry.success.mediaType && { noContent: true }),
      ...(entry.envelope !== undefined && { envelope: entry.envelope }),
      ...(entry.envelopeArray && { envelopeArray: true }),
      ...(entry.job && { job: entry.job }),
      ...(!entry.idempotent && { idempotent: false }),
      ...(entry.pagination && {
        page: {
          items: entry.pagination.items,
          hasMore: entry.pagination.hasMore,
          nextCursor: entry.pagination.nextCursor,
        },
      }),
    };
  }
  return table;
}

/** The export that holds one namespace of the client's table: `clientJobs` for `jobs`. */
const clientNamespace = (namespace: string) =>
  `client${namespace.charAt(0).toUpperCase()}${namespace.slice(1)}`;

const comment = (text: string) => text.replace(/\*\//g, "*\\/").replace(/\s+/g, " ").trim();

/** Returns the module's source text for one version's bundle. */
export function operationsSource(doc: Json, version: "v1" | "v2", bundleName: string): string {
  const entries = operationEntries(doc);
  const table = Object.fromEntries(
    entries.map(({ operationId, summary: _s, client, queryRequired: _q, bodyNonEmpty: _n, ...entry }) => [
      operationId,
      { client: client.join("."), ...entry },
    ]),
  );
  const imports = new Set<string>();
  for (const entry of entries) {
    for (const p of entry.pathParams) imports.add(p.validate.name);
    if (entry.query) imports.add(entry.query.validate.name);
    if (entry.body) imports.add(entry.body.validate.name);
  }
  const namespaces = new Map<string, Entry[]>();
  for (const entry of entries)
    namespaces.set(entry.client[0], [...(namespaces.get(entry.client[0]) ?? []), entry]);
  const Methods = `${version.toUpperCase()}Methods`;
  const methods = [...namespaces].map(([namespace, members]) =>
    [
      `  ${namespace}: {`,
      ...members.map((entry) =>
        [
          `    /** ${comment(entry.summary)} (\`${entry.operationId}\`: ${entry.method} ${entry.path}) */`,
          `    ${signature(entry, "    ")}`,
        ].join("\n"),
      ),
      "  };",
    ].join("\n"),
  );
  return [
    `// Generated by scripts/generate-operations.ts from ${bundleName}. Do not edit: run \`npm run generate\`.`,
    `// The format of the table: src/operation-table.ts.`,
    'import type { CallOptions } from "../options.js";',
    `import type { ClientNamespace, ClientTable, ${entries.some((entry) => entry.bodyNonEmpty) ? "NonEmptyBody, " : ""}OperationTable, SecurityScheme } from "../operation-table.js";`,
    `import type { operations as Op } from "./${version}.js";`,
    imports.size > 0 ? `import { ${[...imports].sort().join(", ")} } from "./validators-${version}.js";` : "",
    namespaces.has(SHARED_NAMESPACE)
      ? `import { ${clientNamespace(SHARED_NAMESPACE)} } from "./${SHARED_MODULE}.js";`
      : "",
    "",
    `/** The ${version} operations by operationId. */`,
    `export const operations = ${literal(table)} as const satisfies OperationTable;`,
    "",
    `export type ${version.toUpperCase()}OperationId = keyof typeof operations;`,
    "",
    `/** The security schemes that the operations' \`security\` names. */`,
    `export const securitySchemes = ${literal(securitySchemes(doc))} as const satisfies Record<string, SecurityScheme>;`,
    "",
    ...(namespaces.has(SHARED_NAMESPACE)
      ? [
          `/** What the client reads of the \`${SHARED_NAMESPACE}\` operations: see ./${SHARED_MODULE}.ts. */`,
          `export { ${clientNamespace(SHARED_NAMESPACE)} };`,
          "",
        ]
      : []),
    ...Object.entries(clientTable(entries))
      .filter(([namespace]) => namespace !== SHARED_NAMESPACE)
      .flatMap(([namespace, members]) => [
        `/** What the client reads of the \`${namespace}\` operations (format: ClientNamespace in src/operation-table.ts). */`,
        `export const ${clientNamespace(namespace)} = ${literal(members)} as const satisfies ClientNamespace;`,
        "",
      ]),
    "/** What the client reads of each operation, by client name (format: ClientTable in src/operation-table.ts). */",
    `export const clientTable = { ${[...namespaces.keys()].map((namespace) => `${namespace}: ${clientNamespace(namespace)}`).join(", ")} } as const satisfies ClientTable;`,
    "",
    "/** The Accept header of every call: each media type the operations' answers declare. */",
    `export const accept = ${JSON.stringify([...new Set(entries.flatMap((entry) => entry.accept))].join(", "))};`,
    "",
    `/** The ${version} client's methods, one per operation, named by its x-hostup-client. */`,
    `export interface ${Methods} {`,
    ...methods,
    "}",
    "",
  ]
    .filter((line, index, all) => !(line === "" && all[index - 1] === ""))
    .join("\n");
}

/**
 * The module of the shared namespace (v1's jobs route, which the v2 client polls too): its validators and its
 * client table entry, so that neither the rest of v1's table nor its other validators reach a v2-only bundle.
 * Undefined for a version without that namespace.
 */
export function sharedSource(doc: Json, bundleName: string): string | undefined {
  const entries = operationEntries(doc).filter((entry) => entry.client[0] === SHARED_NAMESPACE);
  if (entries.length === 0) return undefined;
  const validators = validatorsSource(doc, bundleName, { shared: sharedValidators(doc), only: true });
  const [members] = Object.values(clientTable(entries));
  return [
    validators
      .replace(
        "scripts/generate-validators.ts",
        "scripts/generate-operations.ts (validators: generate-validators.ts)",
      )
      .replace(
        /\n\n/,
        `\n// The \`${SHARED_NAMESPACE}\` operations, which both clients call: a module of their own, so that an app that imports only the v2 client bundles nothing else of v1.\nimport type { ClientNamespace } from "../operation-table.js";\n\n`,
      )
      .trimEnd(),
    "",
    `/** What the client reads of the \`${SHARED_NAMESPACE}\` operations (format: ClientNamespace in src/operation-table.ts). */`,
    `export const ${clientNamespace(SHARED_NAMESPACE)} = ${literal(members)} as const satisfies ClientNamespace;`,
    "",
    "/** The Accept header of their calls: each media type their answers declare. */",
    `export const accept = ${JSON.stringify([...new Set(entries.flatMap((entry) => entry.accept))].join(", "))};`,
    "",
  ].join("\n");
}

/**
 * The module of a version's error codes: a type and nothing else, so that src/errors.ts can import it without a
 * cycle (the operations module imports the validators, which import the errors).
 */
export function errorCodesSource(doc: Json, version: "v1" | "v2", bundleName: string): string {
  const codes = errorCodes(doc).map((code) => JSON.stringify(code));
  return [
    `// Generated by scripts/generate-operations.ts from ${bundleName}. Do not edit: run \`npm run generate\`.`,
    "",
    `/** The error \`code\`s the ${version} spec's error answers show (its examples); the server may send others. */`,
    `export type ${version.toUpperCase()}ErrorCode = ${codes.join(" | ") || "never"};`,
    "",
  ].join("\n");
}

/** Where the error codes go: beside the operations module, `error-codes-v2.ts` for `operations-v2.ts`. */
export const errorCodesOutput = (out: string, version: "v1" | "v2") =>
  join(dirname(out), `error-codes-${version}.ts`);

export function generateOperations(opts: GenerateOperationsOptions): void {
  const doc = JSON.parse(readFileSync(opts.bundle, "utf8")) as Json;
  const info = (doc.info ?? {}) as Json;
  const bundleName = `the bundle of "${String(info.title ?? "API")}" ${String(info.version ?? "")}`.trim();
  let files: [string, string][];
  try {
    files = [
      [opts.out, operationsSource(doc, opts.version, bundleName)],
      [errorCodesOutput(opts.out, opts.version), errorCodesSource(doc, opts.version, bundleName)],
    ];
    const shared = sharedSource(doc, bundleName);
    if (shared !== undefined) files.push([join(dirname(opts.out), `${SHARED_MODULE}.ts`), shared]);
  } catch (error) {
    if (error instanceof SpecError) throw new Error(`generate-operations: ${bundleName}: ${error.message}`);
    throw error;
  }
  for (const [file, source] of files) {
    if (!opts.check) {
      (opts.write ?? writeFileSync)(file, source);
      continue;
    }
    let current = "";
    try {
      current = readFileSync(file, "utf8");
    } catch {}
    if (current !== source) {
      throw new Error(
        `${relative(root, file)} is stale (it differs from the spec's operation table): run \`npm run generate\``,
      );
    }
  }
}

runMain(import.meta.url, (argv) => {
  const [version, bundle, out] = argv.filter((arg) => !arg.startsWith("--"));
  if ((version !== "v1" && version !== "v2") || !bundle || !out) {
    console.error("usage: tsx scripts/generate-operations.ts <v1|v2> <bundle.json> <out.ts> [--check]");
    return 2;
  }
  try {
    generateOperations({ version, bundle, out, check: argv.includes("--check") });
    return 0;
  } catch (error) {
    console.error(`✘ ${(error as Error)?.message ?? String(error)}`);
    return 1;
  }
});

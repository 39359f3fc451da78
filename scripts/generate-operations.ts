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
import { relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type OperationValidators, requestSchemas } from "./generate-validators.js";

type Json = Record<string, unknown>;

export interface GenerateOperationsOptions {
  version: "v1" | "v2";
  /** Bundled OpenAPI description (JSON), e.g. dist/openapi/v2.json. */
  bundle: string;
  /** The module to write, e.g. src/generated/operations-v2.ts. */
  out: string;
  /** Write nothing; throw when `out` differs from what would be written. */
  check?: boolean;
}

const METHODS = ["get", "put", "post", "patch", "delete"] as const;
const IDEMPOTENT_METHODS = new Set(["get", "put", "delete"]);
const PARAM_TYPES = new Set(["string", "integer", "number", "boolean", "array"]);
const root = resolve(fileURLToPath(import.meta.url), "..", "..");

class SpecError extends Error {}

function deref(doc: Json, value: unknown): Json {
  let node = value as Json;
  for (let depth = 0; typeof node?.$ref === "string"; depth++) {
    const ref = node.$ref;
    if (!ref.startsWith("#/") || depth > 20) throw new SpecError(`cannot resolve $ref ${ref}`);
    let target: unknown = doc;
    for (const raw of ref.slice(2).split("/"))
      target = (target as Json)?.[raw.replace(/~1/g, "/").replace(/~0/g, "~")];
    if (target === undefined) throw new SpecError(`unresolved $ref ${ref}`);
    node = target as Json;
  }
  return node;
}

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
  success: { status: number; mediaType?: string };
  accept: string[];
  envelope?: string;
  idempotent: boolean;
  pagination?: Record<string, string>;
  security: string[];
  scope: string;
}

function entryOf(
  doc: Json,
  path: string,
  method: (typeof METHODS)[number],
  pathItem: Json,
  operation: Json,
  validators: OperationValidators,
): Entry {
  const operationId = String(operation.operationId);
  const fail = (what: string) => new SpecError(`${operationId} (${method.toUpperCase()} ${path}): ${what}`);
  const client = operation["x-hostup-client"];
  if (typeof client !== "string" || !/^[a-z]\w*\.[a-z]\w*$/.test(client))
    throw fail("x-hostup-client is missing or not `namespace.method`");

  const parameters = new Map<string, Json>();
  for (const raw of [
    ...((pathItem.parameters as unknown[]) ?? []),
    ...((operation.parameters as unknown[]) ?? []),
  ]) {
    const parameter = deref(doc, raw);
    parameters.set(`${String(parameter.in)}:${String(parameter.name)}`, parameter);
  }
  // What a server must turn a parameter's text into before validating it (the mock reads URLs).
  const typeOf = (parameter: Json) => {
    const type = deref(doc, parameter.schema).type;
    if (typeof type !== "string" || !PARAM_TYPES.has(type))
      throw fail(
        `parameter ${String(parameter.name)}: its schema must state one type of ${[...PARAM_TYPES].join(", ")}`,
      );
    return type;
  };
  const pathParams = [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => {
    const parameter = parameters.get(`path:${name}`);
    const argument = parameter?.["x-hostup-argument"];
    const validate = validators.path[String(name)];
    if (!parameter || typeof argument !== "string")
      throw fail(`path parameter {${name}} has no x-hostup-argument`);
    if (!validate) throw fail(`path parameter {${name}} has no schema to validate it with`);
    return { name: String(name), argument, type: typeOf(parameter), validate: new Ref(validate) };
  });
  const arguments_ = pathParams.map((p) => p.argument);
  if (new Set(arguments_).size !== arguments_.length)
    throw fail(`two path parameters share an argument name`);
  const queryParams = [...parameters.values()].filter((p) => p.in === "query");
  for (const where of ["header", "cookie"]) {
    if ([...parameters.values()].some((p) => p.in === where))
      throw fail(`${where} parameters are not supported by the operation table`);
  }

  let body: Entry["body"];
  if (operation.requestBody !== undefined) {
    const requestBody = deref(doc, operation.requestBody);
    const types = Object.keys((requestBody.content as Json) ?? {});
    if (types.length !== 1 || types[0] !== "application/json" || !validators.body)
      throw fail(`the request body must be application/json only (got ${types.join(", ") || "no content"})`);
    body = {
      mediaType: "application/json",
      required: requestBody.required === true,
      validate: new Ref(validators.body),
    };
  }

  const responses = (operation.responses ?? {}) as Json;
  const successes = Object.keys(responses).filter((status) => /^2\d\d$/.test(status));
  if (successes.length !== 1)
    throw fail(`needs exactly one 2xx response (has ${successes.join(", ") || "none"})`);
  const status = successes[0] as string;
  const successContent = Object.keys((deref(doc, responses[status]).content as Json) ?? {});
  if (successContent.length > 1) throw fail(`its ${status} answer has more than one media type`);
  const accept = [...successContent];
  for (const response of Object.values(responses)) {
    for (const type of Object.keys((deref(doc, response).content as Json) ?? {}))
      if (!accept.includes(type)) accept.push(type);
  }

  const envelope = operation["x-hostup-envelope"];
  if (envelope !== undefined) {
    const schema = deref(
      doc,
      ((deref(doc, responses[status]).content as Json)?.["application/json"] as Json)?.schema,
    );
    if (typeof envelope !== "string" || !((schema.required as unknown[]) ?? []).includes(envelope))
      throw fail(
        `x-hostup-envelope \`${String(envelope)}\` is not a required member of its ${status} JSON answer`,
      );
  }

  const declared = operation["x-hostup-idempotent"];
  const pagination = operation["x-hostup-pagination"] as Record<string, string> | undefined;
  const requirements = (operation.security ?? doc.security ?? []) as Json[];
  const security = requirements.map((requirement) => {
    const names = Object.keys(requirement);
    if (names.length !== 1)
      throw fail("each security requirement must name exactly one scheme (any one of them suffices)");
    return names[0] as string;
  });
  const scope = operation["x-hostup-scope"];
  if (typeof scope !== "string") throw fail("x-hostup-scope is missing");

  const [namespace, name] = client.split(".") as [string, string];
  const successMediaType = successContent[0];
  return {
    operationId,
    summary: String(operation.summary ?? operationId),
    client: [namespace, name],
    method: method.toUpperCase(),
    path,
    pathParams,
    ...(validators.query
      ? {
          query: {
            params: Object.fromEntries(queryParams.map((p) => [String(p.name), typeOf(p)])),
            validate: new Ref(validators.query),
          },
        }
      : {}),
    queryRequired: queryParams.some((p) => p.required === true),
    ...(body ? { body } : {}),
    success: { status: Number(status), ...(successMediaType ? { mediaType: successMediaType } : {}) },
    accept,
    ...(typeof envelope === "string" ? { envelope } : {}),
    idempotent: typeof declared === "boolean" ? declared : IDEMPOTENT_METHODS.has(method),
    ...(pagination
      ? {
          pagination: {
            cursor: pagination.cursor,
            items: pagination.items,
            hasMore: pagination.hasMore,
            nextCursor: pagination.nextCursor,
          } as Record<string, string>,
        }
      : {}),
    security,
    scope,
  };
}

/** Every operation of a bundle, in the order of its paths and of METHODS; throws on what the table cannot express. */
export function operationEntries(doc: Json): Entry[] {
  const { byOperation } = requestSchemas(doc);
  const entries: Entry[] = [];
  const clients = new Map<string, string>();
  for (const [path, rawItem] of Object.entries((doc.paths ?? {}) as Json)) {
    const pathItem = deref(doc, rawItem);
    for (const method of METHODS) {
      const operation = pathItem[method] as Json | undefined;
      if (!operation) continue;
      const entry = entryOf(
        doc,
        path,
        method,
        pathItem,
        operation,
        byOperation[String(operation.operationId)] ?? { path: {} },
      );
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

/** The scheme definitions the table's `security` names refer to. */
function securitySchemes(doc: Json): Record<string, Json> {
  const schemes: Record<string, Json> = {};
  const declared = ((doc.components as Json)?.securitySchemes ?? {}) as Json;
  for (const [name, raw] of Object.entries(declared)) {
    const scheme = deref(doc, raw);
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

/** The method's signature: openapi-typescript types of its arguments, body, query and result. */
function signature(entry: Entry, indent: string): string {
  const op = `Op[${JSON.stringify(entry.operationId)}]`;
  const args = entry.pathParams.map(
    (p) => `${p.argument}: ${op}["parameters"]["path"][${JSON.stringify(p.name)}]`,
  );
  if (entry.body) {
    const type = `NonNullable<${op}["requestBody"]>["content"]["application/json"]`;
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
  return `${entry.client[1]}(\n${args.map((arg) => `${indent}  ${arg},\n`).join("")}${indent}): Promise<${result}>;`;
}

const comment = (text: string) => text.replace(/\*\//g, "*\\/").replace(/\s+/g, " ").trim();

/** Returns the module's source text for one version's bundle. */
export function operationsSource(doc: Json, version: "v1" | "v2", bundleName: string): string {
  const entries = operationEntries(doc);
  const table = Object.fromEntries(
    entries.map(({ operationId, summary: _s, client, queryRequired: _q, ...entry }) => [
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
    'import type { OperationTable, SecurityScheme } from "../operation-table.js";',
    `import type { operations as Op } from "./${version}.js";`,
    imports.size > 0 ? `import { ${[...imports].sort().join(", ")} } from "./validators-${version}.js";` : "",
    "",
    `/** The ${version} operations by operationId. */`,
    `export const operations = ${literal(table)} as const satisfies OperationTable;`,
    "",
    `export type ${version.toUpperCase()}OperationId = keyof typeof operations;`,
    "",
    `/** The security schemes that the operations' \`security\` names. */`,
    `export const securitySchemes = ${literal(securitySchemes(doc))} as const satisfies Record<string, SecurityScheme>;`,
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

export function generateOperations(opts: GenerateOperationsOptions): void {
  const doc = JSON.parse(readFileSync(opts.bundle, "utf8")) as Json;
  const info = (doc.info ?? {}) as Json;
  const bundleName = `the bundle of "${String(info.title ?? "API")}" ${String(info.version ?? "")}`.trim();
  let source: string;
  try {
    source = operationsSource(doc, opts.version, bundleName);
  } catch (error) {
    if (error instanceof SpecError) throw new Error(`generate-operations: ${bundleName}: ${error.message}`);
    throw error;
  }
  if (opts.check) {
    let current = "";
    try {
      current = readFileSync(opts.out, "utf8");
    } catch {}
    if (current !== source) {
      throw new Error(
        `${relative(root, opts.out)} is stale (it differs from the spec's operation table): run \`npm run generate\``,
      );
    }
    return;
  }
  writeFileSync(opts.out, source);
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const [version, bundle, out] = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
  if ((version !== "v1" && version !== "v2") || !bundle || !out) {
    console.error("usage: tsx scripts/generate-operations.ts <v1|v2> <bundle.json> <out.ts> [--check]");
    process.exit(2);
  }
  try {
    generateOperations({ version, bundle, out, check: process.argv.includes("--check") });
  } catch (error) {
    console.error(`✘ ${(error as Error)?.message ?? String(error)}`);
    process.exitCode = 1;
  }
}

/**
 * Writes a version's operation table from its bundled description: src/generated/operations-v{1,2}.ts, the one
 * place the client's methods and the mock's routes and request checks come from (format: src/operation-table.ts).
 * Like Octokit's generated endpoint table: plain data per operationId, the validators by import, no per-operation
 * code; plus the interface of the client's methods, typed from openapi-typescript's `operations`.
 *
 *   tsx scripts/generate-operations.ts v2 dist/openapi/v2.json src/generated/operations-v2.ts [--check]
 *
 * The entries come from scripts/operation-entries.ts, which reads the operations and fails, naming the operation,
 * on a spec shape the table cannot express.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  SHARED_MODULE,
  SHARED_NAMESPACE,
  sharedValidators,
  validatorsSource,
} from "./generate-validators.js";
import {
  type Entry,
  errorCodes,
  operationEntries,
  Ref,
  SpecError,
  securitySchemes,
} from "./operation-entries.js";
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

const root = resolve(fileURLToPath(import.meta.url), "..", "..");

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

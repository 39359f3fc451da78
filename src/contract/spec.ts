// The OpenAPI descriptions the contract checks read: the bundles the package ships (dist/openapi/v{1,2}.json,
// made by `npm run generate`), each with the routes of its generated operation table. Nothing here runs Redocly.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { operations as v1Operations } from "../generated/operations-v1.js";
import { operations as v2Operations } from "../generated/operations-v2.js";
import type { OperationTable } from "../operation-table.js";

export type ApiVersion = "v1" | "v2";
export const API_VERSIONS: readonly ApiVersion[] = ["v1", "v2"];

// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document is walked generically
export type JsonObject = Record<string, any>;

export interface OpenApiDoc extends JsonObject {
  openapi: string;
  paths: Record<string, JsonObject>;
  components?: JsonObject;
}

/** One operation's method and path template: what a request is matched against. */
export interface Route {
  operationId: string;
  /** Upper case. */
  method: string;
  /** The path template, e.g. /api/v2/vps/{id}/backup-schedules. */
  path: string;
}

export interface LoadedSpec {
  version: ApiVersion;
  /** Where the description was read from. */
  file: string;
  doc: OpenApiDoc;
  routes: readonly Route[];
}

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

const TABLES: Record<ApiVersion, OperationTable> = { v1: v1Operations, v2: v2Operations };

/**
 * The shipped bundle of `version`: dist/openapi/ beside dist/contract/ in the package; in this repository's sources
 * (src/contract/), the dist/openapi/ that `npm run generate` writes.
 */
export function bundlePath(version: ApiVersion): string {
  const candidates = [`../openapi/${version}.json`, `../../dist/openapi/${version}.json`].map((p) =>
    fileURLToPath(new URL(p, import.meta.url)),
  );
  const found = candidates.find((p) => existsSync(p));
  if (!found)
    throw new Error(
      `hostup-api/contract: the ${version} description is missing (looked for ${candidates.join(", ")}); in a clone of hostup-api, run npm run generate`,
    );
  return found;
}

/** The routes of a generated operation table. */
export function routesOfTable(table: OperationTable): Route[] {
  return Object.entries(table).map(([operationId, entry]) => ({
    operationId,
    method: entry.method,
    path: entry.path,
  }));
}

/** The routes a description declares (every method of every path), for a description without a table. */
export function routesOfDocument(doc: OpenApiDoc): Route[] {
  return Object.entries<JsonObject>(doc.paths ?? {}).flatMap(([path, item]) =>
    HTTP_METHODS.filter((m) => item?.[m]).map((m) => ({
      operationId: String(item[m].operationId ?? `${m.toUpperCase()} ${path}`),
      method: m.toUpperCase(),
      path,
    })),
  );
}

const loaded = new Map<ApiVersion, LoadedSpec>();

/**
 * The shipped description of `version`, matched by the routes of its generated operation table. Read once per
 * process (the validators compiled for it are kept with it): treat it as read-only.
 */
export function loadSpec(version: ApiVersion): LoadedSpec {
  let spec = loaded.get(version);
  if (!spec) {
    const file = bundlePath(version);
    const doc = JSON.parse(readFileSync(file, "utf8")) as OpenApiDoc;
    spec = { version, file, doc, routes: routesOfTable(TABLES[version]) };
    loaded.set(version, spec);
  }
  return spec;
}

export function loadSpecs(): LoadedSpec[] {
  return API_VERSIONS.map((v) => loadSpec(v));
}

/** A description given as a document (a bundle of your own, a planted copy in a test): routes from its paths. */
export function specFromDocument(version: ApiVersion, doc: OpenApiDoc, file: string): LoadedSpec {
  return { version, file, doc, routes: routesOfDocument(doc) };
}

export interface OperationRef {
  version: ApiVersion | "";
  method: string; // upper case
  path: string; // template, e.g. /api/v2/vps/{id}/backup-schedules
  operationId: string;
  operation: JsonObject;
  pathItem: JsonObject;
  /** JSON pointer of the operation inside the document. */
  pointer: string;
}

export function escapePointer(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** The operation a route names, read from the document; an error when the two disagree (a stale table). */
export function operationOf(spec: Pick<LoadedSpec, "version" | "doc" | "file">, route: Route): OperationRef {
  const pathItem = spec.doc.paths?.[route.path];
  const operation = pathItem?.[route.method.toLowerCase()];
  if (!operation)
    throw new Error(
      `${spec.file}: the operation table names ${route.operationId} (${route.method} ${route.path}), which the description lacks; regenerate with npm run generate`,
    );
  return {
    version: spec.version,
    method: route.method,
    path: route.path,
    operationId: route.operationId,
    operation,
    pathItem,
    pointer: `#/paths/${escapePointer(route.path)}/${route.method.toLowerCase()}`,
  };
}

const isLoadedSpec = (spec: LoadedSpec | OpenApiDoc): spec is LoadedSpec =>
  Array.isArray(spec.routes) && typeof spec.doc === "object";

/** Every operation of a spec (by its routes) or of a bare document (by its paths). */
export function listOperations(spec: LoadedSpec | OpenApiDoc): OperationRef[] {
  if (isLoadedSpec(spec)) return spec.routes.map((route) => operationOf(spec, route));
  const doc = spec;
  return routesOfDocument(doc).map((route) =>
    operationOf({ version: "" as ApiVersion, doc, file: "" }, route),
  );
}

/** Documented response status codes of an operation, as written in the spec ("200", "4XX", "default"). */
export function documentedStatuses(op: OperationRef): string[] {
  return Object.keys(op.operation.responses ?? {});
}

/** Resolves a local $ref (only "#/..." refs exist in a bundle). */
export function deref<T = JsonObject>(doc: JsonObject, node: JsonObject | undefined): T | undefined {
  let current = node;
  const seen = new Set<string>();
  while (current && typeof current.$ref === "string") {
    const ref: string = current.$ref;
    if (seen.has(ref)) throw new Error(`circular $ref ${ref}`);
    seen.add(ref);
    current = resolvePointer(doc, ref);
  }
  return current as T | undefined;
}

export function resolvePointer(doc: JsonObject, ref: string): JsonObject | undefined {
  if (!ref.startsWith("#")) throw new Error(`only local $refs are supported in a bundle, got ${ref}`);
  let node: unknown = doc;
  for (const raw of ref.slice(1).split("/").slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object") return undefined;
    node = (node as JsonObject)[key];
  }
  return node as JsonObject | undefined;
}

// Loading the bundled OpenAPI descriptions and finding the operation a recorded request belongs to.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { bundle } from "../generate.js";

export type ApiVersion = "v1" | "v2";
export const API_VERSIONS: readonly ApiVersion[] = ["v1", "v2"];

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document is walked generically
export type JsonObject = Record<string, any>;

export interface OpenApiDoc extends JsonObject {
  openapi: string;
  paths: Record<string, JsonObject>;
  components?: JsonObject;
}

export interface LoadedSpec {
  version: ApiVersion;
  /** Where the bundle was read from. */
  file: string;
  doc: OpenApiDoc;
}

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** Path of the bundle made by `npm run generate` (dist/openapi/vN.json). */
export function bundlePath(version: ApiVersion, root = REPO_ROOT): string {
  return join(root, "dist", "openapi", `${version}.json`);
}

/**
 * Reads dist/openapi/<version>.json. When it is missing (a run of `npm run test:contract` before
 * `npm run generate`), bundles the split source into .tmp/ with redocly so the suite still checks the
 * spec in the tree rather than failing on a missing build product.
 */
export function loadSpec(version: ApiVersion, root = REPO_ROOT): LoadedSpec {
  let file = bundlePath(version, root);
  if (!existsSync(file)) {
    file = join(root, ".tmp", "openapi", `${version}.json`);
    mkdirSync(dirname(file), { recursive: true });
    const source = join(root, "openapi", version, "openapi.yaml");
    if (!existsSync(source)) throw new Error(`no OpenAPI description at ${source}`);
    execFileSync(
      process.execPath,
      [join(root, "node_modules", "@redocly", "cli", "bin", "cli.js"), "bundle", source, "-o", file],
      { stdio: "pipe", cwd: root },
    );
  }
  return { version, file, doc: JSON.parse(readFileSync(file, "utf8")) as OpenApiDoc };
}

export function loadSpecs(root = REPO_ROOT): LoadedSpec[] {
  return API_VERSIONS.map((v) => loadSpec(v, root));
}

/**
 * Bundles the split sources (openapi/v1, openapi/v2) into `dir` now, with the same `bundle()` as
 * `npm run generate`, and reads those bundles. What every user-facing entry point (`npm run contract`,
 * `npm run fixtures:build`) uses, so that a spec edited since the last `npm run generate` is the one checked,
 * never a stale dist/openapi/*.json.
 */
export function loadFreshSpecs(dir = join(REPO_ROOT, "dist", "openapi")): LoadedSpec[] {
  bundle(dir);
  return API_VERSIONS.map((version) => {
    const file = join(dir, `${version}.json`);
    return { version, file, doc: JSON.parse(readFileSync(file, "utf8")) as OpenApiDoc };
  });
}

export interface OperationRef {
  version: ApiVersion | string;
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

export function listOperations(spec: LoadedSpec | OpenApiDoc): OperationRef[] {
  const doc = "doc" in spec ? spec.doc : spec;
  const version = "doc" in spec ? spec.version : "";
  const out: OperationRef[] = [];
  for (const [path, pathItem] of Object.entries<JsonObject>(doc.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (!operation) continue;
      out.push({
        version,
        method: method.toUpperCase(),
        path,
        operationId: operation.operationId ?? `${method.toUpperCase()} ${path}`,
        operation,
        pathItem,
        pointer: `#/paths/${escapePointer(path)}/${method}`,
      });
    }
  }
  return out;
}

/** Documented response status codes of an operation, as written in the spec ("200", "4XX", "default"). */
export function documentedStatuses(op: OperationRef): string[] {
  return Object.keys(op.operation.responses ?? {});
}

export interface OperationMatch extends OperationRef {
  pathParams: Record<string, string>;
}

function serverPaths(doc: OpenApiDoc): string[] {
  const servers: JsonObject[] = doc.servers?.length ? doc.servers : [{ url: "/" }];
  return servers.map((s) => {
    try {
      return new URL(String(s.url), "https://placeholder.invalid").pathname.replace(/\/$/, "");
    } catch {
      return "";
    }
  });
}

/**
 * The operation of `doc` a request belongs to: the URL's path (after a server's base path) is matched
 * segment by segment against the path templates; literal segments beat `{param}` segments.
 */
export function matchOperation(spec: LoadedSpec, method: string, url: string): OperationMatch | undefined {
  const pathname = new URL(url, "https://placeholder.invalid").pathname;
  let best: { match: OperationMatch; literals: number } | undefined;
  for (const base of serverPaths(spec.doc)) {
    if (base && !pathname.startsWith(`${base}/`)) continue;
    const rest = pathname.slice(base.length);
    const actual = rest.split("/").slice(1);
    for (const op of listOperations(spec)) {
      if (op.method !== method.toUpperCase()) continue;
      const template = op.path.split("/").slice(1);
      if (template.length !== actual.length) continue;
      const pathParams: Record<string, string> = {};
      let literals = 0;
      let ok = true;
      template.forEach((seg, i) => {
        const value = actual[i] ?? "";
        const param = /^\{(.+)\}$/.exec(seg);
        if (param?.[1]) {
          if (value === "") ok = false;
          else pathParams[param[1]] = decodeURIComponent(value);
        } else if (seg === value) literals++;
        else ok = false;
      });
      if (ok && (!best || literals > best.literals)) best = { match: { ...op, pathParams }, literals };
    }
  }
  return best?.match;
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

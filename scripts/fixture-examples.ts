// The example corpus (test/fixtures/examples/) built from the bundled specs' own examples: one scenario per
// operation × documented status × named example, plus the hand-assembled cases a client must survive
// (weekly/monthly saves, a paged VPS list, a job polled to completion, paired v1/v2 reads of one VM).
// Each entry's comment says honestly where it came from (fixture-provenance.ts): "built from documented example:
// <page file>" only for the few spec examples that are a reference page's own (PAGE_EXAMPLES), "built from spec
// example (not shown on any page)" for all the others, which the spec's authors wrote. Every entry passes through
// scrubbing and the normaliser (build-fixtures.ts), so the corpus is in the same normal form as a recording.
// Deterministic: the same specs give byte-identical files.
import { buildEntry, buildHar, type Har, type HarEntry } from "../src/contract/har.js";
import {
  deref,
  type JsonObject,
  type LoadedSpec,
  listOperations,
  type OperationRef,
} from "../src/contract/spec.js";
import { DEFAULT_BASE_URL } from "../src/options.js";
import { type PageExample, pageExample, provenanceComment } from "./fixture-provenance.js";

/** The host of the descriptions' `servers`, which example requests are sent to. */
export const HOST = DEFAULT_BASE_URL;

/** An entry's comment: a page's own example, or one the spec's authors wrote (see provenance.ts). */
export function sourced(page: PageExample | undefined, details: string): string {
  return provenanceComment(
    page
      ? {
          kind: "page",
          page: page.page,
          details: page.adapted ? `${details}; adapted from the page: ${page.adapted.what}` : details,
        }
      : { kind: "spec", details },
  );
}

function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .toLowerCase();
}

export function examplesOf(doc: JsonObject, media: JsonObject | undefined): [string, unknown][] {
  if (!media) return [];
  if (media.examples) {
    return Object.entries<JsonObject>(media.examples).map(([name, ex]) => [name, deref(doc, ex)?.value]);
  }
  if (media.example !== undefined) return [["example", media.example]];
  return [];
}

function credentials(version: string): Record<string, string> {
  return version === "v1" ? { "x-api-key": "REDACTED" } : { authorization: "Bearer REDACTED" };
}

function paramExample(doc: JsonObject, op: OperationRef, name: string): string {
  const all: JsonObject[] = [...(op.pathItem.parameters ?? []), ...(op.operation.parameters ?? [])];
  for (const p of all) {
    const param = deref(doc, p);
    if (param?.name === name) return String(param.example ?? param.schema?.example ?? "1");
  }
  return "1";
}

function urlFor(doc: JsonObject, op: OperationRef, query = ""): string {
  const path = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) =>
    encodeURIComponent(paramExample(doc, op, name)),
  );
  return `${HOST}${path}${query}`;
}

function responseHeaders(
  doc: JsonObject,
  response: JsonObject | undefined,
  mediaType?: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (mediaType) out["content-type"] = mediaType;
  for (const [name, node] of Object.entries<JsonObject>(response?.headers ?? {})) {
    const header = deref(doc, node);
    const example = header?.example ?? header?.schema?.example;
    if (example !== undefined) out[name.toLowerCase()] = String(example);
  }
  return out;
}

export interface Built {
  name: string;
  har: Har;
}

export function entryFor(
  spec: LoadedSpec,
  op: OperationRef,
  status: string,
  body: unknown,
  mediaType: string | undefined,
  comment: string,
  request?: { body?: unknown; query?: string },
): HarEntry {
  const doc = spec.doc;
  const response = deref(doc, op.operation.responses[status]);
  return buildEntry({
    method: op.method,
    url: urlFor(doc, op, request?.query ?? ""),
    requestHeaders: {
      accept: "application/json",
      ...credentials(spec.version),
      ...(request?.body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(request?.body !== undefined ? { requestBody: request.body } : {}),
    status: Number(status),
    responseHeaders: responseHeaders(doc, response, body === undefined ? undefined : mediaType),
    ...(body === undefined ? {} : { responseBody: body }),
    comment,
  });
}

function firstRequestExample(
  spec: LoadedSpec,
  op: OperationRef,
): { name: string; value: unknown } | undefined {
  const rb = deref(spec.doc, op.operation.requestBody);
  const media = rb?.content?.["application/json"];
  const first = examplesOf(spec.doc, media)[0];
  return first ? { name: first[0], value: first[1] } : undefined;
}

/**
 * The query of an example request: listVps's page size, and every required query parameter, valued from the
 * response example where it echoes the parameter (`data.action`, `data.snapname`) so that request and answer
 * agree, else from the parameter's own example.
 */
function exampleQuery(doc: JsonObject, op: OperationRef, body?: unknown): string {
  if (op.operationId === "listVps") return "?limit=20";
  const echoed = (name: string): unknown => {
    const data = (body as { data?: unknown } | undefined)?.data;
    if (data && typeof data === "object" && !Array.isArray(data)) return (data as JsonObject)[name];
    return undefined;
  };
  const params = new URLSearchParams();
  for (const p of [...(op.pathItem.parameters ?? []), ...(op.operation.parameters ?? [])]) {
    const param = deref(doc, p);
    if (param?.in !== "query" || param.required !== true) continue;
    const value = echoed(param.name) ?? param.example ?? param.schema?.example;
    if (value !== undefined) params.set(param.name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** One scenario per operation × documented status × named response example. */
export function exampleScenarios(spec: LoadedSpec): Built[] {
  const out: Built[] = [];
  for (const op of listOperations(spec)) {
    const req = firstRequestExample(spec, op);
    for (const status of Object.keys(op.operation.responses ?? {})) {
      const response = deref(spec.doc, op.operation.responses[status]);
      const contents = Object.entries<JsonObject>(response?.content ?? {});
      const base = `${spec.version}-${kebab(op.operationId)}-${status}`;
      const request = (body?: unknown) => ({
        ...(req ? { body: req.value } : {}),
        query: exampleQuery(spec.doc, op, body),
      });
      const reqPage = req && pageExample(spec.version, op.operationId, "request", req.name);
      const reqNote = req
        ? `; request: requestBody example "${req.name}" (${reqPage ? `from ${reqPage.page}` : "the spec's own"})`
        : "";
      if (contents.length === 0) {
        const comment = sourced(
          undefined,
          `${spec.version} spec ${op.operationId} ${status} (no body)${reqNote}`,
        );
        out.push({
          name: base,
          har: buildHar([entryFor(spec, op, status, undefined, undefined, comment, request())]),
        });
        continue;
      }
      for (const [mediaType, media] of contents) {
        for (const [exampleName, value] of examplesOf(spec.doc, media)) {
          const comment = sourced(
            pageExample(spec.version, op.operationId, status, exampleName),
            `${spec.version} spec ${op.operationId} ${status} example "${exampleName}"${reqNote}`,
          );
          out.push({
            name: `${base}-${kebab(exampleName)}`,
            har: buildHar([entryFor(spec, op, status, value, mediaType, comment, request(value))]),
          });
        }
      }
    }
  }
  return out;
}

export function op(spec: LoadedSpec, operationId: string): OperationRef {
  const found = listOperations(spec).find((o) => o.operationId === operationId);
  if (!found) throw new Error(`${spec.version} has no operation ${operationId}`);
  return found;
}

/** A named example of the spec: a request body's (`request` true) or a response status's. */
export function example(
  spec: LoadedSpec,
  operationId: string,
  status: string,
  name: string,
  request = false,
): JsonObject {
  const o = op(spec, operationId);
  const node = request
    ? deref(spec.doc, o.operation.requestBody)
    : deref(spec.doc, o.operation.responses[status]);
  for (const media of Object.values<JsonObject>(node?.content ?? {})) {
    const found = examplesOf(spec.doc, media).find(([n]) => n === name);
    if (found) return structuredClone(found[1]) as JsonObject;
  }
  throw new Error(`${spec.version} ${operationId} ${request ? "request" : status} has no example "${name}"`);
}

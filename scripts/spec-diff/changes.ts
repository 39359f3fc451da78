/**
 * Every change between two versions of the bundled specs, classified for the package's users (see
 * field-changes.ts for the fields): operations removed, moved or renamed, parameters, request bodies, response
 * statuses, media types and headers, scopes and security, and documentation.
 */
import { isDeepStrictEqual } from "node:util";
import { deref, type JsonObject, listOperations, type OpenApiDoc } from "../contract/spec.js";
import { bodySchema, flattenSchema, operationParameters } from "../spec-fields.js";
import { type Direction, fieldChanges, type Impact } from "./field-changes.js";

export type { Impact } from "./field-changes.js";

export interface Change {
  impact: Impact;
  kind: string;
  /** The API (v1, v2). */
  api: string;
  operationId: string;
  /** `GET /api/v2/vps` (after the change; before it for a removed operation). */
  endpoint: string;
  /** `operation`, `request body`, `response 200`, `query parameter limit`, `statuses`, `servers`... */
  where: string;
  field?: string;
  before?: string;
  after?: string;
  summary: string;
}

interface Operation {
  api: string;
  operationId: string;
  method: string;
  path: string;
  operation: JsonObject;
  pathItem: JsonObject;
  doc: OpenApiDoc;
}

function operationsOf(specs: ReadonlyMap<string, OpenApiDoc>): Operation[] {
  return [...specs].flatMap(([api, doc]) =>
    listOperations(doc).map((op) => ({
      api,
      operationId: op.operationId,
      method: op.method,
      path: op.path,
      operation: op.operation,
      pathItem: op.pathItem,
      doc,
    })),
  );
}

const route = (op: Pick<Operation, "method" | "path">) => `${op.method} ${op.path}`;
/** Two templates that differ only in parameter names are one route. */
const routeShape = (op: Pick<Operation, "api" | "method" | "path">) =>
  `${op.api} ${op.method} ${op.path.replace(/\{[^}]*\}/g, "{}")}`;

export function diffSpecs(
  before: ReadonlyMap<string, OpenApiDoc>,
  after: ReadonlyMap<string, OpenApiDoc>,
): Change[] {
  const changes: Change[] = [];
  const old = operationsOf(before);
  const now = operationsOf(after);
  const matched = new Set<Operation>();
  for (const o of old) {
    // The same route (parameter names aside); else the same operationId elsewhere: moved.
    const sameRoute = now.find((n) => !matched.has(n) && routeShape(n) === routeShape(o));
    const moved = sameRoute
      ? undefined
      : now.find(
          (n) =>
            !matched.has(n) &&
            n.api === o.api &&
            n.operationId === o.operationId &&
            !old.some((x) => routeShape(x) === routeShape(n)),
        );
    const n = sameRoute ?? moved;
    if (!n) {
      changes.push(operationChange(o, "breaking", "operation-removed", "operation removed"));
      continue;
    }
    matched.add(n);
    if (moved) {
      changes.push({
        ...operationChange(
          n,
          "breaking",
          "operation-moved",
          "path or method changed: calls to the old route fail",
        ),
        before: route(o),
        after: route(n),
      });
    }
    changes.push(...compareOperation(o, n));
  }
  for (const n of now) {
    if (!matched.has(n)) changes.push(operationChange(n, "compatible", "operation-added", "operation added"));
  }
  for (const api of new Set([...before.keys(), ...after.keys()])) {
    const x = (before.get(api)?.servers ?? []).map((s: JsonObject) => s.url);
    const y = (after.get(api)?.servers ?? []).map((s: JsonObject) => s.url);
    if (before.has(api) && after.has(api) && !isDeepStrictEqual(x, y)) {
      changes.push({
        impact: "risky",
        kind: "servers-changed",
        api,
        operationId: "",
        endpoint: "",
        where: "servers",
        before: x.join(", "),
        after: y.join(", "),
        summary: "server URLs changed",
      });
    }
  }
  return changes;
}

function operationChange(op: Operation, impact: Impact, kind: string, summary: string): Change {
  return {
    impact,
    kind,
    api: op.api,
    operationId: op.operationId,
    endpoint: route(op),
    where: "operation",
    summary,
  };
}

function compareOperation(o: Operation, n: Operation): Change[] {
  const changes: Change[] = [];
  const add = (change: Omit<Change, "api" | "operationId" | "endpoint">) =>
    changes.push({ api: n.api, operationId: n.operationId, endpoint: route(n), ...change });

  if (o.operationId !== n.operationId) {
    add({
      impact: "breaking",
      kind: "operation-renamed",
      where: "operation",
      before: o.operationId,
      after: n.operationId,
      summary:
        "operationId changed: the generated `operations` type (and a wrapper named after it) is renamed",
    });
  }
  const scopes = (op: Operation) =>
    [op.operation["x-hostup-scope"] ?? []].flat().map(String).sort().join(", ");
  if (scopes(o) !== scopes(n)) {
    add({
      impact: "breaking",
      kind: "scope-changed",
      where: "scope",
      before: scopes(o),
      after: scopes(n),
      summary: "required API scope changed: keys without the new scope are refused",
    });
  }
  const schemes = (op: Operation) =>
    new Set(
      ((op.operation.security ?? op.doc.security ?? []) as JsonObject[]).map((r) =>
        Object.keys(r).sort().join("+"),
      ),
    );
  const oldSchemes = schemes(o);
  const newSchemes = schemes(n);
  const removedSchemes = [...oldSchemes].filter((s) => !newSchemes.has(s));
  const addedSchemes = [...newSchemes].filter((s) => !oldSchemes.has(s));
  if (removedSchemes.length + addedSchemes.length > 0) {
    add({
      impact: removedSchemes.length > 0 ? "breaking" : "compatible",
      kind: "security-changed",
      where: "security",
      before: [...oldSchemes].join(", "),
      after: [...newSchemes].join(", "),
      summary:
        removedSchemes.length > 0
          ? "an accepted credential is no longer accepted"
          : "a further credential is accepted",
    });
  }
  if (!o.operation.deprecated && n.operation.deprecated) {
    add({ impact: "compatible", kind: "deprecated", where: "operation", summary: "operation deprecated" });
  }

  changes.push(...compareParameters(o, n));
  changes.push(...compareRequestBody(o, n));
  changes.push(...compareResponses(o, n));

  // Documentation is listed for an operation that changes nothing else: a field's description and example go
  // with the field, so listing them beside its change would only repeat it.
  const docs = changes.length === 0 ? documentationChanges(o, n) : [];
  if (docs.length > 0) {
    add({
      impact: "compatible",
      kind: "documentation",
      where: "operation",
      after: docs.join(", "),
      summary: `documentation changed (${docs.join(", ")})`,
    });
  }
  return changes;
}

function bodyFields(op: Operation, schema: unknown, inferred = false) {
  return flattenSchema(op.doc, schema, { variants: true, inferred });
}

function schemaChanges(
  o: Operation,
  n: Operation,
  oldSchema: unknown,
  newSchema: unknown,
  where: string,
  direction: Direction,
): Change[] {
  return fieldChanges(bodyFields(o, oldSchema), bodyFields(n, newSchema), direction).map((change) => ({
    api: n.api,
    operationId: n.operationId,
    endpoint: route(n),
    where,
    ...change,
    ...(change.field === "" ? { field: undefined } : {}),
  }));
}

function compareParameters(o: Operation, n: Operation): Change[] {
  const changes: Change[] = [];
  const before = operationParameters(o.doc, o.pathItem, o.operation);
  const after = operationParameters(n.doc, n.pathItem, n.operation);
  const base = { api: n.api, operationId: n.operationId, endpoint: route(n) };
  for (const [key, param] of before) {
    const where = `${param.in} parameter ${param.name}`;
    const now = after.get(key);
    if (!now) {
      // A path parameter renamed with its template is the same parameter; the route is compared above.
      if (param.in === "path") continue;
      changes.push({
        ...base,
        impact: "breaking",
        kind: "parameter-removed",
        where,
        summary: "parameter removed: a call that passes it fails to compile",
      });
      continue;
    }
    if (param.required !== true && now.required === true) {
      changes.push({
        ...base,
        impact: "breaking",
        kind: "made-required",
        where,
        before: "optional",
        after: "required",
        summary: "parameter newly required",
      });
    } else if (param.required === true && now.required !== true) {
      changes.push({
        ...base,
        impact: "compatible",
        kind: "made-optional",
        where,
        before: "required",
        after: "optional",
        summary: "parameter no longer required",
      });
    }
    changes.push(
      ...schemaChanges(o, n, param.schema, now.schema, where, "request").filter(
        (c) => c.kind !== "made-required" && c.kind !== "made-optional",
      ),
    );
  }
  for (const [key, param] of after) {
    if (before.has(key) || param.in === "path") continue;
    const required = param.required === true;
    changes.push({
      ...base,
      impact: required ? "breaking" : "compatible",
      kind: "parameter-added",
      where: `${param.in} parameter ${param.name}`,
      after: required ? "required" : "optional",
      summary: required ? "required parameter added: existing calls lack it" : "optional parameter added",
    });
  }
  return changes;
}

function compareRequestBody(o: Operation, n: Operation): Change[] {
  const base = { api: n.api, operationId: n.operationId, endpoint: route(n), where: "request body" };
  const before = o.operation.requestBody ? deref(o.doc, o.operation.requestBody) : undefined;
  const after = n.operation.requestBody ? deref(n.doc, n.operation.requestBody) : undefined;
  if (!before && !after) return [];
  if (!before || !after) {
    const required = after?.required === true;
    return [
      before
        ? { ...base, impact: "breaking", kind: "request-body-removed", summary: "request body removed" }
        : {
            ...base,
            impact: required ? "breaking" : "compatible",
            kind: "request-body-added",
            summary: required ? "required request body added" : "optional request body added",
          },
    ];
  }
  const changes: Change[] = [];
  if (before.required !== true && after.required === true) {
    changes.push({
      ...base,
      impact: "breaking",
      kind: "made-required",
      before: "optional",
      after: "required",
      summary: "request body newly required",
    });
  }
  changes.push(...mediaTypeChanges(base, before, after, "request"));
  const x = bodySchema(o.doc, before);
  const y = bodySchema(n.doc, after);
  if (x && y) changes.push(...schemaChanges(o, n, x.schema, y.schema, "request body", "request"));
  return changes;
}

function mediaTypeChanges(
  base: Omit<Change, "impact" | "kind" | "summary">,
  before: JsonObject,
  after: JsonObject,
  direction: Direction,
  success = true,
): Change[] {
  const changes: Change[] = [];
  const x = Object.keys(before.content ?? {});
  const y = Object.keys(after.content ?? {});
  for (const type of x.filter((t) => !y.includes(t))) {
    const breaking = direction === "request" || success;
    changes.push({
      ...base,
      impact: breaking ? "breaking" : "compatible",
      kind: "media-type-removed",
      before: type,
      summary: `${type} no longer ${direction === "request" ? "accepted" : "answered"}`,
    });
  }
  for (const type of y.filter((t) => !x.includes(t))) {
    const risky = direction === "response" && success;
    changes.push({
      ...base,
      impact: risky ? "risky" : "compatible",
      kind: "media-type-added",
      after: type,
      summary: `${type} ${direction === "request" ? "accepted" : "may be answered"}`,
    });
  }
  return changes;
}

function compareResponses(o: Operation, n: Operation): Change[] {
  const changes: Change[] = [];
  const before = (o.operation.responses ?? {}) as JsonObject;
  const after = (n.operation.responses ?? {}) as JsonObject;
  const base = { api: n.api, operationId: n.operationId, endpoint: route(n) };
  const isSuccess = (status: string) => status.startsWith("2");
  for (const status of Object.keys(before)) {
    if (!(status in after)) {
      changes.push({
        ...base,
        impact: isSuccess(status) ? "breaking" : "compatible",
        kind: "status-removed",
        where: "statuses",
        field: status,
        summary: isSuccess(status)
          ? "success status removed: its body type is gone"
          : "error status no longer documented",
      });
    }
  }
  for (const status of Object.keys(after)) {
    if (!(status in before)) {
      changes.push({
        ...base,
        impact: isSuccess(status) ? "risky" : "compatible",
        kind: "status-added",
        where: "statuses",
        field: status,
        summary: isSuccess(status)
          ? "success status added: a client may get a body it does not expect"
          : "error status documented",
      });
    }
  }
  for (const status of Object.keys(before).filter((s) => s in after)) {
    const x = deref(o.doc, before[status]) ?? {};
    const y = deref(n.doc, after[status]) ?? {};
    const where = `response ${status}`;
    changes.push(...mediaTypeChanges({ ...base, where }, x, y, "response", isSuccess(status)));
    const headersBefore = Object.keys(x.headers ?? {}).map((h) => h.toLowerCase());
    const headersAfter = Object.keys(y.headers ?? {}).map((h) => h.toLowerCase());
    for (const header of headersBefore.filter((h) => !headersAfter.includes(h))) {
      changes.push({
        ...base,
        where,
        impact: "risky",
        kind: "header-removed",
        field: header,
        summary: "response header no longer documented",
      });
    }
    for (const header of headersAfter.filter((h) => !headersBefore.includes(h))) {
      changes.push({
        ...base,
        where,
        impact: "compatible",
        kind: "header-added",
        field: header,
        summary: "response header documented",
      });
    }
    const bx = bodySchema(o.doc, x);
    const by = bodySchema(n.doc, y);
    if (bx && by && bx.mediaType === by.mediaType) {
      changes.push(...schemaChanges(o, n, bx.schema, by.schema, where, "response"));
    }
  }
  return changes;
}

const documentationKeys: Record<string, string> = {
  summary: "summary",
  description: "descriptions",
  example: "examples",
  examples: "examples",
  externalDocs: "reference page link",
  title: "titles",
};

/** Which kinds of documentation differ in the operation, its $refs followed. */
function documentationChanges(o: Operation, n: Operation): string[] {
  const x = documentation(o.doc, {
    ...o.operation,
    parameters: [...(o.pathItem.parameters ?? []), ...(o.operation.parameters ?? [])],
  });
  const y = documentation(n.doc, {
    ...n.operation,
    parameters: [...(n.pathItem.parameters ?? []), ...(n.operation.parameters ?? [])],
  });
  const kinds = new Set<string>();
  for (const key of new Set([...x.keys(), ...y.keys()])) {
    if (!isDeepStrictEqual(x.get(key), y.get(key)))
      kinds.add(documentationKeys[key.split("/").pop() ?? ""] ?? "documentation");
  }
  return [...kinds].sort();
}

function documentation(doc: OpenApiDoc, node: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (value: unknown, at: string, refs: string[]): void => {
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) walk(item, `${at}/${index}`, refs);
      return;
    }
    if (typeof value !== "object" || value === null) return;
    const object = value as JsonObject;
    if (typeof object.$ref === "string") {
      if (refs.includes(object.$ref)) return;
      walk(deref(doc, { $ref: object.$ref }), at, [...refs, object.$ref]);
    }
    for (const [key, child] of Object.entries(object)) {
      if (key === "$ref") continue;
      if (
        key in documentationKeys &&
        (typeof child !== "object" || key === "externalDocs" || key === "example" || key === "examples")
      ) {
        out.set(`${at}/${key}`, child);
        continue;
      }
      walk(child, `${at}/${key}`, refs);
    }
  };
  walk(node, "", []);
  return out;
}

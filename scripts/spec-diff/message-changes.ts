/**
 * The changes to an operation's messages: its parameters, request body and responses (statuses, media types,
 * headers, and the fields of each body, classified by field-changes.ts).
 */
import { deref, type JsonObject } from "../../src/contract/spec.js";
import { bodySchema, flattenSchema, operationParameters } from "../spec-fields.js";
import { type Operation, route } from "../spec-operations.js";
import { type Change, type Direction, fieldChanges } from "./field-changes.js";

type Fields = ReturnType<typeof flattenSchema>;
/**
 * The bodies flattened in one comparison (`withFlattenedBodies`), by schema node: a shared response (401, 429,
 * 500...) or component is one node for every operation that names it, and is flattened once, not once per operation.
 */
let flattened: { plain: WeakMap<object, Fields>; inferred: WeakMap<object, Fields> } | undefined;

/** Runs `compare` with each body flattened at most once; nothing is kept after it. */
export function withFlattenedBodies<T>(compare: () => T): T {
  flattened = { plain: new WeakMap(), inferred: new WeakMap() };
  try {
    return compare();
  } finally {
    flattened = undefined;
  }
}

function bodyFields(op: Operation, schema: unknown, inferred = false): Fields {
  const memo = flattened?.[inferred ? "inferred" : "plain"];
  if (!memo || typeof schema !== "object" || schema === null)
    return flattenSchema(op.doc, schema, { variants: true, inferred });
  let fields = memo.get(schema);
  if (!fields) {
    fields = flattenSchema(op.doc, schema, { variants: true, inferred });
    memo.set(schema, fields);
  }
  return fields;
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

export function compareParameters(o: Operation, n: Operation): Change[] {
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

export function compareRequestBody(o: Operation, n: Operation): Change[] {
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

export function compareResponses(o: Operation, n: Operation): Change[] {
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

/**
 * Every change between two versions of the bundled specs, classified for the package's users (see
 * field-changes.ts for the fields): operations removed, moved or renamed, parameters, request bodies, response
 * statuses, media types and headers, scopes and security, and documentation.
 */
import { isDeepStrictEqual } from "node:util";
import type { JsonObject, OpenApiDoc } from "../../src/contract/spec.js";
import { type Operation, operationsOf, route, routeShape } from "../spec-operations.js";
import { documentationChanges } from "./documentation.js";
import type { Change, Impact } from "./field-changes.js";
import {
  compareParameters,
  compareRequestBody,
  compareResponses,
  withFlattenedBodies,
} from "./message-changes.js";

export type { Change, Impact } from "./field-changes.js";

export function diffSpecs(
  before: ReadonlyMap<string, OpenApiDoc>,
  after: ReadonlyMap<string, OpenApiDoc>,
): Change[] {
  return withFlattenedBodies(() => compareSpecs(before, after));
}

function compareSpecs(
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

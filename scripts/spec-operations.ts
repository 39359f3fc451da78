/** The operations of bundled specs, with the API (v1, v2) each belongs to: what docs:check and spec:diff walk. */
import { type JsonObject, listOperations, type OpenApiDoc } from "../src/contract/spec.js";

export interface Operation {
  api: string;
  operationId: string;
  method: string;
  path: string;
  operation: JsonObject;
  pathItem: JsonObject;
  doc: OpenApiDoc;
}

export function operationsOf(specs: ReadonlyMap<string, OpenApiDoc>): Operation[] {
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

export const route = (op: Pick<Operation, "method" | "path">) => `${op.method} ${op.path}`;
/** Two templates that differ only in parameter names are one route. */
export const routeShape = (op: Pick<Operation, "api" | "method" | "path">) =>
  `${op.api} ${op.method} ${op.path.replace(/\{[^}]*\}/g, "{}")}`;

/**
 * The client's methods, made from a generated table (`clientTable` of src/generated/operations-v{1,2}.ts) by one
 * small runtime: each entry (`clientTable.backupSchedules.save`) becomes a method whose arguments are the path
 * arguments in order, then the body (if the operation has one), then the query (if it has query parameters), then
 * the call options; the entry says how to check, send and read each one. Nothing here names an operation.
 */
import type { Client } from "openapi-fetch";
import type { ClientTable } from "./operation-table.js";
import { redactDeep } from "./redact.js";
import { type SendOptions, send, type Transport } from "./transport.js";
import { checkParam, checkQuery, serialiseBody } from "./validation.js";

const asIs = (body: unknown) => body;

/** The methods of `table`, grouped by namespace (`{ backupSchedules: { save } }`), each running one operation. */
export function methodsOf<Methods>(
  table: ClientTable,
  // biome-ignore lint/suspicious/noExplicitAny: the runtime reaches each path through its table entry; the typed surface is V1Methods/V2Methods
  raw: Client<any>,
  t: Transport,
  validating: boolean,
): Methods {
  const out: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const [namespace, operations] of Object.entries(table)) {
    const group: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    out[namespace] = group;
    for (const [name, operation] of Object.entries(operations)) {
      const { id, body: validateBody, query: validateQuery } = operation;
      const [method, route] = operation.route.split(" ") as ["GET", string];
      group[name] = async (...args) => {
        try {
          let next = 0;
          const path: Record<string, unknown> = {};
          for (const [param, argument, validate] of operation.args ?? []) {
            const value = args[next++];
            // always checked, even with validateRequests false: a path parameter becomes part of the URL's path
            checkParam(id, validate, argument, value);
            path[param] = value;
          }
          const body = validateBody && args[next++];
          // validated, then serialised once: every attempt sends these bytes, whatever the caller does with its object
          const json =
            validateBody && (body !== undefined || !operation.optionalBody)
              ? serialiseBody(id, validating ? validateBody : undefined, body)
              : undefined;
          const query = validateQuery && checkQuery(id, validating ? validateQuery : undefined, args[next++]);
          return await send(
            t,
            operation,
            (init) =>
              raw[method](route, {
                params: { path, query },
                body: json,
                bodySerializer: asIs,
                ...init,
              }),
            args[next] as SendOptions | undefined,
          );
        } catch (error) {
          // the boundary: whatever is thrown leaves without the credential, at any depth
          throw redactDeep(error, t.secret);
        }
      };
    }
  }
  // The one place the table meets the types: V1Methods/V2Methods are generated from the same spec, entry by entry
  // (test/spec/operation-table.test-d.ts holds them to the public client interfaces).
  return out as Methods;
}

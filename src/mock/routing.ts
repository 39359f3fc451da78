// The mock's routes come from the generated operation table (src/generated/operations-v{1,2}.ts): path, method,
// security, scope and the request checks are the table's; the mock adds one handler per operationId for what the
// operation does. An operation without a handler answers 501 and fails the mock's coverage test.
import type { OperationEntry, OperationTable } from "../operation-table.js";
import type { Reply } from "./replies.js";
import type { MockState } from "./state.js";
import type { MockCredential, MockVm } from "./types.js";

export interface RouteContext {
  state: MockState;
  credential: MockCredential;
  /** Path parameters, read as the types the spec declares and valid. */
  params: Record<string, unknown>;
  /** Query parameters, read as the types the spec declares and valid. */
  query: Record<string, unknown>;
  /** The request path, for v2 `instance`. */
  path: string;
  /** The parsed JSON body, valid per the spec; undefined when the operation takes none. */
  body: unknown;
}

/**
 * The VM that the path parameter `param` names (v1 `vmid`, v2 `id`), if the caller owns it (an unknown or another
 * client's VM is 404 alike), brought up to "now" (due schedules run, finished jobs applied).
 */
export function routeVm(ctx: RouteContext, param: "vmid" | "id"): MockVm {
  const vm = ctx.state.ownedVm(ctx.params[param] as number | string, ctx.credential.clientId);
  ctx.state.settle(vm);
  return vm;
}

/** What an operation does; it sees only a request that passed the table's checks. */
export interface OperationHandler {
  /** What the route does to a parsed body before reading it (the snapshot interval's clamp). */
  prepareBody?(body: unknown): unknown;
  handle(ctx: RouteContext): Reply;
}

/**
 * The handlers of a version, by operationId. Deliberately not typed by the table's ids: an operation added to or
 * removed from the spec leaves the build passing, and only the tests that use it fail: test/mock/operations.test.ts
 * (every operation has a handler, every handler an operation) and the property tests of that operation.
 */
export type HandlerMap = Readonly<Record<string, OperationHandler>>;

export interface Route {
  operationId: string;
  entry: OperationEntry;
  /** The path template split on "/": `{name}` captures one segment. */
  segments: string[];
  /** Absent when the mock has no handler for the operation yet: it answers 501 (see handlerCoverage). */
  handler?: OperationHandler;
}

/** The template's segments: "/api/vm/{vmid}/backup-schedules" -> ["api", "vm", "{vmid}", "backup-schedules"]. */
export function pathSegments(path: string): string[] {
  return path.split("/").filter(Boolean);
}

/** The operations of `operations` that `handlers` lacks, and the handlers whose operation it lacks. */
export function handlerCoverage(
  operations: OperationTable,
  handlers: HandlerMap,
): { missing: string[]; stray: string[] } {
  return {
    missing: Object.keys(operations).filter((id) => !Object.hasOwn(handlers, id)),
    stray: Object.keys(handlers).filter((id) => !Object.hasOwn(operations, id)),
  };
}

/** The routes of `operations`, each with its handler (none for an operation `handlerCoverage` calls missing). */
export function buildRoutes(operations: OperationTable, handlers: HandlerMap): Route[] {
  return Object.entries(operations).map(([operationId, entry]) => ({
    operationId,
    entry,
    segments: pathSegments(entry.path),
    ...(Object.hasOwn(handlers, operationId) ? { handler: handlers[operationId] } : {}),
  }));
}

export interface RouteMatch {
  route: Route;
  /** Percent-decoded, not yet checked. */
  params: Record<string, string>;
}

/**
 * The route of `method` and `segments`. `allowed` lists the methods of a path that exists with another method;
 * `pathRoutes` every route of that path, whatever its method (whose security applies to a 405 too).
 */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  segments: string[],
): { match?: RouteMatch; allowed: string[]; pathRoutes: Route[] } {
  const pathRoutes: Route[] = [];
  let match: RouteMatch | undefined;
  for (const route of routes) {
    if (route.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < segments.length; i++) {
      const want = route.segments[i] as string;
      const got = segments[i] as string;
      const param = /^\{(.+)\}$/.exec(want)?.[1];
      if (param) params[param] = got;
      else if (want !== got) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    pathRoutes.push(route);
    if (route.entry.method === method && !match) match = { route, params };
  }
  const allowed = pathRoutes.filter((r) => r !== match?.route).map((r) => r.entry.method);
  return { ...(match ? { match } : {}), allowed, pathRoutes };
}

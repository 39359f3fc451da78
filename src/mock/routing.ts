// The route table both versions share: a method, a path template split on "/", the scope it needs, and the
// spec's validators for its path parameters, query and body. The server runs the checks; a route's `handle`
// sees only a request that passed them.
import type { Validator } from "../validation.js";
import type { Reply } from "./replies.js";
import type { MockState } from "./state.js";
import type { MockCredential, Scope } from "./types.js";

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

export interface Route {
  operationId: string;
  method: string;
  /** Segments; ":name" captures one segment into `params.name`. */
  path: string[];
  scope: Scope;
  /** One validator per path parameter. */
  params: Record<string, Validator>;
  query?: Validator;
  body?: Validator;
  /** What the route does to a parsed body before it is validated (the snapshot interval's clamp). */
  prepareBody?(body: unknown): unknown;
  handle(ctx: RouteContext): Reply;
}

export type RouteTable = readonly Route[];

export interface RouteMatch {
  route: Route;
  /** Percent-decoded, not yet checked. */
  params: Record<string, string>;
}

/** Finds the route of `segments`; `allowed` lists the methods of a path that exists with another method. */
export function matchRoute(
  table: RouteTable,
  method: string,
  segments: string[],
): { match?: RouteMatch; allowed: string[] } {
  const allowed: string[] = [];
  for (const route of table) {
    if (route.path.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < segments.length; i++) {
      const want = route.path[i] as string;
      const got = segments[i] as string;
      if (want.startsWith(":")) params[want.slice(1)] = got;
      else if (want !== got) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    if (route.method === method) return { match: { route, params }, allowed };
    allowed.push(route.method);
  }
  return { allowed };
}

// The route table both versions share: a method, a path template split on "/", the scope it needs.
import type { HostupFieldError } from "../errors.js";
import type { MockCredential, MockState, Scope } from "./model.js";
import type { Reply } from "./replies.js";

export interface RouteContext {
  state: MockState;
  credential: MockCredential;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The request path, for v2 `instance`. */
  path: string;
  /** The parsed JSON body; undefined when there was none. */
  body: unknown;
}

export interface Route {
  method: string;
  /** Segments; ":name" captures one segment into `params.name`. */
  path: string[];
  scope: Scope;
  handle(ctx: RouteContext): Reply;
}

export type RouteTable = readonly Route[];

export interface RouteMatch {
  route: Route;
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

/**
 * The route floors and clamps the snapshot interval to 4..24 instead of refusing it (v2 page), so the spec's
 * bounds and integer type are not errors here: only a value that is not a finite number is.
 */
export function snapshotIntervalErrors(
  body: unknown,
  field: string,
  errors: HostupFieldError[],
): HostupFieldError[] {
  const value = (body as Record<string, unknown> | null)?.[field];
  if (typeof value !== "number" || !Number.isFinite(value)) return errors;
  return errors.filter((e) => e.pointer !== `/${field}`);
}

// Which operation a recorded request belongs to: its method and URL path against the routes of each version (the
// generated operation tables), after the base path of the description's servers.
import { type JsonObject, type LoadedSpec, type OpenApiDoc, type OperationRef, operationOf } from "./spec.js";

export interface OperationMatch extends OperationRef {
  /** Percent-decoded values of the template's `{name}` segments. */
  pathParams: Record<string, string>;
}

const PLACEHOLDER_ORIGIN = "https://placeholder.invalid";

/** The path part of each `servers` URL ("" for a server at the root), so `/base/api/...` matches `/api/...`. */
function serverPaths(doc: OpenApiDoc): string[] {
  const servers: JsonObject[] = doc.servers?.length ? doc.servers : [{ url: "/" }];
  return servers.map((s) => {
    try {
      return new URL(String(s.url), PLACEHOLDER_ORIGIN).pathname.replace(/\/$/, "");
    } catch {
      return "";
    }
  });
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The operation of `spec` a request belongs to: the URL's path (after a server's base path) is matched segment by
 * segment against the route templates; literal segments beat `{param}` segments.
 */
export function matchOperation(spec: LoadedSpec, method: string, url: string): OperationMatch | undefined {
  const pathname = new URL(url, PLACEHOLDER_ORIGIN).pathname;
  const wanted = method.toUpperCase();
  let best: { match: OperationMatch; literals: number } | undefined;
  for (const base of serverPaths(spec.doc)) {
    if (base && !pathname.startsWith(`${base}/`)) continue;
    const actual = pathname.slice(base.length).split("/").slice(1);
    for (const route of spec.routes) {
      if (route.method !== wanted) continue;
      const template = route.path.split("/").slice(1);
      if (template.length !== actual.length) continue;
      const pathParams: Record<string, string> = {};
      let literals = 0;
      let ok = true;
      template.forEach((seg, i) => {
        const value = actual[i] ?? "";
        const param = /^\{(.+)\}$/.exec(seg)?.[1];
        if (param) {
          if (value === "") ok = false;
          else pathParams[param] = decode(value);
        } else if (seg === value) literals++;
        else ok = false;
      });
      if (ok && (!best || literals > best.literals))
        best = { match: { ...operationOf(spec, route), pathParams }, literals };
    }
  }
  return best?.match;
}

/**
 * The description an exchange belongs to: the one with a matching operation; else, for the finding that says it
 * matches none, v2 for a path under /api/v2/ and v1 otherwise.
 */
export function specFor(specs: readonly LoadedSpec[], exchange: { method: string; url: string }): LoadedSpec {
  const matched = specs.find((s) => matchOperation(s, exchange.method, exchange.url));
  if (matched) return matched;
  const v2 = /\/api\/v2\//.test(new URL(exchange.url, PLACEHOLDER_ORIGIN).pathname);
  const fallback = specs.find((s) => s.version === (v2 ? "v2" : "v1")) ?? specs[0];
  if (!fallback) throw new Error("specFor: no descriptions to choose from");
  return fallback;
}

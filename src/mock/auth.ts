// The credential of a request, read as the operation's security schemes say (the table's `security`, any one of
// which suffices): an `http` bearer token from Authorization, an `apiKey` from its header, cookie or query
// parameter. The first scheme that finds a value decides.
import type { IncomingMessage } from "node:http";
import type { SecurityScheme } from "../operation-table.js";

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name && value.length) return value.join("=");
  }
  return undefined;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** The value `scheme` finds in the request, or undefined. */
export function credentialFor(
  req: IncomingMessage,
  scheme: SecurityScheme,
  query: URLSearchParams,
): string | undefined {
  if (scheme.type === "http") {
    const m = /^(\S+)\s+(\S+)\s*$/.exec(header(req, "authorization") ?? "");
    return m && m[1]?.toLowerCase() === scheme.scheme.toLowerCase() ? m[2] : undefined;
  }
  if (scheme.in === "header") return header(req, scheme.name);
  if (scheme.in === "cookie") return cookie(req, scheme.name);
  return query.get(scheme.name) || undefined;
}

/** The credential of the first of `schemes` (names in `known`) that finds one. */
export function credentialOf(
  req: IncomingMessage,
  schemes: readonly string[],
  known: Readonly<Record<string, SecurityScheme>>,
  query: URLSearchParams,
): string | undefined {
  for (const name of schemes) {
    const scheme = known[name];
    const value = scheme && credentialFor(req, scheme, query);
    if (value !== undefined) return value;
  }
  return undefined;
}

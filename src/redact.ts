const MASK = "[REDACTED]";

/** Replaces every occurrence of the credential in a string. */
export function redactText(text: string, secret: string): string {
  return text.includes(secret) ? text.split(secret).join(MASK) : text;
}

/** Deep copy of a parsed JSON value with the credential removed from every string (keys included). */
export function redactValue(value: unknown, secret: string): unknown {
  if (typeof value === "string") return redactText(value, secret);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secret));
  if (typeof value === "object" && value !== null) {
    // fromEntries defines properties: a parsed "__proto__" key stays an own property (assignment would make it the
    // copy's prototype, forging `code` and `message`)
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [redactText(key, secret), redactValue(item, secret)]),
    );
  }
  return value;
}

/**
 * A `cause` that is safe to attach: errors from a user-supplied `fetch` may quote request headers, so an error whose
 * message or stack (or its own cause's) holds the credential is replaced by a redacted copy.
 */
export function redactCause(error: unknown, secret: string, depth = 0): unknown {
  if (!(error instanceof Error) || depth > 3) {
    return typeof error === "string" ? redactText(error, secret) : error;
  }
  const inner = error.cause === undefined ? undefined : redactCause(error.cause, secret, depth + 1);
  const leaks = error.message.includes(secret) || (error.stack ?? "").includes(secret);
  if (!leaks && inner === error.cause) return error;
  const copy = new Error(
    redactText(error.message, secret),
    inner === undefined ? undefined : { cause: inner },
  );
  copy.name = error.name;
  copy.stack = redactText(error.stack ?? "", secret);
  return copy;
}

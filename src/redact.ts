const MASK = "[REDACTED]";

/** The forms the credential is written in: as is, percent-encoded and JSON-escaped. */
const formsOf = (secret: string) => [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];

/** `text` with each of `forms` replaced; most strings hold none, and are returned after a search per form. */
function redactForms(text: string, forms: readonly string[]): string {
  let out = text;
  for (const form of forms) if (out.includes(form)) out = out.replaceAll(form, MASK);
  return out;
}

/** Replaces every occurrence of the credential in a string: as is, percent-encoded and JSON-escaped. */
export function redactText(text: string, secret: string): string {
  return redactForms(text, formsOf(secret));
}

/**
 * Values the client itself parsed from an answer's JSON (`fromJson`): plain data, with no accessor, no `toJSON` and
 * no cycle, so their JSON text is the whole of what they hold.
 */
const parsedJson = new WeakSet<object>();

/** Marks `value` as the client's own `JSON.parse` of an answer, which redaction may read as JSON text. */
export function fromJson<T extends object>(value: T): T {
  parsedJson.add(value);
  return value;
}

/**
 * Whether parsed JSON holds none of `forms` in any string or key: its JSON text holds none of their JSON-escaped
 * forms (JSON.stringify escapes character by character, so a string holding a form holds its escaped form in the
 * text). Read in one native pass instead of member by member: a hostile error body of millions of array items
 * took seconds to walk (the forms are printable ASCII, as checkCredential requires of the credential, so each has
 * one JSON-escaped form). Undefined when it cannot tell (a text too deep for JSON.stringify).
 */
function holdsNone(value: object, forms: readonly string[]): boolean | undefined {
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    return undefined;
  }
  return !forms.some((form) => text.includes(JSON.stringify(form).slice(1, -1)));
}

/** Objects whose members are their own properties (so they can be read and copied); anything else is opaque. */
const COPYABLE = new Set(["Object", "Error", "Array"]);

/** Deeper than this, a copy holds a placeholder: a hostile cause chain cannot overflow the stack. */
const MAX_DEPTH = 100;

/**
 * `value` with the credential removed from every string reachable through own members (keys included): the
 * same value where nothing changed, else a copy. A cycle is always copied (its members cannot be known unchanged
 * before the copy exists).
 */
function clean(
  value: unknown,
  forms: readonly string[],
  copies: Map<object, unknown>,
  depth: number,
): unknown {
  if (typeof value === "string") return redactForms(value, forms);
  if (typeof value !== "object" || value === null) return value;
  if (copies.has(value)) return copies.get(value);
  if (parsedJson.has(value) && holdsNone(value, forms)) {
    copies.set(value, value);
    return value;
  }
  const kind = Object.prototype.toString.call(value).slice(8, -1);
  // a Request, Headers or Map keeps its contents out of reach: only its kind is kept
  if (depth > MAX_DEPTH || !COPYABLE.has(kind)) return `[${kind}]`;
  // same prototype, so `instanceof` and the class's name survive; members defined, never assigned (`__proto__`)
  const out = Array.isArray(value) ? [] : (Object.create(Object.getPrototypeOf(value)) as object);
  copies.set(value, out);
  let changed = false;
  for (const key of Reflect.ownKeys(value)) {
    if (key === "length" && Array.isArray(value)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    // data properties, and the engine's own `stack`; any other accessor could run user code: it is left out
    const readable = descriptor && ("value" in descriptor || key === "stack");
    const member =
      readable && ("value" in descriptor ? descriptor.value : (value as { stack?: unknown }).stack);
    const name = typeof key === "string" ? redactForms(key, forms) : key;
    const copy = readable && clean(member, forms, copies, depth + 1);
    changed ||= !readable || name !== key || copy !== member;
    if (readable) {
      Object.defineProperty(out, name, {
        value: copy,
        enumerable: descriptor.enumerable,
        writable: true,
        configurable: true,
      });
    }
  }
  if (changed) return out;
  copies.set(value, value);
  return value;
}

/**
 * The boundary every error crosses on its way out of the client: `value` itself when nothing in it holds the
 * credential, else a copy with it removed from every string at any depth (message, stack, members, `cause`,
 * `errors`, keys), cycle-safe; objects that cannot be read member by member (a `Request` a custom fetch attached)
 * are replaced by their kind, `[Request]`.
 */
export function redactDeep<T>(value: T, secret: string): T {
  return clean(value, formsOf(secret), new Map(), 0) as T;
}

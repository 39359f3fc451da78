import { type HostupFieldError, HostupValidationError } from "./errors.js";
import { printable } from "./printable.js";

/** Shape of one error from an Ajv standalone validator (compiled with `messages: false`). */
export interface ValidatorError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}

/** A validator compiled from the spec by scripts/generate-validators.ts (src/generated/validators-v*.ts). */
export type Validator = ((data: unknown) => boolean) & { errors?: ValidatorError[] | null };

// The checks the generated validators share (one copy in an app that bundles both versions'), each failing as Ajv
// does: the first error only, in Ajv's order of checks.

/** Sets `validate`'s one error and returns false. */
export function fail(
  validate: Validator,
  instancePath: string,
  keyword: string,
  params: Record<string, unknown>,
): false {
  validate.errors = [{ instancePath, keyword, params }];
  return false;
}

/** An integer within `min` and `max` (the safe-integer bound by default): Ajv's type, maximum, minimum. */
export function integer(
  validate: Validator,
  instancePath: string,
  value: unknown,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): boolean {
  if (!Number.isInteger(value)) return fail(validate, instancePath, "type", { type: "integer" });
  if ((value as number) > max)
    return fail(validate, instancePath, "maximum", { comparison: "<=", limit: max });
  if ((value as number) < min)
    return fail(validate, instancePath, "minimum", { comparison: ">=", limit: min });
  return true;
}

/** A string of at least `min` characters: Ajv's type, minLength. */
export function minLength(validate: Validator, instancePath: string, value: unknown, min: number): boolean {
  if (typeof value !== "string") return fail(validate, instancePath, "type", { type: "string" });
  return value.length < min ? fail(validate, instancePath, "minLength", { limit: min }) : true;
}

/** No key of `data` (an object, in `for...in` order) but `names`: Ajv's additionalProperties: false. */
export function closed(validate: Validator, data: object, names: string[]): boolean {
  for (const key in data)
    if (!names.includes(key)) return fail(validate, "", "additionalProperties", { additionalProperty: key });
  return true;
}

/** Each of `names` present in `data` (an object); the first missing one is the error: Ajv's required. */
export function required(validate: Validator, data: Record<string, unknown>, names: string[]): boolean {
  const missing = names.find((name) => data[name] === undefined);
  return missing === undefined || fail(validate, "", "required", { missingProperty: missing });
}

/** `data[key]`, when present, passes `check` (one of the checks above, at instancePath `/key`). */
export function member<Args extends unknown[]>(
  validate: Validator,
  data: Record<string, unknown>,
  key: string,
  check: (validate: Validator, instancePath: string, value: unknown, ...args: Args) => boolean,
  ...args: Args
): boolean {
  return data[key] === undefined || check(validate, `/${key}`, data[key], ...args);
}

/** `typeof value` is `type` ("string" or "boolean"): Ajv's type. */
export function typed(validate: Validator, instancePath: string, value: unknown, type: string): boolean {
  return typeof value === type || fail(validate, instancePath, "type", { type });
}

/** A string that `pattern` matches: Ajv's type, pattern (the pattern's text is its RegExp's `source`). */
export function matches(validate: Validator, instancePath: string, value: unknown, pattern: RegExp): boolean {
  if (typeof value !== "string") return fail(validate, instancePath, "type", { type: "string" });
  return pattern.test(value) || fail(validate, instancePath, "pattern", { pattern: pattern.source });
}

/** An object that is not an array nor null: Ajv's type object, at the root. */
export function object(validate: Validator, data: unknown): boolean {
  return (
    (!!data && typeof data === "object" && !Array.isArray(data)) ||
    fail(validate, "", "type", { type: "object" })
  );
}

/** Clears `validate`'s errors and returns true: the end of every validator that passed. */
export function valid(validate: Validator): true {
  validate.errors = null;
  return true;
}

/**
 * An error in words: the member it is about (a suffix to its instancePath, such as `/hour` for a missing `hour`;
 * empty when it is about the instance itself) and the message, which names the field and what was expected.
 */
function describe({ keyword, params: p }: ValidatorError, field: string): [member: string, message: string] {
  // a key or value the caller sent is shown escaped and cut (see printable); the pointer keeps it whole
  const member = (key: unknown, text: string): [string, string] => [
    `/${key}`,
    `\`${printable(`${key}`)}\` ${text}`,
  ];
  const is = (text: string): [string, string] => ["", `\`${field}\` ${text}`];
  switch (keyword) {
    case "required":
      return member(p.missingProperty, "is required");
    case "additionalProperties":
      return member(p.additionalProperty, "is not allowed here");
    case "discriminator":
      return member(
        p.tag,
        p.error === "tag"
          ? "is required and must be a string"
          : `must be one of the documented values (got ${printable(`${JSON.stringify(p.tagValue)}`)})`,
      );
    case "minProperties":
      return [
        "",
        `${field === "body" ? "the body" : `\`${field}\``} must have at least ${p.limit} propert${p.limit === 1 ? "y" : "ies"}`,
      ];
    case "false schema":
      return is("is not allowed here");
    case "type":
      return is(`must be ${/^[aeiou]/.test(String(p.type)) ? "an" : "a"} ${p.type}`);
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return is(`must be ${p.comparison} ${p.limit}`);
    case "enum":
      return is(`must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`);
    case "const":
      return is(`must be ${JSON.stringify(p.allowedValue)}`);
    case "pattern":
      return is(`must match ${p.pattern}`);
    case "minLength":
    case "maxLength":
      return is(`must have ${keyword === "minLength" ? "at least" : "at most"} ${p.limit} characters`);
    default:
      return is(`is invalid (${keyword})`);
  }
}

/** JSON-pointer to readable name: "/dayOfWeek" -> "dayOfWeek", "" -> the root's label. */
function fieldName(instancePath: string, rootLabel: string): string {
  if (!instancePath) return rootLabel;
  return instancePath
    .slice(1)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .join(".");
}

export function toFieldErrors(
  errors: ValidatorError[],
  rootPointer = "",
  rootLabel = "body",
): HostupFieldError[] {
  return errors.map((error) => {
    const [member, message] = describe(error, printable(fieldName(error.instancePath, rootLabel), 200));
    return { pointer: rootPointer + error.instancePath + member, message, code: error.keyword };
  });
}

/** Throws HostupValidationError (nothing is sent) when `validate` is given and refuses `value`. */
function check(
  operation: string,
  validate: Validator | undefined,
  value: unknown,
  rootPointer?: string,
  rootLabel?: string,
): void {
  if (validate && !validate(value))
    throw new HostupValidationError(operation, toFieldErrors(validate.errors ?? [], rootPointer, rootLabel));
}

/**
 * Validates a request body against the spec (unless `validate` is undefined: `validateRequests: false`), then
 * serialises it at once: every attempt sends these bytes, even if the caller changes its object meanwhile. Throws
 * HostupValidationError, so nothing is sent, for a body that breaks the spec or that JSON cannot encode.
 */
export function serialiseBody(operation: string, validate: Validator | undefined, body: unknown): string {
  check(operation, validate, body);
  let text: string | undefined;
  try {
    text = JSON.stringify(body);
  } catch {} // a BigInt or a cycle (with validation on, the schema refuses these first)
  if (text === undefined) {
    throw new HostupValidationError(operation, [
      { pointer: "", message: "the body cannot be serialised as JSON", code: "json" },
    ]);
  }
  return text;
}

/**
 * Validates a query object against the operation's query parameters (one closed object schema), unless `validate`
 * is undefined (`validateRequests: false`); returns what to send. A query left out is checked as `{}`, so an
 * operation with a required parameter (v1's `deleteOrRollback`: `action`, `snapname`) is not sent without it. Members whose value is `undefined` are left out
 * (openapi-fetch does not send them). Pointers name the parameter (`/limit`); an unknown key is refused (a typo
 * would otherwise be ignored).
 */
export function checkQuery(operation: string, validate: Validator | undefined, query: unknown): unknown {
  if (typeof query === "object" && query !== null) {
    for (const [name, value] of Object.entries(query))
      for (const item of Array.isArray(value) ? value : [value]) checkSendable(operation, name, item);
  }
  if (!validate) return query;
  // a query left out is checked as an empty one: a required parameter is still asked for (`/action`)
  const sent =
    typeof query === "object" && query !== null
      ? Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined))
      : (query ?? {});
  check(operation, validate, sent, "", "query");
  return query === undefined ? undefined : sent;
}

/**
 * Whether `text` holds a lone surrogate (half of a UTF-16 pair, `"\ud800"` in JSON), which encodeURIComponent
 * throws on: a string that a URL cannot carry, whatever pattern it matches.
 */
export const notWellFormed = (text: string): boolean => /\p{Cs}/u.test(text);

/** Refuses a string a URL cannot carry (checked with or without validateRequests: it would fail the call later). */
function checkSendable(operation: string, name: string, value: unknown): void {
  if (typeof value === "string" && notWellFormed(value)) {
    throw new HostupValidationError(operation, [
      {
        pointer: `/${name}`,
        message: `\`${printable(name)}\` must be well-formed Unicode: it holds a lone surrogate, which a URL cannot carry`,
        code: "wellFormed",
      },
    ]);
  }
}

/** Validates one path parameter; the pointer is the argument's name (`/vmid`, `/vpsId`). */
export function checkParam(operation: string, validate: Validator, name: string, value: unknown): void {
  check(operation, validate, value, `/${name}`, name);
  checkSendable(operation, name, value);
}

import { type HostupFieldError, HostupValidationError } from "./errors.js";

/** Shape of one error from an Ajv standalone validator (compiled with `messages: false`). */
export interface ValidatorError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}

/** A validator compiled from the spec by scripts/generate-validators.ts (src/generated/validators-v*.ts). */
export type Validator = ((data: unknown) => boolean) & { errors?: ValidatorError[] | null };

function describe(error: ValidatorError, field: string): { pointer: string; message: string } {
  const p = error.params;
  switch (error.keyword) {
    case "required":
      return {
        pointer: `${error.instancePath}/${String(p.missingProperty)}`,
        message: `\`${String(p.missingProperty)}\` is required`,
      };
    case "additionalProperties":
      return {
        pointer: `${error.instancePath}/${String(p.additionalProperty)}`,
        message: `\`${String(p.additionalProperty)}\` is not allowed here`,
      };
    case "false schema":
      return { pointer: error.instancePath, message: `\`${field}\` is not allowed here` };
    case "type":
      return { pointer: error.instancePath, message: `\`${field}\` must be ${article(String(p.type))}` };
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return {
        pointer: error.instancePath,
        message: `\`${field}\` must be ${String(p.comparison)} ${String(p.limit)}`,
      };
    case "enum":
      return {
        pointer: error.instancePath,
        message: `\`${field}\` must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`,
      };
    case "const":
      return {
        pointer: error.instancePath,
        message: `\`${field}\` must be ${JSON.stringify(p.allowedValue)}`,
      };
    case "pattern":
      return { pointer: error.instancePath, message: `\`${field}\` must match ${String(p.pattern)}` };
    case "minProperties":
      return {
        pointer: error.instancePath,
        message: `${field === "body" ? "the body" : `\`${field}\``} must have at least ${String(p.limit)} propert${p.limit === 1 ? "y" : "ies"}`,
      };
    case "minLength":
    case "maxLength":
      return {
        pointer: error.instancePath,
        message: `\`${field}\` must have ${error.keyword === "minLength" ? "at least" : "at most"} ${String(p.limit)} characters`,
      };
    case "discriminator":
      return {
        pointer: `${error.instancePath}/${String(p.tag)}`,
        message:
          p.error === "tag"
            ? `\`${String(p.tag)}\` is required and must be a string`
            : `\`${String(p.tag)}\` must be one of the documented values (got ${JSON.stringify(p.tagValue)})`,
      };
    default:
      return { pointer: error.instancePath, message: `\`${field}\` is invalid (${error.keyword})` };
  }
}

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

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
    const { pointer, message } = describe(error, fieldName(error.instancePath, rootLabel));
    return { pointer: rootPointer + pointer, message, code: error.keyword };
  });
}

/**
 * Validates a request body against the spec (unless `validate` is undefined: `validateRequests: false`), then
 * serialises it at once: every attempt sends these bytes, even if the caller changes its object meanwhile. Throws
 * HostupValidationError, so nothing is sent, for a body that breaks the spec or that JSON cannot encode.
 */
export function serialiseBody(operation: string, validate: Validator | undefined, body: unknown): string {
  if (validate && !validate(body)) {
    throw new HostupValidationError(operation, toFieldErrors(validate.errors ?? []));
  }
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
 * is undefined (`validateRequests: false`); returns what to send. Members whose value is `undefined` are left out
 * (openapi-fetch does not send them). Pointers name the parameter (`/limit`); an unknown key is refused (a typo
 * would otherwise be ignored).
 */
export function checkQuery(operation: string, validate: Validator | undefined, query: unknown): unknown {
  if (query === undefined || !validate) return query;
  const sent =
    typeof query === "object" && query !== null
      ? Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined))
      : query;
  if (!validate(sent))
    throw new HostupValidationError(operation, toFieldErrors(validate.errors ?? [], "", "query"));
  return sent;
}

/** Validates one path parameter; the pointer is the argument's name (`/vmid`, `/vpsId`). */
export function checkParam(operation: string, validate: Validator, name: string, value: unknown): void {
  if (!validate(value))
    throw new HostupValidationError(operation, toFieldErrors(validate.errors ?? [], `/${name}`, name));
}

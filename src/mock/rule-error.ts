// The one error a rule raises; each version's routes turn it into that version's answer.

/**
 * A documented rule was broken. `kind` decides the status per version: `validation` (v1 400, v2 400),
 * `limit` (v1 422, v2 400), `gate` and `not_ready` (v1 422, v2 409), `not_found` (404 both).
 */
export class MockRuleError extends Error {
  constructor(
    readonly kind: "validation" | "limit" | "gate" | "not_ready" | "not_found",
    readonly code: string,
    message: string,
    /** The v1 field at fault, when one is. */
    readonly field?: string,
  ) {
    super(message);
  }
}

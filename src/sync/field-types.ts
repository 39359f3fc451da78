/**
 * The shape of the v1 <-> v2 field table (field-map.ts) and of its parts (lifecycle-fields.ts): a file of its own, so
 * that the parts and the table both read it without importing each other.
 */
export interface FieldPair {
  v1: string | null;
  /** The v2 property; for a `v1<->v1` group, the property of the second v1 view. */
  v2: string | null;
  /**
   * How the two types differ (the checker holds the spec to it; null never counts):
   * - "same" (default): the same type;
   * - "integer-number": v1 integer, v2 number (v2 floors the value, or its schema asks for a whole number);
   *   "number-integer" the other way round;
   * - "epoch-date-time": v1 integer (Unix seconds), the other side a `format: date-time` string;
   * - "integer-decimal-string": v1 integer, the other side a string of digits (`pattern: ^[0-9]+$`);
   * - "bytes-gb": v1 bytes (an integer, or a decimal string), v2 a number of GB;
   * - "integer-boolean": v1 integer 0/1, v2 boolean.
   */
  relation?: FieldRelation;
  note: string;
}

export type FieldRelation =
  | "same"
  | "integer-number"
  | "number-integer"
  | "epoch-date-time"
  | "integer-decimal-string"
  | "bytes-gb"
  | "integer-boolean";

export interface FieldGroup {
  /** Name of the mapping function that implements the group. */
  fn: string;
  /**
   * Which way the function maps; `v1<->v1` pairs two v1 views of one row (a backup in the backups list and in
   * the backup-schedules history): both schemas, and both sides' properties, are in the v1 description.
   */
  direction: "v1->v2" | "v2->v1" | "v1<->v1";
  v1Schema: string;
  /** The v2 schema; for a `v1<->v1` group, the second v1 schema. */
  v2Schema: string;
  fields: FieldPair[];
}

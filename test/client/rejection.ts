import { expect } from "vitest";
import { HostupError } from "../../src/index.js";

/** The error `promise` rejects with, which must be a HostupError (a resolved promise fails the test). */
export async function rejection(promise: Promise<unknown>): Promise<HostupError> {
  const error = await promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HostupError);
  return error as HostupError;
}

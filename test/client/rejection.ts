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

/** The error `action` throws, which must be a HostupError (returning fails the test). */
export function thrown(action: () => unknown): HostupError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(HostupError);
    return error as HostupError;
  }
  throw new Error("expected a throw");
}

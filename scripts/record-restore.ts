// What every write scenario of `npm run record` shares: the scenario's shape, and the guard that puts the account
// back (withRestore) or says loudly that it could not (RestoreFailedError).
import type { V1Client, V2Client } from "../src/index.js";

export interface ScenarioContext {
  v1: V1Client;
  v2: V2Client;
  vmid: number;
  vpsId: string;
  log: (line: string) => void;
}

export interface RecordScenario {
  name: string;
  /** Environment variables it needs besides HOSTUP_BASE_URL. */
  needs: ("HOSTUP_API_KEY" | "HOSTUP_TOKEN" | "HOSTUP_VMID" | "HOSTUP_VPS_ID")[];
  writes: boolean;
  run: (ctx: ScenarioContext) => Promise<void>;
}

/** Thrown when a write scenario could not restore the state it found: the account needs a human. */
export class RestoreFailedError extends Error {
  override name = "RestoreFailedError";
}

/**
 * Runs `step`, then always `restore` (the scenario's `finally`), also when `step` failed. A failed restore
 * wins: it throws RestoreFailedError (naming the step's error too), because the account needs a human.
 */
export async function withRestore(
  step: () => Promise<void>,
  restore: () => Promise<void>,
  log: (line: string) => void,
): Promise<void> {
  let stepFailed = false;
  let stepError: unknown;
  try {
    await step();
  } catch (error) {
    stepFailed = true;
    stepError = error;
  }
  log(`  restoring the state found before the scenario${stepFailed ? " (a step failed)" : ""}`);
  try {
    await restore();
  } catch (error) {
    const also = stepFailed ? `; the scenario step had failed before: ${String(stepError)}` : "";
    throw error instanceof RestoreFailedError
      ? new RestoreFailedError(`${error.message}${also}`)
      : new RestoreFailedError(`could not restore: ${String(error)}${also}`);
  }
  if (stepFailed) throw stepError;
}

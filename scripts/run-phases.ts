/**
 * Phases that run side by side: each starts as soon as the phases it is `after` are done. What scripts/generate.ts
 * runs for `npm run generate` and `generate:check`, and what its tests and the bench run on scratch copies.
 */
import { StepFailed } from "./tool-process.js";

export interface Phase {
  name: string;
  what: string;
  /** The phases whose output this one reads; it starts when they are done. */
  after: string[];
  action: () => unknown;
  /**
   * Puts back what `action` changed, when the run fails after this phase was done (a later or a side-by-side phase
   * failed): run once every running phase has finished, the done phases' undos newest first.
   */
  undo?: () => unknown;
}

/**
 * Runs `list` side by side, each phase as soon as the phases it is `after` are done. On a failure nothing new
 * starts; the running phases finish, the done phases' `undo`s run (newest first), and the errors are thrown together
 * (a lint problem and a stale file are both reported).
 */
export async function runPhases(
  list: Phase[],
  report: { start?: (phase: Phase) => void; end?: (phase: Phase, seconds: number) => void } = {},
): Promise<void> {
  const done = new Set<string>();
  /** The done phases, in the order they finished. */
  const finished: Phase[] = [];
  const running = new Map<string, Promise<void>>();
  const waiting = [...list];
  const failures: unknown[] = [];
  for (const phase of list) {
    for (const name of phase.after) {
      if (!list.some((other) => other.name === name))
        throw new Error(`phase ${phase.name}: no phase ${name}`);
    }
  }
  while (waiting.length || running.size) {
    if (!failures.length) {
      for (const phase of waiting.filter((p) => p.after.every((name) => done.has(name)))) {
        waiting.splice(waiting.indexOf(phase), 1);
        report.start?.(phase);
        const started = performance.now();
        running.set(
          phase.name,
          Promise.resolve()
            .then(phase.action)
            .then(
              () => {
                done.add(phase.name);
                finished.push(phase);
                report.end?.(phase, (performance.now() - started) / 1000);
              },
              (error: unknown) => {
                failures.push(error);
              },
            )
            .finally(() => running.delete(phase.name)),
        );
      }
    }
    if (!running.size) break;
    await Promise.race(running.values());
  }
  if (failures.length) {
    for (const phase of finished.reverse()) {
      try {
        await phase.undo?.();
      } catch (error) {
        failures.push(error);
      }
    }
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) {
    const messages = failures.map((error) => (error instanceof Error ? error.message : String(error)));
    throw new StepFailed(messages.join("\n✘ "));
  }
  const stuck = waiting.map((phase) => phase.name);
  if (stuck.length) throw new Error(`phases never started (a cycle in \`after\`?): ${stuck.join(", ")}`);
}

/**
 * vitest setupFiles: the files of a worker share its modules and globals (`isolate: false` in vitest.config.ts),
 * so a file must put back what it changes globally, or the next file in that worker inherits it (nock's
 * disabled net connect once broke the loopback tests that followed). After each file this fails the file if it
 * left fake timers on or changed `process.env`, and puts them back so the next file starts clean.
 */
import { afterAll, beforeAll, vi } from "vitest";

/** What a file left behind: fake timers still on, environment variables added, changed or removed. */
export function leftovers(envBefore: Readonly<Record<string, string | undefined>>): string[] {
  const found: string[] = [];
  if (vi.isFakeTimers()) found.push("fake timers are still on (vi.useRealTimers() in afterAll or afterEach)");
  const names = new Set([...Object.keys(envBefore), ...Object.keys(process.env)]);
  for (const name of [...names].sort()) {
    if (envBefore[name] !== process.env[name])
      found.push(`process.env.${name} changed (vi.stubEnv and vi.unstubAllEnvs)`);
  }
  return found;
}

let envBefore: Record<string, string | undefined> = {};
beforeAll(() => {
  envBefore = { ...process.env };
});
afterAll(() => {
  const found = leftovers(envBefore);
  if (found.length === 0) return;
  vi.useRealTimers();
  for (const name of Object.keys(process.env)) if (!(name in envBefore)) delete process.env[name];
  Object.assign(process.env, envBefore);
  throw new Error(`this file left global state behind for the next file in its worker: ${found.join("; ")}`);
});

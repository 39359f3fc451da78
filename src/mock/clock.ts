/** The mock's notion of "now". Injectable so tests can make schedules come due and jobs finish on demand. */
export interface MockClock {
  now(): number;
}

/** A clock that only moves when told to: `advance(ms)` or `set(date)`. */
export interface ManualClock extends MockClock {
  advance(ms: number): void;
  set(date: Date | string | number): void;
}

export const systemClock: MockClock = { now: () => Date.now() };

export function createManualClock(start: Date | string | number = "2026-01-05T00:00:00.000Z"): ManualClock {
  let current = new Date(start).getTime();
  if (Number.isNaN(current)) throw new TypeError(`createManualClock: not a date: ${String(start)}`);
  return {
    now: () => current,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0)
        throw new RangeError("advance(ms) takes a finite, non-negative number");
      current += ms;
    },
    set(date) {
      const next = new Date(date).getTime();
      if (Number.isNaN(next)) throw new TypeError(`set: not a date: ${String(date)}`);
      current = next;
    },
  };
}

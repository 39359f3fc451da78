// When a schedule runs next, in UTC, computed arithmetically (no loop walks the calendar).

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface BackupTiming {
  schedule_type: "daily" | "weekly" | "monthly";
  hour: number;
  minute: number;
  day_of_week?: number | null;
  day_of_month?: number | null;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/**
 * The first run strictly after `after` (epoch ms). Monthly schedules whose day a month lacks (31 in April) run
 * on that month's last day: the docs do not say, and skipping a month would silently lose a backup.
 */
export function nextBackupRun(timing: BackupTiming, after: number): number {
  const at = new Date(after);
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  const d = at.getUTCDate();
  switch (timing.schedule_type) {
    case "daily": {
      const today = Date.UTC(y, m, d, timing.hour, timing.minute);
      return today > after ? today : today + DAY;
    }
    case "weekly": {
      const dow = timing.day_of_week ?? 0;
      const shift = (dow - at.getUTCDay() + 7) % 7;
      const candidate = Date.UTC(y, m, d + shift, timing.hour, timing.minute);
      return candidate > after ? candidate : candidate + 7 * DAY;
    }
    case "monthly": {
      const dom = timing.day_of_month ?? 1;
      const inMonth = (year: number, month: number) =>
        Date.UTC(year, month, Math.min(dom, daysInMonth(year, month)), timing.hour, timing.minute);
      const candidate = inMonth(y, m);
      if (candidate > after) return candidate;
      return m === 11 ? inMonth(y + 1, 0) : inMonth(y, m + 1);
    }
  }
}

/**
 * Next snapshot after `now`: `lastRun + k * interval` for the smallest k that lands after `now`, or
 * `now + interval` for a schedule that has not run yet.
 */
export function nextSnapshotRun(intervalHours: number, lastRun: number | null, now: number): number {
  const step = intervalHours * HOUR;
  if (lastRun === null) return now + step;
  if (lastRun + step > now) return lastRun + step;
  return lastRun + (Math.floor((now - lastRun) / step) + 1) * step;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

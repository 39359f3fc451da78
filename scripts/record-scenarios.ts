// The scenarios `npm run record` knows. Read-only ones only read; write ones first read the state they
// will change, refuse to start when they could not put it back, and restore it in a `finally`.
import { validateSaveBackupScheduleBody } from "../src/generated/validators-v2.js";
import type { V2BackupSchedule, V2SaveBackupScheduleRequest } from "../src/types.js";
import { toFieldErrors } from "../src/validation.js";
import { LIFECYCLE_RECORD_SCENARIOS } from "./record-lifecycle-scenarios.js";
import { type RecordScenario, RestoreFailedError, withRestore } from "./record-restore.js";

export {
  type RecordScenario,
  RestoreFailedError,
  type ScenarioContext,
  withRestore,
} from "./record-restore.js";

const WEEKDAY = /^[0-6]$/;
const MONTHDAY = /^(?:[1-9]|[12]\d|3[01])$/;
const ON_THE_HOUR = /^(?:[01]\d|2[0-3]):00$/;

/**
 * The v2 POST body that recreates `s` exactly, or the reason why v2 cannot. Built only from what was read,
 * never defaulted: a weekly/monthly schedule without a valid day, a time off the hour, a body the client's
 * own validator (the spec's rules) refuses, or a body whose saved schedule would read back differently all
 * return a reason, and the write scenario refuses to start.
 */
export function restoreBody(s: V2BackupSchedule): V2SaveBackupScheduleRequest | string {
  const what = `schedule ${s.id} (${s.frequency})`;
  if (typeof s.time !== "string" || !/^\d{2}:\d{2}$/.test(s.time))
    return `${what} has no usable time (${JSON.stringify(s.time)})`;
  if (!ON_THE_HOUR.test(s.time))
    return `${what} runs at ${s.time}; v2 cannot set minutes, so it could not be restored`;
  const day = s.daySpecifier;
  const common = {
    hour: Number(s.time.slice(0, 2)),
    retentionCount: s.retentionCount,
    enabled: s.enabled,
    name: s.name,
  };
  let body: V2SaveBackupScheduleRequest;
  if (s.frequency === "weekly") {
    if (typeof day !== "string" || !WEEKDAY.test(day))
      return `${what} has daySpecifier ${JSON.stringify(day)}, not a day of the week 0-6: a restore could not put it back on its day`;
    body = { frequency: "weekly", dayOfWeek: Number(day), ...common };
  } else if (s.frequency === "monthly") {
    if (typeof day !== "string" || !MONTHDAY.test(day))
      return `${what} has daySpecifier ${JSON.stringify(day)}, not a day of the month 1-31: a restore could not put it back on its day`;
    body = { frequency: "monthly", dayOfMonth: Number(day), ...common };
  } else if (s.frequency === "daily") {
    if (day !== null && day !== "")
      return `${what} has daySpecifier ${JSON.stringify(day)}, which v2 cannot set for a daily schedule`;
    body = { frequency: "daily", ...common };
  } else {
    return `${what}: unknown frequency`;
  }
  if (!validateSaveBackupScheduleBody(body)) {
    const errors = toFieldErrors(validateSaveBackupScheduleBody.errors ?? [])
      .map((e) => `${e.pointer}: ${e.message}`)
      .join("; ");
    return `${what}: the restore body ${JSON.stringify(body)} would be refused by the spec's rules (${errors})`;
  }
  const wouldRead = comparable(savedFrom(body));
  if (JSON.stringify(wouldRead) !== JSON.stringify(comparable(s)))
    return `${what}: the restore body would not read back the same (${JSON.stringify(wouldRead)} vs ${JSON.stringify(comparable(s))})`;
  return body;
}

/** What GET shows for a schedule saved with `body` (the fields `comparable` looks at). */
function savedFrom(
  body: V2SaveBackupScheduleRequest,
): Omit<V2BackupSchedule, "id" | "lastRun" | "nextRun" | "status"> {
  const day =
    body.frequency === "weekly"
      ? String(body.dayOfWeek)
      : body.frequency === "monthly"
        ? String(body.dayOfMonth)
        : null;
  return {
    frequency: body.frequency,
    time: `${String(body.hour).padStart(2, "0")}:00`,
    daySpecifier: day,
    retentionCount: body.retentionCount,
    enabled: body.enabled,
    name: body.name ?? "",
  };
}

function comparable(s: Omit<V2BackupSchedule, "id" | "lastRun" | "nextRun" | "status">): unknown {
  return {
    frequency: s.frequency,
    time: s.time,
    // v1 writes a daily schedule's day as "" and v2 as null: the same "no day".
    daySpecifier: s.daySpecifier === "" ? null : s.daySpecifier,
    retentionCount: s.retentionCount,
    enabled: s.enabled,
    name: s.name,
  };
}

export const RECORD_SCENARIOS: readonly RecordScenario[] = [
  {
    name: "v1-v2-paired-backup-schedules",
    needs: ["HOSTUP_API_KEY", "HOSTUP_TOKEN", "HOSTUP_VMID", "HOSTUP_VPS_ID"],
    writes: false,
    async run({ v1, v2, vmid, vpsId }) {
      await v1.backupSchedules.get(vmid);
      await v2.backupSchedules.get(vpsId);
    },
  },
  {
    name: "v1-v2-paired-snapshot-schedules",
    needs: ["HOSTUP_API_KEY", "HOSTUP_TOKEN", "HOSTUP_VMID", "HOSTUP_VPS_ID"],
    writes: false,
    async run({ v1, v2, vmid, vpsId }) {
      await v1.snapshotSchedule.get(vmid);
      await v2.snapshotSchedule.get(vpsId);
    },
  },
  {
    // GET /api/jobs/{jobId} for the job of the newest history entry, when the VM has one (the v1 page names
    // history[].job_id as the id to track a backup with). Read-only: a job is only looked at.
    name: "v1-get-job-from-history",
    needs: ["HOSTUP_API_KEY", "HOSTUP_VMID"],
    writes: false,
    async run({ v1, vmid, log }) {
      const { history } = await v1.backupSchedules.get(vmid);
      const jobId = history[0]?.job_id;
      if (!jobId) {
        log("  no backup history on this VM: GET /api/jobs/{jobId} not exercised");
        return;
      }
      await v1.jobs.get(jobId);
    },
  },
  {
    name: "v2-list-vps-paged",
    needs: ["HOSTUP_TOKEN"],
    writes: false,
    async run({ v2 }) {
      const first = await v2.vps.list({ limit: 2 });
      if (first.hasMore && first.nextCursor) await v2.vps.list({ limit: 2, cursor: first.nextCursor });
    },
  },
  {
    name: "v2-save-weekly-backup-schedule",
    needs: ["HOSTUP_TOKEN", "HOSTUP_VPS_ID"],
    writes: true,
    async run({ v2, vpsId, log }) {
      const before = await v2.backupSchedules.get(vpsId);
      if (before.schedules.length > 1)
        throw new RestoreFailedError(
          `refusing to start: ${before.schedules.length} schedules found, the scenario can restore only one`,
        );
      const found = before.schedules[0];
      // Built and validated before any write: refuse what could not be put back exactly.
      const restore = found ? restoreBody(found) : undefined;
      if (typeof restore === "string") throw new RestoreFailedError(`refusing to start: ${restore}`);
      const frequency = "weekly";
      let created: V2BackupSchedule | undefined;
      await withRestore(
        async () => {
          created = await v2.backupSchedules.save(vpsId, {
            frequency,
            hour: 3,
            dayOfWeek: 1,
            retentionCount: Math.max(1, Math.min(2, found?.retentionCount ?? 1)),
            enabled: false,
            name: "hostup-api contract recording",
          });
        },
        async () => {
          if (restore) await v2.backupSchedules.save(vpsId, restore);
          else {
            const now = await v2.backupSchedules.get(vpsId);
            for (const s of now.schedules) {
              if (!created || s.id === created.id) await v2.backupSchedules.delete(vpsId, s.id);
            }
          }
          const after = await v2.backupSchedules.get(vpsId);
          const want = JSON.stringify(before.schedules.map(comparable));
          const got = JSON.stringify(after.schedules.map(comparable));
          if (want !== got)
            throw new RestoreFailedError(`state after restore differs:\n  before ${want}\n  after  ${got}`);
          // POST updates the schedule of the same frequency in place; only a change of frequency may renumber it.
          const restoredId = after.schedules[0]?.id;
          if (found && found.frequency === frequency && restoredId !== found.id)
            throw new RestoreFailedError(
              `schedule ${found.id} came back as ${String(restoredId)} although its frequency never changed`,
            );
        },
        log,
      );
    },
  },
  {
    name: "v2-save-snapshot-schedule",
    needs: ["HOSTUP_TOKEN", "HOSTUP_VPS_ID"],
    writes: true,
    async run({ v2, vpsId, log }) {
      const before = await v2.snapshotSchedule.get(vpsId);
      if (!before.available || !before.actions.canEnable.allowed) {
        throw new RestoreFailedError("refusing to start: snapshot scheduling is not available on this VPS");
      }
      await withRestore(
        async () => {
          await v2.snapshotSchedule.save(vpsId, { enabled: true, intervalHours: 12 });
        },
        async () => {
          if (before.schedule) {
            await v2.snapshotSchedule.save(vpsId, {
              enabled: before.schedule.enabled,
              intervalHours: before.schedule.intervalHours,
            });
          } else await v2.snapshotSchedule.delete(vpsId);
          const after = await v2.snapshotSchedule.get(vpsId);
          const pick = (s: typeof before.schedule) =>
            s ? { enabled: s.enabled, intervalHours: s.intervalHours } : null;
          if (JSON.stringify(pick(after.schedule)) !== JSON.stringify(pick(before.schedule))) {
            throw new RestoreFailedError("snapshot schedule after restore differs from before");
          }
        },
        log,
      );
    },
  },
  ...LIFECYCLE_RECORD_SCENARIOS,
];

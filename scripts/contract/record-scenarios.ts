// The scenarios `npm run record` knows. Read-only ones only read; write ones first read the state they
// will change, refuse to start when they could not put it back, and restore it in a `finally`.
import type { V1Client, V2Client } from "../../src/index.js";
import type { V2BackupSchedule, V2SaveBackupScheduleRequest } from "../../src/types.js";

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

/** The v2 POST body that recreates `s`, or a reason why v2 cannot express it. */
export function restoreBody(s: V2BackupSchedule): V2SaveBackupScheduleRequest | string {
  const [hh, mm] = (s.time ?? "").split(":");
  if (hh === undefined || mm === undefined) return `schedule ${s.id} has no time`;
  if (mm !== "00")
    return `schedule ${s.id} runs at ${s.time}; v2 cannot set minutes, so it could not be restored`;
  const common = { hour: Number(hh), retentionCount: s.retentionCount, enabled: s.enabled, name: s.name };
  const day = Number(s.daySpecifier);
  if (s.frequency === "weekly") return { frequency: "weekly", dayOfWeek: day, ...common };
  if (s.frequency === "monthly") return { frequency: "monthly", dayOfMonth: day, ...common };
  return { frequency: "daily", ...common };
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

function comparable(s: V2BackupSchedule): unknown {
  return {
    frequency: s.frequency,
    time: s.time,
    daySpecifier: s.daySpecifier,
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
      const found = before.schedules[0];
      const restore = found ? restoreBody(found) : undefined;
      if (typeof restore === "string") throw new RestoreFailedError(`refusing to start: ${restore}`);
      let created: V2BackupSchedule | undefined;
      await withRestore(
        async () => {
          created = await v2.backupSchedules.save(vpsId, {
            frequency: "weekly",
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
];

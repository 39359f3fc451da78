// The record scenarios of the backup and snapshot lifecycle. Read-only ones list; the two write ones make one
// manual backup or one snapshot, wait for it, and delete it again, so that the account ends as it began. They
// refuse to start where that could not be promised: no slot free (a new backup could make HostUp delete the
// oldest one, which could not be put back), the gate says no, or something named like theirs is already there.
import type { V2BackupList, V2SnapshotList } from "../src/types.js";
import {
  type RecordScenario,
  RestoreFailedError,
  type ScenarioContext,
  withRestore,
} from "./record-restore.js";

/** The note of the recording's manual backup and the name of its snapshot: how the restore finds what it made. */
export const RECORDING_BACKUP_NOTE = "hostup-api contract recording";
export const RECORDING_SNAPSHOT_NAME = "hostup-api-recording";

/** Backups and snapshots can take a while on the real API: poll every 5 s, for at most 30 minutes. */
const WAIT = { intervalMs: 5000, timeoutMs: 30 * 60_000 };

const refuse = (why: string) => new RestoreFailedError(`refusing to start: ${why}`);

/** Waits for a job the scenario started, unless already done; a failed job is not an error here (the lists tell). */
async function settle(ctx: ScenarioContext, jobId: string | undefined, done: boolean): Promise<void> {
  if (jobId && !done) await ctx.v2.operations.waitFor(jobId, WAIT);
}

const ids = (list: V2BackupList) => list.backups.map((b) => b.id).sort();
const names = (list: V2SnapshotList) => list.data.map((s) => s.name).sort();

export const LIFECYCLE_RECORD_SCENARIOS: readonly RecordScenario[] = [
  {
    // One VM's backups in the three views the field table pairs: v1 list, v1 schedules history, v2 list.
    name: "v1-v2-paired-backups",
    needs: ["HOSTUP_API_KEY", "HOSTUP_TOKEN", "HOSTUP_VMID", "HOSTUP_VPS_ID"],
    writes: false,
    async run({ v1, v2, vmid, vpsId }) {
      await v1.backups.list(vmid);
      await v1.backupSchedules.get(vmid);
      await v2.backups.list(vpsId);
    },
  },
  {
    name: "v1-v2-paired-snapshots",
    needs: ["HOSTUP_API_KEY", "HOSTUP_TOKEN", "HOSTUP_VMID", "HOSTUP_VPS_ID"],
    writes: false,
    async run({ v1, v2, vmid, vpsId }) {
      await v1.snapshots.list(vmid);
      await v2.snapshots.list(vpsId);
    },
  },
  {
    name: "v2-list-backup-restore-sources",
    needs: ["HOSTUP_TOKEN", "HOSTUP_VPS_ID"],
    writes: false,
    async run({ v2, vpsId }) {
      await v2.backups.listRestoreSources(vpsId);
    },
  },
  {
    name: "v2-create-delete-manual-backup",
    needs: ["HOSTUP_TOKEN", "HOSTUP_VPS_ID"],
    writes: true,
    async run(ctx) {
      const { v2, vpsId, log } = ctx;
      const before = await v2.backups.list(vpsId);
      const gate = before.actions.canCreateBackup;
      if (!gate.allowed)
        throw refuse(`a manual backup is not allowed now (${gate.reason ?? gate.code ?? "no reason"})`);
      if (before.quotaInfo.remaining === null || before.quotaInfo.remaining < 1)
        throw refuse(
          "no backup slot is known to be free: a new backup could make HostUp delete the oldest one",
        );
      if (before.backups.some((b) => b.note === RECORDING_BACKUP_NOTE))
        throw refuse(
          `a backup noted "${RECORDING_BACKUP_NOTE}" is already there (an earlier run's?): delete it by hand`,
        );
      const known = new Set(before.backups.map((b) => b.id));
      let jobId: string | undefined;
      let done = false;
      await withRestore(
        async () => {
          const accepted = await v2.backups.create(vpsId, { note: RECORDING_BACKUP_NOTE });
          jobId = accepted.operation.jobId;
          const job = await v2.operations.waitFor(accepted, WAIT);
          done = true;
          if (job.isFailed) throw new Error(`the backup job ${jobId} failed`);
        },
        async () => {
          await settle(ctx, jobId, done);
          const now = await v2.backups.list(vpsId);
          const added = now.backups.filter((b) => !known.has(b.id));
          const foreign = added.filter((b) => b.note !== RECORDING_BACKUP_NOTE);
          if (foreign.length)
            throw new RestoreFailedError(
              `backups the scenario did not make appeared meanwhile (${foreign.map((b) => b.id).join(", ")}); left alone`,
            );
          for (const b of added) await v2.backups.delete(vpsId, b.id);
          const after = await v2.backups.list(vpsId);
          if (JSON.stringify(ids(after)) !== JSON.stringify(ids(before)))
            throw new RestoreFailedError(
              `backups after restore differ:\n  before ${ids(before).join(", ")}\n  after  ${ids(after).join(", ")}`,
            );
        },
        log,
      );
    },
  },
  {
    name: "v2-create-delete-snapshot",
    needs: ["HOSTUP_TOKEN", "HOSTUP_VPS_ID"],
    writes: true,
    async run(ctx) {
      const { v2, vpsId, log } = ctx;
      const before = await v2.snapshots.list(vpsId);
      const gate = before.actions.canCreate;
      if (!before.available || !gate.allowed)
        throw refuse(`a snapshot is not allowed now (${gate.reason ?? "snapshots are not available"})`);
      if (before.data.some((s) => s.name === RECORDING_SNAPSHOT_NAME))
        throw refuse(
          `a snapshot named "${RECORDING_SNAPSHOT_NAME}" is already there (an earlier run's?): delete it by hand`,
        );
      let jobId: string | undefined;
      let done = false;
      await withRestore(
        async () => {
          const accepted = await v2.snapshots.create(vpsId, {
            name: RECORDING_SNAPSHOT_NAME,
            description: "hostup-api contract recording (deleted again)",
          });
          jobId = accepted.operation.jobId;
          const job = await v2.operations.waitFor(accepted, WAIT);
          done = true;
          if (job.isFailed) throw new Error(`the snapshot job ${jobId} failed`);
        },
        async () => {
          await settle(ctx, jobId, done);
          const now = await v2.snapshots.list(vpsId);
          if (now.data.some((s) => s.name === RECORDING_SNAPSHOT_NAME))
            await v2.snapshots.delete(vpsId, RECORDING_SNAPSHOT_NAME);
          const after = await v2.snapshots.list(vpsId);
          if (JSON.stringify(names(after)) !== JSON.stringify(names(before)))
            throw new RestoreFailedError(
              `snapshots after restore differ:\n  before ${names(before).join(", ")}\n  after  ${names(after).join(", ")}`,
            );
        },
        log,
      );
    },
  },
];

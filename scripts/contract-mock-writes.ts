// The writes `npm run contract` sends to the embedded mock only (never to a live target): every operation that the
// read-only scenarios and the workflows leave out, so that each operation of both versions is exercised against
// the mock and its answers are checked strictly and by `redocly drift`. Order matters: a restore makes the VM busy
// until its job is done, so each job is waited for before the next write.
import type { V1Client, V2Client } from "../src/index.js";

export interface MockWritesContext {
  v1: V1Client;
  v2: V2Client;
  vmid: number;
  vpsId: string;
}

const WAIT = { intervalMs: 0, timeoutMs: 30_000 };

export async function runMockWrites({ v1, v2, vmid, vpsId }: MockWritesContext): Promise<void> {
  // schedules and settings
  await v1.backupSchedules.save(vmid, {
    schedule_type: "daily",
    hour: 2,
    minute: 0,
    retention_count: 3,
    enabled: true,
  });
  await v1.snapshotSchedule.save(vmid, { enabled: true, interval_hours: 12 });
  await v2.backupSchedules.updateSettings(vpsId, { autoDeleteOldest: true });

  // backups: one deleted through v1 (its volid, with ":" and "/", percent-encoded in the path), one through v2
  const v1Backups = await v1.backups.list(vmid);
  const volid = v1Backups.at(-1)?.volid;
  if (!volid) throw new Error("the mock's VM has no backup to delete through v1");
  await v1.backups.delete(vmid, volid);
  const { backups } = await v2.backups.list(vpsId);
  const last = backups.at(-1);
  if (!last) throw new Error("the mock's VM has no backup to delete through v2");
  await v2.backups.delete(vpsId, last.id);

  // restores: from another of the caller's VMs, and to a new pay-as-you-go VM
  const { sources } = await v2.backups.listRestoreSources(vpsId);
  const source = sources.find((s) => s.backups.length > 0);
  const sourceBackup = source?.backups[0];
  if (!source || !sourceBackup) throw new Error("the mock offers no restore source with a backup");
  const fromVps = await v2.backups.restoreFromVps(vpsId, {
    sourceVpsId: source.id,
    backupId: sourceBackup.id,
  });
  await v2.operations.waitFor(fromVps, WAIT);
  const [kept] = (await v2.backups.list(vpsId)).backups;
  if (!kept) throw new Error("the mock's VM has no backup left to restore to a new VM");
  await v2.operations.waitFor(
    await v2.backups.restoreToPayg(vpsId, kept.id, { name: "contract-payg" }),
    WAIT,
  );

  // v1 snapshots: roll back to one, then delete it (each a job)
  const snapname = (await v1.snapshots.list(vmid)).find((s) => s.name !== "current")?.name;
  if (!snapname) throw new Error("the mock's VM has no snapshot");
  const rollback = await v1.snapshots.deleteOrRollback(vmid, { action: "rollback", snapname });
  await v1.jobs.waitFor(rollback.jobId, WAIT);
  const deleted = await v1.snapshots.deleteOrRollback(vmid, { action: "delete", snapname });
  await v1.jobs.waitFor(deleted.jobId, WAIT);
}

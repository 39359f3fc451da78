// The history a VM keeps is bounded, but a backup that exists is never dropped from it: every view (v1 list,
// v1 history, v2 list, quota) reads the history, so trimming an existing backup would make it vanish.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DB, type MockHarness, startHarness } from "./harness.js";

let mock: MockHarness;
beforeEach(async () => {
  mock = await startHarness();
});
afterEach(async () => {
  await mock.server.close();
});

describe("a long history keeps the backups that exist", () => {
  it("after 120 manual backups made and deleted, db-1's seeded backup is still listed by v1 and v2 and counted", async () => {
    const vm = mock.state.findVm(DB.vmid);
    if (!vm) throw new Error("no db-1");
    const [seeded] = (await mock.call(`/api/v2/vps/${DB.vpsId}/backups`)).body.backups;
    expect(seeded.note).toBe("Before migration");
    for (let i = 0; i < 120; i++) {
      const job = mock.state.createBackup(vm, `run ${i}`);
      mock.clock.advance(61_000);
      mock.state.settle(vm);
      const entry = vm.history.find((h) => h.job_id === job.jobId);
      if (!entry) throw new Error(`backup ${i} has no history entry`);
      mock.state.deleteBackup(vm, { id: entry.id });
    }
    const v2 = (await mock.call(`/api/v2/vps/${DB.vpsId}/backups`)).body;
    expect(v2.backups.map((b: { id: string }) => b.id)).toEqual([seeded.id]);
    expect(v2.quotaInfo).toEqual({ used: 1, limit: 5, remaining: 4 });
    expect(v2.actions.canRestore.allowed).toBe(true);
    const v1 = (await mock.call(`/api/vm/${DB.vmid}/backups`)).body.data;
    expect(v1.map((b: { notes: string }) => b.notes)).toEqual(["Before migration"]);
    const restoreSources = (
      await mock.call(`/api/v2/vps/vps_01hxa3b4c5d6e7f8g9h0j1k2m3/backups/restore-sources`)
    ).body.sources;
    expect(restoreSources.map((s: { id: string }) => s.id)).toEqual([DB.vpsId]);
  });
});

// The backups page: "actions.canCreateBackup and actions.canRestore already include service status, quota,
// permission, and in-flight job checks". A gate that says `allowed: true` to a caller whose write would be 403 is
// a gate the caller cannot trust.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type MockHarness, startHarness, V2_READONLY, V2_TOKEN, WEB } from "./harness.js";

let mock: MockHarness;
beforeEach(async () => {
  mock = await startHarness();
});
afterEach(async () => {
  await mock.server.close();
});

const backups = `/api/v2/vps/${WEB.vpsId}/backups`;
const snapshots = `/api/v2/vps/${WEB.vpsId}/snapshots`;

describe("the lifecycle gates include the caller's permission", () => {
  it("without backup:vm every backup and snapshot gate is closed, and the write it guards is indeed 403", async () => {
    for (const auth of [V2_READONLY, "mock-v2-nobackup"]) {
      const list = (await mock.call(backups, { auth })).body;
      for (const name of ["canCreateBackup", "canRestore", "canRestoreFromAnotherVps"]) {
        expect(list.actions[name], `${auth} ${name}`).toMatchObject({
          allowed: false,
          reason: expect.any(String),
        });
        expect(list.actions[name].reason, `${auth} ${name}`).toContain("backup:vm");
      }
      const snaps = (await mock.call(snapshots, { auth })).body;
      for (const name of ["canCreate", "canRestore"]) {
        expect(snaps.actions[name], `${auth} ${name}`).toMatchObject({
          allowed: false,
          reason: expect.any(String),
        });
      }
      expect((await mock.call(backups, { auth, body: {} })).status).toBe(403);
      expect((await mock.call(snapshots, { auth, body: { name: "s1" } })).status).toBe(403);
    }
  });

  it("with backup:vm the gates say what they said before (open on web-1), for the full and the no-billing token", async () => {
    for (const auth of [V2_TOKEN, "mock-v2-nobilling"]) {
      const list = (await mock.call(backups, { auth })).body;
      for (const name of ["canCreateBackup", "canRestore", "canRestoreFromAnotherVps"]) {
        expect(list.actions[name], `${auth} ${name}`).toEqual({ allowed: true, reason: null, code: null });
      }
      const snaps = (await mock.call(snapshots, { auth })).body;
      expect(snaps.actions.canCreate).toEqual({ allowed: true, reason: null, code: null });
      expect(snaps.actions.canRestore).toEqual({ allowed: true, reason: null, code: null });
    }
  });
});

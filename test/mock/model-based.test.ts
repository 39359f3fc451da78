// Model-based test (fast-check `fc.commands` + `fc.asyncModelRun`) of the mock's promise that v1 and v2 are two
// views of one state. Each run takes one seeded VM (web-1: a schedule, backups, snapshot slots; db-1: 5 backup slots,
// auto-delete off, no snapshot slots) and sends it a random sequence of writes through both versions: backup schedules
// (v1 and v2 save, v2 delete), the v2 settings PATCH, snapshot schedules (v1 and v2 save, v2 delete), v2 manual
// backups (create, delete), v1 backup deletes, v2 snapshots (create, delete, restore), v1 snapshot delete and
// rollback, v2 backup restores (in place, to a new pay-as-you-go VM, onto this VM from the other one's backups as
// its restore sources list them), polls of the jobs they start, the mock's clock moved on, and the operator's knobs
// changed in place (a pending order, the purchased backup slots); bodies the rules or the spec refuse are among
// them (an unknown backup id, another VPS's backup, the VM as its own restore source, a restore while one runs),
// and the restores' jobs are followed (the VM stopped while one runs; what the finished job names). After every
// step it reads every view of the VM (v1 and v2: schedules, snapshot schedule, backups, snapshots; each answer
// checked strictly against the spec by the harness) and checks them against each other (model-views.ts says what).
// A write refused must leave every view as it was; a write accepted must show in both versions.
//
// Seeded: a failure prints `seed`, `path` and the commands (with a `replayPath`); replay it with
//   FC_SEED=<seed> FC_PATH=<path> FC_REPLAY_PATH=<replayPath> npx vitest run test/mock/model-based.test.ts
// Deep run (a minute or two of CPU; a different seed searches elsewhere):
//   FC_NUM_RUNS=300 FC_MAX_COMMANDS=30 FC_SEED=$RANDOM npx vitest run test/mock/model-based.test.ts
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DB, type MockHarness, startHarness, WEB } from "./harness.js";
import {
  allCommands,
  JOB_OPTIONS,
  type Model,
  modelRun,
  type Step,
  steps,
  type Target,
} from "./model-steps.js";

const SEED = process.env.FC_SEED === undefined ? 20_260_302 : Number(process.env.FC_SEED);
const PATH = process.env.FC_PATH;
const REPLAY_PATH = process.env.FC_REPLAY_PATH;
/** Runs and commands per run: a few hundred requests in all, about 1.3 CPU-s with the spec's first load. */
const RUNS = Number(process.env.FC_NUM_RUNS ?? 6);
const MAX_COMMANDS = Number(process.env.FC_MAX_COMMANDS ?? 12);

let mock: MockHarness;
beforeAll(async () => {
  mock = await startHarness({ jobs: JOB_OPTIONS });
});
afterAll(async () => {
  await mock.server.close();
});

function property(real: MockHarness, seedOf: (vm: Target) => Promise<Model> = (vm) => modelRun(real, vm)) {
  return fc.asyncProperty(
    fc.constantFrom<Target>(WEB, DB),
    fc.commands(allCommands, {
      maxCommands: MAX_COMMANDS,
      ...(REPLAY_PATH ? { replayPath: REPLAY_PATH } : {}),
    }),
    async (vm, commands) => {
      const model = await seedOf(vm);
      await fc.asyncModelRun(() => ({ model, real }), commands);
    },
  );
}

describe("v1 and v2 stay two views of one state under random sequences of writes", () => {
  it("after every step the views agree, refused writes change nothing, accepted ones show in both", async () => {
    await fc.assert(property(mock), { seed: SEED, numRuns: RUNS, ...(PATH ? { path: PATH } : {}) });
  });
});

/** A fixed sequence of steps, run as the property runs its generated ones. */
async function runSequence(vm: Target, sequence: Step[]): Promise<Model> {
  const model = await modelRun(mock, vm);
  await fc.asyncModelRun(() => ({ model, real: mock }), sequence);
  return model;
}

describe("the restores, as a fixed sequence (each step checks every view, as in the property)", () => {
  it("in place and from another VPS the VM is stopped until the job is done; to pay-as-you-go a new VM is made", async () => {
    const model = await runSequence(WEB, [
      steps.v2RestoreBackupToPayg(1, "restored-web"),
      steps.v2RestoreBackup(0),
      steps.v2CreateBackup("during restore"),
      steps.advanceClock(61_000),
      steps.pollJob(0),
      steps.pollJob(1),
      steps.v2RestoreBackupFromVps("other", 0),
    ]);
    // Accepted: the restores (the second in place once the payg one started: it only reads the VM), and the
    // restore from the other VPS once the first is done; the backup while the VM was stopped was refused.
    expect(model.jobs.map((j) => j.kind)).toEqual(["restore_to_payg", "restore", "restore_from_vps"]);
    const listed = (await mock.call("/api/v2/vps")).body.data.map((v: { name: string }) => v.name);
    expect(listed, "one new VM").toEqual(["web-1", "db-1", "restored-web"]);
  });
});

/** The property's failure (seed 20260302, 40 runs) with `plant`'s fault in the mock; the fault is taken out after. */
async function failureWith(plant: () => () => void): Promise<Error | undefined> {
  const restore = plant();
  try {
    return await fc.assert(property(mock), { seed: 20_260_302, numRuns: 40, endOnFailure: true }).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
  } finally {
    restore();
  }
}

/** The planted fault: a delete that leaves the backup counted in the quota. Returns what puts the mock back. */
function plantQuotaFault(): () => void {
  const state = mock.state;
  const original = state.deleteBackup;
  state.deleteBackup = function plantedDelete(vm, ref) {
    original.call(this, vm, ref);
    const entry = vm.history.find((h) => ("volid" in ref ? h.volid === ref.volid : h.id === ref.id));
    if (entry) entry.status = "active"; // deleted_at is set: gone from the lists, still counted
  };
  return () => {
    state.deleteBackup = original;
  };
}

describe("the property can fail, and says how to replay it", () => {
  it("a planted fault (a delete that leaves the backup counted in the quota) is caught, with the seed", async () => {
    const failure = await failureWith(plantQuotaFault);
    expect(failure?.message).toMatch(/seed: 20260302\b/);
    expect(failure?.message).toMatch(/path: "[0-9:]+"/);
    expect(String(failure?.cause)).toMatch(/settings count the backups|quotaInfo/);
  });

  it("the same fault in a fixed sequence: a v2 delete of a seeded backup", async () => {
    const restore = plantQuotaFault();
    try {
      await expect(runSequence(WEB, [steps.v2DeleteBackup(0)])).rejects.toThrow(
        /settings count the backups|quotaInfo/,
      );
    } finally {
      restore();
    }
  });
});

/**
 * The planted restore fault: a restore from another VPS that takes a backup of the target itself when the named
 * source has no such backup (the pages: the backup comes from the source's restore-sources entry; the source and
 * target are different VPSs). Returns what puts the mock back.
 */
function plantRestoreFault(): () => void {
  const state = mock.state;
  const original = state.restoreBackupFromVps;
  state.restoreBackupFromVps = function plantedRestore(target, source, ref) {
    const own = target.history.some((h) => "id" in ref && h.id === ref.id && h.status === "active");
    return own ? this.restoreBackup(target, ref) : original.call(this, target, source, ref);
  };
  return () => {
    state.restoreBackupFromVps = original;
  };
}

describe("the property catches a restore that takes the wrong VPS's backup", () => {
  it("a planted fault (restore-from-vps accepts a backup of the target itself) is caught, with the seed", async () => {
    const failure = await failureWith(plantRestoreFault);
    expect(failure?.message).toMatch(/seed: 20260302\b/);
    // Either the target's backup named under the other VPS, or under the target itself as the source.
    expect(failure?.message).toMatch(/v2RestoreBackupFromVps\((other, foreign|self, \d+)\)/);
    expect(String(failure?.cause)).toMatch(/should be refused: POST \S+\/actions\/restore-from-vps/);
  });

  it("the same fault in a fixed sequence: a restore from the other VPS naming a backup of the target", async () => {
    const restore = plantRestoreFault();
    try {
      await expect(runSequence(WEB, [steps.v2RestoreBackupFromVps("other", "foreign")])).rejects.toThrow(
        /should be refused/,
      );
    } finally {
      restore();
    }
  });
});

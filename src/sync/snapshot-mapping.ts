/**
 * One snapshot, two views: v1 `GET /api/vm/{vmid}/snapshots` (Proxmox's list, with the pseudo-entry `current`) and
 * v2 `GET /api/v2/vps/{id}/snapshots` `data[]`. Follows the `toV2Snapshot` rows of ./lifecycle-fields.ts.
 */
import type { components as V1 } from "../generated/v1.js";
import type { components as V2 } from "../generated/v2.js";
import { fromUnixSeconds } from "./backup-mapping.js";

type V1Snapshot = V1["schemas"]["Snapshot"];
type V2Snapshot = V2["schemas"]["Snapshot"];

/** The name of v1's pseudo-entry for the VM's present state ("You are here!"): not a snapshot. */
export const V1_CURRENT_STATE = "current";

/** How long a snapshot is kept: "about 24 hours" (the pages); `expiresAt` is `createdAt` plus this (inferred). */
export const SNAPSHOT_LIFETIME_SECONDS = 24 * 60 * 60;

/** A v1 snapshot as v2 lists it. (`current` is not a snapshot: see toV2Snapshots.) */
export function toV2Snapshot(v1: V1Snapshot): V2Snapshot {
  const taken = v1.snaptime;
  return {
    displayId: v1.name,
    name: v1.name,
    description: v1.description === "" ? null : v1.description,
    createdAt: taken === undefined ? null : fromUnixSeconds(taken),
    expiresAt: taken === undefined ? null : fromUnixSeconds(taken + SNAPSHOT_LIFETIME_SECONDS),
    includesMemoryState: v1.vmstate === 1,
    parentName: v1.parent ?? null,
  };
}

/** v1's snapshot list as v2's `data`: every snapshot, without the pseudo-entry `current`. */
export function toV2Snapshots(list: readonly V1Snapshot[]): V2Snapshot[] {
  return list.filter((entry) => entry.name !== V1_CURRENT_STATE).map(toV2Snapshot);
}

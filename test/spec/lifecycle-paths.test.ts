/**
 * How the lifecycle routes' parameters travel in the URL, as the spec describes them and as the client sends them:
 * the v1 `volid` (which holds `:` and `/`) percent-encoded as ONE path segment, the v1 snapshot action as query
 * parameters, the v2 snapshot name and backup ID unchanged. The client's openapi-fetch is given a recording fetch,
 * so nothing leaves the process.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createV1Client, createV2Client } from "../../src/index.js";

const bundle = (version: string) =>
  JSON.parse(
    readFileSync(join(import.meta.dirname, "..", "..", "dist", "openapi", `${version}.json`), "utf8"),
  );
const v1Spec = bundle("v1");

/** A fetch that records each request's URL and answers 200 with `body`. */
function recorder(body: unknown = {}) {
  const urls: string[] = [];
  const fetch = async (request: Request) => {
    urls.push(request.url);
    return new Response(JSON.stringify(body), {
      status: 200,
      headers: { "content-type": "application/json" },
    });
  };
  return { urls, fetch };
}

const VOLID = "pbs-offsite-10g:backup/vm/1871/2026-02-10T00:00:00.000Z";

describe("v1 DELETE /api/vm/{vmid}/backups/{volid}", () => {
  const parameter = v1Spec.components.parameters.Volid;

  it("the volid goes out percent-encoded as one segment, exactly as the spec's description says", async () => {
    const { urls, fetch } = recorder();
    const v1 = createV1Client({ apiKey: "test-key", fetch });
    await v1.raw.DELETE("/api/vm/{vmid}/backups/{volid}", {
      params: { path: { vmid: 10000, volid: VOLID } },
    });
    const encoded = "pbs-offsite-10g%3Abackup%2Fvm%2F1871%2F2026-02-10T00%3A00%3A00.000Z";
    expect(urls).toEqual([`https://cloud.hostup.se/api/vm/10000/backups/${encoded}`]);
    const path = new URL(urls[0] as string).pathname;
    expect(path.split("/")).toHaveLength(6); // "", api, vm, 10000, backups, <volid>
    expect(decodeURIComponent(path.split("/")[5] as string)).toBe(VOLID);
    // the spec says the same (so a server author, the mock and a recording can be held to it)
    expect(parameter.style).toBe("simple");
    expect(parameter.example).toBe(VOLID);
    expect(parameter.description).toContain(`\`${encoded}\``);
  });

  it("the spec's pattern takes the page's volids and refuses what a URL parser would resolve", async () => {
    const { validateParamVolid } = await import("../../src/generated/validators-v1.js");
    for (const volid of [VOLID, "local:backup/vzdump-qemu-101.vma.zst", "pbs-offsite-10g:backup/vm/10877/x"])
      expect(validateParamVolid(volid), volid).toBe(true);
    for (const volid of ["", ".", "..", "../x", "no-storage-id", ":backup/x", "a b:c", "local:"])
      expect(validateParamVolid(volid), volid).toBe(false);
  });
});

describe("v1 DELETE /api/vm/{vmid}/snapshots", () => {
  it("action and snapname are query parameters, as in the page's curl example", async () => {
    const { urls, fetch } = recorder();
    const v1 = createV1Client({ apiKey: "test-key", fetch });
    await v1.raw.DELETE("/api/vm/{vmid}/snapshots", {
      params: { path: { vmid: 10000 }, query: { action: "rollback", snapname: "full-prox-konfig" } },
    });
    expect(urls).toEqual([
      "https://cloud.hostup.se/api/vm/10000/snapshots?action=rollback&snapname=full-prox-konfig",
    ]);
  });

  it("the pseudo-entry current is not a snapshot name the spec lets through", async () => {
    const { validateDeleteOrRollbackSnapshotQuery: check } = await import(
      "../../src/generated/validators-v1.js"
    );
    expect(check({ action: "rollback", snapname: "full-prox-konfig" })).toBe(true);
    expect(check({ action: "delete", snapname: "current" })).toBe(false);
    expect(check({ action: "delete", snapname: "currently" })).toBe(true);
    expect(check({ action: "restore", snapname: "x" })).toBe(false);
    expect(check({ action: "delete" })).toBe(false);
  });
});

describe("v2 lifecycle paths", () => {
  it("a snapshot is addressed by its name and a backup by its id, each one segment, unchanged", async () => {
    const { urls, fetch } = recorder({ operation: {} });
    const v2 = createV2Client({ token: "test-token", fetch });
    const id = "vps_01hxa3b4c5d6e7f8g9h0j1k2m3";
    await v2.raw.POST("/api/v2/vps/{id}/snapshots/{snapshotId}/actions/restore", {
      params: { path: { id, snapshotId: "before-upgrade" } },
    });
    await v2.raw.POST("/api/v2/vps/{id}/backups/{backupId}/actions/restore-to-payg", {
      params: { path: { id, backupId: "bkp_01hxa3b4c5d6e7f8g9h0j1k2m3" } },
      body: { cpuCores: 2 },
    });
    expect(urls).toEqual([
      `https://cloud.hostup.se/api/v2/vps/${id}/snapshots/before-upgrade/actions/restore`,
      `https://cloud.hostup.se/api/v2/vps/${id}/backups/bkp_01hxa3b4c5d6e7f8g9h0j1k2m3/actions/restore-to-payg`,
    ]);
  });
});

// Requests are matched to operations by the generated operation tables (src/generated/operations-v{1,2}.ts), the
// same routes the client and the mock read; a description given as a document is matched by its own paths. For
// the shipped bundles the two agree, so an operation added to the spec (and regenerated) is matched with no code.
import { describe, expect, it } from "vitest";
import { matchOperation, specFor } from "../../src/contract/match.js";
import {
  type OpenApiDoc,
  routesOfDocument,
  routesOfTable,
  specFromDocument,
} from "../../src/contract/spec.js";
import { operations as v1Operations } from "../../src/generated/operations-v1.js";
import { operations as v2Operations } from "../../src/generated/operations-v2.js";
import { specs_ } from "./fixtures.js";

const sorted = <T extends { operationId: string }>(routes: T[]) =>
  [...routes].sort((a, b) => a.operationId.localeCompare(b.operationId));

describe("matching requests to operations", () => {
  it("the shipped specs' routes are their operation tables', and the tables agree with the bundles' paths", () => {
    const [v1, v2] = specs_();
    expect(v1?.routes).toEqual(routesOfTable(v1Operations));
    expect(v2?.routes).toEqual(routesOfTable(v2Operations));
    for (const spec of specs_()) expect(sorted([...spec.routes])).toEqual(sorted(routesOfDocument(spec.doc)));
  });

  it.each([
    ["GET", "https://cloud.hostup.se/api/v2/vps?limit=2", "v2", "listVps", {}],
    [
      "DELETE",
      "http://127.0.0.1:4010/api/v2/vps/vps_1/backup-schedules/bks_2",
      "v2",
      "deleteBackupSchedule",
      { id: "vps_1", scheduleId: "bks_2" },
    ],
    [
      "post",
      "https://cloud.hostup.se/api/vm/10000/backup-schedules",
      "v1",
      "saveBackupSchedule",
      { vmid: "10000" },
    ],
    ["GET", "https://cloud.hostup.se/api/jobs/backup%2F1", "v1", "getJob", { jobId: "backup/1" }],
  ])("%s %s is %s %s", (method, url, version, operationId, pathParams) => {
    const spec = specFor(specs_(), { method, url });
    expect(spec.version).toBe(version);
    const match = matchOperation(spec, method, url);
    expect(match?.operationId).toBe(operationId);
    expect(match?.pathParams).toEqual(pathParams);
  });

  it("matches nothing for an unknown path, a method the path does not take, or a missing segment", () => {
    const v2 = specs_()[1];
    if (!v2) throw new Error("no v2");
    expect(matchOperation(v2, "GET", "https://cloud.hostup.se/api/v2/dns/zones")).toBeUndefined();
    expect(matchOperation(v2, "PUT", "https://cloud.hostup.se/api/v2/vps")).toBeUndefined();
    expect(matchOperation(v2, "GET", "https://cloud.hostup.se/api/v2/vps//backup-schedules")).toBeUndefined();
  });

  it("a description given as a document is matched by its own paths: a planted operation is found", () => {
    const v2 = specs_()[1];
    if (!v2) throw new Error("no v2");
    const doc = structuredClone(v2.doc) as OpenApiDoc;
    doc.paths["/api/v2/vps/{id}/planted"] = { get: { operationId: "planted", responses: { "200": {} } } };
    const planted = specFromDocument("v2", doc, "planted.json");
    const url = "https://cloud.hostup.se/api/v2/vps/vps_1/planted";
    expect(matchOperation(planted, "GET", url)?.operationId).toBe("planted");
    expect(matchOperation(v2, "GET", url)).toBeUndefined();
  });

  it("a server base path is honoured: /base/api/... matches /api/...", () => {
    const v2 = specs_()[1];
    if (!v2) throw new Error("no v2");
    const doc = { ...structuredClone(v2.doc), servers: [{ url: "https://example.net/base" }] } as OpenApiDoc;
    const based = specFromDocument("v2", doc, "based.json");
    expect(matchOperation(based, "GET", "https://example.net/base/api/v2/vps")?.operationId).toBe("listVps");
    expect(matchOperation(based, "GET", "https://example.net/api/v2/vps")).toBeUndefined();
  });
});

/**
 * What the page parser reads beyond the fields (test/spec/reference-pages.test.ts holds the fields to the spec):
 * in each of the three renderings, the operation the page names, its scope, statuses, parameters and Related
 * Endpoints, on the stored copies and on small made-up pages.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { detectRendering, parseReferencePage } from "../../scripts/reference-pages/parse.js";
import { docsDir, skipWithoutPages } from "./api-docs.js";

const page = (file: string) => parseReferencePage(file, readFileSync(join(docsDir, file), "utf8"));

describe("the stored pages", () => {
  beforeEach(skipWithoutPages);
  it("v1 GET backup-schedules (field lines): operation, path parameter with its bound, statuses, no scope", () => {
    const parsed = page("v1-get-backup-schedules.txt");
    expect(parsed.rendering).toBe("field-lines");
    expect(parsed.operation).toEqual({ method: "GET", path: "/api/vm/{vmid}/backup-schedules" });
    expect(parsed.parameters).toEqual([
      { name: "vmid", in: "path", type: "integer", required: true, minimum: 1 },
    ]);
    expect(parsed.statuses).toEqual(["200", "400", "401", "403", "404", "429", "500"]);
    expect(parsed.scopes).toBeUndefined();
    expect(parsed.fields.find((f) => f.path === "data.schedules[].day_of_week")).toMatchObject({
      type: "integer",
      nullable: true,
      required: true,
    });
    expect(parsed.fields.find((f) => f.path === "details[].field")).toMatchObject({ required: false });
  });

  it("v2 POST backup-schedules (Markdown): scope, bounds, statuses, Related Endpoints", () => {
    const parsed = page("v2-post-backup-schedules.md");
    expect(parsed.rendering).toBe("markdown");
    expect(parsed.operation).toEqual({ method: "POST", path: "/api/v2/vps/{id}/backup-schedules" });
    expect(parsed.scopes).toEqual(["write:vm"]);
    expect(parsed.statuses).toEqual(["201", "400", "401", "403", "404", "429", "500"]);
    expect(parsed.parameters).toEqual([{ name: "id", in: "path", type: "string", required: true }]);
    expect(parsed.related).toEqual([
      { method: "GET", path: "/api/v2/vps/{id}/backup-schedules", summary: "List VPS backup schedules" },
      { method: "PATCH", path: "/api/v2/vps/{id}/backup-schedules", summary: "Update VPS backup settings" },
      {
        method: "DELETE",
        path: "/api/v2/vps/{id}/backup-schedules/{scheduleId}",
        summary: "Delete VPS backup schedule",
      },
    ]);
    expect(parsed.fields.find((f) => f.path === "hour")).toMatchObject({
      location: "request",
      minimum: 0,
      maximum: 23,
      required: true,
    });
    expect(parsed.fields.find((f) => f.path === "status")).toMatchObject({ location: { status: "201" } });
  });

  it("v2 PATCH backup-schedules (field lines): scope and the problem fields of every error status", () => {
    const parsed = page("v2-patch-backup-schedules.txt");
    expect(parsed.operation).toEqual({ method: "PATCH", path: "/api/v2/vps/{id}/backup-schedules" });
    expect(parsed.scopes).toEqual(["write:vm"]);
    expect(parsed.parameters).toEqual([{ name: "id", in: "path", type: "string", required: true }]);
    const at404 = parsed.fields.filter((f) => f.location !== "request" && f.location.status === "404");
    expect(at404.map((f) => f.path)).toContain("errors[].pointer");
  });

  it("v2 POST snapshot-schedules (run together): the request ends where the curl example's body does", () => {
    const parsed = page("v2-post-snapshot-schedules.txt");
    expect(parsed.rendering).toBe("run-together");
    expect(parsed.operation).toEqual({ method: "POST", path: "/api/v2/vps/{id}/snapshot-schedules" });
    expect(parsed.scopes).toEqual(["write:vm"]);
    expect(parsed.statuses).toBeUndefined();
    expect(parsed.parameters).toEqual([{ name: "id", in: "path", type: "string", required: true }]);
    const request = parsed.fields.filter((f) => f.location === "request").map((f) => f.path);
    expect(request).toEqual(["enabled", "intervalHours"]);
    expect(parsed.fields.find((f) => f.path === "schedule")).toMatchObject({
      location: { status: "2xx" },
      type: "object",
      nullable: true,
      required: true,
    });
  });
});

describe("renderings", () => {
  it("tells the three apart", () => {
    expect(detectRendering("## GET /api/v2/vps\n\n### Response Schema\n")).toBe("markdown");
    expect(detectRendering("Body\nResponses\n200\ndata object required\n")).toBe("field-lines");
    expect(detectRendering("Accept Example Content-Type Example enabled boolean required\n")).toBe(
      "run-together",
    );
  });

  it("reads Related Endpoints and a query parameter with bounds in the field-lines rendering", () => {
    const parsed = parseReferencePage(
      "made-up",
      [
        "List VPSes",
        "Required API scope: read:vm",
        "Query Parameters",
        "limit integer · min: 1 · max: 100 Example: 20",
        "Related Endpoints",
        "GET /api/v2/vps/{id} Get VPS details",
        "Responses",
        "200 A page of VPSes.",
        "data array<object> required",
        "data[].state string · enum required · Example: running",
        "running",
        "stopped",
        "GET https://cloud.hostup.se/api/v2/vps",
      ].join("\n"),
    );
    expect(parsed.operation).toEqual({ method: "GET", path: "/api/v2/vps" });
    expect(parsed.parameters).toEqual([
      { name: "limit", in: "query", type: "integer", required: false, minimum: 1, maximum: 100 },
    ]);
    expect(parsed.related).toEqual([{ method: "GET", path: "/api/v2/vps/{id}", summary: "Get VPS details" }]);
    expect(parsed.fields.find((f) => f.path === "data[].state")?.enum).toEqual(["running", "stopped"]);
  });

  it("does not take a prose line for a field", () => {
    const parsed = parseReferencePage(
      "made-up",
      "Body\nrequired\napplication/json\nname string required\nThe name string you choose, optional.\nResponses\n200\n",
    );
    expect(parsed.fields.map((f) => f.path)).toEqual(["name"]);
  });
});

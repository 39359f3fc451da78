// v1's backup and snapshot lists answer `data` as an array (the generated table's `envelopeArray`); every other v1
// envelope member is an object. Each is refused in the other's shape, as invalid_response.
import { describe, expect, it } from "vitest";
import { createV1Client, HostupApiError } from "../../src/index.js";

const answering = (data: unknown) =>
  createV1Client({
    apiKey: "test-api-key",
    retry: false,
    fetch: async () =>
      new Response(JSON.stringify({ success: true, timestamp: "2026-04-27T12:00:00.000Z", data }), {
        status: 200,
        headers: { "content-type": "application/json" },
      }),
  });

describe("the shape of v1's envelope member", () => {
  it("backups.list and snapshots.list return the array", async () => {
    await expect(answering([]).backups.list(10000)).resolves.toEqual([]);
    await expect(answering([{ name: "current" }]).snapshots.list(10000)).resolves.toEqual([
      { name: "current" },
    ]);
  });

  it.each([
    ["backups.list", {}, (v1: ReturnType<typeof answering>) => v1.backups.list(10000)],
    ["snapshots.list", null, (v1: ReturnType<typeof answering>) => v1.snapshots.list(10000)],
    ["jobs.get", [1], (v1: ReturnType<typeof answering>) => v1.jobs.get("j1")],
  ] as const)("%s refuses data %j as invalid_response", async (_name, data, call) => {
    const error = await call(answering(data)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostupApiError);
    expect(error).toMatchObject({ code: "invalid_response" });
  });
});

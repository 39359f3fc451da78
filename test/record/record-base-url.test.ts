// Record mode refuses a HOSTUP_BASE_URL the client would refuse (credentials in it, plain http off loopback, a query)
// as the environment problem it is: exit 2, a message naming the variable and what is wrong, nothing sent, and the
// URL's own credentials never printed.
import { describe, expect, it } from "vitest";
import { runRecord } from "../../scripts/record.js";

const ENV = {
  HOSTUP_API_KEY: "sample-v1-key-0000",
  HOSTUP_TOKEN: "sample-v2-token-0000",
  HOSTUP_VMID: "10000",
  HOSTUP_VPS_ID: "vps_01hxa3b4c5d6e7f8g9h0j1k2m3",
};

describe("record mode: a HOSTUP_BASE_URL the client cannot use", () => {
  it.each([
    ["credentials in the URL", "http://bob:pw-s3cret-value@127.0.0.1:9", /must not contain credentials/],
    ["plain http off loopback", "http://records.example.net", /plain http/],
    ["a query string", "https://cloud.hostup.se/?region=eu", /must not have a query/],
  ])("%s: exit 2, nothing sent", async (_what, base, message) => {
    const sent: string[] = [];
    const lines: string[] = [];
    const code = await runRecord({
      argv: ["v2-list-vps-paged"],
      env: { ...ENV, HOSTUP_BASE_URL: base },
      fixturesDir: "/nonexistent-never-written",
      fetch: async (request) => {
        sent.push(request.url);
        return new Response("{}");
      },
      log: (l) => lines.push(l),
      error: (l) => lines.push(l),
    });
    expect(code).toBe(2);
    expect(sent).toEqual([]);
    const text = lines.join("\n");
    expect(text).toMatch(/HOSTUP_BASE_URL/);
    expect(text).toMatch(message);
    expect(text).not.toContain("pw-s3cret-value");
  });
});

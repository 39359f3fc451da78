// The resilience knobs: all off by default, per server or per request.
import { afterEach, describe, expect, it } from "vitest";
import { createV2Client, HostupApiError } from "../../src/index.js";
import { type MockHarness, startHarness, WEB } from "./harness.js";

let mock: MockHarness | undefined;
afterEach(async () => {
  await mock?.server.close();
  mock = undefined;
});

describe("rate limiting: 429 with Retry-After and X-RateLimit-*", () => {
  it("per server: the request over the limit is refused until the window resets", async () => {
    mock = await startHarness({ faults: { rateLimit: { limit: 2, windowMs: 30_000 } } });
    expect((await mock.call("/api/v2/vps")).status).toBe(200);
    expect((await mock.call("/api/v2/vps")).status).toBe(200);
    const limited = await mock.call("/api/v2/vps");
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe("rate_limit_exceeded");
    expect(limited.headers.get("retry-after")).toBe("30");
    expect(limited.headers.get("x-ratelimit-limit")).toBe("2");
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(limited.headers.get("x-ratelimit-reset")).toBe("2026-03-02T10:00:30.000Z");
    const v1 = await mock.call(`/api/vm/${WEB.vmid}/backup-schedules`);
    expect(v1.status).toBe(200); // another credential, another window
    mock.clock.advance(30_000);
    expect((await mock.call("/api/v2/vps")).status).toBe(200);
  });

  it("per request: x-mock-fault: rate-limit=7, with v1's retryAfter in the body", async () => {
    mock = await startHarness();
    const v1 = await mock.call(`/api/vm/${WEB.vmid}/backup-schedules`, {
      headers: { "x-mock-fault": "rate-limit=7" },
    });
    expect(v1.status).toBe(429);
    expect(v1.headers.get("retry-after")).toBe("7");
    expect(v1.body).toEqual(
      expect.objectContaining({ code: "RATE_LIMIT_EXCEEDED", retryAfter: "2026-03-02T10:00:07.000Z" }),
    );
  });

  it("off by default", async () => {
    mock = await startHarness();
    for (let i = 0; i < 50; i++) expect((await mock.call("/api/v2/vps")).status).toBe(200);
  });
});

describe("added latency", () => {
  it("per server and per request, added up", async () => {
    mock = await startHarness({ faults: { latencyMs: 40 } });
    let started = performance.now();
    await mock.call("/api/v2/vps");
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
    started = performance.now();
    await mock.call("/api/v2/vps", { headers: { "x-mock-fault": "latency=80" } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });
});

describe("a share of 5xx", () => {
  it("errorRate 1 answers every request 500 internal_error in the version's shape", async () => {
    mock = await startHarness({ faults: { errorRate: 1 } });
    const v2 = await mock.call("/api/v2/vps");
    expect(v2.status).toBe(500);
    expect(v2.body.code).toBe("internal_error");
    const v1 = await mock.call(`/api/vm/${WEB.vmid}/backup-schedules`);
    expect(v1.body.code).toBe("INTERNAL_ERROR");
  });

  it("errorRate 0.5 with an injected random source fails every other request", async () => {
    let n = 0;
    mock = await startHarness({ faults: { errorRate: 0.5, random: () => (n++ % 2 === 0 ? 0.1 : 0.9) } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await mock.call("/api/v2/vps")).status);
    expect(statuses).toEqual([500, 200, 500, 200]);
  });

  it("x-mock-fault: 500 for one request", async () => {
    mock = await startHarness();
    expect((await mock.call("/api/v2/vps", { headers: { "x-mock-fault": "500" } })).status).toBe(500);
    expect((await mock.call("/api/v2/vps")).status).toBe(200);
  });
});

describe("the proxy's HTML 502 page", () => {
  it("html502Rate 1 and x-mock-fault: html-502 answer text/html", async () => {
    mock = await startHarness({ faults: { html502Rate: 1 } });
    const answer = await mock.call("/api/v2/vps", { unchecked: true });
    expect(answer.status).toBe(502);
    expect(answer.headers.get("content-type")).toMatch(/^text\/html/);
    expect(answer.text).toContain("502 Bad Gateway");
    mock.server.setFaults({});
    expect(
      (await mock.call("/api/v2/vps", { headers: { "x-mock-fault": "html-502" }, unchecked: true })).status,
    ).toBe(502);
  });

  it("the client turns it into HostupApiError, and its retry gets past a 502 that clears", async () => {
    let n = 0;
    // The first answer is the HTML 502, every later one the API's.
    mock = await startHarness({ faults: { html502Rate: 0.5, random: () => (n++ === 0 ? 0 : 1) } });
    const noRetry = createV2Client({ token: "mock-v2-token", baseUrl: mock.server.url, retry: false });
    const error = await noRetry.vps.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostupApiError);
    expect((error as HostupApiError).status).toBe(502);
    n = 0;
    const withRetry = createV2Client({
      token: "mock-v2-token",
      baseUrl: mock.server.url,
      retry: { retries: 2, maxDelayMs: 50 },
    });
    expect((await withRetry.vps.list()).data.length).toBe(2);
  });
});

describe("connection reset and the header switch", () => {
  it("x-mock-fault: reset drops the connection", async () => {
    mock = await startHarness();
    await expect(
      fetch(`${mock.server.url}/api/v2/vps`, { headers: { "x-mock-fault": "reset" } }),
    ).rejects.toThrow();
  });

  it("allowFaultHeader: false ignores the header", async () => {
    mock = await startHarness({ faults: { allowFaultHeader: false } });
    expect((await mock.call("/api/v2/vps", { headers: { "x-mock-fault": "500" } })).status).toBe(200);
  });
});

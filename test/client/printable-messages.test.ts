/**
 * Error messages end up in logs and terminals. Whatever a hostile caller or server puts into one (an option's name, a
 * body's key, a server's `detail`, a job's `state`, a Content-Type) must not bring a line break that forges a log
 * line, an ANSI escape that rewrites the terminal, or a bidi override that reorders what is shown: such characters
 * appear escaped (`\u{1b}`), everything else as it was sent.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { createV1Client, createV2Client } from "../../src/index.js";
import { rejection, thrown } from "./rejection.js";

const VPS = "vps_01hxa3b4c5d6e7f8g9h0j1k2m3";
/** Control (C0, DEL, C1), format (bidi, zero-width), surrogate and line/paragraph separator characters. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
const HOSTILE = [
  "a\nb",
  "\r\nFAKE LOG LINE",
  "\x1b[2J\x1b[31mred",
  "\x9b31m",
  "abc\u202etxt.exe",
  "\u2028",
  "\0",
];

const servers: Server[] = [];
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A loopback server that answers every request with `status`, `body` and `headers`. */
async function answering(status: number, body: string, headers: Record<string, string>): Promise<string> {
  const server = createServer((_req, res) => {
    res.writeHead(status, headers);
    res.end(body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("a caller's unknown option or body key", () => {
  it.for(HOSTILE)("an option named %j is shown escaped", (key) => {
    const error = thrown(() => createV2Client({ token: "test-token", [key]: 1 } as never));
    expect(error.code).toBe("invalid_options");
    expect(error.message).toMatch(/^createV2Client: unknown option `.+` \(options: token, baseUrl, /);
    expect(error.message).not.toMatch(UNSAFE);
  });

  it("shows the escapes by code point, and the rest of the name as it was", () => {
    const error = thrown(() => createV2Client({ token: "test-token", "time\nout\x1b[0m": 1 } as never));
    expect(error.message).toContain("unknown option `time\\u{a}out\\u{1b}[0m`");
  });

  it("any option name, in any client and per call (property)", async () => {
    const { fetch } = { fetch: async () => new Response("{}") };
    const v1 = createV1Client({ apiKey: "test-key", fetch, retry: false });
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "binary", minLength: 1, maxLength: 80 }), async (key) => {
        fc.pre(!["signal", "timeoutMs", "intervalMs", "onProgress"].includes(key));
        const created = thrown(() => createV1Client({ apiKey: "test-key", retry: { [key]: 1 } } as never));
        const perCall = await rejection(v1.backupSchedules.get(100, { [key]: 1 } as never));
        const waiting = await rejection(v1.jobs.waitFor("job_1", { [key]: 1 } as never));
        for (const error of [created, perCall, waiting]) {
          expect(error.code).toBe("invalid_options");
          expect(error.message).not.toMatch(UNSAFE);
          if (!UNSAFE.test(key)) expect(error.message).toContain(`\`${key.slice(0, 60)}\``);
        }
      }),
    );
  });

  it.for(HOSTILE)("a body key %j (not allowed by the spec) is shown escaped", async (key) => {
    const v2 = createV2Client({ token: "test-token", fetch: async () => new Response("{}"), retry: false });
    const error = await rejection(
      v2.snapshotSchedule.save(VPS, { enabled: true, intervalHours: 12, [key]: 1 } as never),
    );
    expect(error.code).toBe("validation_failed");
    expect(error.message).toMatch(
      /^saveSnapshotSchedule: invalid request, nothing was sent: `.+` is not allowed/,
    );
    expect(error.message).not.toMatch(UNSAFE);
  });

  it("a userAgent with a line break is refused, escaped and cut", () => {
    const error = thrown(() =>
      createV2Client({ token: "test-token", userAgent: `app\u202e/1${"x".repeat(5000)}` }),
    );
    expect(error.message).toMatch(
      /^createV2Client: `userAgent` must be a non-empty printable ASCII string, got "app/,
    );
    expect(error.message).not.toMatch(UNSAFE);
    expect(error.message.length).toBeLessThan(300);
  });
});

describe("a hostile server's words", () => {
  it.for(HOSTILE)("a problem detail %j becomes a message without the character", async (detail) => {
    const url = await answering(
      400,
      JSON.stringify({ code: "invalid_request", detail: `bad ${detail} input` }),
      {
        "content-type": "application/problem+json",
      },
    );
    const error = await rejection(
      createV2Client({ token: "test-token", baseUrl: url, retry: false }).vps.list(),
    );
    expect(error.code).toBe("invalid_request");
    expect(error.message).toMatch(/^bad .+ input$/);
    expect(error.message).not.toMatch(UNSAFE);
  });

  it.for(HOSTILE)("a body that is not JSON, with %j in it: the excerpt is escaped", async (text) => {
    const url = await answering(502, `<html>${text}</html>`, { "content-type": "text/html" });
    const error = await rejection(
      createV2Client({ token: "test-token", baseUrl: url, retry: false }).vps.list(),
    );
    expect(error.code).toBe("invalid_response");
    expect(error.message).toMatch(
      /^listVps: HTTP 502 with a body that is not JSON \(text\/html\): <html>.*<\/html>$/,
    );
    expect(error.message).not.toMatch(UNSAFE);
  });

  it("a Content-Type with C1 controls (latin1 bytes on the wire) and 4000 characters", async () => {
    const type = `text/html; x="\x9b2J${"y".repeat(4000)}"`;
    const url = await answering(502, "<html>", { "content-type": type });
    const error = await rejection(
      createV2Client({ token: "test-token", baseUrl: url, retry: false }).vps.list(),
    );
    expect(error.code).toBe("invalid_response");
    expect(error.message).not.toMatch(UNSAFE);
    expect(error.message.length).toBeLessThan(400);
  });

  it.for(HOSTILE)("a job state %j in waitFor's timeout is escaped", async (state) => {
    const job = { jobId: "job_1", state, progressDetails: null, isCompleted: false, isFailed: false };
    const url = await answering(200, JSON.stringify({ success: true, data: job }), {
      "content-type": "application/json",
    });
    const v1 = createV1Client({ apiKey: "test-key", baseUrl: url, retry: false });
    const error = await rejection(v1.jobs.waitFor("job_1", { timeoutMs: 50, intervalMs: 100 }));
    expect(error.code).toBe("timeout");
    expect(error.message).toMatch(/\(state: .+\)$/);
    expect(error.message).not.toMatch(UNSAFE);
  });
});

describe("a 202's pollUrl that operations.waitFor refuses", () => {
  it.for(["/api/jobs/\u202ej1", "/api/jobs/\x9b2J", "/api/jobs/\u2028"])(
    "%j is shown escaped",
    async (pollUrl) => {
      const v2 = createV2Client({ token: "test-token", fetch: async () => new Response("{}"), retry: false });
      const error = await rejection(v2.operations.waitFor({ operation: { jobId: "j1", pollUrl } } as never));
      expect(error.code).toBe("validation_failed");
      expect(error.message).toMatch(/`pollUrl` must be \/api\/jobs\/\{jobId\}, got "\/api\/jobs\/\\u\{/);
      expect(error.message).not.toMatch(UNSAFE);
    },
  );
});

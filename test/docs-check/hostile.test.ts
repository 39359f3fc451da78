// docs:check's page fetching against a hostile server on 127.0.0.1: one that floods, stalls, or redirects away.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatText } from "../../scripts/docs-check/report.js";
import { parseReferencePage } from "../../scripts/reference-pages/parse.js";
import { fetchSource, htmlToText } from "../../scripts/reference-pages/sources.js";
import { endless } from "../endless-answer.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler = (_q, s) => s.end();
let elsewhereHits = 0;
let server: Server;
let elsewhere: Server;
let origin: string;
let other: string;
const cacheDir = mkdtempSync(join(tmpdir(), "hostup-docs-hostile-"));

const listen = async (s: Server) => {
  await new Promise<void>((done) => s.listen(0, "127.0.0.1", done));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
};
beforeAll(async () => {
  server = createServer((req, res) => handler(req, res));
  elsewhere = createServer((_req, res) => {
    elsewhereHits++;
    res.writeHead(200, { "content-type": "text/markdown" }).end("# elsewhere");
  });
  origin = await listen(server);
  other = await listen(elsewhere);
});
afterAll(async () => {
  for (const s of [server, elsewhere]) {
    s.closeAllConnections();
    await new Promise((done) => s.close(done));
  }
  rmSync(cacheDir, { recursive: true, force: true });
});

const page = "https://docs.example.test/endpoints/vps-services/get-v2-vps";
const read = (timeoutMs = 1000) => fetchSource({ cacheDir, origin, timeoutMs }).read("get-v2-vps", page);

describe("docs:check fetching from a hostile server (loopback)", () => {
  it("a page without Content-Length that never ends is cut off at the limit, named", async () => {
    const flood = endless(
      200,
      { "content-type": "text/markdown" },
      Buffer.alloc(64 * 1024, "a"),
      64 * 1024 * 1024,
    );
    handler = flood.handler;
    await expect(read()).rejects.toThrow(
      `GET ${origin}/endpoints/vps-services/get-v2-vps.md: more than 5000000 bytes`,
    );
    expect(flood.written()).toBeLessThan(64 * 1024 * 1024);
  });

  it("a page that stalls half-way times out, naming the address and the wait", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "text/markdown" });
      res.write("# a");
    };
    await expect(read(50)).rejects.toThrow(
      `GET ${origin}/endpoints/vps-services/get-v2-vps.md: no complete answer within 50 ms`,
    );
  });

  it("a redirect away from --origin is not followed (the mirror was asked, not another host)", async () => {
    handler = (req, res) => {
      res.writeHead(302, { location: `${other}${req.url}` }).end();
    };
    await expect(read()).rejects.toThrow(
      `GET ${origin}/endpoints/vps-services/get-v2-vps.md redirected to ${other}: not followed`,
    );
    expect(elsewhereHits).toBe(0);
  });

  it("a redirect loop on the mirror ends after 5 hops, named", async () => {
    handler = (req, res) => {
      res.writeHead(302, { location: req.url ?? "/" }).end();
    };
    await expect(read()).rejects.toThrow(/GET http:\/\/127\.0\.0\.1:\d+\/\S+\.md: more than 5 redirects/);
  });
});

describe("htmlToText on a hostile page", () => {
  it("keeps a character reference no character has, instead of throwing RangeError", () => {
    expect(htmlToText("<p>&#99999999; &#x110000; &#65;</p>")).toBe("&#99999999; &#x110000; A");
  });

  it("reads openings that never close in one pass (a lazy regex retried from each was quadratic)", () => {
    // 300 kB each: the old regexes took seconds apiece, a 5 MB page (the fetch limit) most of an hour
    expect(htmlToText(`text${"<!--".repeat(75_000)}`)).toBe("text");
    expect(htmlToText(`<p>text</p>${"<script>".repeat(40_000)}`)).toBe("text");
    expect(htmlToText(`text ${"<a ".repeat(100_000)}`)).toBe(`text ${"<a ".repeat(100_000)}`.trim());
  });
});

describe("parseReferencePage on a hostile page (each of these took seconds at 100 kB, hours at the 5 MB limit)", () => {
  it("a field line with a long run of spaces and no Example", () => {
    const text = `Responses\n200\nname string${" ".repeat(100_000)}x`;
    expect(parseReferencePage("p", text).fields).toEqual([]);
  });

  it("a run-together page: one long word of URLs, then the real `<url> curl -X`", () => {
    const text = `${"http://a/".repeat(20_000)} https://h.test/api/v2/vps curl -X GET`;
    expect(parseReferencePage("p", text).operation).toEqual({ method: "GET", path: "/api/v2/vps" });
  });
});

describe("the docs:check report of a hostile page", () => {
  it("shows what the page says with its control characters escaped (no terminal escapes, no forged lines)", () => {
    const text = formatText(
      {
        source: "a mirror",
        operations: [],
        ok: false,
        applied: [],
        noLongerNeeded: [],
        notChecked: [],
        remaining: [
          {
            operation: "v2 listVps",
            endpoint: "GET /api/v2/vps",
            where: "response 200",
            field: "data[].status",
            kind: "enum",
            page: "running, \u001b[2J\n✔ The spec and the pages agree",
            spec: "running",
          },
        ],
      },
      "departures.yaml",
    );
    expect(text).not.toContain("\u001b");
    expect(text).toContain("\\u{1b}[2J");
    expect(text.split("\n").filter((line) => line.startsWith("✔"))).toEqual([]);
  });
});

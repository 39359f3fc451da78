/**
 * docs:check fetching pages, against a loopback server of the test's own that serves copies of the stored pages
 * (`--origin`): the `.md` copy first, the HTML page when there is none (or when the site answers the `.md` with an
 * HTML page), every page saved to the cache folder, and that folder readable again with `--pages`.
 */

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { docsCheck } from "../../scripts/docs-check.js";
import { htmlToText } from "../../scripts/reference-pages/sources.js";
import { docsDir, haveDocs, projectRoot, projectSpecs, skipWithoutPages } from "./api-docs.js";

const scratch = mkdtempSync(join(tmpdir(), "hostup-docs-fetch-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const escapeHtml = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
/** A page's text as a site would render it: a block per line, with a script and navigation around it. */
const asHtml = (text: string) =>
  `<!doctype html><html><head><script>window.x = "<p>not text</p>";</script><style>p{}</style></head><body>` +
  `<nav>Docs</nav>\n${text
    .split("\n")
    .map((line) => `<p>${escapeHtml(line)}</p>`)
    .join("\n")}</body></html>`;

const read = (file: string) => (haveDocs ? readFileSync(join(docsDir, file), "utf8") : "");
const section = "/endpoints/vps-services";

describe("docs:check fetching the pages (loopback server)", () => {
  beforeEach(skipWithoutPages);
  let server: Server;
  let origin: string;
  const requests: string[] = [];
  let failing: string | undefined;

  beforeAll(async () => {
    const routes: Record<string, { type: string; body: string }> = {
      // No .md copy: the HTML page.
      [`${section}/get-vm-vmid-backup-schedules`]: {
        type: "text/html; charset=utf-8",
        body: asHtml(read("v1-get-backup-schedules.txt")),
      },
      [`${section}/post-vm-vmid-backup-schedules.md`]: {
        type: "text/markdown",
        body: read("v1-post-backup-schedules.txt"),
      },
      [`${section}/post-v2-vps-id-backup-schedules.md`]: {
        type: "text/markdown; charset=utf-8",
        body: read("v2-post-backup-schedules.md"),
      },
      // The site answers a missing .md with its HTML "not found" page and a 200.
      [`${section}/patch-v2-vps-id-backup-schedules.md`]: {
        type: "text/html",
        body: "<html><body>Page not found</body></html>",
      },
      [`${section}/patch-v2-vps-id-backup-schedules`]: {
        type: "text/html",
        body: asHtml(read("v2-patch-backup-schedules.txt")),
      },
      [`${section}/post-v2-vps-id-snapshot-schedules.md`]: {
        type: "text/plain",
        body: read("v2-post-snapshot-schedules.txt"),
      },
    };
    server = createServer((request, response) => {
      const path = request.url ?? "";
      requests.push(`${request.method} ${path}`);
      if (failing && path.startsWith(failing)) {
        response.writeHead(503).end();
        return;
      }
      const route = routes[path];
      if (!route) {
        response.writeHead(404, { "content-type": "text/html" }).end("<p>Not found</p>");
        return;
      }
      response.writeHead(200, { "content-type": route.type }).end(route.body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function run(argv: string[]): Promise<{ status: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const status = await docsCheck(argv, {
      root: projectRoot,
      specs: await projectSpecs(),
      write: (text) => {
        out += text;
      },
      writeError: (text) => {
        err += text;
      },
    });
    return { status, out, err };
  }

  it("reads each page as .md or HTML, saves it, and reports the pages the site does not have", async () => {
    const cache = join(scratch, "cache");
    requests.length = 0;
    const { status, out, err } = await run(["--origin", origin, "--cache", cache, "--format", "json"]);
    expect(err).toBe("");
    const result = JSON.parse(out);
    // The five served pages agree with the spec; the 23 the server lacks (13 of them the backup and snapshot
    // lifecycle's) are reported as not found.
    const notFound = result.remaining.filter((d: { kind: string; page: string }) => d.kind === "page");
    expect(notFound).toHaveLength(23);
    expect(result.remaining).toEqual(notFound);
    expect(notFound.map((d: { spec: string }) => d.spec)).toContain(
      "https://developer.hostup.se/endpoints/vps-services/get-v2-vps",
    );
    expect(result.noLongerNeeded).toEqual([]);
    expect(result.applied).toHaveLength(9);
    expect(status).toBe(1);

    // Every request reached this server: .md first, then the page.
    expect(requests).toContain(`GET ${section}/get-vm-vmid-backup-schedules.md`);
    expect(requests).toContain(`GET ${section}/get-vm-vmid-backup-schedules`);
    expect(requests).toContain(`GET ${section}/patch-v2-vps-id-backup-schedules`);
    expect(requests).not.toContain(`GET ${section}/post-v2-vps-id-backup-schedules`);
    expect(requests.filter((r) => r.endsWith(".md"))).toHaveLength(28);

    expect(readdirSync(cache).sort()).toEqual([
      "get-vm-vmid-backup-schedules.txt",
      "patch-v2-vps-id-backup-schedules.txt",
      "post-v2-vps-id-backup-schedules.md",
      "post-v2-vps-id-snapshot-schedules.md",
      "post-vm-vmid-backup-schedules.md",
    ]);
    const renderings = Object.fromEntries(
      result.operations
        .filter((op: { readFrom?: string }) => op.readFrom)
        .map((op: { operation: string; rendering: string }) => [op.operation, op.rendering]),
    );
    expect(renderings).toEqual({
      "v1 getBackupSchedules": "field-lines",
      "v1 saveBackupSchedule": "field-lines",
      "v2 saveBackupSchedule": "markdown",
      "v2 updateBackupSettings": "field-lines",
      "v2 saveSnapshotSchedule": "run-together",
    });

    // The cache is a page folder: the same check runs offline from it.
    const offline = await run(["--pages", cache]);
    expect(offline.out).toContain("Compared 5 of 28 operations");
    expect(offline.out).toContain("✔ The spec and the pages agree");
    expect(offline.status).toBe(0);
  });

  it("stops with the address and the status when the site fails (exit 2)", async () => {
    failing = `${section}/post-v2-vps-id-backup-schedules`;
    try {
      const { status, err } = await run(["--origin", origin, "--cache", join(scratch, "cache-503")]);
      expect(err).toContain(`GET ${origin}${section}/post-v2-vps-id-backup-schedules.md answered 503`);
      expect(status).toBe(2);
    } finally {
      failing = undefined;
    }
  });

  it("stops with the address when nothing listens there (exit 2)", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const deadOrigin = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { status, err } = await run(["--origin", deadOrigin, "--cache", join(scratch, "cache-dead")]);
    expect(err).toMatch(new RegExp(`GET ${deadOrigin}/endpoints/\\S+\\.md failed`));
    expect(status).toBe(2);
    expect(existsSync(join(scratch, "cache-dead"))).toBe(false);
  });
});

describe("htmlToText", () => {
  it("gives one line per block, drops scripts and styles, and decodes entities", () => {
    expect(
      htmlToText(
        '<div><script>var a = "<p>x</p>";</script><h2>Body</h2><p>hour integer &middot; min: 0</p>' +
          "<p>data.history array&lt;object&gt; required</p><ul><li>daily</li><li>weekly</li></ul>" +
          "<style>.x{}</style><p>&#8230; &#x2026; &amp; &nbsp;</p></div>",
      ),
    ).toBe("Body\nhour integer · min: 0\ndata.history array<object> required\ndaily\nweekly\n… … &");
  });
});

/**
 * The HTML reference (dist/docs/v1.html, v2.html, made by `npm run generate`) works offline: headless Chromium opens
 * each file from disk with every host name unresolvable, reads the page the way a reader does (opens each entry of
 * its menu, tags before the operations under them) and must find every operation's summary, as the bundles state them, in the rendered page's visible
 * text. The summaries are not in the prerendered HTML: only Redoc's script, running in the page, renders them.
 *
 * Where Chromium is missing the test is skipped with the reason printed, except under CI=true, where it fails
 * (.ci/run installs Chromium).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, findChromium, launchChromium } from "./chromium.js";

const root = resolve(import.meta.dirname, "..", "..");
const versions = ["v1", "v2"] as const;
const onCI = Boolean(process.env.CI) && process.env.CI !== "false" && process.env.CI !== "0";
const chromium = findChromium();
/** Where `redocly build-docs` without --inlineBundle has the page load Redoc's script from. */
const CDN_SCRIPT = "https://cdn.redocly.com/redoc/v3.0.1/bundles/redoc.standalone.js";
const missing = "Chromium not found: no $CHROMIUM, no chromium on PATH (Debian: apt-get install -y chromium)";
if (!chromium && !onCI) console.warn(`test/docs/html-reference.test.ts skipped: ${missing}`);

/** Every operation's summary in a bundle, keyed "METHOD /path". */
function summaries(version: string): Map<string, string> {
  const bundle = JSON.parse(readFileSync(join(root, "dist", "openapi", `${version}.json`), "utf8")) as {
    paths: Record<string, Record<string, { summary?: string }>>;
  };
  const out = new Map<string, string>();
  for (const [path, item] of Object.entries(bundle.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (typeof operation === "object" && operation && "operationId" in operation) {
        out.set(`${method.toUpperCase()} ${path}`, operation.summary ?? "");
      }
    }
  }
  return out;
}

interface Reading {
  /** Redoc's script ran: React owns the #redoc element. */
  hydrated: boolean;
  found: string[];
  visited: string[];
}

/**
 * Runs in the page: waits for Redoc's script to take over the prerendered markup, then opens the menu's entries
 * one by one (their links are hash routes) until every expected summary has been on screen or the menu is done.
 */
function readPage(expected: string[]): string {
  return `(async (expected) => {
    const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
    const root = document.getElementById("redoc");
    const hydrated = () => Boolean(root) && Object.keys(root).some((key) => key.startsWith("__reactContainer"));
    for (let i = 0; i < 40 && !hydrated(); i++) await sleep(50);
    const found = new Set();
    // innerText lays the whole page out: read once per turn, for the summaries and the page's stability alike
    const look = () => {
      const text = document.body.innerText;
      for (const summary of expected) if (text.includes(summary)) found.add(summary);
      return text;
    };
    const visited = [];
    if (!hydrated()) { look(); return { hydrated: false, found: [...found], visited }; }
    // menu entries as hash routes ("/jobs" before the script takes over, "#/jobs" after); the open one is skipped
    const entries = () =>
      [...document.querySelectorAll('[data-component-name="Menu/MenuItem"] a[href]')].map((a) => ({
        route: "#" + a.getAttribute("href").replace(/^#/, ""),
        open: Boolean(a.querySelector('[data-active="true"]')),
      }));
    const deadline = Date.now() + 30000;
    look();
    while (found.size < expected.length && Date.now() < deadline) {
      // breadth first: a tag's page shows all its operations, so the entries each tag opens under it (one per
      // operation, on the same page) are visited only if a summary is still missing after every tag
      const depth = (route) => route.split("/").length;
      const next = entries()
        .filter((entry) => !entry.open && !visited.includes(entry.route))
        .sort((a, b) => depth(a.route) - depth(b.route))[0]?.route;
      if (!next) break;
      visited.push(next);
      location.hash = next;
      // until the menu marks the entry as the open one (the router has taken the hash) ...
      const open = () => entries().some((entry) => entry.route === next && entry.open);
      for (const until = Date.now() + 5000; Date.now() < until && !open(); ) await sleep(50);
      // ... then until a new summary shows, or the page has stopped changing for half a second
      const before = found.size;
      let last = "";
      let stableSince = Date.now();
      for (const until = Date.now() + 5000; Date.now() < until; ) {
        await sleep(50);
        const text = look();
        if (found.size > before) break;
        if (text !== last) { last = text; stableSince = Date.now(); }
        else if (Date.now() - stableSince > 500) break;
      }
    }
    return { hydrated: true, found: [...found], visited };
  })(${JSON.stringify(expected)})`;
}

describe("the HTML reference renders every operation offline (headless Chromium)", () => {
  let browser: Browser | undefined;
  const scratch = mkdtempSync(join(tmpdir(), "hostup-docs-html-"));

  beforeAll(async () => {
    if (chromium) browser = await launchChromium(chromium);
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  const read = async (file: string, expected: string[]): Promise<Reading> => {
    if (!browser) throw new Error("no browser");
    return JSON.parse(
      JSON.stringify(await browser.evaluate<Reading>(pathToFileURL(file).href, readPage(expected))),
    );
  };

  const needChromium = (skip: (note: string) => void) => {
    if (chromium) return;
    if (onCI) throw new Error(`${missing}; CI=true requires it (.ci/run installs it)`);
    skip(missing);
  };

  // The tests run side by side; their pages are read in the browser's one tab, one after the other
  // (test/docs/chromium.ts).
  it.concurrent.for(versions)("dist/docs/%s.html shows every operation's summary", async (version, ctx) => {
    needChromium(ctx.skip);
    const file = join(root, "dist", "docs", `${version}.html`);
    expect(existsSync(file), `${file} is missing: run npm run generate`).toBe(true);
    const expected = summaries(version);
    expect(expected.size).toBeGreaterThan(0);
    for (const [operation, summary] of expected) expect(summary, `${operation} has a summary`).not.toBe("");
    const reading = await read(file, [...expected.values()]);
    expect(reading.hydrated, "Redoc's script ran in the page").toBe(true);
    const notShown = [...expected].filter(([, summary]) => !reading.found.includes(summary));
    expect(
      notShown.map(([operation, summary]) => `${operation}: "${summary}"`),
      `not rendered (menu entries opened: ${reading.visited.join(", ")}); if the spec changed, run npm run generate`,
    ).toEqual([]);
  });

  it("names no folder outside the project (the published intro and descriptions)", () => {
    const outside = resolve(root, "..");
    const found = versions.flatMap((version) => {
      const html = readFileSync(join(root, "dist", "docs", `${version}.html`), "utf8");
      return [`${outside}${sep}`, "shared/api-docs"]
        .filter((needle) => html.includes(needle))
        .map((needle) => `${version}.html names ${needle}`);
    });
    expect(found).toEqual([]);
  });

  it.concurrent("catches a page whose script comes from a CDN (the planted fault: nothing renders offline)", async (ctx) => {
    needChromium(ctx.skip);
    // What build-docs writes without --inlineBundle: the same page, but its module imports Redoc's script from
    // Redocly's CDN instead of carrying it (the script before the page's definition is the inlined bundle).
    const page = readFileSync(join(root, "dist", "docs", "v1.html"), "utf8");
    const tag = '<script type="module">';
    const start = page.indexOf(tag) + tag.length;
    const definition = page.indexOf("const __redoc_definition", start);
    expect(page.indexOf(tag), "the page has a module script").toBeGreaterThanOrEqual(0);
    expect(definition, "the module defines the page's API after Redoc's bundle").toBeGreaterThan(start);
    const file = join(scratch, "v1-cdn.html");
    writeFileSync(
      file,
      `${page.slice(0, start)}\n      import { hydrate } from "${CDN_SCRIPT}";\n\n      ${page.slice(definition)}`,
    );
    const reading = await read(file, [...summaries("v1").values()]);
    expect(reading.hydrated).toBe(false);
    expect(reading.found).toEqual([]);
  });
});

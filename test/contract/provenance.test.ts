// Every fixture entry says where it came from, in one of three machine-readable forms (see
// scripts/fixture-provenance.ts), and the claim "built from documented example: <page>" is true: the listed
// page examples are checked against the reference pages (../shared/api-docs or $HOSTUP_API_DOCS) both ways.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { examplesOf } from "../../scripts/fixture-examples.js";
import {
  jsonDiff,
  PAGE_EXAMPLES,
  PAGE_FILES,
  pageExample,
  pageJsonObjects,
  parseProvenance,
  provenanceComment,
} from "../../scripts/fixture-provenance.js";
import { REPO_ROOT } from "../../scripts/redocly.js";
import { readHar } from "../../src/contract/har.js";
import { deref, type JsonObject, listOperations } from "../../src/contract/spec.js";
import { scenarios, specs_ } from "./fixtures.js";

const docsDir = resolve(process.env.HOSTUP_API_DOCS ?? join(REPO_ROOT, "..", "shared", "api-docs"));
const haveDocs = existsSync(join(docsDir, "v1-get-backup-schedules.txt"));
if (!haveDocs && process.env.HOSTUP_API_DOCS) {
  throw new Error(`HOSTUP_API_DOCS=${docsDir} holds no reference pages`);
}
const skipReason = `HostUp's reference pages are not in ${docsDir}; set HOSTUP_API_DOCS to their folder to run these tests`;
if (!haveDocs) {
  console.warn(`test/contract/provenance.test.ts: the page-example checks are skipped: ${skipReason}`);
}

/** Every named example of the operations a page documents: [version, operationId, status|"request", name, value]. */
function specExamples(): [string, string, string, string, unknown][] {
  const out: [string, string, string, string, unknown][] = [];
  for (const spec of specs_()) {
    for (const op of listOperations(spec)) {
      if (!PAGE_FILES[`${spec.version} ${op.operationId}`]) continue;
      const rb = deref(spec.doc, op.operation.requestBody);
      for (const media of Object.values<JsonObject>(rb?.content ?? {})) {
        for (const [name, value] of examplesOf(spec.doc, media))
          out.push([spec.version, op.operationId, "request", name, value]);
      }
      for (const [status, node] of Object.entries<JsonObject>(op.operation.responses ?? {})) {
        for (const media of Object.values<JsonObject>(deref(spec.doc, node)?.content ?? {})) {
          for (const [name, value] of examplesOf(spec.doc, media))
            out.push([spec.version, op.operationId, status, name, value]);
        }
      }
    }
  }
  return out;
}

describe("fixture provenance", () => {
  const entries = scenarios().flatMap((s) =>
    readHar(s.path).log.entries.map((e, i) => ({ fixture: s.name, entry: i, comment: e.comment })),
  );

  it("every entry's comment is one of the three forms", () => {
    const bad = entries.filter((e) => !parseProvenance(e.comment));
    expect(bad).toEqual([]);
  });

  it("parses the three forms and refuses anything else", () => {
    expect(parseProvenance("recorded from live API")).toEqual({ kind: "live" });
    expect(parseProvenance("built from spec example (not shown on any page); x")).toEqual({
      kind: "spec",
      details: "x",
    });
    expect(parseProvenance("built from documented example: v2-post-backup-schedules.md; y")).toEqual({
      kind: "page",
      page: "v2-post-backup-schedules.md",
      details: "y",
    });
    expect(
      parseProvenance("built from documented example: developer.hostup.se (facts in more-endpoints.md)"),
    ).toBe(undefined);
    expect(parseProvenance("built from documented example")).toBe(undefined);
    expect(parseProvenance(undefined)).toBe(undefined);
    const page = { kind: "page", page: "v1-get-backup-schedules.txt", details: "z" } as const;
    expect(parseProvenance(provenanceComment(page))).toEqual(page);
  });

  it('an entry says "page" exactly when its response example is a listed page example', () => {
    const wrong: string[] = [];
    for (const e of entries) {
      const p = parseProvenance(e.comment);
      const m = /^(v1|v2) spec (\w+) (\d{3}) example "(\w+)"/.exec(p?.details ?? "");
      if (!p || !m) continue;
      const listed = pageExample(m[1] ?? "", m[2] ?? "", m[3] ?? "", m[4] ?? "");
      if ((p.kind === "page") !== Boolean(listed) || (listed && listed.page !== p.page))
        wrong.push(`${e.fixture} #${e.entry}: ${e.comment}`);
    }
    expect(wrong).toEqual([]);
  });

  describe("the page examples against the reference pages", () => {
    beforeEach((context) => {
      if (!haveDocs) context.skip(skipReason);
    });
    // Read lazily: a skipped describe's body still runs at collection time.
    let cache: { pages: Map<string, unknown[]>; all: ReturnType<typeof specExamples> } | undefined;
    const load = () => {
      cache ??= {
        pages: new Map(
          Object.values(PAGE_FILES).map((f) => [f, pageJsonObjects(readFileSync(join(docsDir, f), "utf8"))]),
        ),
        all: specExamples(),
      };
      return cache;
    };

    it.each(
      PAGE_EXAMPLES.map((p) => [`${p.version} ${p.operationId} ${p.status} "${p.example}"`, p] as const),
    )("%s is on its page (differing only where it says)", (_label, p) => {
      const { pages, all } = load();
      const value = all.find(
        ([v, o, s, n]) => v === p.version && o === p.operationId && s === p.status && n === p.example,
      )?.[4];
      expect(value, "the spec has this example").toBeDefined();
      expect(PAGE_FILES[`${p.version} ${p.operationId}`]).toBe(p.page);
      const diffs = (pages.get(p.page) ?? []).map((o) => jsonDiff(o, value));
      const allowed = p.adapted?.pointers ?? [];
      const best = diffs.find((d) => d.every((ptr) => allowed.includes(ptr)));
      expect(best, `no JSON example on ${p.page} matches`).toBeDefined();
      expect(best?.length ?? 0, "the listed adaptation is real").toBe(allowed.length);
    });

    it("no other example of those operations is a page's own (the list is complete)", () => {
      const { pages, all } = load();
      const unlisted = all.filter(
        ([v, o, s, n, value]) =>
          !pageExample(v, o, s, n) &&
          (pages.get(PAGE_FILES[`${v} ${o}`] ?? "") ?? []).some((obj) => jsonDiff(obj, value).length === 0),
      );
      expect(unlisted.map(([v, o, s, n]) => `${v} ${o} ${s} ${n}`)).toEqual([]);
    });
  });
});

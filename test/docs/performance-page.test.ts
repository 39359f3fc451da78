/**
 * docs/performance.md is what bench/results.json renders to (bench/performance-page.ts), so no figure on it can be
 * pasted by hand or go stale: a run saved without rendering, or a hand edit of the page, fails here.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PAGE_FILE, readResults, renderPerformancePage } from "../../bench/performance-page.js";

describe("docs/performance.md", () => {
  it("is exactly the page bench/results.json renders to (else: tsx bench/performance-page.ts)", () => {
    expect(readFileSync(PAGE_FILE, "utf8")).toBe(renderPerformancePage(readResults()));
  });

  it("carries the run's figures: one figure changed in the results changes the page (planted)", () => {
    const committed = readFileSync(PAGE_FILE, "utf8");
    const results = readResults();
    const [group] = Object.values(results.groups);
    const row = group?.rows[0];
    if (!row) throw new Error("bench/results.json has no rows");
    row.value = 1_234_567;
    const planted = renderPerformancePage(results);
    expect(planted).not.toBe(committed);
    expect(planted).toContain(`| ${row.name} | 1,234,567 ${row.unit}`);
  });

  it("shows every goal and every row of the run, and no history", () => {
    const page = readFileSync(PAGE_FILE, "utf8");
    const results = readResults();
    for (const goal of results.goals) expect(page).toContain(`| ${goal.name} |`);
    for (const group of Object.values(results.groups)) {
      for (const row of group.rows) expect(page).toContain(`| ${row.name.replace(/\|/g, "\\|")} |`);
    }
    expect(page).not.toMatch(/what changed|previous run|tried and not kept|issue \d/i);
  });

  it("holds no terminal escape codes, even where a note quotes a command's coloured output (planted)", () => {
    expect(readFileSync(PAGE_FILE, "utf8")).not.toContain("\u001b");
    const results = readResults();
    const [group] = Object.values(results.groups);
    const row = group?.rows[0];
    if (!row) throw new Error("bench/results.json has no rows");
    row.note = "exited 1: \u001b[31mFAIL\u001b[39m test/x.test.ts";
    const planted = renderPerformancePage(results);
    expect(planted).toContain("exited 1: FAIL test/x.test.ts");
    expect(planted).not.toContain("\u001b");
  });
});

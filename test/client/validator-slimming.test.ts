/**
 * The rewrites of Ajv's standalone output that are not plain deletions: each must keep exactly what the code
 * decides. The differential test (validators.test.ts) holds the shipped validators to plain Ajv on the specs'
 * schemas; these hold the rewrites themselves on code the specs do not happen to produce.
 */
import { describe, expect, it } from "vitest";
import { finiteNumbers } from "../../scripts/generate-validators.js";

describe("finiteNumbers", () => {
  it("spells Ajv's strict integer and finite-number checks as Number.isInteger and Number.isFinite", () => {
    const code = [
      'if(!(((typeof data0 == "number") && (!(data0 % 1) && !isNaN(data0))) && (isFinite(data0)))){',
      "return false;",
      "}",
      'if((typeof data1 == "number") && (isFinite(data1))){',
      "}",
    ].join("\n");
    expect(finiteNumbers(code)).toBe(
      ["if(!Number.isInteger(data0)){", "return false;", "}", "if(Number.isFinite(data1)){", "}"].join("\n"),
    );
  });

  it("drops `|| isNaN(x)` only inside a finite-number guard of that same x, up to the guard's closing brace", () => {
    const code = [
      "if(data0 > 1 || isNaN(data0)){", // no guard yet: kept
      "}",
      'if((typeof data0 == "number") && (isFinite(data0))){',
      'if(data0 > 23 || isNaN(data0)){ return fail(v, "/x{", "maximum", {comparison: "<=", limit: 23}); }',
      "if(data1 > 2 || isNaN(data1)){", // another variable: kept
      "}",
      "else {",
      "if(data0 < 0 || isNaN(data0)){",
      "}",
      "}",
      "}",
      "if(data0 < 5 || isNaN(data0)){", // after the guard: kept
      "}",
    ].join("\n");
    const lines = finiteNumbers(code).split("\n");
    expect(lines[0]).toBe("if(data0 > 1 || isNaN(data0)){");
    expect(lines[3]).toBe(
      'if(data0 > 23){ return fail(v, "/x{", "maximum", {comparison: "<=", limit: 23}); }',
    );
    expect(lines[4]).toBe("if(data1 > 2 || isNaN(data1)){");
    expect(lines[7]).toBe("if(data0 < 0){");
    expect(lines[11]).toBe("if(data0 < 5 || isNaN(data0)){");
  });
});

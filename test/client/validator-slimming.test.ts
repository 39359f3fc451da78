/**
 * The rewrites of Ajv's standalone output that are not plain deletions: each must keep exactly what the code
 * decides. The differential test (validators.test.ts) holds the shipped validators to plain Ajv on the specs'
 * schemas; these hold the rewrites themselves on code the specs do not happen to produce.
 */
import { describe, expect, it } from "vitest";
import {
  deadGuards,
  discriminatedTags,
  earlyReturns,
  finiteNumbers,
  flatBlocks,
  KEYED_CHECKS,
  keyedChecks,
  nameLists,
  SHARED_CHECKS,
  sharedChecks,
} from "../../scripts/slim-validators.js";
import {
  closed,
  fail,
  integer,
  matches,
  member,
  minLength,
  object,
  required,
  typed,
  type Validator,
  valid,
} from "../../src/validation.js";

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

describe("nameLists", () => {
  it("turns a chain of key comparisons into one list, in the same order", () => {
    expect(nameLists('if(!((((key0 === "a") || (key0 === "b")) || (key0 === "c")))){')).toBe(
      'if(!["a","b","c"].includes(key0)){',
    );
    expect(nameLists('if(!(key1 === "only")){')).toBe('if(!["only"].includes(key1)){');
  });

  it("turns a chain of required checks into the first missing name, in the schema's order", () => {
    const chain =
      'if((((data.b === undefined) && (missing0 = "b")) || ((data.a === undefined) && (missing0 = "a")))){';
    const rewritten = nameLists(chain);
    expect(rewritten).toBe(
      'if((missing0 = ["b","a"].find((name) => data[name] === undefined)) !== undefined){',
    );
    // the rewritten condition reports what the chain reports
    for (const data of [{}, { a: 1 }, { b: 1 }, { a: 1, b: 1 }, { b: undefined, a: 1 }]) {
      const run = (line: string) =>
        new Function("data", `let missing0; ${line} return missing0; } return "none";`)(data);
      expect(run(rewritten)).toBe(run(chain));
    }
  });

  it("leaves any other shape as Ajv wrote it", () => {
    const others = [
      'if(!(data0 === "daily")){', // an enum, not a key
      'if(!((key0 === "a") || (key1 === "b"))){', // two variables
      'if(!((key0 === "a") || (key0 === "b") || other)){', // something else in the chain
      'if(!((key0 === "a\\"b") || (key0 === "c"))){', // an escaped name
      'if((data["x-y"] === undefined) && (missing0 = "x-y")){', // a name that is not an identifier
      'if(((data.a === undefined) && (missing0 = "b"))){', // checks one name, reports another
    ];
    for (const line of others) expect(nameLists(line)).toBe(line);
  });
});

describe("deadGuards", () => {
  const OBJECT = 'if(data && typeof data == "object" && !Array.isArray(data)){';
  it("unwraps an object check inside the same check, and drops its else", () => {
    const code = [
      OBJECT,
      "if(tag === 1){",
      OBJECT,
      "a();",
      "}",
      "else {",
      'return fail(v, "", "type", {type: "object"});',
      "}",
      "}",
      "}",
      "else {",
      "b();",
      "}",
    ].join("\n");
    expect(deadGuards(code).split("\n")).toEqual([
      OBJECT,
      "if(tag === 1){",
      "{",
      "a();",
      "}",
      "}",
      "}",
      "else {",
      "b();",
      "}",
    ]);
  });

  it("unwraps a finite-number guard after the same variable was found an integer, within that block only", () => {
    const code = [
      "{",
      "if(!Number.isInteger(data1)){",
      'return fail(v, "/x", "type", {type: "integer"});',
      "}",
      "if(Number.isFinite(data1)){",
      "c();",
      "}",
      "if(Number.isFinite(data2)){", // another variable: kept
      "}",
      "}",
      "if(Number.isFinite(data1)){", // outside the block the fact was learnt in: kept
      "}",
    ].join("\n");
    expect(deadGuards(code).split("\n")).toEqual([
      "{",
      "if(!Number.isInteger(data1)){",
      'return fail(v, "/x", "type", {type: "integer"});',
      "}",
      "{",
      "c();",
      "}",
      "if(Number.isFinite(data2)){",
      "}",
      "}",
      "if(Number.isFinite(data1)){",
      "}",
    ]);
  });

  it("keeps a first object check, and a check of other data", () => {
    const code = [OBJECT, 'if(data0 && typeof data0 == "object" && !Array.isArray(data0)){', "}", "}"].join(
      "\n",
    );
    expect(deadGuards(code)).toBe(code);
  });
});

describe("discriminatedTags", () => {
  const check = (value: string, style: "enum" | "const") =>
    [
      "if(data.frequency !== undefined){",
      "let data0 = data.frequency;",
      'if(typeof data0 !== "string"){',
      'return fail(v, "/frequency", "type", {type: "string"});',
      "}",
      style === "enum" ? `if(!(data0 === "${value}")){` : `if("${value}" !== data0){`,
      'return fail(v, "/frequency", "enum", {});',
      "}",
      "}",
      "else {",
      "}",
      "",
    ].join("\n");
  const dispatch = (body: (branch: string) => string) =>
    [
      "function validate(data){",
      "const tag0 = data.frequency;",
      'if(tag0 === "daily"){',
      body("daily"),
      "}",
      'else if(tag0 === "weekly"){',
      body("weekly"),
      "}",
      "}",
    ].join("\n");

  it("drops the branch's own check of the tag property, enum or const", () => {
    for (const style of ["enum", "const"] as const) {
      expect(discriminatedTags(dispatch((branch) => `${check(branch, style)}a();`))).toBe(
        dispatch(() => "a();"),
      );
    }
  });

  it("keeps a check of another value than the branch's, and one outside any branch", () => {
    const crossed = dispatch((branch) => check(branch === "daily" ? "weekly" : "daily", "enum"));
    expect(discriminatedTags(crossed)).toBe(crossed);
    const outside = `function validate(data){\nconst tag0 = data.frequency;\n${check("daily", "enum")}}`;
    expect(discriminatedTags(outside)).toBe(outside);
  });
});

/** Runs a validator's body on `data`: what it returns, and the keyword it failed with. */
const run = (body: string, data: unknown) => {
  const failures: string[] = [];
  const fail = (_v: unknown, _path: string, keyword: string) => {
    failures.push(keyword);
    return false;
  };
  const result = new Function("data", "fail", "v", `${body}\nreturn true;`)(data, fail, undefined);
  return { result, failures };
};

const sharedCheck = { fail, integer, minLength, closed, required };
/** Runs validator code on `data` with src/validation.ts's shared checks in scope: its verdict and its errors. */
const withSharedChecks = (code: string, data: unknown) => {
  const validate: Validator = () => true;
  const verdict = new Function("validate", ...SHARED_CHECKS, "data", `${code}return true;`)(
    validate,
    ...SHARED_CHECKS.map((name) => sharedCheck[name]),
    data,
  );
  return { verdict, errors: verdict ? undefined : validate.errors };
};

describe("earlyReturns", () => {
  const code = [
    'if(typeof data == "string"){',
    "if(data.length < 1){",
    'return fail(v, "", "minLength", {});',
    "}",
    "}",
    "else {",
    'return fail(v, "", "type", {});',
    "}",
  ].join("\n");

  it("fails early on the type, then runs the checks that needed it", () => {
    expect(earlyReturns(code).split("\n")).toEqual([
      'if(!(typeof data == "string")){',
      'return fail(v, "", "type", {});',
      "}",
      "{",
      "if(data.length < 1){",
      'return fail(v, "", "minLength", {});',
      "}",
      "}",
    ]);
    for (const data of ["", "x", 1, null]) expect(run(earlyReturns(code), data)).toEqual(run(code, data));
  });

  it("leaves an else that does more than fail", () => {
    const other = code.replace('return fail(v, "", "type", {});', 'x();\nreturn fail(v, "", "type", {});');
    expect(earlyReturns(other)).toBe(other);
  });
});

describe("flatBlocks", () => {
  it("drops Ajv's nesting blocks and empty elses where every declaration has its own name", () => {
    const code = [
      "function validate(data){",
      "if(true){",
      "let data0 = data.a;",
      "}",
      "else {",
      "}",
      "{",
      "let data1 = data.b;",
      "}",
      "}",
    ].join("\n");
    expect(flatBlocks(code)).toBe(
      ["function validate(data){", "let data0 = data.a;", "let data1 = data.b;", "}"].join("\n"),
    );
  });

  it("keeps the blocks of a function that declares a name twice, and a block followed by an else", () => {
    const twice = ["function validate(data){", "{", "let x = 1;", "}", "{", "let x = 2;", "}", "}"].join(
      "\n",
    );
    expect(flatBlocks(twice)).toBe(twice);
    const withElse = ["function validate(data){", "if(true){", "a();", "}", "else {", "b();", "}", "}"].join(
      "\n",
    );
    expect(flatBlocks(withElse)).toBe(withElse);
  });
});

describe("sharedChecks", () => {
  const integerProperty = [
    "if(data.hour !== undefined){",
    "let data1 = data.hour;",
    "if(!Number.isInteger(data1)){",
    'return fail(validate, "/hour", "type", {type: "integer"});',
    "}",
    "if(data1 > MAX){",
    'return fail(validate, "/hour", "maximum", {comparison: "<=", limit: MAX});',
    "}",
    "else {",
    "if(data1 < -2){",
    'return fail(validate, "/hour", "minimum", {comparison: ">=", limit: -2});',
    "}",
    "}",
    "}",
  ].join("\n");
  const shortString = [
    "if(data.name !== undefined){",
    "let data2 = data.name;",
    'if(!(typeof data2 === "string")){',
    'return fail(validate, "/name", "type", {type: "string"});',
    "}",
    "if(data2.length < 2){",
    'return fail(validate, "/name", "minLength", {limit: 2});',
    "}",
    "}",
  ].join("\n");
  const rootInteger = integerProperty
    .split("\n")
    .slice(2, -1)
    .join("\n")
    .replaceAll("data1", "data")
    .replaceAll('"/hour"', '""');

  it("calls src/validation.ts's helpers for an integer with both bounds and a string with only a minLength", () => {
    expect(sharedChecks(`${integerProperty.replaceAll("MAX", "23")}\n`)).toBe(
      'if(data.hour !== undefined && !integer(validate, "/hour", data.hour, -2, 23)){\nreturn false;\n}\n',
    );
    // the safe-integer bound is the helper's default
    expect(sharedChecks(`${integerProperty.replaceAll("MAX", "9007199254740991")}\n`)).toBe(
      'if(data.hour !== undefined && !integer(validate, "/hour", data.hour, -2)){\nreturn false;\n}\n',
    );
    expect(sharedChecks(`${rootInteger.replaceAll("MAX", "23")}\n`)).toBe(
      'if(!integer(validate, "", data, -2, 23)){\nreturn false;\n}\n',
    );
    expect(sharedChecks(`${shortString}\n`)).toBe(
      'if(data.name !== undefined && !minLength(validate, "/name", data.name, 2)){\nreturn false;\n}\n',
    );
  });

  it("the calls decide and fail as the checks they replace did", () => {
    const body = `${integerProperty.replaceAll("MAX", "9007199254740991")}\n${shortString}\n`;
    const values = [undefined, null, "x", "xy", 1.5, -3, -2, 0, 23, 2 ** 53 - 1, 2 ** 53, Number.NaN, 1e21];
    for (const hour of values)
      for (const name of values)
        expect(withSharedChecks(sharedChecks(body), { hour, name })).toEqual(
          withSharedChecks(body, { hour, name }),
        );
  });

  it("leaves any other shape as Ajv wrote it", () => {
    const minimumOnly = integerProperty.split("\n").slice(0, 5).concat("}").join("\n");
    const withInstancePath = integerProperty.replaceAll('"/hour"', 'instancePath+"/hour"');
    const exclusive = integerProperty.replace("data1 > MAX", "data1 >= MAX");
    const withPattern = shortString.replace("data2.length < 2", "!pattern0.test(data2)");
    for (const code of [minimumOnly, withInstancePath, exclusive, withPattern])
      expect(sharedChecks(`${code}\n`)).toBe(`${code}\n`);
  });

  const objectChecks = [
    "let missing0;",
    'if((missing0 = ["b","a"].find((name) => data[name] === undefined)) !== undefined){',
    'return fail(validate, "", "required", {missingProperty: missing0});',
    "}",
    "else {",
    "for(const key0 in data){",
    'if(!["a","b","c"].includes(key0)){',
    'return fail(validate, "", "additionalProperties", {additionalProperty: key0});',
    "break;",
    "}",
    "}",
    "}",
  ].join("\n");

  it("calls closed() and required() for nameLists' lists, and they fail as the checks they replace did", () => {
    const rewritten = sharedChecks(`${objectChecks}\n`);
    expect(rewritten.split("\n")).toEqual([
      'if(!required(validate, data, ["b","a"])){',
      "return false;",
      "}",
      "else {",
      'if(!closed(validate, data, ["a","b","c"])){',
      "return false;",
      "}",
      "}",
      "",
    ]);
    const objects = [{}, { a: 1 }, { b: 1 }, { a: 1, b: 1 }, { a: 1, b: 1, c: 1 }, { b: 1, a: 1, d: 1 }];
    for (const data of [...objects, { a: undefined, b: 1 }, Object.create({ a: 1, b: 1, x: 1 })])
      expect(withSharedChecks(rewritten, data)).toEqual(withSharedChecks(objectChecks, data));
  });
});

describe("keyedChecks", () => {
  const helpers = { fail, integer, minLength, closed, required, member, typed, matches, object, valid };
  const names = [...SHARED_CHECKS, ...KEYED_CHECKS];
  /** Runs a validator's source (`function validate(data){...}`) with the helpers in scope: verdict and errors. */
  const verdictOf = (source: string, data: unknown) => {
    const validate = new Function(...names, `${source}\nreturn validate;`)(
      ...names.map((name) => helpers[name]),
    ) as Validator;
    const verdict = validate(data);
    return { verdict, errors: validate.errors };
  };
  const pattern = 'const pattern0 = new RegExp("^vps_[a-z0-9]+$", "u");';
  const ajvStyle = [
    pattern,
    "function validate(data){",
    'if(!(data && typeof data == "object" && !Array.isArray(data))){',
    'return fail(validate, "", "type", {type: "object"});',
    "}",
    'if(data.hour !== undefined && !integer(validate, "/hour", data.hour, 0, 23)){',
    "return false;",
    "}",
    "if(data.enabled !== undefined){",
    'if(typeof data.enabled !== "boolean"){',
    'return fail(validate, "/enabled", "type", {type: "boolean"});',
    "}",
    "}",
    "if(data.vps !== undefined){",
    "let data1 = data.vps;",
    'if(!(typeof data1 === "string")){',
    'return fail(validate, "/vps", "type", {type: "string"});',
    "}",
    "if(!pattern0.test(data1)){",
    'return fail(validate, "/vps", "pattern", {pattern: "^vps_[a-z0-9]+$"});',
    "}",
    "}",
    "validate.errors = null;",
    "return true;",
    "}",
  ].join("\n");

  it("calls member, typed, matches, object and valid for the shapes every validator repeats", () => {
    expect(keyedChecks(ajvStyle).split("\n")).toEqual([
      pattern,
      "function validate(data){",
      "if(!object(validate, data)){",
      "return false;",
      "}",
      'if(!member(validate, data, "hour", integer, 0, 23)){',
      "return false;",
      "}",
      'if(!member(validate, data, "enabled", typed, "boolean")){',
      "return false;",
      "}",
      'if(!member(validate, data, "vps", matches, pattern0)){',
      "return false;",
      "}",
      "return valid(validate);",
      "}",
    ]);
  });

  it("the calls decide and fail as the checks they replace did", () => {
    const values = [undefined, null, true, 0, 23, 24, 1.5, "", "vps_a1", "vps_A", "x", [], {}];
    const rewritten = keyedChecks(ajvStyle);
    for (const data of [undefined, null, "x", [], ...values.map((v) => ({ hour: v, enabled: v, vps: v }))])
      for (const field of ["hour", "enabled", "vps"]) {
        const input =
          typeof data === "object" && data !== null && !Array.isArray(data)
            ? { hour: 1, enabled: true, vps: "vps_a", [field]: (data as Record<string, unknown>)[field] }
            : data;
        expect(verdictOf(rewritten, input)).toEqual(verdictOf(ajvStyle, input));
      }
  });

  it("leaves a pattern whose RegExp source differs from its text, and a path that is not the member's", () => {
    const escaped = ajvStyle
      .replace('new RegExp("^vps_[a-z0-9]+$"', 'new RegExp("^vps/[a-z0-9]+$"')
      .replace('{pattern: "^vps_[a-z0-9]+$"}', '{pattern: "^vps/[a-z0-9]+$"}');
    expect(keyedChecks(escaped)).toContain("pattern0.test(data1)");
    const elsewhere = ajvStyle.replaceAll('"/enabled"', '"/other"');
    expect(keyedChecks(elsewhere)).toContain('typeof data.enabled !== "boolean"');
  });
});

// scripts/ holds only drivers, and they share one of each thing the issue found copied around: one "run when
// executed" (runMain), one Redocly runner, one default base URL (src/options.ts), redaction from src/redact.ts, and
// the contract library lives in src/contract (hostup-api/contract), which the tests use.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const tsFiles = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((d) =>
    d.isDirectory()
      ? d.name === "fixtures" || d.name === "generated"
        ? []
        : tsFiles(join(dir, d.name))
      : d.name.endsWith(".ts")
        ? [join(dir, d.name)]
        : [],
  );
const text = (file: string) => readFileSync(join(root, file), "utf8");
/** The code of a file without its comment lines. */
const code = (file: string) =>
  text(file)
    .split("\n")
    .filter((line) => !/^\s*(\/\/|\*|\/\*\*)/.test(line))
    .join("\n");
const offenders = (files: string[], pattern: RegExp, except: string[] = []) =>
  files.filter((f) => !except.includes(f) && pattern.test(text(f))).map((f) => relative(".", f));

describe("the layout the contract work settled", () => {
  const scripts = tsFiles("scripts");
  const src = tsFiles("src");
  const tests = tsFiles("test");

  it("the contract library is src/contract; nothing in test/ imports from scripts/contract/", () => {
    expect(existsSync(join(root, "scripts", "contract"))).toBe(false);
    expect(offenders(tests, /from "[./]*scripts\/contract\//)).toEqual([]);
    expect(existsSync(join(root, "src", "contract", "index.ts"))).toBe(true);
  });

  it("every driver decides 'run when executed' with runMain, never file://argv[1]", () => {
    expect(
      offenders([...scripts, ...src], /file:\/\/\$\{process\.argv\[1\]\}|process\.argv\[1\] && resolve\(/),
    ).toEqual([]);
    const drivers = [
      "generate",
      "generate-validators",
      "generate-operations",
      "record",
      "contract",
      "build-fixtures",
      "check-fresh",
    ];
    for (const d of drivers) expect(text(`scripts/${d}.ts`), d).toMatch(/^runMain\(import\.meta\.url, /m);
  });

  it("Redocly's CLI is found in one place (scripts/redocly.ts)", () => {
    expect(
      offenders(scripts, /@redocly", "cli"|\.bin", "redocly"|bin\("redocly"\)/, ["scripts/redocly.ts"]),
    ).toEqual([]);
  });

  it("the default base URL is written once, in src/options.ts", () => {
    const literal = [...scripts, ...src].filter(
      (f) => f !== "src/options.ts" && /https:\/\/cloud\.hostup\.se/.test(code(f)),
    );
    expect(literal).toEqual([]);
  });

  it("drivers redact with src/redact.ts rather than their own split/join", () => {
    expect(offenders(scripts, /\.split\([^)]*\)\.join\("\[?REDACTED\]?"\)/)).toEqual([]);
  });
});

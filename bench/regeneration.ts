// Row "regeneration": seconds of each phase of `npm run generate`, timed by running the very commands
// scripts/generate.ts runs, in the same order, but writing into a scratch directory: the bench never rewrites
// src/generated or dist/ under the feet of whoever is working in the tree. One run per phase (each phase is
// seconds long; its noise is well below its size).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse, stringify } from "yaml";
import { bundle, versions } from "../scripts/generate.js";
import { generateValidators } from "../scripts/generate-validators.js";
import { ROOT } from "./fixture-bodies.js";
import type { GroupResult, Row } from "./harness.js";

const bin = (name: string) => join(ROOT, "node_modules", ".bin", name);

function run(command: string, args: string[], cwd = ROOT): void {
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" },
  });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited ${result.status}\n${result.stdout}${result.stderr}`);
  }
}

async function timed(action: () => void | Promise<void>): Promise<number> {
  const started = performance.now();
  await action();
  return (performance.now() - started) / 1000;
}

export async function regeneration(): Promise<GroupResult> {
  const scratch = mkdtempSync(join(tmpdir(), "hostup-bench-generate-"));
  const bundleDir = join(scratch, "openapi");
  const phases: [string, string, () => void | Promise<void>][] = [
    ["lint", "redocly lint v1 v2", () => run(bin("redocly"), ["lint", "--format", "summary", ...versions])],
    [
      "bundle",
      "redocly bundle ×4, then lint the bundles",
      () => {
        bundle(bundleDir);
        const config = parse(readFileSync(join(ROOT, "redocly.yaml"), "utf8"));
        for (const version of versions) {
          config.apis[version].root = resolve(bundleDir, `${version}.yaml`);
          delete config.apis[version]["x-openapi-ts"];
        }
        const configFile = join(bundleDir, "redocly.bundles.yaml");
        writeFileSync(configFile, stringify(config));
        run(bin("redocly"), ["lint", "--config", configFile, "--format", "summary", ...versions]);
      },
    ],
    [
      "types",
      "openapi-typescript ×2",
      () => {
        for (const version of versions) {
          run(
            bin("openapi-typescript"),
            [
              join(bundleDir, `${version}.json`),
              "--output",
              join(scratch, `${version}.ts`),
              "--empty-objects-unknown",
            ],
            bundleDir,
          );
        }
      },
    ],
    [
      "validate",
      "Ajv standalone validators ×2",
      async () => {
        for (const version of versions) {
          await generateValidators({
            bundle: join(bundleDir, `${version}.json`),
            out: join(scratch, `validators-${version}.ts`),
          });
        }
      },
    ],
    [
      "docs",
      "redocly build-docs ×2",
      () => {
        for (const version of versions) {
          run(bin("redocly"), ["build-docs", version, "--output", join(scratch, "docs", `${version}.html`)]);
        }
      },
    ],
    [
      "build",
      "tsc -p tsconfig.build.json",
      () => run(bin("tsc"), ["-p", "tsconfig.build.json", "--outDir", join(scratch, "build")]),
    ],
  ];
  const rows: Row[] = [];
  let total = 0;
  try {
    mkdirSync(bundleDir, { recursive: true });
    for (const [name, what, action] of phases) {
      const seconds = await timed(action);
      total += seconds;
      rows.push({ group: "regeneration", name, value: seconds, unit: "s", note: what });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  rows.push({ group: "regeneration", name: "total", value: total, unit: "s", note: "sum of the phases" });
  return { rows };
}

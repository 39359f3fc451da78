// hostup-api/contract (and Ajv with it) stays out of apps: esbuild bundles of an app that imports only the client
// hold none of its inputs, nor the mock's, nor the drivers'; the mock holds no Ajv. The bench's forbidden-inputs
// goal (bench/size.ts) reads the same bundles with the same patterns. Planted imports prove the check can fail.
import { describe, expect, it } from "vitest";
import { type App, bundleApp, NEVER_IN_APP, NEVER_IN_MOCK, V1_ONLY, V2_ONLY } from "../../bench/size.js";

const app = (name: string, contents: string, mustNotContain: RegExp, platform: App["platform"] = "browser") =>
  bundleApp({ name, contents, platform, mustNotContain });

describe("an app that imports only the client", () => {
  it.each([
    ["createV2Client", 'import { createV2Client } from "../src/index.js";\nconsole.log(createV2Client);'],
    ["both clients and the errors", 'import * as hostup from "../src/index.js";\nconsole.log(hostup);'],
  ])("%s: no hostup-api/contract, Ajv, mock or driver in the bundle", async (name, contents) => {
    const figures = await app(name, contents, NEVER_IN_APP);
    expect(figures.inputs.some((i) => i.path.startsWith("src/"))).toBe(true);
    expect(figures.forbidden).toEqual([]);
  });

  it("the check can fail: an app that also imports hostup-api/contract is caught, Ajv and all", async () => {
    const figures = await app(
      "planted",
      'import { createV2Client } from "../src/index.js";\nimport { validateExchange } from "../src/contract/index.js";\nconsole.log(createV2Client, validateExchange);',
      NEVER_IN_APP,
      "node",
    );
    expect(figures.forbidden).toEqual(
      expect.arrayContaining([expect.stringMatching(/^src\/contract\//), expect.stringMatching(/ajv\//)]),
    );
  });
});

describe("one version's client bundles none of the other's code", () => {
  // v2 polls v1's jobs route (src/generated/jobs.ts), and nothing else of v1
  it.each([
    ["createV2Client", V1_ONLY],
    ["createV1Client", V2_ONLY],
  ])("%s", async (name, other) => {
    const figures = await app(
      name,
      `import { ${name} } from "../src/index.js";\nconsole.log(${name});`,
      other,
    );
    expect(figures.inputs.map((i) => i.path)).toContain(
      `src/${name === "createV2Client" ? "v2" : "v1"}/client.ts`,
    );
    expect(figures.forbidden).toEqual([]);
  });

  it("the check can fail: an app that imports both clients is caught", async () => {
    const figures = await app(
      "planted",
      'import { createV1Client, createV2Client } from "../src/index.js";\nconsole.log(createV1Client, createV2Client);',
      V1_ONLY,
    );
    expect(figures.forbidden).toEqual(
      expect.arrayContaining([
        "src/v1/client.ts",
        "src/generated/operations-v1.ts",
        "src/generated/validators-v1.ts",
      ]),
    );
  });
});

describe("the mock (hostup-api/mock)", () => {
  it("records with the contract's HAR and scrub modules, without Ajv", async () => {
    const figures = await app(
      "mock",
      'import { startMockServer } from "../src/mock/index.js";\nconsole.log(startMockServer);',
      NEVER_IN_MOCK,
      "node",
    );
    expect(figures.inputs.map((i) => i.path)).toEqual(expect.arrayContaining(["src/contract/scrub.ts"]));
    expect(figures.forbidden).toEqual([]);
  });
});

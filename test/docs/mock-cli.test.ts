/**
 * `npx hostup-mock` as the README uses it: the documented default port (4010, so the README's curl line works as
 * written), `--port 0` for a free one, a clear error when the port is taken, and a banner that shows the active
 * fault settings (and a warning when --host is not loopback). The CLI runs as its own process: src/mock/cli.ts, bundled once with esbuild (the transform tsx
 * would apply at each start; a plain Node start is a quarter of tsx's), its answers read with fetch.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..", "..");
const scratch = mkdtempSync(join(tmpdir(), "hostup-mock-cli-"));
/** src/mock/cli.ts and what it imports, as one ES module (the mock has no runtime dependency to leave out). */
const cli = join(scratch, "hostup-mock.mjs");
const children: ChildProcess[] = [];

beforeAll(async () => {
  await build({
    entryPoints: [join(root, "src", "mock", "cli.ts")],
    outfile: cli,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "error",
  });
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Started {
  child: ChildProcess;
  /** Everything printed on stdout and stderr until the banner was complete or the process ended. */
  output: string;
  exitCode: number | null;
}

/** Starts the CLI and waits for its banner (the "Ctrl-C" line) or for it to exit. */
async function startCli(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  children.push(child);
  let output = "";
  const done = new Promise<number | null>((resolveDone) => {
    const check = () => {
      if (/Ctrl-C stops it/.test(output)) resolveDone(null);
    };
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      check();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    // "close", not "exit": it comes after the last output was read (an early "exit" could lose the message)
    child.once("close", (code) => resolveDone(code ?? -1));
  });
  const exitCode = await done;
  return { child, output, exitCode };
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const [code] = await exited;
  return code as number | null;
}

// The tests run concurrently: a child is ended when they are all done, whatever became of its test.
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
});

async function listen(port: number): Promise<Server | undefined> {
  const server = createServer();
  return new Promise((resolveListen) => {
    server.once("error", () => resolveListen(undefined));
    server.listen(port, "127.0.0.1", () => resolveListen(server));
  });
}

const urlIn = (output: string) => /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(output);

describe.concurrent("npx hostup-mock", () => {
  it("listens on the documented default port 4010 (the README's curl line), or says 4010 is taken", async () => {
    // Whether 4010 is free on this machine is not ours to decide: either way the CLI must name it.
    const probe = await listen(4010);
    await new Promise<void>((done) => (probe ? probe.close(() => done()) : done()));
    const started = await startCli([]);
    if (probe) {
      expect(started.exitCode, started.output).toBeNull();
      expect(urlIn(started.output)?.[1]).toBe("http://127.0.0.1:4010");
      // curl -H 'Authorization: Bearer mock-v2-token' http://127.0.0.1:4010/api/v2/vps
      const answer = await fetch("http://127.0.0.1:4010/api/v2/vps", {
        headers: { Authorization: "Bearer mock-v2-token" },
      });
      expect(answer.status).toBe(200);
      expect(((await answer.json()) as { data: { name: string }[] }).data.map((vps) => vps.name)).toEqual([
        "web-1",
        "db-1",
      ]);
      expect(await stop(started.child)).toBe(0);
    } else {
      expect(started.exitCode).not.toBe(0);
      expect(started.output).toMatch(/port 4010 .*already in use/);
    }
  });

  it("--port 0 takes a free port; the banner shows the URL, the credentials and 'faults: none'", async () => {
    const started = await startCli(["--port", "0"]);
    expect(started.exitCode, started.output).toBeNull();
    const url = urlIn(started.output);
    expect(Number(url?.[2])).toBeGreaterThan(0);
    expect(started.output).toMatch(/faults:\s+none/);
    expect(started.output).toContain("mock-v2-token");
    expect(started.output).toContain(`curl -H 'Authorization: Bearer mock-v2-token' ${url?.[1]}/api/v2/vps`);
    expect(started.output).not.toContain("WARNING"); // loopback, the default
    const answer = await fetch(`${url?.[1]}/api/v2/vps`, {
      headers: { Authorization: "Bearer mock-v2-token" },
    });
    expect(answer.status).toBe(200);
    expect(await stop(started.child)).toBe(0);
  });

  it("warns in the banner when --host is not loopback (other machines may reach it)", async () => {
    const started = await startCli(["--port", "0", "--host", "0.0.0.0"]);
    expect(started.exitCode, started.output).toBeNull();
    expect(started.output).toMatch(
      /WARNING: +--host 0\.0\.0\.0 is not loopback: other machines may reach this mock/,
    );
    expect(await stop(started.child)).toBe(0);
  });

  it("shows the active fault settings in the banner, and applies them", async () => {
    const started = await startCli([
      "--port",
      "0",
      "--latency",
      "5",
      "--error-rate",
      "1",
      "--rate-limit",
      "60",
    ]);
    expect(started.exitCode, started.output).toBeNull();
    const faults = /faults:\s+(.*)/.exec(started.output)?.[1] ?? "";
    expect(faults).toContain("latency 5 ms");
    expect(faults).toContain("error rate 1 (500)");
    expect(faults).toContain("rate limit 60 per credential per 60 s");
    expect(faults).not.toContain("HTML 502");
    const url = urlIn(started.output)?.[1];
    const answer = await fetch(`${url}/api/v2/vps`, { headers: { Authorization: "Bearer mock-v2-token" } });
    expect(answer.status).toBe(500);
    expect(await stop(started.child)).toBe(0);
  });

  it("refuses a port that is taken with a clear error (exit 1), naming the port and --port 0", async () => {
    const taken = await listen(0);
    if (!taken) throw new Error("could not listen on a free loopback port");
    const port = (taken.address() as { port: number }).port;
    try {
      const started = await startCli(["--port", String(port)]);
      expect(started.exitCode).toBe(1);
      expect(started.output).toContain(`hostup-mock: port ${port} on 127.0.0.1 is already in use`);
      expect(started.output).toContain("--port 0");
      expect(started.output).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      taken.close();
    }
  });

  it.for([
    ["--port", "abc"],
    ["--port", "1.5"],
    ["--port", "70000"],
    ["--error-rate", "2"],
  ])("refuses %s %s with a message naming the option (exit 2)", async ([option, value]) => {
    const started = await startCli([option ?? "", value ?? ""]);
    expect(started.exitCode).toBe(2);
    expect(started.output).toContain(`hostup-mock: ${option} must be`);
  });

  it("refuses what it cannot parse as a usage error too (exit 2, as a value out of range), pointing at --help", async () => {
    // "--port -1": node:util's parseArgs takes "-1" for an option, not the port's value
    const started = await startCli(["--port", "-1"]);
    expect(started.exitCode).toBe(2);
    expect(started.output).toMatch(/^hostup-mock: Option '--port' argument is ambiguous/);
    expect(started.output).toContain("hostup-mock --help lists the options");
    expect(started.output).not.toMatch(/\n\s+at /);
  });
});

/**
 * Headless Chromium for the HTML reference test, driven over the DevTools protocol on a pipe
 * (`--remote-debugging-pipe`: fd 3 in, fd 4 out, NUL-terminated JSON). No browser library: the few commands the
 * test needs (open a page, evaluate a script) are below. Every host name resolves to nothing, so a page that
 * would load anything from the network shows what a reader without one sees.
 */
import { spawn } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import type { Readable, Writable } from "node:stream";

/**
 * `$CHROMIUM` when set (a name on PATH or a path), else Debian's `chromium` or, as other distributions name it,
 * `chromium-browser`.
 */
export function findChromium(): string | undefined {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    for (const name of ["chromium", "chromium-browser"]) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {}
    }
  }
  return undefined;
}

export const CHROMIUM_FLAGS = [
  "--headless",
  // as root (CI here) Chromium refuses to start without it
  "--no-sandbox",
  "--disable-gpu",
  // no update checks, sync or first-run network traffic of the browser itself
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  // and nothing the page asks for can leave the machine
  "--host-resolver-rules=MAP * ~NOTFOUND",
  // Chromium runs the timers of a tab it deems in the background about once a second (the reading script polls
  // every 50 ms), which made the test wait, not work. Puppeteer passes the same three by default.
  "--disable-background-timer-throttling",
  "--disable-backgrounding-occluded-windows",
  "--disable-renderer-backgrounding",
  // Chromium preloads its address bar's drop-down (WebUI pages, chrome://omnibox-popup.top-chrome/) in a renderer
  // of their own, headless too: nothing here opens it, and it cost half a CPU-second per launch
  "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup",
];

interface Pending {
  resolve: (value: Record<string, unknown>) => void;
  reject: (error: Error) => void;
}

export interface Browser {
  /**
   * Opens `url` in the browser's tab, waits for its load event and evaluates `expression` (awaited) in it; calls
   * made side by side wait for the ones before them.
   */
  evaluate<T>(url: string, expression: string): Promise<T>;
  close(): Promise<void>;
}

export async function launchChromium(executable: string): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), "hostup-chromium-"));
  const child = spawn(
    executable,
    [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, "--remote-debugging-pipe"],
    {
      stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"],
    },
  );
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const pending = new Map<number, Pending>();
  const listeners = new Set<(message: { method?: string; sessionId?: string }) => void>();
  let nextId = 0;
  let buffered = Buffer.alloc(0);
  let exited: Error | undefined;
  fromBrowser.on("data", (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (let end = buffered.indexOf(0); end >= 0; end = buffered.indexOf(0)) {
      const message = JSON.parse(buffered.subarray(0, end).toString("utf8"));
      buffered = buffered.subarray(end + 1);
      const waiting = message.id === undefined ? undefined : pending.get(message.id);
      if (waiting) {
        pending.delete(message.id);
        if (message.error) waiting.reject(new Error(`${message.error.message} (${message.error.code})`));
        else waiting.resolve(message.result ?? {});
      } else for (const listener of listeners) listener(message);
    }
  });
  const fail = (error: Error) => {
    exited = error;
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  child.on("error", fail);
  child.on("exit", (code, signal) => {
    fail(new Error(`Chromium exited (${signal ?? code}) before answering; its last output:\n${stderr}`));
  });
  const send = (method: string, params: object = {}, sessionId?: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      if (exited) return reject(exited);
      const id = ++nextId;
      pending.set(id, { resolve, reject });
      toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });

  // One tab for every page, one page after the other: the browser's own first tab, attached once. Its renderer
  // serves every file:// page in turn (same site), where a tab per page cost a renderer per tab, and the page's
  // script (Redoc's inlined bundle, the same in every page) is compiled once per renderer.
  let tab: Promise<string> | undefined;
  const openTab = async () => {
    const { targetInfos } = (await send("Target.getTargets")) as {
      targetInfos: { targetId: string; type: string }[];
    };
    const targetId =
      targetInfos.find((target) => target.type === "page")?.targetId ??
      ((await send("Target.createTarget", { url: "about:blank" })) as { targetId: string }).targetId;
    const { sessionId } = (await send("Target.attachToTarget", { targetId, flatten: true })) as {
      sessionId: string;
    };
    await send("Page.enable", {}, sessionId);
    return sessionId;
  };
  const evaluateInTab = async <T>(url: string, expression: string): Promise<T> => {
    tab ??= openTab();
    const sessionId = await tab;
    const loaded = new Promise<void>((resolve) => {
      const listener = (message: { method?: string; sessionId?: string }) => {
        if (message.sessionId === sessionId && message.method === "Page.loadEventFired") {
          listeners.delete(listener);
          resolve();
        }
      };
      listeners.add(listener);
    });
    await send("Page.navigate", { url }, sessionId);
    await loaded;
    const result = (await send(
      "Runtime.evaluate",
      { expression, awaitPromise: true, returnByValue: true },
      sessionId,
    )) as { result: { value: T }; exceptionDetails?: { exception?: { description?: string } } };
    if (result.exceptionDetails) {
      throw new Error(`the page script failed: ${result.exceptionDetails.exception?.description}`);
    }
    return result.result.value;
  };
  // the readings queue for the tab, in the order they were asked for
  let queue: Promise<unknown> = Promise.resolve();

  return {
    evaluate<T>(url: string, expression: string): Promise<T> {
      const reading = queue.then(() => evaluateInTab<T>(url, expression));
      queue = reading.catch(() => {});
      return reading;
    },
    async close() {
      if (!exited) {
        const gone = new Promise((resolve) => child.once("exit", resolve));
        await send("Browser.close").catch(() => {});
        await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 5000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

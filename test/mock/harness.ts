// Talks to a mock on loopback and checks every answer against the bundled spec with the contract suite's
// validator in strict mode (a property the spec does not declare is drift).

import { Agent, request } from "node:http";
import type { ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { expect } from "vitest";
import { formatFindings } from "../../src/contract/findings.js";
import { type LoadedSpec, loadSpec } from "../../src/contract/spec.js";
import { strictCopy } from "../../src/contract/strict.js";
import { validateExchange } from "../../src/contract/validate.js";
import { createManualClock, type ManualClock } from "../../src/mock/clock.js";
import { type MockServer, type MockServerOptions, startMockServer } from "../../src/mock/index.js";

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export const V1_KEY = "mock-v1-key";
export const V2_TOKEN = "mock-v2-token";
export const V2_READONLY = "mock-v2-readonly";
export const V1_READONLY = "mock-v1-readonly";
export const WEB = { vmid: 10000, vpsId: "vps_01hxa3b4c5d6e7f8g9h0j1k2m3" } as const;
export const DB = { vmid: 10001, vpsId: "vps_01hxa3b4c5d6e7f8g9h0j1k2m4" } as const;
/** A Monday. */
export const START = "2026-03-02T10:00:00.000Z";

let specs: { v1: LoadedSpec; v2: LoadedSpec } | undefined;
function spec(version: "v1" | "v2"): LoadedSpec {
  specs ??= { v1: loadSpec("v1"), v2: loadSpec("v2") };
  return specs[version];
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test access to JSON answers
  body: any;
}

export interface CallOptions {
  method?: string;
  /** Credential: a v1 key for /api/vm, a v2 token for /api/v2; null sends none. */
  auth?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * The request deliberately breaks the spec (to test the server's answer): only the response is checked.
   * Default false: request and response must both conform.
   */
  offSpecRequest?: boolean;
  /** Skip the spec check (a proxy's HTML page is not the API's answer). */
  unchecked?: boolean;
  /**
   * The request matches no operation (an unknown path, a method the path does not take): the answer is checked
   * as the version's error document instead (v2 `Problem` as application/problem+json, v1 `Error`), strictly.
   */
  noOperation?: boolean;
}

export class MockHarness {
  /** Every exchange checked so far, for the count in the report. */
  checked = 0;
  constructor(
    readonly server: MockServer,
    readonly clock: ManualClock,
  ) {}

  get state() {
    return this.server.state;
  }

  async call(path: string, options: CallOptions = {}): Promise<Answer> {
    const method = options.method ?? (options.body === undefined ? "GET" : "POST");
    const v2 = path.startsWith("/api/v2");
    const headers: Record<string, string> = { accept: "application/json", ...options.headers };
    const auth = options.auth === undefined ? (v2 ? V2_TOKEN : V1_KEY) : options.auth;
    if (auth !== null) {
      if (v2) headers.authorization = `Bearer ${auth}`;
      else headers["x-api-key"] = auth;
    }
    let payload: string | undefined;
    if (options.body !== undefined) {
      payload = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
      headers["content-type"] ??= "application/json";
    }
    // `headers: { "content-type": "" }` sends the body without a Content-Type.
    if (headers["content-type"] === "") delete headers["content-type"];
    const res = await exchange(`${this.server.url}${path}`, method, headers, payload || undefined);
    const text = res.text;
    const contentType = res.headers.get("content-type")?.split(";")[0]?.trim();
    let body: unknown;
    if (text && contentType?.includes("json")) body = JSON.parse(text);
    const answer = { status: res.status, headers: res.headers, text, body };
    if (options.noOperation)
      expectErrorDocument(path.startsWith("/api/v2") ? "v2" : "v1", answer, contentType);
    else if (!options.unchecked) this.expectConform(method, path, headers, options, answer, contentType);
    return answer;
  }

  private expectConform(
    method: string,
    path: string,
    requestHeaders: Record<string, string>,
    options: CallOptions,
    answer: Answer,
    contentType: string | undefined,
  ): void {
    const responseHeaders: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      responseHeaders[name] = value;
    });
    let findings = validateExchange(spec(path.startsWith("/api/v2") ? "v2" : "v1"), {
      method,
      url: `https://cloud.hostup.se${path}`,
      status: answer.status,
      requestHeaders,
      responseHeaders,
      ...(options.body === undefined
        ? {}
        : {
            requestBody: options.body,
            requestContentType: requestHeaders["content-type"]?.split(";")[0]?.trim().toLowerCase() ?? "",
          }),
      ...(answer.text
        ? { responseBody: answer.body ?? answer.text, ...(contentType ? { contentType } : {}) }
        : {}),
    });
    if (options.offSpecRequest || options.auth === null) {
      findings = findings.filter(
        (f) =>
          !f.location.startsWith("request") &&
          !f.location.startsWith("path") &&
          !f.location.startsWith("query") &&
          f.kind !== "missing-credentials",
      );
    }
    this.checked++;
    expect(findings, formatFindings(findings, `${method} ${path} -> ${answer.status}`)).toEqual([]);
  }
}

// node:http rather than fetch: the harness makes thousands of calls, and fetch's web streams cost them about a
// CPU-second more (the same bytes on the wire: fetch's Content-Length rules, a kept-alive connection). A socket
// idle for a second is dropped (an answer that takes longer is not cut): well before the mock's own 5 s
// keep-alive timeout, so no request is written to a connection the mock is closing.
const agent = new Agent({ keepAlive: true, timeout: 1000 });

function exchange(
  url: string,
  method: string,
  headers: Record<string, string>,
  payload: string | undefined,
): Promise<{ status: number; headers: Headers; text: string }> {
  const sent = { ...headers };
  if (payload !== undefined) sent["content-length"] = String(Buffer.byteLength(payload));
  else if (method === "POST" || method === "PUT") sent["content-length"] = "0";
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: sent, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const received = new Headers();
        for (let i = 0; i < res.rawHeaders.length; i += 2)
          received.append(res.rawHeaders[i] as string, res.rawHeaders[i + 1] as string);
        resolve({
          status: res.statusCode ?? 0,
          headers: received,
          text: Buffer.concat(chunks).toString("utf8"),
        });
      });
    });
    req.on("error", reject);
    req.end(payload);
  });
}

let errorSchemas: Record<"v1" | "v2", ValidateFunction> | undefined;

/** The answer is the version's own error document: v2 `Problem` (problem+json), v1 `Error`; strict. */
function expectErrorDocument(version: "v1" | "v2", answer: Answer, contentType: string | undefined): void {
  errorSchemas ??= (() => {
    const compile = (v: "v1" | "v2", name: string) => {
      const ajv = new Ajv2020({
        strict: false,
        allErrors: true,
        discriminator: true,
        logger: false,
        // as src/contract/schema-check.ts: the meta-schema reaches no schema of the document
        validateSchema: false,
      });
      addFormats(ajv);
      const id = `https://mock-harness.invalid/${v}.json`;
      ajv.addSchema({ ...strictCopy(spec(v).doc), $id: id });
      return ajv.compile({ $ref: `${id}#/components/schemas/${name}` });
    };
    return { v1: compile("v1", "Error"), v2: compile("v2", "Problem") };
  })();
  expect(contentType).toBe(version === "v2" ? "application/problem+json" : "application/json");
  const validate = errorSchemas[version];
  expect(validate(answer.body), JSON.stringify(validate.errors)).toBe(true);
  if (version === "v2") expect(answer.body.status).toBe(answer.status);
}

/** Starts a mock on 127.0.0.1 with a manual clock at START (a Monday, 10:00 UTC). */
export async function startHarness(options: MockServerOptions = {}): Promise<MockHarness> {
  const clock = createManualClock(START);
  const server = await startMockServer({ clock, ...options });
  return new MockHarness(server, clock);
}

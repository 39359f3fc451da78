// Response bodies the benches answer with, read from the contract fixtures (test/fixtures/examples/*/recording.har),
// so that every row parses the same realistic JSON the client parses in production.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");

export interface FixtureAnswer {
  /** Path and query of the recorded request, e.g. "/api/v2/vps/vps_…/backup-schedules". */
  path: string;
  status: number;
  contentType: string;
  body: string;
  /** The recorded request body, parsed (saves only). */
  requestBody?: unknown;
}

interface HarLike {
  log: {
    entries: {
      request: { url: string; postData?: { text?: string } };
      response: { status: number; content: { text?: string; mimeType?: string } };
    }[];
  };
}

/** The first entry of one fixture scenario. */
export function fixtureAnswer(scenario: string): FixtureAnswer {
  const har = JSON.parse(
    readFileSync(join(ROOT, "test", "fixtures", "examples", scenario, "recording.har"), "utf8"),
  ) as HarLike;
  const entry = har.log.entries[0];
  if (!entry?.response.content.text) throw new Error(`bench: fixture ${scenario} has no response body`);
  const url = new URL(entry.request.url);
  return {
    path: url.pathname + url.search,
    status: entry.response.status,
    contentType: entry.response.content.mimeType ?? "application/json",
    body: entry.response.content.text,
    ...(entry.request.postData?.text ? { requestBody: JSON.parse(entry.request.postData.text) } : {}),
  };
}

/** v2 GET backup schedules (one schedule, settings, actions) and v1 GET backup schedules (weekly, history). */
export const V2_GET = "v2-get-backup-schedules-200-one-schedule";
export const V1_GET = "v1-get-backup-schedules-200-weekly";
/** v2 POST backup schedule (weekly): the request body is validated locally before it is sent. */
export const V2_SAVE = "v2-save-weekly-backup-schedule";

/** A fetch that answers from memory: a fresh Response per call (bodies are single-use). */
export function stubFetch(answer: FixtureAnswer): (request: Request) => Promise<Response> {
  const init = { status: answer.status, headers: { "content-type": answer.contentType } };
  return async () => new Response(answer.body, init);
}

// Opt-in recording of what the mock serves (`startMockServer({ record: true })` or `{ recordTo }`): every answered
// request becomes a HAR entry, in the order answered, so that a test suite run against the mock yields traffic that
// `hostup-contract check` can judge. A recording is scrubbed by default (credential headers become "REDACTED"
// placeholders, and the mock's credentials are removed wherever they occur): the sample keys are fake, but a HAR is
// the kind of file that gets attached to bug reports.
import type { IncomingMessage, OutgoingHttpHeaders } from "node:http";
import { buildEntry, buildHar, type Har, type HarEntry, type HarNameValue } from "../contract/har.js";
import { MIN_SECRET_LENGTH, scrubHar } from "../contract/scrub.js";
import { VERSION } from "../version.js";
import type { MockClock } from "./clock.js";

/** The comment on every entry the mock records: where it came from (not the live API). */
export const MOCK_RECORDING_COMMENT = "recorded from the hostup-api mock (not the live API)";

export interface MockHarOptions {
  /**
   * Remove credentials (default true): credential headers and cookies become "REDACTED" placeholders and the mock's
   * credential values are replaced wherever they occur. `false` gives the exchanges exactly as sent and answered.
   */
  scrub?: boolean;
}

/** What the server hands over when it answers: the status, the headers it wrote and the body text. */
export interface SentReply {
  status: number;
  headers: OutgoingHttpHeaders;
  payload: string | undefined;
}

function pairs(raw: string[]): HarNameValue[] {
  const out: HarNameValue[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2)
    out.push({ name: raw[i] as string, value: raw[i + 1] as string });
  return out;
}

function headerPairs(headers: OutgoingHttpHeaders): HarNameValue[] {
  return Object.entries(headers).flatMap(([name, value]) =>
    value === undefined
      ? []
      : (Array.isArray(value) ? value : [value]).map((v) => ({ name, value: String(v) })),
  );
}

export class MockRecorder {
  private readonly entries: Promise<HarEntry | undefined>[] = [];

  constructor(
    private readonly clock: MockClock,
    /** The credential values to scrub (the state's, at the time of `har()`). */
    private readonly credentials: () => Iterable<string>,
  ) {}

  /**
   * Called once per request as it is answered. `body` resolves to the request's body text (read by the server, or
   * drained for the recording), or "too-large" when it passed the server's limit.
   */
  answered(req: IncomingMessage, baseUrl: string, body: Promise<string>, reply: SentReply): void {
    const started = new Date(this.clock.now()).toISOString();
    const requestHeaders = pairs(req.rawHeaders);
    const requestType = req.headers["content-type"];
    this.entries.push(
      body.then(
        (text) =>
          buildEntry({
            method: req.method ?? "GET",
            url: `${baseUrl}${req.url ?? "/"}`,
            requestHeaders,
            ...(text ? { requestBody: text, requestMimeType: requestType ?? "" } : {}),
            status: reply.status,
            responseHeaders: headerPairs(reply.headers),
            ...(reply.payload === undefined ? {} : { responseBody: reply.payload }),
            comment: MOCK_RECORDING_COMMENT,
            startedDateTime: started,
          }),
        () => undefined,
      ),
    );
  }

  /** Every exchange answered so far, in the order answered; scrubbed unless `{ scrub: false }`. */
  async har(options: MockHarOptions = {}): Promise<Har> {
    const entries = (await Promise.all(this.entries)).filter((e): e is HarEntry => e !== undefined);
    const har = buildHar(entries, "recorded by startMockServer({ record })", {
      name: "hostup-api mock",
      version: VERSION,
    });
    if (options.scrub === false) return har;
    // shorter values are not scrubbed from text (they would rewrite unrelated text); their headers still are
    const secrets = [...new Set(this.credentials())].filter((s) => s.length >= MIN_SECRET_LENGTH);
    return scrubHar(har, { secrets });
  }
}

import type { Client } from "openapi-fetch";
import { connect } from "../connect.js";
import { HostupNetworkError } from "../errors.js";
import { accept, clientTable, type V1Methods } from "../generated/operations-v1.js";
import type { paths } from "../generated/v1.js";
import { methodsOf } from "../methods.js";
import { type ClientOptions, checkCredential, checkMs } from "../options.js";
import { redactDeep } from "../redact.js";
import { v1FieldErrors } from "../responses.js";
import { sleep } from "../retry.js";
import type { SendOptions } from "../transport.js";
import type { V1Job, V1JobProgressDetails } from "../types.js";

export interface V1ClientOptions extends ClientOptions {
  /** HostUp API key, sent as `X-API-Key`. */
  apiKey: string;
}

/** `jobs.waitFor` never polls faster than this, whatever `intervalMs` says (HostUp rate-limits per key). */
const MIN_POLL_INTERVAL_MS = 100;

export interface WaitForJobOptions {
  /** Time between polls (default 2000 ms; a finite number >= 0, and below 100 ms it polls every 100 ms). */
  intervalMs?: number;
  /**
   * Give up after this long (default 10 minutes, a positive finite number): HostupNetworkError with
   * `code: "timeout"`. Each poll, its retries and their waits end by then too.
   */
  timeoutMs?: number;
  /** Called after every poll with the job's `progressDetails` (and the whole job). */
  onProgress?: (progress: V1JobProgressDetails | null, job: V1Job) => void;
  signal?: AbortSignal;
}

/** One method per operation of the v1 spec (V1Methods, generated; results are the envelope's `data`), plus `jobs.waitFor` and `raw`. */
export interface V1Client extends V1Methods {
  jobs: V1Methods["jobs"] & {
    /** Polls `getJob` until `isCompleted` or `isFailed` (returns the job either way) or its own timeout. */
    waitFor(jobId: string, options?: WaitForJobOptions): Promise<V1Job>;
  };
  /** The underlying openapi-fetch client (auth, User-Agent and redirect refusal set), for full control. */
  raw: Client<paths>;
}

/** A client for HostUp's v1 API (`X-API-Key`, snake_case, `{success, timestamp, requestId, data}` envelope). */
export function createV1Client(options: V1ClientOptions): V1Client {
  const factory = "createV1Client";
  const apiKey = checkCredential(factory, "apiKey", options?.apiKey);
  const { raw, transport } = connect<paths>(
    factory,
    "v1",
    accept,
    options,
    apiKey,
    { "X-API-Key": apiKey },
    v1FieldErrors,
  );
  const methods = methodsOf<V1Methods>(clientTable, raw, transport, options.validateRequests !== false);

  async function waitFor(jobId: string, waitOptions: WaitForJobOptions = {}): Promise<V1Job> {
    const { onProgress, signal } = waitOptions;
    const intervalMs = Math.max(
      MIN_POLL_INTERVAL_MS,
      checkMs("jobs.waitFor", "intervalMs", waitOptions.intervalMs ?? 2000, { allowZero: true }),
    );
    // only compared with Date.now(), never handed to a timer: no upper limit
    const timeoutMs = checkMs("jobs.waitFor", "timeoutMs", waitOptions.timeoutMs ?? 600_000, {
      max: Number.POSITIVE_INFINITY,
    });
    const deadline = Date.now() + timeoutMs;
    const late = (state: string, cause?: unknown) =>
      new HostupNetworkError(
        `getJob: job ${jobId} neither completed nor failed within ${timeoutMs} ms (state: ${state})`,
        "timeout",
        "getJob",
        cause,
      );
    const poll: SendOptions<V1Job> = {
      // each poll (its attempts and retry waits) ends by waitFor's own deadline
      deadline,
      expired: (cause) => late("unknown", cause),
      // what waitFor reads must be there: a job without the two booleans would be polled for ever
      shape: (job) =>
        typeof job.isCompleted === "boolean" && typeof job.isFailed === "boolean"
          ? undefined
          : "a job without boolean `isCompleted` and `isFailed`",
    };
    if (signal) poll.signal = signal;
    for (;;) {
      const job = await methods.jobs.get(jobId, poll);
      onProgress?.(job.progressDetails, job);
      if (job.isCompleted || job.isFailed) return job;
      if (Date.now() + intervalMs > deadline) throw late(job.state);
      try {
        await sleep(intervalMs, signal);
      } catch (reason) {
        throw new HostupNetworkError(
          `getJob: waiting for job ${jobId} was aborted`,
          "aborted",
          "getJob",
          reason,
        );
      }
    }
  }

  return {
    ...methods,
    jobs: {
      ...methods.jobs,
      // errors leave without the credential (the caller's abort reason, a poll's failure as cause)
      waitFor: (jobId, waitOptions) =>
        waitFor(jobId, waitOptions).catch((error: unknown) => {
          throw redactDeep(error, apiKey);
        }),
    },
    raw,
  };
}

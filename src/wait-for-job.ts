// The one poller behind `v1.jobs.waitFor` and `v2.operations.waitFor`: polls `GET /api/jobs/{jobId}` until the job
// completes or fails, with progress, its own deadline and the caller's signal. Each client passes its `jobs.get`.
import { HostupNetworkError } from "./errors.js";
import { checkMs, checkOptionsObject, checkType } from "./options.js";
import { printable } from "./printable.js";
import { sleep } from "./retry.js";
import { type SendOptions, sendOptions } from "./transport.js";
import type { V1Job, V1JobProgressDetails } from "./types.js";

/** A poll never runs faster than this, whatever `intervalMs` says (HostUp rate-limits per key). */
const MIN_POLL_INTERVAL_MS = 100;

export interface WaitForJobOptions {
  /** Time between polls (default 2000 ms; a finite number >= 0, and below 100 ms it polls every 100 ms). */
  intervalMs?: number | undefined;
  /**
   * Give up after this long (default 10 minutes, a positive finite number): HostupNetworkError with
   * `code: "timeout"`. Each poll, its retries and their waits end by then too.
   */
  timeoutMs?: number | undefined;
  /**
   * Called after every poll with the job's `progressDetails` as the spec describes it (a member whose value breaks
   * it is left out, and anything but an object is null) and the whole job, as the server sent it. A promise it
   * returns is awaited before the next poll; its rejection, like a throw, rejects the wait.
   */
  onProgress?: ((progress: V1JobProgressDetails | null, job: V1Job) => unknown) | undefined;
  /** Stops the wait (and the poll under way): HostupNetworkError with `code: "aborted"`. */
  signal?: AbortSignal | undefined;
}

/**
 * `progressDetails` as the spec describes it, whatever the server sent: null unless an object, and without any of
 * `percentage` (0..100), `current`, `total` (finite, >= 0) and `message` (a string or null) whose value breaks it.
 */
function progressOf(details: unknown): V1JobProgressDetails | null {
  if (typeof details !== "object" || !details || Array.isArray(details)) return null;
  const out: Record<string, unknown> = { ...details };
  for (const [key, max] of [["percentage", 100], ["current"], ["total"]] as const) {
    const value = out[key] as number;
    // Number.isFinite: not a string, NaN or 1e999
    if (!(Number.isFinite(value) && value >= 0 && value <= (max ?? value))) delete out[key];
  }
  if (out.message !== null && typeof out.message !== "string") delete out.message;
  return out;
}

/** `jobs.get` of a client: one poll, with the deadline, signal and shape check of SendOptions. */
export type GetJob = (jobId: string, options: SendOptions<V1Job>) => Promise<V1Job>;

/** Polls `getJob` until `isCompleted` or `isFailed` (returns the job either way) or the deadline; `where` names the caller in errors. */
export async function waitForJob(
  where: string,
  getJob: GetJob,
  jobId: string,
  waitOptions?: WaitForJobOptions,
): Promise<V1Job> {
  const options =
    checkOptionsObject<WaitForJobOptions>(where, waitOptions, "intervalMs timeoutMs onProgress signal") ?? {};
  const { onProgress, signal } = options;
  checkType(where, "onProgress", onProgress, "function");
  const intervalMs = Math.max(
    MIN_POLL_INTERVAL_MS,
    checkMs(where, "intervalMs", options.intervalMs ?? 2000, { allowZero: true }),
  );
  // only compared with Date.now(), never handed to a timer: no upper limit
  const timeoutMs = checkMs(where, "timeoutMs", options.timeoutMs ?? 600_000, {
    max: Number.POSITIVE_INFINITY,
  });
  const deadline = Date.now() + timeoutMs;
  // the server's `state` is shown when it is a word or two, not repeated when it is a hostile server's megabyte
  const late = (state: unknown, cause?: unknown, text = String(state)) =>
    new HostupNetworkError(
      `getJob: job ${jobId} neither completed nor failed within ${timeoutMs} ms (state: ${text.length > 60 ? `${text.length} characters, not shown` : printable(text)})`,
      "timeout",
      "getJob",
      cause,
    );
  const poll = sendOptions<V1Job>({
    // each poll (its attempts and retry waits) ends by the deadline
    deadline,
    expired: (cause) => late("unknown", cause),
    // what the loop reads must be there: a job without the two booleans would be polled for ever
    shape: (job) =>
      typeof job.isCompleted !== "boolean" || typeof job.isFailed !== "boolean"
        ? "a job without boolean `isCompleted` and `isFailed`"
        : // another job's end must not pass for this one's (a job that names none is taken at its word)
          job.jobId !== undefined && String(job.jobId) !== jobId
          ? "a job whose `jobId` is not the one polled"
          : undefined,
  });
  if (signal) poll.signal = signal;
  for (;;) {
    const job = await getJob(jobId, poll);
    await onProgress?.(progressOf(job.progressDetails), job);
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

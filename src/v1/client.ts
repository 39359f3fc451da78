import type { Client } from "openapi-fetch";
import { connect } from "../connect.js";
import { HostupError } from "../errors.js";
import type { paths } from "../generated/v1.js";
import {
  validateParamJobId,
  validateParamVmid,
  validateSaveBackupScheduleBody,
  validateSaveSnapshotScheduleBody,
} from "../generated/validators-v1.js";
import { type CallOptions, type ClientOptions, checkCredential, checkMs } from "../options.js";
import { redactDeep } from "../redact.js";
import { unwrapEnvelope, wrongShape } from "../responses.js";
import { sleep } from "../retry.js";
import { type Expect, type SendOptions, send } from "../transport.js";
import type {
  V1BackupSchedulesData,
  V1Job,
  V1JobProgressDetails,
  V1SaveBackupScheduleData,
  V1SaveBackupScheduleRequest,
  V1SaveSnapshotScheduleData,
  V1SaveSnapshotScheduleRequest,
  V1SnapshotScheduleData,
} from "../types.js";
import { checkParam, serialiseBody } from "../validation.js";

export interface V1ClientOptions extends ClientOptions {
  /** HostUp API key, sent as `X-API-Key`. */
  apiKey: string;
}

/** `jobs.waitFor` never polls faster than this, whatever `intervalMs` says (HostUp rate-limits per key). */
const MIN_POLL_INTERVAL_MS = 100;

export interface WaitForJobOptions {
  /** Time between polls (default 2000 ms; a finite number >= 0, and below 100 ms it polls every 100 ms). */
  intervalMs?: number;
  /** Give up after this long (default 10 minutes, a positive finite number); throws HostupError with `code: "timeout"`. */
  timeoutMs?: number;
  /** Called after every poll with the job's `progressDetails` (and the whole job). */
  onProgress?: (progress: V1JobProgressDetails | null, job: V1Job) => void;
  signal?: AbortSignal;
}

export interface V1Client {
  backupSchedules: {
    /** `getBackupSchedules`: schedules, settings, history and limits (the envelope's `data`). */
    get(vmid: number, options?: CallOptions): Promise<V1BackupSchedulesData>;
    /** `saveBackupSchedule`: create or update the schedule. */
    save(
      vmid: number,
      body: V1SaveBackupScheduleRequest,
      options?: CallOptions,
    ): Promise<V1SaveBackupScheduleData>;
  };
  snapshotSchedule: {
    /** `getSnapshotSchedule` */
    get(vmid: number, options?: CallOptions): Promise<V1SnapshotScheduleData>;
    /** `saveSnapshotSchedule` */
    save(
      vmid: number,
      body: V1SaveSnapshotScheduleRequest,
      options?: CallOptions,
    ): Promise<V1SaveSnapshotScheduleData>;
  };
  jobs: {
    /** `getJob` */
    get(jobId: string, options?: CallOptions): Promise<V1Job>;
    /** Polls `getJob` until `isCompleted` or `isFailed` (returns the job either way) or its own timeout. */
    waitFor(jobId: string, options?: WaitForJobOptions): Promise<V1Job>;
  };
  /** The underlying openapi-fetch client (auth, User-Agent and redirect refusal set), for full control. */
  raw: Client<paths>;
}

/** getJob's `data`, checked where waitFor reads it: `isCompleted` and `isFailed` are booleans. */
const job: Expect = (ctx, response, body) => {
  const data = unwrapEnvelope(ctx, response, body) as Partial<V1Job>;
  if (typeof data.isCompleted !== "boolean" || typeof data.isFailed !== "boolean") {
    throw wrongShape(ctx, response, "a job without boolean `isCompleted` and `isFailed`", body);
  }
  return data;
};

const BACKUP = "/api/vm/{vmid}/backup-schedules";
const SNAPSHOT = "/api/vm/{vmid}/snapshot-schedules";

/** A client for HostUp's v1 API (`X-API-Key`, snake_case, `{success, timestamp, requestId, data}` envelope). */
export function createV1Client(options: V1ClientOptions): V1Client {
  const factory = "createV1Client";
  const apiKey = checkCredential(factory, "apiKey", options?.apiKey);
  const { raw, transport: t } = connect<paths>(
    factory,
    "v1",
    options,
    apiKey,
    { "X-API-Key": apiKey },
    "application/json",
  );
  const validating = options.validateRequests !== false;
  const vmidPath = (operation: string, vmid: number) => {
    checkParam(operation, validateParamVmid, "vmid", vmid);
    return { vmid };
  };

  async function getJob(jobId: string, callOptions?: SendOptions): Promise<V1Job> {
    checkParam("getJob", validateParamJobId, "jobId", jobId);
    return (await send(
      t,
      "getJob",
      job,
      (signal) => raw.GET("/api/jobs/{jobId}", { params: { path: { jobId } }, ...t.io, signal }),
      callOptions,
    )) as V1Job;
  }

  async function waitForJob(jobId: string, waitOptions: WaitForJobOptions): Promise<V1Job> {
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
      new HostupError(
        `getJob: job ${jobId} neither completed nor failed within ${timeoutMs} ms (state: ${state})`,
        "timeout",
        { cause },
      );
    // each poll (its attempts and retry waits) ends by waitFor's own deadline
    const poll: SendOptions = { deadline, expired: (cause) => late("unknown", cause) };
    if (signal) poll.signal = signal;
    for (;;) {
      const job = await getJob(jobId, poll);
      onProgress?.(job.progressDetails, job);
      if (job.isCompleted || job.isFailed) return job;
      if (Date.now() + intervalMs > deadline) throw late(job.state);
      try {
        await sleep(intervalMs, signal);
      } catch (reason) {
        throw new HostupError(`getJob: waiting for job ${jobId} was aborted`, "aborted", {
          cause: reason,
        });
      }
    }
  }

  return {
    backupSchedules: {
      async get(vmid, callOptions) {
        const path = vmidPath("getBackupSchedules", vmid);
        return (await send(
          t,
          "getBackupSchedules",
          unwrapEnvelope,
          (signal) => raw.GET(BACKUP, { params: { path }, ...t.io, signal }),
          callOptions,
        )) as V1BackupSchedulesData;
      },
      async save(vmid, body, callOptions) {
        const path = vmidPath("saveBackupSchedule", vmid);
        const json = serialiseBody(
          "saveBackupSchedule",
          validating ? validateSaveBackupScheduleBody : undefined,
          body,
        );
        return (await send(
          t,
          "saveBackupSchedule",
          unwrapEnvelope,
          (signal) =>
            raw.POST(BACKUP, { params: { path }, body, bodySerializer: () => json, ...t.io, signal }),
          callOptions,
        )) as V1SaveBackupScheduleData;
      },
    },
    snapshotSchedule: {
      async get(vmid, callOptions) {
        const path = vmidPath("getSnapshotSchedule", vmid);
        return (await send(
          t,
          "getSnapshotSchedule",
          unwrapEnvelope,
          (signal) => raw.GET(SNAPSHOT, { params: { path }, ...t.io, signal }),
          callOptions,
        )) as V1SnapshotScheduleData;
      },
      async save(vmid, body, callOptions) {
        const path = vmidPath("saveSnapshotSchedule", vmid);
        const json = serialiseBody(
          "saveSnapshotSchedule",
          validating ? validateSaveSnapshotScheduleBody : undefined,
          body,
        );
        return (await send(
          t,
          "saveSnapshotSchedule",
          unwrapEnvelope,
          (signal) =>
            raw.POST(SNAPSHOT, {
              params: { path },
              body,
              bodySerializer: () => json,
              ...t.io,
              signal,
            }),
          callOptions,
        )) as V1SaveSnapshotScheduleData;
      },
    },
    jobs: {
      get: getJob,
      waitFor(jobId, waitOptions = {}) {
        // errors leave without the credential (the caller's abort reason, a poll's failure as cause)
        return waitForJob(jobId, waitOptions).catch((error: unknown) => {
          throw redactDeep(error, apiKey);
        });
      },
    },
    raw,
  };
}

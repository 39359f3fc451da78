import type { Client } from "openapi-fetch";
import { connect } from "../connect.js";
import { accept, clientTable, type V1Methods } from "../generated/operations-v1.js";
import type { paths } from "../generated/v1.js";
import { methodsOf } from "../methods.js";
import { CLIENT_OPTIONS, type ClientOptions, checkCredential, checkKnown } from "../options.js";
import { redactDeep } from "../redact.js";
import { v1FieldErrors } from "../responses.js";
import type { V1Job } from "../types.js";
import { type WaitForJobOptions, waitForJob } from "../wait-for-job.js";

export type { WaitForJobOptions };

export interface V1ClientOptions extends ClientOptions {
  /** HostUp API key, sent as `X-API-Key`. */
  apiKey: string;
}

/** One method per operation of the v1 spec (results are the envelope's `data`), plus `jobs.waitFor` and `raw`. */
export interface V1Client extends V1Methods {
  jobs: V1Methods["jobs"] & {
    /** Polls `getJob` until `isCompleted` or `isFailed` (returns the job either way) or its own timeout. */
    waitFor(jobId: string, options?: WaitForJobOptions): Promise<V1Job>;
  };
  /**
   * The underlying openapi-fetch client, for full control: the credential, `Accept`, `User-Agent`, the refusal of
   * redirects and the `maxResponseBytes` cap are set; no validation, retries or timeouts (those are the methods').
   */
  raw: Client<paths>;
}

/** A client for HostUp's v1 API (`X-API-Key`, snake_case, `{success, timestamp, requestId, data}` envelope). */
export function createV1Client(options: V1ClientOptions): V1Client {
  const factory = "createV1Client";
  const apiKey = checkCredential(factory, "apiKey", options?.apiKey);
  // `token` passes: one options object may serve both clients
  checkKnown(factory, options, `apiKey ${CLIENT_OPTIONS}`, "token");
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

  return {
    ...methods,
    jobs: {
      ...methods.jobs,
      // errors leave without the credential (the caller's abort reason, a poll's failure as cause)
      waitFor: (jobId, waitOptions) =>
        waitForJob("jobs.waitFor", methods.jobs.get, jobId, waitOptions).catch((error: unknown) => {
          throw redactDeep(error, apiKey);
        }),
    },
    raw,
  };
}

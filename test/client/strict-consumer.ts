/**
 * A consumer's code that must compile in the strictest project a user may have: `exactOptionalPropertyTypes` and
 * `noUncheckedIndexedAccess` on, `skipLibCheck` off (the package's own declarations are checked too, by TypeScript 7). test/docs/examples.test.ts compiles it against the built package, its imports
 * rewritten to `hostup-api` and `hostup-api/mock`. The project's own type check compiles it against src/ as well.
 *
 * Under `exactOptionalPropertyTypes` an optional member that is set to `undefined` is an error unless its type says
 * `| undefined`: every option the runtime reads as "left out" when it is `undefined` has to say so, or code that
 * passes its own optional settings through (`timeoutMs: options.timeoutMs`) does not compile.
 */
import {
  type CallOptions,
  type ClientOptions,
  createV1Client,
  createV2Client,
  HostupApiError,
  type RetryOptions,
  type V1ClientOptions,
  type WaitForJobOptions,
} from "../../src/index.js";
import { startMockServer } from "../../src/mock/index.js";

/** What an app's own settings look like: each one may be missing. */
interface AppSettings {
  baseUrl?: string | undefined;
  timeoutMs?: number | undefined;
  retries?: number | undefined;
  userAgent?: string | undefined;
  signal?: AbortSignal | undefined;
  fetch?: ((request: Request) => Promise<Response>) | undefined;
  validate?: boolean | undefined;
  maxBytes?: number | undefined;
  port?: number | undefined;
  autoDeleteOldest?: boolean | undefined;
}

export async function strictConsumer(settings: AppSettings): Promise<void> {
  const retry: RetryOptions = { retries: settings.retries, minDelayMs: undefined, maxDelayMs: undefined };
  const shared: ClientOptions = {
    baseUrl: settings.baseUrl,
    fetch: settings.fetch,
    timeoutMs: settings.timeoutMs,
    retry,
    maxResponseBytes: settings.maxBytes,
    userAgent: settings.userAgent,
    validateRequests: settings.validate,
  };
  const v1Options: V1ClientOptions = { ...shared, apiKey: "sample-key" };
  const v1 = createV1Client(v1Options);
  const v2 = createV2Client({ token: "sample-token", baseUrl: settings.baseUrl, retry: undefined });

  const call: CallOptions = { signal: settings.signal, timeoutMs: settings.timeoutMs };
  const page = await v2.vps.list({ limit: 10 }, call);
  const first = page.data[0];
  if (first) await v2.backupSchedules.get(first.id, { signal: settings.signal });
  for await (const vps of v2.vps.listAll(undefined, { timeoutMs: settings.timeoutMs })) console.log(vps.name);

  // a body that must not be empty (minProperties: 1): an optional member passed on only when it is set
  await v2.backupSchedules.updateSettings(first?.id ?? "vps_1", {
    maxTotalBackups: 5,
    ...(settings.autoDeleteOldest !== undefined && { autoDeleteOldest: settings.autoDeleteOldest }),
  });

  const wait: WaitForJobOptions = {
    intervalMs: undefined,
    timeoutMs: settings.timeoutMs,
    signal: settings.signal,
    onProgress: undefined,
  };
  const accepted = await v2.backups.create(first?.id ?? "vps_1", { note: "before upgrade" });
  await v2.operations.waitFor(accepted, wait);
  const job = await v1.jobs.waitFor(accepted.operation.jobId, { signal: settings.signal });
  console.log(job.progressDetails?.percentage);

  try {
    await v2.backupSchedules.delete("vps_1", "bks_1");
  } catch (error) {
    if (error instanceof HostupApiError)
      console.log(error.headers["retry-after"], error.fieldErrors[0]?.pointer);
  }

  const mock = await startMockServer({ port: settings.port, host: undefined, recordTo: undefined });
  await mock.close();
}

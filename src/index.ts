export {
  HostupApiError,
  type HostupApiErrorInit,
  type HostupApiVersion,
  HostupError,
  type HostupFieldError,
  HostupNetworkError,
  HostupValidationError,
} from "./errors.js";
export type { CallOptions, ClientOptions } from "./options.js";
export type { RetryOptions } from "./retry.js";
export * from "./sync/index.js";
export type * from "./types.js";
export { createV1Client, type V1Client, type V1ClientOptions, type WaitForJobOptions } from "./v1/client.js";
export { createV2Client, type V2Client, type V2ClientOptions } from "./v2/client.js";
export { VERSION } from "./version.js";

export {
  HostupApiError,
  type HostupApiErrorInit,
  type HostupApiVersion,
  type HostupClientErrorCode,
  HostupError,
  type HostupErrorCode,
  type HostupFieldError,
  HostupNetworkError,
  type HostupServerErrorCode,
  HostupValidationError,
  type V1ErrorCode,
  type V2ErrorCode,
} from "./errors.js";
export type { CallOptions, ClientOptions, RetryOptions } from "./options.js";
export * from "./sync/index.js";
export type * from "./types.js";
export { createV1Client, type V1Client, type V1ClientOptions, type WaitForJobOptions } from "./v1/client.js";
export { createV2Client, type V2Client, type V2ClientOptions } from "./v2/client.js";
export { VERSION } from "./version.js";

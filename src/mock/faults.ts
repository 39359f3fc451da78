// Resilience knobs: rate limiting, latency, a share of 500s, the proxy's HTML 502, a reset connection.
// All off by default; set per server (`faults` option) or per request (`x-mock-fault` header).

export interface MockFaults {
  /** Milliseconds added before every answer. */
  latencyMs?: number;
  /** Share of requests (0..1) answered 500 `internal_error` / `INTERNAL_ERROR`. */
  errorRate?: number;
  /** Share of requests (0..1) answered with a proxy's HTML 502 page. */
  html502Rate?: number;
  /** At most `limit` requests per credential per `windowMs` (default 60 s); then 429 with the documented headers. */
  rateLimit?: { limit: number; windowMs?: number };
  /** Honour the `x-mock-fault` request header (default true). */
  allowFaultHeader?: boolean;
  /** Random source for the rates, injectable for deterministic tests. Default Math.random. */
  random?: () => number;
}

/** What one request should suffer, from the server's knobs and its `x-mock-fault` header. */
export interface RequestFault {
  latencyMs: number;
  kind: "none" | "rate-limit" | "html-502" | "500" | "reset";
  /** Seconds for Retry-After on a forced 429. */
  retryAfterSeconds: number;
}

export const FAULT_HEADER = "x-mock-fault";

/**
 * Parses `x-mock-fault`: a comma-separated list of `rate-limit[=seconds]`, `html-502`, `500`, `reset`,
 * `latency=<ms>`. Unknown items are ignored.
 */
export function parseFaultHeader(value: string | undefined): RequestFault | undefined {
  if (!value) return undefined;
  const fault: RequestFault = { latencyMs: 0, kind: "none", retryAfterSeconds: 1 };
  for (const raw of value.split(",")) {
    const [name = "", arg] = raw.trim().toLowerCase().split("=");
    const n = arg === undefined ? Number.NaN : Number(arg);
    if (name === "latency" && Number.isFinite(n)) fault.latencyMs = Math.min(Math.max(0, n), 60_000);
    else if (name === "rate-limit") {
      fault.kind = "rate-limit";
      if (Number.isFinite(n)) fault.retryAfterSeconds = Math.min(Math.max(0, Math.floor(n)), 86_400);
    } else if (name === "html-502" || name === "502") fault.kind = "html-502";
    else if (name === "500") fault.kind = "500";
    else if (name === "reset") fault.kind = "reset";
  }
  return fault;
}

interface Window {
  start: number;
  count: number;
}

/** Fixed-window counters per credential. One entry per distinct credential seen, so memory stays bounded. */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();
  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Counts a request; answers the wait in ms when it is over the limit, else undefined. */
  hit(key: string, now: number): { resetAt: number } | undefined {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      if (this.windows.size > 10_000) this.windows.clear();
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    return w.count > this.limit ? { resetAt: w.start + this.windowMs } : undefined;
  }

  reset(): void {
    this.windows.clear();
  }
}

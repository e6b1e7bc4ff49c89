/**
 * When and how long to wait before retrying a Kibana call. Only idempotent calls are retried (GET, PUT,
 * DELETE, and POSTs that carry a deterministic id so a repeat cannot create a second object).
 */

export interface RetryPolicy {
  /** Total attempts, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the call fails instead. */
  maxRetryAfterMs: number;
  /**
   * Attempts of a GET whose answer did not come within the timeout (the first included). A stall is often a
   * single slow node or a dropped connection behind a proxy; each attempt can take the whole timeout, so keep
   * this small.
   */
  maxTimeoutAttempts: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  maxTimeoutAttempts: 2,
};

/**
 * Statuses worth another try of an idempotent call. 500 is included: Kibana answers 500 to transient failures of
 * its own backends (an Elasticsearch shard moving, a saved-objects conflict retried inside), and repeating a GET,
 * PUT, DELETE or an id-carrying POST cannot create a second object (every fault must converge).
 */
export const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
/** Connection resets: the request may not have reached Kibana, or its answer was lost. */
export const RETRYABLE_NETWORK = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED_RESET", "UND_ERR_SOCKET"]);

/** axios reports its own timeout as ECONNABORTED ("timeout of N ms exceeded"), or ETIMEDOUT with clarifyTimeoutError. */
export function isTimeout(err: { code?: string; message?: string }): boolean {
  return err.code === "ECONNABORTED" || err.code === "ETIMEDOUT" || /timeout/i.test(err.message ?? "");
}

export { parseRetryAfter } from "../lib/retry-after.js";

/** Exponential backoff with "equal jitter": half fixed, half random, so retries spread out but always wait. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exp / 2 + (random() * exp) / 2);
}

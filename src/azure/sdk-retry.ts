/**
 * The retry policy of the ARM SDK client (deployments), with the caller's sleep instead of the SDK's timers.
 * What is retried is what @azure/core-rest-pipeline 1.24's default retry policy retries
 * (@typespec/ts-http-runtime retryStrategies): 429 and 503 after their Retry-After; 408 and 5xx other than 501/505
 * with exponential backoff; and a request that failed on the socket (reset, refused, timed out, unknown host).
 * Only the wait differs: on the run's clock, so a demo or a test does not sit out Azure's real seconds, and a
 * Ctrl-C stops it.
 */
import type { PipelinePolicy, PipelineResponse } from "@azure/core-rest-pipeline";
import { parseRetryAfter } from "../lib/retry-after.js";

export interface SdkRetryOptions {
  maxRetries: number;
  sleep: (ms: number) => Promise<void>;
}

export const SDK_RETRY_POLICY = "sentinel-elastic-retry";

const SOCKET_ERRORS = new Set([
  "ETIMEDOUT",
  "ESOCKETTIMEDOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOENT",
  "ENOTFOUND",
  "REQUEST_SEND_ERROR",
]);
/** The SDK's exponential strategy: 1 s doubling, at most 64 s. */
const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 64_000;

export function sdkRetryPolicy(o: SdkRetryOptions): PipelinePolicy {
  return {
    name: SDK_RETRY_POLICY,
    async sendRequest(request, next) {
      for (let attempt = 0; ; attempt++) {
        let response: PipelineResponse;
        try {
          response = await next(request);
        } catch (e) {
          const code = (e as { code?: string }).code;
          if (attempt >= o.maxRetries || !code || !SOCKET_ERRORS.has(code)) throw e;
          await o.sleep(backoff(attempt));
          continue;
        }
        const wait = retryWait(response, attempt);
        if (wait === undefined || attempt >= o.maxRetries) return response;
        await o.sleep(wait);
      }
    },
  };
}

/** How long to wait before asking again, or undefined when this response is final. */
export function retryWait(response: PipelineResponse, attempt: number): number | undefined {
  const { status } = response;
  if (status === 429 || status === 503) {
    const after = retryAfterMs(response);
    if (after !== undefined) return Math.min(after, MAX_DELAY_MS);
  }
  if (status === 408 || (status >= 500 && status !== 501 && status !== 505)) return backoff(attempt);
  return undefined;
}

function backoff(attempt: number): number {
  return Math.min(BASE_DELAY_MS * 2 ** attempt, MAX_DELAY_MS);
}

/** retry-after-ms / x-ms-retry-after-ms (milliseconds), then Retry-After (seconds or an HTTP date). */
function retryAfterMs(response: PipelineResponse): number | undefined {
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const value = response.headers.get(name);
    const ms = Number(value);
    if (value && Number.isFinite(ms) && ms >= 0) return ms;
  }
  return parseRetryAfter(response.headers.get("retry-after"), Date.now());
}

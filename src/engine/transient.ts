/**
 * Transient remote failures: a 429, a 5xx or a dropped connection says nothing about the object being checked,
 * only that the remote did not answer this time. The clients retry them first (with backoff and Retry-After);
 * what still reaches the engine is retried once more before it is reported, and then reported as "could not
 * check", never as a broken object.
 */
import { RemoteError } from "../errors.js";

/** Codes our clients give to network-level failures (resets, timeouts, refused connections) and overload. */
const TRANSIENT_CODE = /_(UNREACHABLE|TIMEOUT|CONNECTION_RESET|NETWORK|THROTTLED|SERVER_ERROR)$/;

export function isTransientRemoteError(e: unknown): e is RemoteError {
  if (!(e instanceof RemoteError)) return false;
  if (e.status !== undefined && (e.status === 429 || e.status >= 500)) return true;
  return TRANSIENT_CODE.test(e.code);
}

/** The wait before the engine's one retry of a check that failed on a transient error. */
export const CHECK_RETRY_DELAY_MS = 2_000;

/**
 * Run `fn`; when it fails on a transient remote error, wait (bounded, interruptible through ctx.sleep) and
 * run it once more. Safe only for reads: the engine uses it for the configuration checks.
 */
export async function retryOnceIfTransient<T>(
  fn: () => Promise<T>,
  ctx: { sleep(ms: number): Promise<void>; signal: AbortSignal },
): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (!isTransientRemoteError(error) || ctx.signal.aborted) throw error;
    await ctx.sleep(CHECK_RETRY_DELAY_MS);
    if (ctx.signal.aborted) throw error;
    return fn();
  }
}

/**
 * Waiting for evidence: poll at once, then with a short backoff (tight at first, so that `verify` stops within
 * a few hundred ms of the evidence appearing — bench/verify measures the overshoot), never past the deadline.
 */
import { AbortedError } from "../errors.js";
import type { IoHost } from "../io/io-host.js";
import { formatDuration, startWait, type WaitHandle, type WaitSpec } from "../io/wait-progress.js";

export interface WaitClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  signal: AbortSignal;
  /** Where a wait shows itself (src/io/wait-progress.ts); none: waits are silent (unit tests of the paths). */
  io?: Pick<IoHost, "progress"> & { readonly live?: boolean };
  /** What sets the deadline, for the wait line: "--timeout 15 min". */
  bound?: string;
}

export interface WaitOptions {
  /** Absolute time (clock.now()) after which we give up. */
  deadline: number;
  /** First pause between polls (default 100 ms). */
  minMs?: number;
  /** Longest pause between polls (default 1 s). */
  maxMs?: number;
  factor?: number;
  /** What the wait is for, shown once the first look comes back empty (the bound is the deadline, --timeout). */
  show?: Omit<WaitSpec, "deadline" | "boundMs">;
}

export type WaitResult<T> = { ok: true; value: T; polls: number } | { ok: false; polls: number; last?: unknown };

/**
 * Call `probe` until it returns something other than undefined, or the deadline passes.
 * An error thrown by the probe ends the wait at once (a 403 does not become right by waiting), unless
 * `retryable(error)` says it may pass (a role assignment still propagating).
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  clock: WaitClock,
  options: WaitOptions,
  retryable: (error: unknown) => boolean = () => false,
): Promise<WaitResult<T>> {
  let pause = options.minMs ?? 100;
  const max = options.maxMs ?? 1000;
  const factor = options.factor ?? 1.5;
  let polls = 0;
  let last: unknown;
  let shown: WaitHandle | undefined;
  const started = clock.now();
  const took = () => formatDuration(clock.now() - started);
  try {
    for (;;) {
      polls++;
      try {
        const value = await probe();
        if (value !== undefined) {
          // The hop's own line follows and says how long it took.
          shown?.dismiss();
          return { ok: true, value, polls };
        }
      } catch (error) {
        if (!retryable(error)) throw error;
        last = error;
      }
      // Ctrl-C is not a timeout: say "interrupted" (exit 130), never "not there before the timeout" (exit 6).
      if (clock.signal.aborted) throw new AbortedError("Interrupted while waiting for evidence.");
      const left = options.deadline - clock.now();
      if (left <= 0) {
        shown?.dismiss();
        return { ok: false, polls, last };
      }
      if (options.show && clock.io) {
        shown ??= startWait(
          { io: clock.io, now: () => clock.now() },
          {
            boundBy: clock.bound,
            ...options.show,
            deadline: options.deadline,
          },
        );
        shown.tick();
      }
      await clock.sleep(Math.min(pause, left));
      pause = Math.min(max, pause * factor);
    }
  } finally {
    shown?.stop(`${options.show?.what}: stopped after ${took()}`);
  }
}

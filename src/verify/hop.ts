/**
 * One hop of a path: a check with a status, evidence (ids and links, never secrets), how long it took, and on
 * failure the likely cause and what to do about it.
 */
import type { Check } from "../engine/types.js";
import { redact } from "../redact.js";

/** Thrown inside a hop to fail it with a cause and a remedy. */
export class HopFailure extends Error {
  constructor(
    message: string,
    readonly remedy?: string,
    readonly evidence?: string,
  ) {
    super(message);
  }
}

export interface HopRunner {
  readonly checks: Check[];
  /** Run one hop; returns its evidence value, or undefined when it failed or was skipped. */
  hop<T>(
    id: string,
    title: string,
    fn: () => Promise<{ evidence: string; value: T }>,
    options?: { always?: boolean },
  ): Promise<T | undefined>;
  skip(id: string, title: string, why: string): void;
  /** True once any hop failed: later hops of the same path are skipped (they cannot pass). */
  readonly failed: boolean;
}

export function createHopRunner(now: () => number, onCheck?: (check: Check) => void): HopRunner {
  const checks: Check[] = [];
  let failed = false;
  const record = (check: Check) => {
    checks.push(check);
    onCheck?.(check);
  };
  return {
    checks,
    get failed() {
      return failed;
    },
    async hop(id, title, fn, options) {
      if (failed && !options?.always) {
        record({ id, title, status: "skip", evidence: "an earlier hop of this path failed" });
        return undefined;
      }
      const started = now();
      try {
        const { evidence, value } = await fn();
        record({ id, title, status: "pass", evidence: redact(evidence), durationMs: now() - started });
        return value;
      } catch (error) {
        failed = true;
        const e = error as Error & { suggestion?: string };
        const isHop = error instanceof HopFailure;
        record({
          id,
          title,
          status: "fail",
          durationMs: now() - started,
          evidence: isHop && error.evidence ? redact(error.evidence) : undefined,
          cause: redact(e.message ?? String(error)),
          remedy: redact(isHop ? (error.remedy ?? "") : (e.suggestion ?? "")) || undefined,
        });
        return undefined;
      }
    },
    skip(id, title, why) {
      record({ id, title, status: "skip", evidence: why });
    },
  };
}

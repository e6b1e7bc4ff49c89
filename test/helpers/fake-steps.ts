/**
 * Fake steps for engine tests: each records plan/apply/verify events in a shared log; the changes and checks are
 * whatever the test gives. No timers: concurrency is shown by ordering, not by timing.
 */
import type { Change, Check, Step, StepContext, Target } from "../../src/engine/types.js";

export interface FakeStepOptions {
  id: string;
  target?: Target;
  after?: string[];
  enabled?: boolean;
  changes?: Omit<Change, "step" | "target">[];
  checks?: Check[];
  log: string[];
  /** Runs inside apply, after "apply-start" is logged. */
  onApply?: (ctx: StepContext) => Promise<void> | void;
  onPlan?: (ctx: StepContext) => Promise<void> | void;
  /** No verify method at all. */
  noVerify?: boolean;
}

export function fakeStep(o: FakeStepOptions): Step {
  const target = o.target ?? "kibana";
  const step: Step = {
    id: o.id,
    title: `fake ${o.id}`,
    target,
    after: o.after,
    enabled: () => o.enabled ?? true,
    async plan(ctx) {
      o.log.push(`plan-start ${o.id}`);
      await o.onPlan?.(ctx);
      o.log.push(`plan-end ${o.id}`);
      return (o.changes ?? []).map((c) => ({ ...c, step: o.id, target }));
    },
    async apply(ctx, changes) {
      o.log.push(`apply-start ${o.id} ${changes.map((c) => c.name).join(",")}`);
      await o.onApply?.(ctx);
      o.log.push(`apply-end ${o.id}`);
    },
  };
  if (!o.noVerify) {
    step.verify = async () => {
      o.log.push(`verify ${o.id}`);
      return o.checks ?? [{ id: `${o.id}.ok`, title: `${o.id} is in place`, status: "pass", evidence: `id ${o.id}` }];
    };
  }
  return step;
}

/** Let other microtasks and I/O callbacks run, without any timer. */
export async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * The setup engine: plan every enabled step → print one plan table (Azure and Kibana together) → confirm →
 * apply in dependency order → verify. `dryRun` stops after the plan. Steps with no `after` path between them
 * plan and apply concurrently. On Ctrl-C (the context's signal) no new step starts; the run reports what was
 * done and what was not, and throws AbortedError (exit 130).
 */
import { AbortedError, SentinelElasticError, VerificationError } from "../errors.js";
import { formatChecks, formatPlan, hasChanges } from "../io/format.js";
import { type GraphResult, runGraph } from "./graph.js";
import { type ResourceRecord, type RunReport, toPlanEntries } from "./report.js";
import type { Change, Check, Step, StepContext } from "./types.js";

export interface EngineOptions {
  steps: readonly Step[];
  ctx: StepContext;
  report: RunReport;
  dryRun?: boolean;
  /** Style for the tables printed on stdout. */
  style: Parameters<typeof formatPlan>[1];
}

export interface EngineResult {
  changes: Change[];
  /** True when the plan had changes (for --detailed-exitcode). */
  changed: boolean;
  applied: boolean;
  checks: Check[];
}

/** Steps that take part, checked for `after` ids that name no step at all (a typo, not a disabled step). */
export function enabledSteps(steps: readonly Step[], ctx: Pick<StepContext, "config">): Step[] {
  const all = new Set(steps.map((s) => s.id));
  for (const s of steps) {
    for (const d of s.after ?? []) {
      if (!all.has(d)) {
        throw new SentinelElasticError(`step ${s.id} runs after an unknown step ${d}`, {
          code: "STEP_UNKNOWN_DEPENDENCY",
          suggestion: "This is a bug in the step order (src/steps); please report it.",
        });
      }
    }
  }
  return steps.filter((s) => s.enabled(ctx.config));
}

function throwIfStopped(result: GraphResult, phase: string, ctx: StepContext): void {
  if (result.failed.length > 0) throw result.failed[0]!.error;
  if (ctx.signal.aborted) throw new AbortedError(`Interrupted while ${phase}; nothing was changed.`);
}

export async function planSteps(steps: readonly Step[], ctx: StepContext): Promise<Change[]> {
  const byStep = new Map<string, Change[]>();
  const result = await runGraph(
    steps,
    async (step) => {
      const progress = ctx.io.progress(`Reading ${step.title}`);
      try {
        const changes = await step.plan(ctx);
        byStep.set(step.id, changes);
        const n = changes.filter((c) => c.action !== "no-op").length;
        progress.succeed(`${step.title}: ${n === 0 ? "up to date" : `${n} change${n === 1 ? "" : "s"}`}`);
      } catch (error) {
        progress.fail(`${step.title}: could not plan`);
        throw error;
      }
    },
    { signal: ctx.signal },
  );
  throwIfStopped(result, "planning", ctx);
  // The table follows the step order, whatever order the plans finished in.
  return steps.flatMap((s) => byStep.get(s.id) ?? []);
}

async function confirmApply(changes: Change[], ctx: StepContext): Promise<void> {
  const actionable = changes.filter((c) => c.action !== "no-op");
  const destructive = actionable.some((c) => c.destructive || c.action === "delete");
  const approved = await ctx.io.ask({
    kind: "confirm",
    code: "confirm.apply",
    message: `Apply these ${actionable.length} change${actionable.length === 1 ? "" : "s"}?`,
    default: !destructive,
    destructive,
  });
  if (!approved) throw new AbortedError("Nothing was changed: the plan was not approved.");
}

export async function applySteps(
  steps: readonly Step[],
  changes: readonly Change[],
  ctx: StepContext,
  report: RunReport,
): Promise<void> {
  const byStep = (id: string) => changes.filter((c) => c.step === id && c.action !== "no-op");
  const result = await runGraph(
    steps,
    async (step) => {
      const mine = byStep(step.id);
      if (mine.length === 0) return;
      const progress = ctx.io.progress(`Applying ${step.title}`);
      try {
        await step.apply(ctx, mine);
        progress.succeed(`${step.title}: ${mine.map((c) => `${c.action} ${c.name}`).join(", ")}`);
      } catch (error) {
        progress.fail(`${step.title}: failed`);
        throw error;
      }
    },
    { signal: ctx.signal },
  );

  const failedIds = new Set(result.failed.map((f) => f.id));
  const doneIds = new Set(result.done);
  report.resources = changes.map(
    (c): ResourceRecord => ({
      step: c.step,
      target: c.target,
      resource: c.resource,
      name: c.name,
      action: c.action,
      status:
        c.action === "no-op"
          ? "unchanged"
          : doneIds.has(c.step)
            ? "applied"
            : failedIds.has(c.step)
              ? "failed"
              : "not-applied",
    }),
  );

  if (result.failed.length === 0 && !ctx.signal.aborted) return;
  const applied = report.resources.filter((r) => r.status === "applied");
  const notApplied = report.resources.filter((r) => r.status === "not-applied" || r.status === "failed");
  const list = (rs: ResourceRecord[]) => rs.map((r) => `${r.action} ${r.resource} ${r.name}`).join("; ") || "nothing";
  ctx.io.message("warn", `Done: ${list(applied)}`);
  ctx.io.message("warn", `Not done: ${list(notApplied)}`);
  if (result.failed.length > 0) throw result.failed[0]!.error;
  throw new AbortedError(
    `Interrupted: ${applied.length} change${applied.length === 1 ? "" : "s"} applied, ${notApplied.length} not. Re-run setup to continue; it picks up where this run stopped.`,
  );
}

export async function verifySteps(steps: readonly Step[], ctx: StepContext): Promise<Check[]> {
  const byStep = new Map<string, Check[]>();
  const result = await runGraph(
    steps.filter((s) => s.verify),
    async (step) => {
      try {
        byStep.set(step.id, await step.verify!(ctx));
      } catch (error) {
        if (error instanceof AbortedError) throw error;
        // A check that cannot run is a failed check, not a crash: the other checks still report.
        byStep.set(step.id, [
          {
            id: `${step.id}.verify`,
            title: `${step.title}: verification could not run`,
            status: "fail",
            cause: error instanceof Error ? error.message : String(error),
            remedy: (error as SentinelElasticError).suggestion,
          },
        ]);
      }
    },
    { signal: ctx.signal },
  );
  throwIfStopped(result, "verifying", ctx);
  return steps.flatMap((s) => byStep.get(s.id) ?? []);
}

export async function runSetupEngine(options: EngineOptions): Promise<EngineResult> {
  const { ctx, report, style } = options;
  const steps = enabledSteps(options.steps, ctx);

  const changes = await planSteps(steps, ctx);
  report.plan = toPlanEntries(changes);
  ctx.io.result(formatPlan(changes, style));
  const changed = hasChanges(changes);
  if (options.dryRun) {
    ctx.io.message("info", "Dry run: nothing was changed.");
    return { changes, changed, applied: false, checks: [] };
  }

  if (changed) {
    await confirmApply(changes, ctx);
    await applySteps(steps, changes, ctx, report);
  } else {
    report.resources = changes.map((c) => ({ ...pick(c), status: "unchanged" }));
    ctx.io.message("success", "Everything is already in place.");
  }

  const checks = await verifySteps(steps, ctx);
  report.checks = checks;
  if (checks.length > 0) ctx.io.result(`\n${formatChecks(checks, style)}`);
  const failed = checks.filter((c) => c.status === "fail");
  if (failed.length > 0) {
    throw new VerificationError(
      `${failed.length} of ${checks.length} checks failed: ${failed.map((c) => c.title).join("; ")}`,
      {
        code: "VERIFY_FAILED",
        suggestion: failed[0]!.remedy ?? "See the checks above; fix the cause and run `sentinel-elastic verify`.",
      },
    );
  }
  return { changes, changed, applied: changed, checks };
}

const pick = (c: Change) => ({ step: c.step, target: c.target, resource: c.resource, name: c.name, action: c.action });

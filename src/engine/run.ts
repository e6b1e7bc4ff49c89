/**
 * The setup engine: plan every enabled step → print one plan table (Azure and Kibana together) → confirm →
 * apply in dependency order → verify. `dryRun` stops after the plan. Steps with no `after` path between them
 * plan and apply concurrently. On Ctrl-C (the context's signal) no new step starts; the run reports what was
 * done and what was not, and throws AbortedError (exit 130).
 */
import { AbortedError, PreconditionError, RemoteError, SentinelElasticError, VerificationError } from "../errors.js";
import { formatChecks, formatPlan, hasChanges, type TableOptions } from "../io/format.js";
import { type GraphResult, runGraph } from "./graph.js";
import { type ResourceRecord, type RunReport, toPlanEntries } from "./report.js";
import { isTransientRemoteError, retryOnceIfTransient } from "./transient.js";
import type { Change, Check, Step, StepContext } from "./types.js";
import { PREFIX_INPUT } from "../names.js";

export interface EngineOptions {
  steps: readonly Step[];
  ctx: StepContext;
  report: RunReport;
  dryRun?: boolean;
  /** Style for the tables printed on stdout. */
  style: Parameters<typeof formatPlan>[1];
  /** Width to fit the tables to (undefined: full values). */
  table?: TableOptions;
  /** Said when the plan has nothing to change (teardown: "Nothing to remove…"). */
  nothingToDo?: string;
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

/** Planning and checking change nothing: a stop in them says so (after apply, runSetupEngine says what was applied). */
function throwIfStopped(result: GraphResult, phase: string, ctx: StepContext): void {
  // A step's own AbortedError with no Ctrl-C (a prompt answered with Ctrl-C) is that step's outcome: rethrown.
  const failure =
    result.failed.find((f) => !(f.error instanceof AbortedError)) ??
    (ctx.signal.aborted ? undefined : result.failed[0]);
  if (failure) throw failure.error;
  // On Ctrl-C this says more than a step's own "Interrupted while waiting.".
  if (ctx.signal.aborted) throw new AbortedError(`Interrupted while ${phase}; nothing was changed.`);
  if (result.failed.length > 0) throw result.failed[0]!.error;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const item = (r: ResourceRecord) => `  ${r.action} ${r.resource} ${r.name}${r.status === "failed" ? " (failed)" : ""}`;

/**
 * What a stopped run did, as short lists, one object per line:
 *   Done: 1 of 3 changes / Interrupted: 1 (a re-run finishes it) / Not done: 1
 */
export function describeProgress(resources: readonly ResourceRecord[]): string {
  const changed = resources.filter((r) => r.status !== "unchanged");
  const of = (s: ResourceRecord["status"][]) => changed.filter((r) => s.includes(r.status));
  const done = of(["applied"]);
  const interrupted = of(["interrupted"]);
  const notDone = of(["failed", "not-applied"]);
  const block = (heading: string, rs: ResourceRecord[]) => (rs.length ? [heading, ...rs.map(item)] : []);
  return [
    `Done: ${done.length} of ${plural(changed.length, "change")}`,
    ...done.map(item),
    ...block(
      `Interrupted: ${interrupted.length} (a re-run finishes ${interrupted.length === 1 ? "it" : "them"})`,
      interrupted,
    ),
    ...block(`Not done: ${notDone.length}`, notDone),
  ].join("\n");
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
      const progress = ctx.io.progress(`Applying ${step.title}`, { elapsed: true });
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

  // A step stopped by Ctrl-C (its wait interrupted) is interrupted, not failed: a re-run finishes it.
  const interruptedIds = new Set(result.failed.filter((f) => f.error instanceof AbortedError).map((f) => f.id));
  const failedIds = new Set(result.failed.filter((f) => !(f.error instanceof AbortedError)).map((f) => f.id));
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
              : interruptedIds.has(c.step)
                ? "interrupted"
                : "not-applied",
    }),
  );

  if (result.failed.length === 0 && !ctx.signal.aborted) return;
  const applied = report.resources.filter((r) => r.status === "applied");
  const notApplied = report.resources.filter((r) => r.status !== "applied" && r.status !== "unchanged");
  ctx.io.message("info", describeProgress(report.resources));
  // A step's own AbortedError with no Ctrl-C (a prompt answered with Ctrl-C) is that step's outcome: rethrown.
  const failure =
    result.failed.find((f) => !(f.error instanceof AbortedError)) ??
    (ctx.signal.aborted ? undefined : result.failed[0]);
  if (failure) {
    // The error below says why; this says what it means for the user: nothing is lost, run again.
    ctx.io.message(
      "warn",
      `Stopped after ${plural(applied.length, "change")} of ${applied.length + notApplied.length}: re-run ${report.command} to continue; it picks up where this run stopped.`,
    );
    throw failure.error;
  }
  throw new AbortedError(
    `Interrupted: ${plural(applied.length, "change")} applied, ${notApplied.length} not. Re-run ${report.command} to continue; it picks up where this run stopped.`,
  );
}

/** A configuration check that could not run because a remote failed transiently (after the retries). */
export interface UnreachableCheck {
  check: Check;
  error: RemoteError;
}

export interface CheckResult {
  checks: Check[];
  /** The failed checks that failed on a transient remote error, not on what they check. */
  unreachable: UnreachableCheck[];
}

export async function verifySteps(steps: readonly Step[], ctx: StepContext): Promise<Check[]> {
  return (await checkSteps(steps, ctx)).checks;
}

/**
 * Run every step's checks. Checks only read, so one that fails on a transient remote error (429, 5xx, a reset:
 * the clients have retried already) is run once more after a short wait; if it still fails it is reported as
 * a check that could not run, with a remedy that says so, and listed in `unreachable`.
 */
export async function checkSteps(steps: readonly Step[], ctx: StepContext): Promise<CheckResult> {
  const byStep = new Map<string, Check[]>();
  const unreachable: UnreachableCheck[] = [];
  const result = await runGraph(
    steps.filter((s) => s.verify),
    async (step) => {
      try {
        byStep.set(step.id, await retryOnceIfTransient(() => step.verify!(ctx), ctx));
      } catch (error) {
        if (error instanceof AbortedError) throw error;
        // A check that cannot run is a failed check, not a crash: the other checks still report.
        const transient = isTransientRemoteError(error);
        const check: Check = {
          id: `${step.id}.verify`,
          title: `${step.title}: verification could not run`,
          status: "fail",
          cause: error instanceof Error ? error.message : String(error),
          remedy: transient
            ? "A remote failed for a moment (not a problem with this object): run `sentinel-elastic verify` to check again."
            : (error as SentinelElasticError).suggestion,
        };
        if (transient) unreachable.push({ check, error });
        byStep.set(step.id, [check]);
      }
    },
    { signal: ctx.signal },
  );
  throwIfStopped(result, "verifying", ctx);
  return { checks: steps.flatMap((s) => byStep.get(s.id) ?? []), unreachable };
}

export async function runSetupEngine(options: EngineOptions): Promise<EngineResult> {
  const { ctx, report, style } = options;
  const steps = enabledSteps(options.steps, ctx);

  const changes = await planSteps(steps, ctx);
  report.plan = toPlanEntries(changes);
  ctx.io.result(formatPlan(changes, style, options.table));
  stopOnConflicts(changes);
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
    ctx.io.message("success", options.nothingToDo ?? "Everything is already in place.");
  }

  let outcome: CheckResult;
  try {
    outcome = await checkSteps(steps, ctx);
  } catch (error) {
    if (!changed || !(error instanceof AbortedError)) throw error;
    // Ctrl-C during the checks, after apply: every change is in place; say so (not "nothing was changed").
    const n = reportApplied(report, ctx);
    throw new AbortedError(
      `Interrupted while verifying: all ${plural(n, "change")} ${n === 1 ? "was" : "were"} applied and nothing is left half-done. Run \`sentinel-elastic verify\` (or ${report.command} again) to finish the checks.`,
    );
  }
  const { checks, unreachable } = outcome;
  report.checks = checks;
  if (checks.length > 0) ctx.io.result(`\n${formatChecks(checks, style, options.table)}`);
  const failed = checks.filter((c) => c.status === "fail");
  if (failed.length === 0) return { changes, changed, applied: changed, checks };

  const applied = changed ? reportApplied(report, ctx) : 0;
  const done = changed
    ? `All ${plural(applied, "change")} ${applied === 1 ? "was" : "were"} applied`
    : "Everything was already in place";
  const again = `run \`sentinel-elastic verify\` (or ${report.command} again) to continue`;
  if (unreachable.length === failed.length) {
    // Only transient remote failures: nothing is wrong with what was set up; the checks did not finish.
    const first = unreachable[0]!.error;
    throw new RemoteError(
      `${done}, but ${unreachable.length} of ${checks.length} configuration checks could not run because a remote failed for a moment: ${first.message}`,
      {
        code: "VERIFY_INTERRUPTED",
        remote: first.remote,
        status: first.status,
        cause: first,
        suggestion: `Nothing is left half-done: ${again}; it re-checks what this run could not.`,
      },
    );
  }
  throw new VerificationError(
    `${failed.length} of ${checks.length} checks failed: ${failed.map((c) => c.title).join("; ")}`,
    {
      code: "VERIFY_FAILED",
      suggestion:
        failed[0]!.remedy ??
        (changed
          ? `See the checks above; fix the cause, then ${again}.`
          : "See the checks above; fix the cause and run `sentinel-elastic verify`."),
    },
  );
}

/**
 * Objects with our names that are not ours (no marker we wrote) stop the run before any change (exit 5): they
 * are never updated, adopted or deleted unless the user names them with --adopt or chooses another prefix.
 */
function stopOnConflicts(changes: readonly Change[]): void {
  const conflicts = changes.filter((c) => c.action === "conflict");
  if (conflicts.length === 0) return;
  const list = conflicts.map((c) => `${c.resource} ${c.name}`).join("; ");
  throw new PreconditionError(
    `${plural(conflicts.length, "object")} with our names ${conflicts.length === 1 ? "is" : "are"} not ours (no sentinel-elastic marker): ${list}. Nothing was changed.`,
    {
      code: "OWNERSHIP_CONFLICT",
      details: { conflicts: conflicts.map((c) => ({ resource: c.resource, name: c.name })) },
      suggestion: `Choose another ${PREFIX_INPUT} (--prefix), or, if ${conflicts.length === 1 ? "it is" : "they are"} really meant for this instance, take ${conflicts.length === 1 ? "it" : "them"} over with ${conflicts.map((c) => `--adopt ${c.name}`).join(" ")} (overwrites ${conflicts.length === 1 ? "it" : "them"}; asks for confirmation, or needs --yes).`,
    },
  );
}

/** After apply, a stop in the checks: print what was applied (and that a re-run continues); returns how many. */
function reportApplied(report: RunReport, ctx: StepContext): number {
  const applied = report.resources.filter((r) => r.status === "applied");
  ctx.io.message("info", describeProgress(report.resources));
  ctx.io.message(
    "warn",
    `Nothing is left half-done: re-run \`sentinel-elastic verify\` to finish the checks, or ${report.command} again to continue.`,
  );
  return applied.length;
}

const pick = (c: Change) => ({ step: c.step, target: c.target, resource: c.resource, name: c.name, action: c.action });

/**
 * Foreach and Until. Foreach runs its repetitions concurrently by default (20 at a time in Consumption;
 * `runtimeConfiguration.concurrency.repetitions` 1–50 sets it, `operationOptions: "Sequential"` makes it 1) —
 * learn.microsoft.com/azure/logic-apps/logic-apps-control-flow-loops. Until repeats until its expression is true
 * or its limit (default count 60, timeout PT1H) is reached; its status is its last iteration's.
 */
import { parseDuration } from "../definition.js";
import { ActionError } from "../errors.js";
import { typeName } from "../expression/values.js";
import { containerOutcome, type Executor } from "../scheduler.js";

export const foreach: Executor = async (ctx) => {
  const items = ctx.evaluate(ctx.def.foreach);
  if (!Array.isArray(items))
    throw new ActionError(
      "InvalidTemplate",
      `The execution of template action '${ctx.name}' failed: the result of the evaluation of 'foreach' expression '${String(ctx.def.foreach)}' is of type '${typeName(items)}'. The result must be a valid array.`,
    );
  const sequential = /(^|,)\s*sequential\s*(,|$)/i.test(ctx.def.operationOptions ?? "");
  const width = sequential
    ? 1
    : Math.max(1, Math.min(50, ctx.def.runtimeConfiguration?.concurrency?.repetitions ?? 20));
  const statuses: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length && !ctx.frame.run.terminated) {
      const index = next++;
      const frame = ctx.frame.child({ name: ctx.name, index, item: items[index], hasItem: true });
      statuses[index] = await ctx.runContainer(ctx.def.actions, frame);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  const overall = ctx.frame.run.terminated ? "Aborted" : statuses.includes("Failed") ? "Failed" : "Succeeded";
  return containerOutcome(overall, { foreachItemsCount: items.length, concurrency: width });
};

export const until: Executor = async (ctx) => {
  const count = ctx.def.limit?.count ?? 60;
  const timeoutMs = parseDuration(ctx.def.limit?.timeout ?? "PT1H") ?? 3_600_000;
  const clock = ctx.frame.run.host.clock;
  const deadline = clock.due(timeoutMs);
  let iterations = 0;
  let last: "Succeeded" | "Failed" | "Aborted" = "Succeeded";
  for (;;) {
    const frame = ctx.frame.child({ name: ctx.name, index: iterations, item: undefined, hasItem: false });
    last = await ctx.runContainer(ctx.def.actions, frame);
    iterations++;
    if (last === "Aborted") break;
    // The exit condition is evaluated after each repetition and can read the repetition's actions.
    // (Inner results are also the run's latest results, which the outer frame reads.)
    const done = ctx.evaluate(ctx.def.expression);
    if (done === true) break;
    if (typeof done !== "boolean")
      throw new ActionError(
        "InvalidTemplate",
        `The 'expression' of Until action '${ctx.name}' must evaluate to a boolean; got '${typeName(done)}'.`,
      );
    if (iterations >= count || clock.now() >= deadline) break;
  }
  // Azure's rule (learn.microsoft.com/azure/logic-apps/logic-apps-control-flow-loops, Until): a failure in an
  // iteration other than the last does not stop the loop; the loop's status is its last iteration's, and
  // reaching the count or timeout limit does not fail it.
  return containerOutcome(last, { iterations });
};

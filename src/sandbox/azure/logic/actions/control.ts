/**
 * Control actions: Scope, If, Switch, Terminate. Branch actions that are not taken are recorded as Skipped
 * (ActionBranchingConditionNotSatisfied), as Azure's run history shows them.
 */
import { ActionError } from "../errors.js";
import { callFunction } from "../functions/index.js";
import { deepEqual, isObject, stringify, typeName } from "../expression/values.js";
import { containerOutcome, type ActionContext, type Executor } from "../scheduler.js";

export const scope: Executor = async (ctx) => containerOutcome(await ctx.runContainer(ctx.def.actions));

const CONDITION_OPERATORS = new Set([
  "equals",
  "greater",
  "less",
  "greaterorequals",
  "lessorequals",
  "contains",
  "startswith",
  "endswith",
]);

/** The designer's condition object: `{"and":[{"equals":["@…","x"]}, {"not":{"contains":[…]}}]}`. */
function evaluateCondition(ctx: ActionContext, cond: unknown): unknown {
  if (!isObject(cond)) return ctx.evaluate(cond);
  const [op, arg] = Object.entries(cond)[0] ?? [];
  const key = String(op).toLowerCase();
  if (key === "and" || key === "or") {
    const parts = (Array.isArray(arg) ? arg : []).map((c) => evaluateCondition(ctx, c) === true);
    return key === "and" ? parts.every(Boolean) : parts.some(Boolean);
  }
  if (key === "not") return evaluateCondition(ctx, arg) !== true;
  if (CONDITION_OPERATORS.has(key)) {
    const values = (Array.isArray(arg) ? arg : []).map((a) => ctx.evaluate(a));
    try {
      return callFunction(key, values, undefined as never, key);
    } catch (err) {
      throw new ActionError(
        "InvalidTemplate",
        `Unable to process template language expressions for action '${ctx.name}' at line '0' and column '0': '${err instanceof Error ? err.message : String(err)}'.`,
      );
    }
  }
  throw new ActionError(
    "InvalidTemplate",
    `The condition operator '${String(op)}' of action '${ctx.name}' is not supported.`,
  );
}

export const ifAction: Executor = async (ctx) => {
  const result = evaluateCondition(ctx, ctx.def.expression);
  if (typeof result !== "boolean")
    throw new ActionError(
      "InvalidTemplate",
      `The execution of template action '${ctx.name}' failed: the result of the evaluation of 'expression' is of type '${typeName(result)}'. The result must be a valid boolean.`,
    );
  const inputs = { expressionResult: result };
  const taken = result ? ctx.def.actions : ctx.def.else?.actions;
  ctx.skipBranch(result ? ctx.def.else?.actions : ctx.def.actions);
  return containerOutcome(await ctx.runContainer(taken), inputs);
};

export const switchAction: Executor = async (ctx) => {
  const value = ctx.evaluate(ctx.def.expression);
  if (typeof value !== "string" && !(typeof value === "number" && Number.isInteger(value)))
    throw new ActionError(
      "InvalidTemplate",
      `The execution of template action '${ctx.name}' failed: the result of the evaluation of 'expression' is of type '${typeName(value)}'. The result must be a valid string or integer.`,
    );
  const cases = Object.values(ctx.def.cases ?? {});
  const hit = cases.find((c) => deepEqual(c.case, value));
  for (const c of cases) if (c !== hit) ctx.skipBranch(c.actions);
  if (hit) ctx.skipBranch(ctx.def.default?.actions);
  const taken = hit ? hit.actions : ctx.def.default?.actions;
  return containerOutcome(await ctx.runContainer(taken), { expressionResult: value });
};

export const terminate: Executor = async (ctx) => {
  const inputs = ctx.inputs() as { runStatus?: string; runError?: { code?: unknown; message?: unknown } };
  const status = String(inputs?.runStatus ?? "");
  const norm = (["Succeeded", "Failed", "Cancelled"] as const).find((s) => s.toLowerCase() === status.toLowerCase());
  if (!norm)
    throw new ActionError(
      "InvalidTemplate",
      `The 'runStatus' of Terminate action '${ctx.name}' must be 'Succeeded', 'Failed' or 'Cancelled'; got '${status}'.`,
    );
  const err = inputs.runError;
  ctx.frame.run.terminated = {
    status: norm,
    ...(norm === "Failed" && err
      ? { error: { code: stringify(err.code ?? "Terminated"), message: stringify(err.message ?? "") } }
      : {}),
  };
  return { status: "Succeeded", code: "OK", inputs, hasOutputs: false };
};

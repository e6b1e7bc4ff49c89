/**
 * Variable actions. Types and their checks follow the InitializeVariable reference
 * (learn.microsoft.com/azure/logic-apps/logic-apps-workflow-actions-triggers#initialize-variable-action):
 * boolean, integer, float, string, array, object.
 */
import { ActionError } from "../errors.js";
import { isObject, typeName } from "../expression/values.js";
import type { Run } from "../run-state.js";
import type { Executor } from "../scheduler.js";

const TYPES: Record<string, (v: unknown) => boolean> = {
  boolean: (v) => typeof v === "boolean",
  integer: (v) => typeof v === "number" && Number.isInteger(v),
  float: (v) => typeof v === "number",
  string: (v) => typeof v === "string",
  array: Array.isArray,
  object: isObject,
};

function check(name: string, type: string, value: unknown): void {
  if (value === null || value === undefined) return;
  if (!TYPES[type]!(value))
    throw new ActionError(
      "InvalidVariableValue",
      `The variable '${name}' of type '${type.charAt(0).toUpperCase() + type.slice(1)}' cannot be initialized or updated with value of type '${typeName(value)}'.`,
    );
}

function variable(run: Run, name: string) {
  const v =
    run.variables.get(name) ?? [...run.variables.entries()].find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  if (!v)
    throw new ActionError(
      "InvalidTemplate",
      `The variable '${name}' is not initialized. Initialize it with an 'InitializeVariable' action at the workflow's top level.`,
    );
  return v;
}

const ok = (inputs: unknown, outputs?: unknown) => ({
  status: "Succeeded" as const,
  code: "OK",
  inputs,
  ...(outputs !== undefined ? { outputs } : { hasOutputs: false }),
});

export const initializeVariable: Executor = async (ctx) => {
  const inputs = ctx.inputs() as { variables?: { name: string; type: string; value?: unknown }[] };
  for (const v of inputs?.variables ?? []) {
    const type = String(v.type).toLowerCase();
    if (!TYPES[type])
      throw new ActionError(
        "InvalidVariableType",
        `The variable type '${v.type}' of variable '${v.name}' is not valid.`,
      );
    if (ctx.frame.run.variables.has(v.name))
      throw new ActionError("InvalidVariableName", `The variable '${v.name}' has already been initialized.`);
    check(v.name, type, v.value);
    const initial =
      v.value ??
      (type === "array" ? [] : type === "object" ? {} : type === "string" ? "" : type === "boolean" ? false : 0);
    ctx.frame.run.variables.set(v.name, { type, value: initial });
  }
  return ok(inputs);
};

export const setVariable: Executor = async (ctx) => {
  const inputs = ctx.inputs() as { name: string; value?: unknown };
  const v = variable(ctx.frame.run, inputs.name);
  check(inputs.name, v.type, inputs.value);
  v.value = inputs.value ?? null;
  return ok(inputs, { body: { name: inputs.name, value: v.value } });
};

export const appendToArrayVariable: Executor = async (ctx) => {
  const inputs = ctx.inputs() as { name: string; value?: unknown };
  const v = variable(ctx.frame.run, inputs.name);
  if (v.type !== "array")
    throw new ActionError(
      "InvalidVariableType",
      `The variable '${inputs.name}' of type '${v.type}' cannot be appended to: it is not an array.`,
    );
  (v.value as unknown[]).push(inputs.value ?? null);
  return ok(inputs);
};

export const appendToStringVariable: Executor = async (ctx) => {
  const inputs = ctx.inputs() as { name: string; value?: unknown };
  const v = variable(ctx.frame.run, inputs.name);
  if (v.type !== "string" || typeof inputs.value !== "string")
    throw new ActionError(
      "InvalidVariableType",
      `The variable '${inputs.name}' must be a string and the appended value a string.`,
    );
  v.value = String(v.value) + inputs.value;
  return ok(inputs);
};

function step(sign: 1 | -1): Executor {
  return async (ctx) => {
    const inputs = ctx.inputs() as { name: string; value?: unknown };
    const v = variable(ctx.frame.run, inputs.name);
    const by = inputs.value ?? 1;
    if ((v.type !== "integer" && v.type !== "float") || typeof by !== "number")
      throw new ActionError(
        "InvalidVariableType",
        `The variable '${inputs.name}' of type '${v.type}' cannot be incremented or decremented by a value of type '${typeName(by)}'.`,
      );
    v.value = (v.value as number) + sign * by;
    return ok(inputs, { body: { name: inputs.name, value: v.value } });
  };
}

export const incrementVariable = step(1);
export const decrementVariable = step(-1);

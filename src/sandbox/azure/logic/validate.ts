/**
 * Deploy-time validation of a workflow definition: everything the runtime cannot run, or that Azure refuses when
 * the workflow is saved, is named here so the control plane fails the deployment instead of the runtime ignoring
 * it. Checks: trigger and action types, `runAfter` (siblings only, known statuses, no cycles), expression syntax,
 * functions, references to actions/parameters/variables/loops, InitializeVariable at top level only, Response not
 * inside loops, Foreach concurrency 1–50, operationOptions.
 */
import {
  type ActionDef,
  childContainers,
  flattenActions,
  parseDuration,
  type WorkflowDefinition,
} from "./definition.js";
import { executorFor } from "./actions/index.js";
import { collectExpressions } from "./expression/evaluate.js";
import { calledFunctions, type Expr } from "./expression/parser.js";
import { isSupportedFunction } from "./functions/index.js";
import { ACTION_REFERENCES } from "./functions/workflow.js";
import { isObject } from "./expression/values.js";
import { schemaValidator } from "./schemas.js";
import { ACTION_KEYS, checkKeys, checkRuntimeConfiguration, OPTIONS, TRIGGER_KEYS } from "./validate-settings.js";

const STATUSES = ["succeeded", "failed", "skipped", "timedout"];
/** Literal string arguments of calls to `fn` in an expression tree. */
function literalArgs(
  e: Expr,
  fns: Set<string>,
  out: { fn: string; arg: string }[] = [],
): { fn: string; arg: string }[] {
  if (e.k === "call") {
    const a = e.args[0];
    if (fns.has(e.name) && a?.k === "lit" && typeof a.v === "string") out.push({ fn: e.name, arg: a.v });
    for (const x of e.args) literalArgs(x, fns, out);
  } else if (e.k === "index") {
    literalArgs(e.target, fns, out);
    literalArgs(e.key, fns, out);
  }
  return out;
}

export function validateDefinition(definition: unknown, values?: Record<string, { value: unknown }>): string[] {
  const problems: string[] = [];
  if (!isObject(definition)) return ["The workflow definition must be a JSON object."];
  const def = definition as WorkflowDefinition;
  if (values) problems.push(...checkParameterValues(def, values));
  const triggers = Object.entries(def.triggers ?? {});
  if (triggers.length === 0)
    problems.push("The workflow definition has no trigger; the sandbox runtime runs workflows with a Request trigger.");
  for (const [name, t] of triggers) {
    if (String(t?.type).toLowerCase() !== "request")
      problems.push(
        `The trigger type '${t?.type}' of trigger '${name}' is not supported by the sandbox runtime (supported: Request).`,
      );
    if (isObject(t)) checkKeys("trigger", name, t, TRIGGER_KEYS, problems);
    checkRuntimeConfiguration("trigger", name, "request", t?.runtimeConfiguration, problems);
    const method = t?.inputs?.method;
    if (method !== undefined && !/^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/i.test(String(method)))
      problems.push(`The method '${String(method)}' of trigger '${name}' is not an HTTP method.`);
    const schema = t?.inputs?.schema;
    if (isObject(schema) && Object.keys(schema).length)
      try {
        schemaValidator(schema);
      } catch (err) {
        problems.push(
          `The schema of trigger '${name}' is not a valid JSON schema: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    for (const o of (t?.operationOptions ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean))
      if (!OPTIONS.trigger!.test(o))
        problems.push(`The operation option '${o}' of trigger '${name}' is not supported by the sandbox runtime.`);
  }
  const params = new Set(Object.keys(def.parameters ?? {}).map((p) => p.toLowerCase()));
  const all = flattenActions(def.actions);
  const variables = new Set<string>();
  for (const { def: a } of all.values())
    if (
      String(a?.type).toLowerCase() === "initializevariable" &&
      isObject(a.inputs) &&
      Array.isArray(a.inputs.variables)
    )
      for (const v of a.inputs.variables)
        if (isObject(v) && typeof v.name === "string") variables.add(v.name.toLowerCase());

  const seen = new Set<string>();
  const visit = (actions: Record<string, ActionDef>, loops: { name: string; type: string }[]) => {
    for (const [name, a] of Object.entries(actions)) {
      if (seen.has(name.toLowerCase()))
        problems.push(`The action name '${name}' is used more than once; action names must be unique in a workflow.`);
      seen.add(name.toLowerCase());
      if (!isObject(a)) {
        problems.push(`The action '${name}' must be a JSON object.`);
        continue;
      }
      const type = String(a.type ?? "");
      const lower = type.toLowerCase();
      if (!executorFor(type))
        problems.push(`The action type '${type}' of action '${name}' is not supported by the sandbox runtime.`);
      if (lower === "initializevariable" && (loops.length || all.get(name)?.topLevel === false))
        problems.push(
          `The action '${name}' of type 'InitializeVariable' is not at the top level of the workflow: variables can only be initialized at top level.`,
        );
      if (lower === "response" && loops.some((l) => /^(foreach|until)$/.test(l.type)))
        problems.push(
          `The Response action '${name}' is inside the loop '${loops.at(-1)!.name}': Response actions cannot run inside Foreach or Until loops.`,
        );
      if ((lower === "if" || lower === "switch" || lower === "until") && a.expression === undefined)
        problems.push(`The '${type}' action '${name}' has no 'expression'.`);
      if (lower === "foreach" && a.foreach === undefined)
        problems.push(`The Foreach action '${name}' has no 'foreach' expression.`);
      checkKeys("action", name, a, ACTION_KEYS, problems);
      checkRuntimeConfiguration("action", name, lower, a.runtimeConfiguration, problems);
      if (a.limit !== undefined) {
        const { count, timeout, ...rest } = isObject(a.limit) ? a.limit : ({} as Record<string, unknown>);
        for (const k of Object.keys(rest))
          problems.push(`The 'limit' setting '${k}' of action '${name}' is not supported by the sandbox runtime.`);
        if (count !== undefined && (lower !== "until" || !Number.isInteger(count) || (count as number) < 1))
          problems.push(`The 'limit.count' of action '${name}' must be a positive integer on an Until loop.`);
        if (timeout !== undefined && (typeof timeout !== "string" || parseDuration(timeout) === undefined))
          problems.push(`The 'limit.timeout' of action '${name}' must be an ISO 8601 duration such as 'PT1M'.`);
      }
      for (const o of (a.operationOptions ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean))
        if (!(OPTIONS[lower]?.test(o) ?? false))
          problems.push(`The operation option '${o}' of action '${name}' is not supported by the sandbox runtime.`);
      if (lower === "switch") {
        const values = Object.values(a.cases ?? {}).map((c) => JSON.stringify(c?.case));
        if (new Set(values).size !== values.length)
          problems.push(`The Switch action '${name}' has cases with the same value.`);
      }
      checkRunAfter(name, a, actions, problems);
      checkExpressions(name, a, problems, { all, params, variables, loops });
      const inner = [...loops, ...(/^(foreach|until)$/.test(lower) ? [{ name, type: lower }] : [])];
      for (const c of childContainers(a)) visit(c.actions, inner);
    }
    checkCycles(actions, problems);
  };
  visit(def.actions ?? {}, []);
  if (def.outputs !== undefined)
    collectExpressions(
      def.outputs,
      (e, text) => {
        for (const fn of calledFunctions(e))
          if (!isSupportedFunction(fn))
            problems.push(
              `The template function '${fn}' used in the workflow outputs ('${text}') is not supported by the sandbox runtime.`,
            );
      },
      (msg) => problems.push(`An expression in the workflow outputs is not valid: ${msg}`),
    );
  return problems;
}

function checkRunAfter(name: string, a: ActionDef, siblings: Record<string, ActionDef>, problems: string[]): void {
  if (a.runAfter === undefined) return;
  if (!isObject(a.runAfter)) {
    problems.push(`The 'runAfter' property of action '${name}' must be an object.`);
    return;
  }
  for (const [dep, statuses] of Object.entries(a.runAfter)) {
    if (!Object.hasOwn(siblings, dep) || dep === name)
      problems.push(`The 'runAfter' property of template action '${name}' contains non-existent action: '${dep}'.`);
    if (!Array.isArray(statuses) || statuses.length === 0)
      problems.push(`The 'runAfter' statuses of action '${name}' for '${dep}' must be a non-empty array.`);
    else
      for (const s of statuses)
        if (!STATUSES.includes(String(s).toLowerCase()))
          problems.push(
            `The 'runAfter' status '${s}' of action '${name}' for '${dep}' is not one of Succeeded, Failed, Skipped, TimedOut.`,
          );
  }
}

function checkCycles(actions: Record<string, ActionDef>, problems: string[]): void {
  const state = new Map<string, 1 | 2>();
  const walk = (n: string, path: string[]): void => {
    if (state.get(n) === 2) return;
    if (state.get(n) === 1) {
      problems.push(
        `The 'runAfter' properties of actions ${[...path.slice(path.indexOf(n)), n].map((x) => `'${x}'`).join(" → ")} form a cycle.`,
      );
      return;
    }
    state.set(n, 1);
    for (const d of Object.keys(actions[n]?.runAfter ?? {})) if (Object.hasOwn(actions, d)) walk(d, [...path, n]);
    state.set(n, 2);
  };
  for (const n of Object.keys(actions)) walk(n, []);
}

function checkExpressions(
  name: string,
  a: ActionDef,
  problems: string[],
  scope: {
    all: Map<string, unknown>;
    params: Set<string>;
    variables: Set<string>;
    loops: { name: string; type: string }[];
  },
): void {
  const fields: [string, unknown][] = [
    ["inputs", a.inputs],
    ["expression", a.expression],
    ["foreach", a.foreach],
  ];
  for (const [field, value] of fields) {
    if (value === undefined) continue;
    collectExpressions(
      value,
      (e, text) => {
        for (const fn of calledFunctions(e))
          if (!isSupportedFunction(fn))
            problems.push(
              `The template function '${fn}' used in '${field}' of action '${name}' ('${text}') is not supported by the sandbox runtime.`,
            );
        for (const { fn, arg } of literalArgs(e, new Set([...ACTION_REFERENCES, "parameters", "variables", "items"]))) {
          if (ACTION_REFERENCES.has(fn) && !scope.all.has(arg))
            problems.push(
              `The action '${arg}' referenced by '${field}' in action '${name}' is not defined in the template.`,
            );
          if (fn === "parameters" && !scope.params.has(arg.toLowerCase()))
            problems.push(
              `The workflow parameter '${arg}' referenced by '${field}' in action '${name}' is not declared in the definition's parameters.`,
            );
          if (fn === "variables" && !scope.variables.has(arg.toLowerCase()))
            problems.push(
              `The variable '${arg}' referenced by '${field}' in action '${name}' is not initialized by any InitializeVariable action.`,
            );
          if (fn === "items" && !scope.loops.some((l) => l.name === arg && l.type === "foreach"))
            problems.push(
              `The 'items' function in '${field}' of action '${name}' names '${arg}', which is not a Foreach loop enclosing the action.`,
            );
        }
      },
      (msg) => problems.push(`The expression in '${field}' of action '${name}' is not valid: ${msg}`),
    );
  }
}

/** Workflow parameter values against the definition's declarations (Azure refuses both mismatches on save). */
function checkParameterValues(def: WorkflowDefinition, values: Record<string, { value: unknown }>): string[] {
  const problems: string[] = [];
  const declared = def.parameters ?? {};
  for (const [name, p] of Object.entries(declared))
    if (!(isObject(p) && "defaultValue" in p) && !Object.hasOwn(values, name))
      problems.push(
        `The value for the workflow parameter '${name}' is not provided, and the parameter has no default value.`,
      );
  for (const name of Object.keys(values))
    if (!Object.hasOwn(declared, name))
      problems.push(`The workflow parameter '${name}' has a value but is not declared in the definition.`);
  return problems;
}

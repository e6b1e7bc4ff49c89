/** Workflow functions (WDL reference: "Workflow functions"): read the trigger, actions, loops, variables, parameters. */
import { isObject } from "../expression/values.js";
import { expectString, type FnSpec, spec } from "./types.js";

const bodyOf = (outputs: unknown): unknown => (isObject(outputs) && "body" in outputs ? outputs.body : null);

export const workflowFunctions: Record<string, FnSpec> = {
  trigger: spec(0, 0, (_a, wf) => wf.trigger()),
  triggeroutputs: spec(0, 0, (_a, wf) => wf.trigger().outputs ?? null),
  triggerbody: spec(0, 0, (_a, wf) => bodyOf(wf.trigger().outputs)),
  actions: spec(1, 1, ([n], wf, t) => wf.action(expectString("actions", n), t)),
  outputs: spec(1, 1, ([n], wf, t) => wf.outputs(expectString("outputs", n), t)),
  body: spec(1, 1, ([n], wf, t) => bodyOf(wf.outputs(expectString("body", n), t))),
  actionoutputs: spec(1, 1, ([n], wf, t) => wf.outputs(expectString("actionOutputs", n), t)),
  actionbody: spec(1, 1, ([n], wf, t) => bodyOf(wf.outputs(expectString("actionBody", n), t))),
  result: spec(1, 1, ([n], wf, t) => wf.result(expectString("result", n), t)),
  item: spec(0, 0, (_a, wf, t) => wf.item(t)),
  items: spec(1, 1, ([n], wf, t) => wf.items(expectString("items", n), t)),
  variables: spec(1, 1, ([n], wf, t) => wf.variable(expectString("variables", n), t)),
  parameters: spec(1, 1, ([n], wf, t) => wf.parameter(expectString("parameters", n), t)),
  workflow: spec(0, 0, (_a, wf) => wf.workflow()),
};

/** Functions whose first (literal) argument names an action, checked by `validate`. */
export const ACTION_REFERENCES = new Set(["actions", "outputs", "body", "result", "actionoutputs", "actionbody"]);

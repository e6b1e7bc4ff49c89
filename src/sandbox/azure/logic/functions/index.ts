/** The function table and the dispatcher used by expression evaluation. */
import { DOCS, TemplateError } from "../expression/values.js";
import { collectionFunctions } from "./collections.js";
import { dateFunctions } from "./dates.js";
import { logicMathFunctions } from "./logic-math.js";
import { objectFunctions } from "./objects.js";
import { stringFunctions } from "./strings.js";
import type { FnSpec, WorkflowAccess } from "./types.js";
import { workflowFunctions } from "./workflow.js";

export type { WorkflowAccess } from "./types.js";

export const FUNCTIONS: Readonly<Record<string, FnSpec>> = {
  ...logicMathFunctions,
  ...stringFunctions,
  ...collectionFunctions,
  ...objectFunctions,
  ...dateFunctions,
  ...workflowFunctions,
};

export function isSupportedFunction(name: string): boolean {
  return Object.hasOwn(FUNCTIONS, name.toLowerCase());
}

export function callFunction(name: string, args: unknown[], wf: WorkflowAccess, exprText: string): unknown {
  const f = FUNCTIONS[name];
  if (!f || !Object.hasOwn(FUNCTIONS, name))
    throw new TemplateError(`The template function '${name}' is not defined or not valid.`);
  if (args.length < f.min || args.length > f.max) {
    const shown = /^[A-Za-z]+\(/.test(exprText) ? exprText.slice(0, exprText.indexOf("(")) : name;
    const want =
      f.min === f.max ? `${f.min}` : f.max === Number.POSITIVE_INFINITY ? `at least ${f.min}` : `${f.min} to ${f.max}`;
    throw new TemplateError(
      `The template language function '${shown}' expects ${want} parameter(s) but was invoked with ${args.length}. ${DOCS}`,
    );
  }
  return f.fn(args, wf, exprText);
}

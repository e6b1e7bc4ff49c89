/**
 * The function table's shape. Workflow functions (`body`, `variables`, `item`…) reach the run through
 * `WorkflowAccess`; the others are pure. Names are lower-case: Logic Apps function names are case-insensitive.
 */
import { DOCS, TemplateError, typeName } from "../expression/values.js";

export interface WorkflowAccess {
  /** Sandbox time, epoch ms. */
  now(): number;
  trigger(): Record<string, unknown>;
  /** `actions('X')`: the action's result object, whatever its status. */
  action(name: string, exprText: string): Record<string, unknown>;
  /** `outputs('X')`: fails when the action was skipped or has not run. */
  outputs(name: string, exprText: string): unknown;
  result(name: string, exprText: string): unknown[];
  item(exprText: string): unknown;
  items(loopName: string, exprText: string): unknown;
  variable(name: string, exprText: string): unknown;
  parameter(name: string, exprText: string): unknown;
  workflow(): Record<string, unknown>;
}

export type Fn = (args: unknown[], wf: WorkflowAccess, exprText: string) => unknown;

export interface FnSpec {
  min: number;
  max: number;
  fn: Fn;
}

export const spec = (min: number, max: number, fn: Fn): FnSpec => ({ min, max, fn });

export function fail(name: string, why: string): never {
  throw new TemplateError(`The template language function '${name}' ${why}. ${DOCS}`);
}

export function expectString(name: string, v: unknown, what = "parameter"): string {
  if (typeof v !== "string")
    fail(name, `expects its ${what} to be a string. The provided value is of type '${typeName(v)}'`);
  return v;
}

export function expectNumber(name: string, v: unknown): number {
  if (typeof v !== "number")
    fail(name, `expects its parameters to be numbers. The provided value is of type '${typeName(v)}'`);
  return v;
}

export function expectInteger(name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v))
    fail(name, `expects an integer parameter. The provided value is of type '${typeName(v)}'`);
  return v;
}

export function expectArray(name: string, v: unknown): unknown[] {
  if (!Array.isArray(v))
    fail(name, `expects its parameter to be an array. The provided value is of type '${typeName(v)}'`);
  return v;
}

export function expectBoolean(name: string, v: unknown): boolean {
  if (typeof v !== "boolean")
    fail(name, `expects its parameters to be of type boolean. The provided value is of type '${typeName(v)}'`);
  return v;
}

/** Logical, comparison and math functions (WDL reference: "Logical comparison functions", "Math functions"). */
import { deepEqual, typeName } from "../expression/values.js";
import { expectBoolean, expectInteger, expectNumber, type FnSpec, fail, spec } from "./types.js";

function compare(name: string, a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  return fail(
    name,
    `expects two parameters of matching types (integer, float or string); got '${typeName(a)}' and '${typeName(b)}'`,
  );
}

/** Integer arithmetic stays integral (div(7, 2) is 3), as in Logic Apps. */
function arith(name: string, op: (a: number, b: number) => number) {
  return spec(2, 2, ([a, b]) => {
    const x = expectNumber(name, a);
    const y = expectNumber(name, b);
    if ((name === "div" || name === "mod") && y === 0)
      fail(name, "was invoked with a divisor of zero: attempted to divide by zero");
    const r = op(x, y);
    return Number.isInteger(x) && Number.isInteger(y) ? Math.trunc(r) : r;
  });
}

function numbersOf(name: string, args: unknown[]): number[] {
  const list = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
  if (list.length === 0) fail(name, "expects at least one number");
  return list.map((v) => expectNumber(name, v));
}

export const logicMathFunctions: Record<string, FnSpec> = {
  if: spec(3, 3, ([c, a, b]) => (expectBoolean("if", c) ? a : b)),
  equals: spec(2, 2, ([a, b]) => deepEqual(a, b)),
  and: spec(1, Number.POSITIVE_INFINITY, (args) => args.map((a) => expectBoolean("and", a)).every(Boolean)),
  or: spec(1, Number.POSITIVE_INFINITY, (args) => args.map((a) => expectBoolean("or", a)).some(Boolean)),
  not: spec(1, 1, ([a]) => !expectBoolean("not", a)),
  greater: spec(2, 2, ([a, b]) => compare("greater", a, b) > 0),
  less: spec(2, 2, ([a, b]) => compare("less", a, b) < 0),
  greaterorequals: spec(2, 2, ([a, b]) => compare("greaterOrEquals", a, b) >= 0),
  lessorequals: spec(2, 2, ([a, b]) => compare("lessOrEquals", a, b) <= 0),
  coalesce: spec(1, Number.POSITIVE_INFINITY, (args) => args.find((a) => a !== null && a !== undefined) ?? null),
  add: arith("add", (a, b) => a + b),
  sub: arith("sub", (a, b) => a - b),
  mul: arith("mul", (a, b) => a * b),
  div: arith("div", (a, b) => a / b),
  mod: arith("mod", (a, b) => a % b),
  min: spec(1, Number.POSITIVE_INFINITY, (args) => Math.min(...numbersOf("min", args))),
  max: spec(1, Number.POSITIVE_INFINITY, (args) => Math.max(...numbersOf("max", args))),
  range: spec(2, 2, ([s, c]) => {
    const start = expectInteger("range", s);
    const count = expectInteger("range", c);
    if (count < 0) fail("range", "expects a non-negative count");
    return Array.from({ length: count }, (_, i) => start + i);
  }),
};

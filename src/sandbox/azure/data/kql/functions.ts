/**
 * Scalar functions of the KQL subset, each typed from its arguments. A function outside the list fails with
 * an error naming it. Semantics per https://learn.microsoft.com/kusto/query/scalar-functions.
 */
import type { Expr } from "./ast.js";
import type { Compiled, Scope } from "./compile-expr.js";
import { type KqlType, type KqlValue, KqlError, Timespan } from "./types.js";
import { TEXT_FUNCTIONS } from "./functions-text.js";
import { coerce, isEmptyValue, numeric, parseDatetime, toKqlString } from "./values.js";

type Compile = (e: Expr) => Compiled;

/** Aggregation functions are valid only in `summarize`; elsewhere they get this message. */
export const AGGREGATES = new Set([
  "count",
  "countif",
  "dcount",
  "dcountif",
  "sum",
  "sumif",
  "avg",
  "avgif",
  "min",
  "max",
  "make_set",
  "make_list",
  "take_any",
  "any",
  "arg_max",
  "arg_min",
  "percentile",
  "stdev",
  "variance",
]);

const arity = (e: Extract<Expr, { k: "call" }>, min: number, max = min): void => {
  if (e.args.length < min || e.args.length > max)
    throw new KqlError(
      `The function '${e.name}' expects ${min === max ? min : `${min} to ${max}`} argument(s), got ${e.args.length}`,
      "SemanticError",
      e.pos,
    );
};

const conv =
  (type: KqlType) =>
  (args: Compiled[]): Compiled => {
    const a = args[0]!;
    return {
      type,
      fn: (row) => {
        const v = a.fn(row);
        if (type === "string") return toKqlString(v);
        if (type === "dynamic") return parseJson(v);
        return coerce(v instanceof Date || v instanceof Timespan ? numericOrSelf(v, type) : v, type);
      },
    };
  };

function numericOrSelf(v: Date | Timespan, type: KqlType): unknown {
  if (type === "datetime" || type === "timespan") return v;
  // tolong(datetime) gives ticks; the sandbox keeps ms precision.
  return numeric(v)! * 10_000;
}

function parseJson(v: KqlValue): KqlValue {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v) as KqlValue;
  } catch {
    return v;
  }
}

export interface FnSpec {
  min: number;
  max?: number;
  build: (args: Compiled[], scope: Scope, e: Extract<Expr, { k: "call" }>) => Compiled;
}
const FUNCTIONS: Record<string, FnSpec> = {
  now: {
    min: 0,
    max: 1,
    build: (args, scope) => ({
      type: "datetime",
      fn: (row) => new Date(scope.now + (args[0] ? (numeric(args[0].fn(row)) ?? 0) : 0)),
    }),
  },
  ago: {
    min: 1,
    build: (args, scope) => ({
      type: "datetime",
      fn: (row) => {
        const t = numeric(args[0]!.fn(row));
        return t === undefined ? null : new Date(scope.now - t);
      },
    }),
  },
  ingestion_time: {
    min: 0,
    build: (_a, scope) => ({
      type: "datetime",
      fn: (row) => {
        const t = scope.ingestionTime?.(row);
        return t === undefined ? null : new Date(t);
      },
    }),
  },
  isempty: { min: 1, build: (a) => ({ type: "bool", fn: (row) => isEmptyValue(a[0]!.fn(row)) }) },
  isnotempty: { min: 1, build: (a) => ({ type: "bool", fn: (row) => !isEmptyValue(a[0]!.fn(row)) }) },
  isnull: { min: 1, build: (a) => ({ type: "bool", fn: (row) => a[0]!.fn(row) === null }) },
  isnotnull: { min: 1, build: (a) => ({ type: "bool", fn: (row) => a[0]!.fn(row) !== null }) },
  not: {
    min: 1,
    build: (a) => ({
      type: "bool",
      fn: (row) => {
        const v = a[0]!.fn(row);
        return v === null ? null : !v;
      },
    }),
  },
  todatetime: {
    min: 1,
    build: (a) => ({
      type: "datetime",
      fn: (row) => {
        const v = a[0]!.fn(row);
        if (v instanceof Date) return v;
        return typeof v === "string" ? parseDatetime(v) : null;
      },
    }),
  },
  tostring: { min: 1, build: conv("string") },
  toint: { min: 1, build: conv("int") },
  tolong: { min: 1, build: conv("long") },
  toreal: { min: 1, build: conv("real") },
  todouble: { min: 1, build: conv("real") },
  tobool: { min: 1, build: conv("bool") },
  toboolean: { min: 1, build: conv("bool") },
  toguid: { min: 1, build: conv("guid") },
  totimespan: { min: 1, build: conv("timespan") },
  todynamic: { min: 1, build: conv("dynamic") },
  parse_json: { min: 1, build: conv("dynamic") },
  iif: { min: 3, build: (a) => ifThen(a) },
  iff: { min: 3, build: (a) => ifThen(a) },
  case: {
    min: 3,
    max: 99,
    build: (a, _scope, e) => {
      if (a.length % 2 === 0)
        throw new KqlError("case() needs pairs of predicate and value, then an else value", "SemanticError", e.pos);
      const type = a[1]!.type;
      return {
        type,
        fn: (row) => {
          for (let i = 0; i + 1 < a.length; i += 2) if (a[i]!.fn(row) === true) return a[i + 1]!.fn(row);
          return a[a.length - 1]!.fn(row);
        },
      };
    },
  },
  coalesce: {
    min: 2,
    max: 64,
    build: (a) => ({
      type: a[0]!.type,
      fn: (row) => {
        for (const x of a) {
          const v = x.fn(row);
          if (!(v === null || (x.type === "string" && v === ""))) return v;
        }
        return null;
      },
    }),
  },
  ...TEXT_FUNCTIONS,
  bin: { min: 2, build: (a) => roundDown(a) },
  floor: { min: 2, build: (a) => roundDown(a) },
};

function ifThen(a: Compiled[]): Compiled {
  const type = a[1]!.type === "dynamic" && a[2]!.type !== "dynamic" ? a[2]!.type : a[1]!.type;
  return { type, fn: (row) => (a[0]!.fn(row) === true ? a[1]!.fn(row) : a[2]!.fn(row)) };
}

function roundDown(a: Compiled[]): Compiled {
  const [v, size] = a as [Compiled, Compiled];
  return {
    type: v.type,
    fn: (row) => {
      const x = numeric(v.fn(row));
      const s = numeric(size.fn(row));
      if (x === undefined || s === undefined || s <= 0) return null;
      const r = Math.floor(x / s) * s;
      if (v.type === "datetime") return new Date(r);
      if (v.type === "timespan") return new Timespan(r);
      return r;
    },
  };
}

const isNum = (t: KqlType) => t === "int" || t === "long" || t === "real" || t === "decimal";
const is = (t: KqlType, ...ok: KqlType[]) => t === "dynamic" || ok.includes(t);
const BOOL = "A value of type bool expected.";
const SPAN = "A value of type timespan expected.";
const STR = "The expression must have one of the types: string or dynamic.";

/** Argument types Kusto's semantic analysis insists on (messages as it words them). */
const ARGUMENT_CHECKS: Record<string, (t: KqlType[]) => string | undefined> = {
  ago: ([a]) => (is(a!, "timespan") ? undefined : SPAN),
  now: ([a]) => (a === undefined || is(a, "timespan") ? undefined : SPAN),
  not: ([a]) => (is(a!, "bool") ? undefined : BOOL),
  iif: ([c]) => (is(c!, "bool") ? undefined : BOOL),
  iff: ([c]) => (is(c!, "bool") ? undefined : BOOL),
  case: (t) => (t.every((x, i) => i % 2 === 1 || i === t.length - 1 || is(x, "bool")) ? undefined : BOOL),
  parse_json: ([a]) => (is(a!, "string") ? undefined : STR),
  todynamic: ([a]) => (is(a!, "string") ? undefined : STR),
  strlen: ([a]) => (is(a!, "string") ? undefined : STR),
  array_length: ([a]) => (a === "dynamic" ? undefined : "The expression value must be a dynamic array."),
  coalesce: (t) => {
    const known = t.filter((x) => x !== "dynamic");
    const same = known.every((x) => x === known[0] || (isNum(x) && isNum(known[0]!)));
    return same ? undefined : "No common type can be determined from the arguments.";
  },
  bin: (t) => binCheck(t),
  floor: (t) => binCheck(t),
};

function binCheck([v, size]: KqlType[]): string | undefined {
  const ok =
    v === "dynamic" ||
    size === "dynamic" ||
    (isNum(v!) && isNum(size!)) ||
    ((v === "datetime" || v === "timespan") && size === "timespan");
  return ok ? undefined : `not compatible with arguments (${v}, ${size})`;
}

export function callFunction(e: Extract<Expr, { k: "call" }>, scope: Scope, compile: Compile): Compiled {
  if (AGGREGATES.has(e.name))
    throw new KqlError(
      `'${scope.operator}' operator: the aggregation function '${e.name}()' can only be used in summarize`,
      "SemanticError",
      e.pos,
    );
  const spec = FUNCTIONS[e.name];
  if (!spec)
    throw new KqlError(
      `The sandbox's KQL subset does not support the function '${e.name}()'`,
      "UnsupportedError",
      e.pos,
    );
  arity(e, spec.min, spec.max ?? spec.min);
  const args = e.args.map(compile);
  const problem = ARGUMENT_CHECKS[e.name]?.(args.map((a) => a.type));
  if (problem) throw new KqlError(`'${scope.operator}' operator: ${e.name}(): ${problem}`, "SemanticError", e.pos);
  return spec.build(args, scope, e);
}

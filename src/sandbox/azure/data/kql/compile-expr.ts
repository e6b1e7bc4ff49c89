/**
 * Compiles an expression against the columns in scope into a typed evaluator. Typing up front gives the
 * result column types (the query API reports them) and catches unknown columns even on an empty table, as
 * Kusto's semantic analysis does ("Failed to resolve scalar expression named 'X'").
 */
import type { Expr } from "./ast.js";
import { callFunction } from "./functions.js";
import { KqlError, type KqlRow, type KqlType, type KqlValue, Timespan } from "./types.js";
import { compareValues, numeric, toKqlString } from "./values.js";

export interface Compiled {
  type: KqlType;
  fn: (row: KqlRow) => KqlValue;
}

export interface Scope {
  columns: Map<string, KqlType>;
  now: number;
  ingestionTime?: (row: KqlRow) => number | undefined;
  /** Name of the operator being compiled, for error messages ("'where' operator: …"). */
  operator: string;
}

const INTEGRAL = new Set<KqlType>(["int", "long"]);
const NUMERIC = new Set<KqlType>(["int", "long", "real", "decimal"]);

export function semantic(scope: Scope, msg: string, pos?: number): never {
  throw new KqlError(`'${scope.operator}' operator: ${msg}`, "SemanticError", pos);
}

export function compileExpr(e: Expr, scope: Scope): Compiled {
  switch (e.k) {
    case "lit": {
      const v = e.value;
      return { type: e.type, fn: () => v };
    }
    case "col": {
      const type = scope.columns.get(e.name);
      if (type === undefined) semantic(scope, `Failed to resolve column or scalar expression named '${e.name}'`, e.pos);
      const name = e.name;
      return { type: type!, fn: (row) => row[name] ?? null };
    }
    case "member":
    case "index": {
      const target = compileExpr(e.target, scope);
      if (target.type !== "dynamic")
        semantic(scope, `Property access needs a dynamic value, but the expression is of type '${target.type}'`, e.pos);
      const key: Compiled = e.k === "member" ? { type: "string", fn: () => e.name } : compileExpr(e.index, scope);
      return {
        type: "dynamic",
        fn: (row) => {
          const obj = target.fn(row);
          const k = key.fn(row);
          if (obj === null || typeof obj !== "object") return null;
          if (Array.isArray(obj)) {
            if (typeof k !== "number") return null;
            const idx = k < 0 ? obj.length + k : k;
            return (obj[idx] ?? null) as KqlValue;
          }
          if (obj instanceof Date || obj instanceof Timespan) return null;
          return ((obj as Record<string, unknown>)[toKqlString(k)] ?? null) as KqlValue;
        },
      };
    }
    case "unary": {
      const arg = compileExpr(e.arg, scope);
      if (e.op === "+") return arg;
      if (arg.type === "timespan") return { type: "timespan", fn: (r) => neg(arg.fn(r)) };
      if (!NUMERIC.has(arg.type) && arg.type !== "dynamic")
        semantic(scope, `Cannot negate a value of type '${arg.type}'`, e.pos);
      return { type: arg.type, fn: (r) => neg(arg.fn(r)) };
    }
    case "call":
      return callFunction(e, scope, (x) => compileExpr(x, scope));
    case "in": {
      const left = compileExpr(e.left, scope);
      const items = e.list.map((x) => compileExpr(x, scope));
      const ci = e.op.endsWith("~");
      const negate = e.op.startsWith("!");
      return {
        type: "bool",
        fn: (row) => {
          const v = left.fn(row);
          const candidates: KqlValue[] = [];
          for (const it of items) {
            const x = it.fn(row);
            if (it.type === "dynamic" && Array.isArray(x)) candidates.push(...(x as KqlValue[]));
            else candidates.push(x);
          }
          if (e.op === "has_any" || e.op === "has_all") {
            const hay = toKqlString(v);
            const terms = candidates.map((c) => toKqlString(c));
            return e.op === "has_any"
              ? terms.some((c) => hasTerm(hay, c, false))
              : terms.every((c) => hasTerm(hay, c, false));
          }
          const hit = candidates.some((c) => equals(v, c, ci));
          return negate ? !hit : hit;
        },
      };
    }
    case "between": {
      const left = compileExpr(e.left, scope);
      const low = compileExpr(e.low, scope);
      const high = compileExpr(e.high, scope);
      return {
        type: "bool",
        fn: (row) => {
          const v = left.fn(row);
          if (v === null) return null;
          const inside = compareValues(v, low.fn(row)) >= 0 && compareValues(v, high.fn(row)) <= 0;
          return e.negate ? !inside : inside;
        },
      };
    }
    case "binary":
      return compileBinary(e, scope);
  }
}

function neg(v: KqlValue): KqlValue {
  if (typeof v === "number") return -v;
  if (v instanceof Timespan) return new Timespan(-v.ms);
  return null;
}

/** Equality as KQL's `==` (ci=false) and `=~` (ci=true). */
export function equals(a: KqlValue, b: KqlValue, ci: boolean): boolean {
  if (a === null || b === null || a === undefined || b === undefined) return false;
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined && nb !== undefined) return na === nb;
  if (typeof a === "boolean" || typeof b === "boolean") return a === b;
  const sa = toKqlString(a);
  const sb = toKqlString(b);
  return ci ? sa.toLowerCase() === sb.toLowerCase() : sa === sb;
}

/** `has`: whole-term match, case-insensitive (https://learn.microsoft.com/kusto/query/datatypes-string-operators). */
function hasTerm(hay: string, needle: string, cs: boolean): boolean {
  const h = cs ? hay : hay.toLowerCase();
  const n = cs ? needle : needle.toLowerCase();
  if (n === "") return true;
  const alnum = /[\p{L}\p{N}]/u;
  for (let at = h.indexOf(n); at >= 0; at = h.indexOf(n, at + 1)) {
    const before = h[at - 1];
    const after = h[at + n.length];
    const startOk = !alnum.test(n[0]!) || before === undefined || !alnum.test(before);
    const endOk = !alnum.test(n[n.length - 1]!) || after === undefined || !alnum.test(after);
    if (startOk && endOk) return true;
  }
  return false;
}

const STRING_PREDICATES: Record<string, (h: string, n: string) => boolean> = {
  has: (h, n) => hasTerm(h, n, false),
  has_cs: (h, n) => hasTerm(h, n, true),
  contains: (h, n) => h.toLowerCase().includes(n.toLowerCase()),
  contains_cs: (h, n) => h.includes(n),
  startswith: (h, n) => h.toLowerCase().startsWith(n.toLowerCase()),
  startswith_cs: (h, n) => h.startsWith(n),
  endswith: (h, n) => h.toLowerCase().endsWith(n.toLowerCase()),
  endswith_cs: (h, n) => h.endsWith(n),
  hasprefix: (h, n) => new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRe(n)}`, "iu").test(h),
  hassuffix: (h, n) => new RegExp(`${escapeRe(n)}($|[^\\p{L}\\p{N}])`, "iu").test(h),
};

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function compileBinary(e: Extract<Expr, { k: "binary" }>, scope: Scope): Compiled {
  const l = compileExpr(e.left, scope);
  const r = compileExpr(e.right, scope);
  const op = e.op;
  if (op === "and" || op === "or") {
    for (const side of [l, r])
      if (side.type !== "bool" && side.type !== "dynamic")
        semantic(scope, `The operands of '${op}' must be bool, not '${side.type}'`, e.pos);
    return op === "and"
      ? { type: "bool", fn: (row) => l.fn(row) === true && r.fn(row) === true }
      : { type: "bool", fn: (row) => l.fn(row) === true || r.fn(row) === true };
  }
  const bare = op.replace(/^!/, "");
  const pred = STRING_PREDICATES[bare];
  const isStringOp = Object.hasOwn(STRING_PREDICATES, bare);
  // Operand types as Kusto's semantic analysis checks them: string operators and =~ need strings (or dynamic);
  // ordering needs two numbers, datetimes, timespans or strings; == and != accept any pair.
  const stringish = (t: KqlType) => t === "string" || t === "dynamic";
  const undefinedFor = (): never =>
    semantic(scope, `The operator '${op}' is not defined for the operand types ${l.type} and ${r.type}.`, e.pos);
  if ((isStringOp || op === "=~" || op === "!~") && (!stringish(l.type) || !stringish(r.type))) undefinedFor();
  if ((op === "<" || op === "<=" || op === ">" || op === ">=") && l.type !== "dynamic" && r.type !== "dynamic") {
    const group = (t: KqlType) => (NUMERIC.has(t) ? "number" : t);
    if (group(l.type) !== group(r.type) || !["number", "datetime", "timespan", "string"].includes(group(l.type)))
      undefinedFor();
  }
  if (isStringOp && pred) {
    const negate = op.startsWith("!");
    return {
      type: "bool",
      fn: (row) => {
        const hit = pred(toKqlString(l.fn(row)), toKqlString(r.fn(row)));
        return negate ? !hit : hit;
      },
    };
  }
  switch (op) {
    case "==":
    case "!=":
    case "=~":
    case "!~": {
      const ci = op.endsWith("~");
      const negate = op.startsWith("!");
      return {
        type: "bool",
        fn: (row) => {
          const a = l.fn(row);
          const b = r.fn(row);
          if (a === null || b === null) return null;
          const eq = equals(a, b, ci);
          return negate ? !eq : eq;
        },
      };
    }
    case "<":
    case "<=":
    case ">":
    case ">=":
      return {
        type: "bool",
        fn: (row) => {
          const a = l.fn(row);
          const b = r.fn(row);
          if (a === null || b === null) return null;
          const c = compareValues(a, b);
          return op === "<" ? c < 0 : op === "<=" ? c <= 0 : op === ">" ? c > 0 : c >= 0;
        },
      };
    default:
      return arithmetic(op, l, r, scope, e.pos);
  }
}

function arithmetic(op: string, l: Compiled, r: Compiled, scope: Scope, pos: number): Compiled {
  const lt = l.type;
  const rt = r.type;
  const bad = (): never => semantic(scope, `Operator '${op}' cannot be applied to '${lt}' and '${rt}'`, pos);
  if (lt === "datetime" || rt === "datetime") {
    if (op === "-" && lt === "datetime" && rt === "datetime")
      return { type: "timespan", fn: (row) => span(row, l, r, (a, b) => new Timespan(a - b)) };
    if ((op === "+" || op === "-") && lt === "datetime" && rt === "timespan")
      return { type: "datetime", fn: (row) => span(row, l, r, (a, b) => new Date(op === "+" ? a + b : a - b)) };
    if (op === "+" && lt === "timespan" && rt === "datetime")
      return { type: "datetime", fn: (row) => span(row, l, r, (a, b) => new Date(a + b)) };
    return bad();
  }
  if (lt === "timespan" || rt === "timespan") {
    if ((op === "+" || op === "-") && lt === "timespan" && rt === "timespan")
      return { type: "timespan", fn: (row) => span(row, l, r, (a, b) => new Timespan(op === "+" ? a + b : a - b)) };
    if (op === "/" && lt === "timespan" && rt === "timespan")
      return { type: "real", fn: (row) => span(row, l, r, (a, b) => (b === 0 ? null : a / b)) };
    if ((op === "*" || op === "/") && lt === "timespan" && NUMERIC.has(rt))
      return { type: "timespan", fn: (row) => span(row, l, r, (a, b) => new Timespan(op === "*" ? a * b : a / b)) };
    if (op === "*" && NUMERIC.has(lt) && rt === "timespan")
      return { type: "timespan", fn: (row) => span(row, l, r, (a, b) => new Timespan(a * b)) };
    return bad();
  }
  const numericOrDynamic = (t: KqlType) => NUMERIC.has(t) || t === "dynamic";
  if (!numericOrDynamic(lt) || !numericOrDynamic(rt)) return bad();
  const integral = INTEGRAL.has(lt) && INTEGRAL.has(rt);
  const type: KqlType = integral ? (lt === "long" || rt === "long" ? "long" : "int") : "real";
  return {
    type,
    fn: (row) =>
      span(row, l, r, (a, b) => {
        switch (op) {
          case "+":
            return a + b;
          case "-":
            return a - b;
          case "*":
            return a * b;
          case "/":
            if (b === 0) return integral ? null : a / b;
            return integral ? Math.trunc(a / b) : a / b;
          default:
            if (b === 0) return null;
            return a % b;
        }
      }),
  };
}

function span(row: KqlRow, l: Compiled, r: Compiled, f: (a: number, b: number) => KqlValue): KqlValue {
  const a = numeric(l.fn(row));
  const b = numeric(r.fn(row));
  if (a === undefined || b === undefined) return null;
  return f(a, b);
}

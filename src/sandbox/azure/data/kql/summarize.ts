/**
 * Aggregation functions of `summarize`, with KQL's default result names (`count_`, `max_TimeGenerated`,
 * `dcount_Host`) and types (https://learn.microsoft.com/kusto/query/aggregation-functions).
 */
import type { Expr, NamedExpr } from "./ast.js";
import { type Compiled, compileExpr, type Scope } from "./compile-expr.js";
import { AGGREGATES } from "./functions.js";
import { type KqlColumn, KqlError, type KqlRow, type KqlType, type KqlValue } from "./types.js";
import { compareValues, numeric, toKqlString, toJsonCell } from "./values.js";

export interface Aggregate {
  /** Result columns (one, or several for arg_max/arg_min). */
  columns: KqlColumn[];
  reduce(rows: KqlRow[]): KqlValue[];
}

interface Single {
  name: string;
  type: KqlType;
  reduce(rows: KqlRow[]): KqlValue;
}

const SUPPORTED = new Set([
  "count",
  "countif",
  "dcount",
  "sum",
  "avg",
  "min",
  "max",
  "make_set",
  "make_list",
  "take_any",
  "any",
  "arg_max",
  "arg_min",
]);

export function compileAggregate(item: NamedExpr, scope: Scope, byNames: Set<string>): Aggregate {
  const e = item.expr;
  if (e.k === "call" && (e.name === "arg_max" || e.name === "arg_min")) return argExtreme(e, item, scope, byNames);
  const one = compileSingle(item, scope);
  return { columns: [{ name: one.name, type: one.type }], reduce: (rows) => [one.reduce(rows)] };
}

/**
 * arg_max(expr, col1, …) / arg_max(expr, *): the row with the largest (smallest) expr, returning expr and the
 * listed columns (all, for `*`, except the by-columns) — https://learn.microsoft.com/kusto/query/arg-max-aggregation-function.
 */
function argExtreme(e: Extract<Expr, { k: "call" }>, item: NamedExpr, scope: Scope, byNames: Set<string>): Aggregate {
  if (e.args.length < 1)
    throw new KqlError(`The function '${e.name}' expects at least 1 argument`, "SemanticError", e.pos);
  const [first, ...rest] = e.args as [Expr, ...Expr[]];
  const key = compileExpr(first, scope);
  const keyName = item.name ?? (first.k === "col" ? first.name : `${e.name === "arg_max" ? "max" : "min"}_`);
  const star = rest.length === 1 && rest[0]!.k === "col" && rest[0]!.name === "*";
  const picked: { name: string; c: Compiled }[] = star
    ? [...scope.columns.entries()]
        .filter(([n]) => n !== keyName && !byNames.has(n))
        .map(([n, type]) => ({ name: n, c: { type, fn: (r: KqlRow) => r[n] ?? null } }))
    : rest.map((x, i) => ({
        name: x.k === "col" ? x.name : `${e.name}_arg${i + 1}`,
        c: compileExpr(x, scope),
      }));
  const sign = e.name === "arg_max" ? 1 : -1;
  return {
    columns: [{ name: keyName, type: key.type }, ...picked.map((p) => ({ name: p.name, type: p.c.type }))],
    reduce: (rows) => {
      let best: KqlRow | undefined;
      let bestVal: KqlValue = null;
      for (const r of rows) {
        const v = key.fn(r);
        if (v === null) continue;
        if (best === undefined || sign * compareValues(v, bestVal) > 0) {
          best = r;
          bestVal = v;
        }
      }
      return [bestVal, ...picked.map((p) => (best ? p.c.fn(best) : null))];
    },
  };
}

function compileSingle(item: NamedExpr, scope: Scope): Single {
  const e = item.expr;
  if (e.k !== "call" || !AGGREGATES.has(e.name))
    throw new KqlError(
      "'summarize' operator: each item must be an aggregation function call such as count() or max(x)",
      "SemanticError",
      e.pos,
    );
  if (!SUPPORTED.has(e.name))
    throw new KqlError(
      `The sandbox's KQL subset does not support the aggregation '${e.name}()'`,
      "UnsupportedError",
      e.pos,
    );
  const args: Compiled[] = e.args.map((a) => compileExpr(a, scope));
  const argName = e.args[0]?.k === "col" ? e.args[0].name : "";
  const fname = e.name === "any" ? "any" : e.name;
  const name = item.name ?? `${fname}_${argName}`;
  const needs = (k: number) => {
    if (args.length !== k)
      throw new KqlError(
        `The function '${e.name}' expects ${k} argument(s), got ${args.length}`,
        "SemanticError",
        e.pos,
      );
  };
  const vals = (rows: KqlRow[]) => rows.map((r) => args[0]!.fn(r)).filter((v) => v !== null);
  switch (e.name) {
    case "count":
      needs(0);
      return { name, type: "long", reduce: (rows) => rows.length };
    case "countif":
      needs(1);
      return { name, type: "long", reduce: (rows) => rows.filter((r) => args[0]!.fn(r) === true).length };
    case "dcount":
      if (args.length < 1 || args.length > 2) needs(1);
      return { name, type: "long", reduce: (rows) => new Set(vals(rows).map((v) => toKqlString(v))).size };
    case "sum":
      needs(1);
      return {
        name,
        type: args[0]!.type === "int" || args[0]!.type === "long" ? "long" : "real",
        reduce: (rows) => vals(rows).reduce<number>((s, v) => s + (numeric(v) ?? 0), 0),
      };
    case "avg":
      needs(1);
      return {
        name,
        type: "real",
        reduce: (rows) => {
          const v = vals(rows);
          return v.length ? v.reduce<number>((s, x) => s + (numeric(x) ?? 0), 0) / v.length : null;
        },
      };
    case "min":
    case "max": {
      needs(1);
      const sign = e.name === "max" ? 1 : -1;
      return {
        name,
        type: args[0]!.type,
        reduce: (rows) => {
          let best: KqlValue = null;
          for (const v of vals(rows)) if (best === null || sign * compareValues(v, best) > 0) best = v;
          return best;
        },
      };
    }
    case "make_set":
    case "make_list":
      if (args.length < 1 || args.length > 2) needs(1);
      return {
        name,
        type: "dynamic",
        reduce: (rows) => {
          const out = vals(rows).map(toJsonCell);
          if (e.name === "make_list") return out as KqlValue;
          const seen = new Set<string>();
          return out.filter((v) => {
            const k = JSON.stringify(v);
            if (seen.has(k)) return false;
            seen.add(k);
            return true;
          }) as KqlValue;
        },
      };
    default:
      needs(1);
      return { name, type: args[0]!.type, reduce: (rows) => vals(rows)[0] ?? null };
  }
}

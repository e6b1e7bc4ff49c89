/**
 * Aggregation functions of `summarize`, with KQL's default result names (`count_`, `max_TimeGenerated`,
 * `dcount_Host`) and types (https://learn.microsoft.com/kusto/query/aggregation-functions).
 */
import type { NamedExpr } from "./ast.js";
import { type Compiled, compileExpr, type Scope } from "./compile-expr.js";
import { AGGREGATES } from "./functions.js";
import { KqlError, type KqlRow, type KqlType, type KqlValue } from "./types.js";
import { compareValues, numeric, toKqlString, toJsonCell } from "./values.js";

export interface Aggregate {
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
]);

export function compileAggregate(item: NamedExpr, scope: Scope): Aggregate {
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

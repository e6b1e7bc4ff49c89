/** Syntax tree of the KQL subset. */
import type { KqlValue, KqlType } from "./types.js";

export type Expr =
  | { k: "lit"; value: KqlValue; type: KqlType; pos: number }
  | { k: "col"; name: string; pos: number }
  | { k: "member"; target: Expr; name: string; pos: number }
  | { k: "index"; target: Expr; index: Expr; pos: number }
  | { k: "call"; name: string; args: Expr[]; pos: number }
  | { k: "unary"; op: "-" | "+"; arg: Expr; pos: number }
  | { k: "binary"; op: string; left: Expr; right: Expr; pos: number }
  /** `x in (a, b)`, `x !in~ (…)`: the list may hold one dynamic array expression. */
  /** Also `has_any` / `has_all` (same list syntax, term matching). */
  | { k: "in"; op: "in" | "!in" | "in~" | "!in~" | "has_any" | "has_all"; left: Expr; list: Expr[]; pos: number }
  | { k: "between"; negate: boolean; left: Expr; low: Expr; high: Expr; pos: number };

/** `[Name =] expr` in project/extend/summarize. */
export interface NamedExpr {
  name?: string;
  expr: Expr;
}

export interface SortKey {
  expr: Expr;
  desc: boolean;
  nullsFirst: boolean;
}

export type Operator =
  | { op: "where"; pred: Expr; pos: number }
  | { op: "project"; items: NamedExpr[]; pos: number }
  | { op: "project-away"; names: string[]; pos: number }
  | { op: "project-rename"; pairs: { to: string; from: string }[]; pos: number }
  | { op: "extend"; items: NamedExpr[]; pos: number }
  | { op: "take"; count: Expr; pos: number }
  | { op: "top"; count: Expr; key: SortKey; pos: number }
  | { op: "sort"; keys: SortKey[]; pos: number }
  | { op: "summarize"; aggs: NamedExpr[]; by: NamedExpr[]; pos: number }
  | { op: "distinct"; items: NamedExpr[] | "*"; pos: number }
  | { op: "count"; pos: number };

export interface Query {
  /** Table name, or `source` in a DCR transform. */
  source: string;
  ops: Operator[];
  /** Original text (for error messages). */
  text: string;
}

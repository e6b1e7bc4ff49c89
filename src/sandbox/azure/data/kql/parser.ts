/**
 * Recursive-descent parser for the KQL subset: a table, then `|`-separated tabular operators. Anything outside
 * the subset fails with a KqlError of kind `UnsupportedError` that names the construct, so a query is never
 * half-understood.
 */
import type { NamedExpr, Operator, Query, SortKey } from "./ast.js";
import { ExprParser } from "./parse-expr.js";
import { describe } from "./token-stream.js";

const KNOWN_TABULAR = new Set([
  "join",
  "union",
  "lookup",
  "mv-expand",
  "mv-apply",
  "make-series",
  "parse",
  "parse-where",
  "parse-kv",
  "evaluate",
  "render",
  "project-keep",
  "project-reorder",
  "as",
  "invoke",
  "serialize",
  "sample",
  "sample-distinct",
  "search",
  "find",
  "getschema",
  "fork",
  "facet",
  "partition",
  "scan",
  "range",
  "print",
  "datatable",
  "externaldata",
  "let",
  "materialize",
]);
export function parseKql(text: string): Query {
  return new Parser(text).query();
}

class Parser extends ExprParser {
  query(): Query {
    const first = this.peek();
    if (first.t === "ident" && KNOWN_TABULAR.has(first.v)) this.unsupported(`'${first.v}'`);
    if (first.t === "ident" && first.v === "set") this.unsupported("query options ('set')");
    const source = this.ident("a table name");
    if (this.isOp("(")) this.unsupported(`calling a function ('${source}(...)') as a table`);
    const ops: Operator[] = [];
    while (this.isOp("|")) {
      this.i++;
      ops.push(this.operator());
    }
    if (this.isOp(";")) this.unsupported("multiple statements (';')");
    if (this.peek().t !== "eof") this.fail(`Unexpected ${describe(this.peek())} after the query`);
    return { source, ops, text: this.text };
  }

  protected operator(): Operator {
    const t = this.peek();
    if (t.t !== "ident") return this.fail(`Expected a query operator after '|' but found ${describe(t)}`);
    const pos = t.pos;
    this.i++;
    switch (t.v) {
      case "where":
      case "filter":
        return { op: "where", pred: this.expr(), pos };
      case "project":
        return { op: "project", items: this.namedList(), pos };
      case "project-away":
        return { op: "project-away", names: this.nameList(), pos };
      case "project-rename": {
        const pairs: { to: string; from: string }[] = [];
        do {
          const to = this.ident("a column name");
          this.expectOp("=");
          pairs.push({ to, from: this.ident("a column name") });
        } while (this.acceptOp(","));
        return { op: "project-rename", pairs, pos };
      }
      case "extend":
        return { op: "extend", items: this.namedList(), pos };
      case "take":
      case "limit":
        return { op: "take", count: this.expr(), pos };
      case "top": {
        const count = this.expr();
        if (!this.isWord("by")) this.fail("Expected 'by' after 'top N'");
        this.i++;
        return { op: "top", count, key: this.sortKey(), pos };
      }
      case "order":
      case "sort": {
        if (!this.isWord("by")) this.fail(`Expected 'by' after '${t.v}'`);
        this.i++;
        const keys: SortKey[] = [];
        do keys.push(this.sortKey());
        while (this.acceptOp(","));
        return { op: "sort", keys, pos };
      }
      case "summarize": {
        if (this.isWord("hint.strategy") || this.isWord("hint")) this.unsupported("summarize hints");
        const aggs = this.isWord("by") ? [] : this.namedList();
        let by: NamedExpr[] = [];
        if (this.isWord("by")) {
          this.i++;
          by = this.namedList();
        }
        return { op: "summarize", aggs, by, pos };
      }
      case "distinct":
        if (this.isOp("*")) {
          this.i++;
          return { op: "distinct", items: "*", pos };
        }
        return { op: "distinct", items: this.namedList(), pos };
      case "count":
        return { op: "count", pos };
      default:
        if (KNOWN_TABULAR.has(t.v) || t.v === "as") return this.unsupported(`the '${t.v}' operator`, pos);
        return this.fail(`'${t.v}' is not a query operator`, pos);
    }
  }

  protected nameList(): string[] {
    const names: string[] = [];
    do {
      const n = this.ident("a column name");
      if (this.isOp("*")) this.unsupported("column wildcards");
      names.push(n);
    } while (this.acceptOp(","));
    return names;
  }

  protected namedList(): NamedExpr[] {
    const items: NamedExpr[] = [];
    do {
      if (this.isOp("(")) this.unsupported("tuple assignments '(a, b) = …'");
      const t = this.peek();
      if (t.t === "ident" && this.isOp("=", 1) && !this.isOp("=", 2)) {
        this.i += 2;
        items.push({ name: t.v, expr: this.expr() });
      } else items.push({ expr: this.expr() });
    } while (this.acceptOp(","));
    return items;
  }

  protected sortKey(): SortKey {
    const expr = this.expr();
    let desc = true;
    if (this.isWord("asc")) {
      desc = false;
      this.i++;
    } else if (this.isWord("desc")) this.i++;
    // Default null placement: nulls last for desc, first for asc (https://learn.microsoft.com/kusto/query/sort-operator).
    let nullsFirst = !desc;
    if (this.isWord("nulls")) {
      this.i++;
      if (this.isWord("first")) nullsFirst = true;
      else if (this.isWord("last")) nullsFirst = false;
      else this.fail("Expected 'first' or 'last' after 'nulls'");
      this.i++;
    }
    return { expr, desc, nullsFirst };
  }
}

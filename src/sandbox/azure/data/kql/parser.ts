/**
 * Recursive-descent parser for the KQL subset. Anything outside the subset fails with a KqlError of kind
 * `UnsupportedError` that names the construct, so a query is never half-understood.
 * Precedence follows https://learn.microsoft.com/kusto/query/ (or < and < comparison/string operators <
 * additive < multiplicative < unary < postfix).
 */
import type { Expr, NamedExpr, Operator, Query, SortKey } from "./ast.js";
import { type Token, tokenize } from "./lexer.js";
import { literalFromRaw } from "./values.js";
import { KqlError } from "./types.js";

const COMPARISON = new Set(["==", "!=", "<>", "=~", "!~", "<", "<=", ">", ">="]);
const STRING_OPS = new Set([
  "has",
  "!has",
  "has_cs",
  "!has_cs",
  "contains",
  "!contains",
  "contains_cs",
  "!contains_cs",
  "startswith",
  "!startswith",
  "startswith_cs",
  "!startswith_cs",
  "endswith",
  "!endswith",
  "endswith_cs",
  "!endswith_cs",
  "hasprefix",
  "!hasprefix",
  "hassuffix",
  "!hassuffix",
]);
const UNSUPPORTED_STRING_OPS = new Set(["matches", "has_any", "has_all", "!has_any", "!has_all"]);
/** Tabular operators real KQL has that the subset does not: named in the error. */
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

class Parser {
  private toks: Token[];
  private i = 0;

  constructor(private readonly text: string) {
    this.toks = tokenize(text);
  }

  private peek(o = 0): Token {
    return this.toks[Math.min(this.i + o, this.toks.length - 1)]!;
  }

  private next(): Token {
    return this.toks[this.i++]!;
  }

  private isOp(v: string, o = 0): boolean {
    const t = this.peek(o);
    return t.t === "op" && t.v === v;
  }

  private isWord(v: string, o = 0): boolean {
    const t = this.peek(o);
    return t.t === "ident" && t.v === v;
  }

  private fail(msg: string, pos = this.peek().pos): never {
    throw new KqlError(msg, "SyntaxError", pos);
  }

  private unsupported(what: string, pos = this.peek().pos): never {
    throw new KqlError(`The sandbox's KQL subset does not support ${what}`, "UnsupportedError", pos);
  }

  private expectOp(v: string): void {
    if (!this.isOp(v)) this.fail(`Expected '${v}' but found ${describe(this.peek())}`);
    this.i++;
  }

  private ident(what: string): string {
    const t = this.peek();
    if (t.t === "ident") {
      this.i++;
      return t.v;
    }
    // ['column name'] bracketed identifier.
    if (t.t === "op" && t.v === "[" && this.peek(1).t === "string" && this.isOp("]", 2)) {
      this.i += 3;
      return (this.toks[this.i - 2] as { v: string }).v;
    }
    return this.fail(`Expected ${what} but found ${describe(t)}`);
  }

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

  private operator(): Operator {
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

  private acceptOp(v: string): boolean {
    if (!this.isOp(v)) return false;
    this.i++;
    return true;
  }

  private nameList(): string[] {
    const names: string[] = [];
    do {
      const n = this.ident("a column name");
      if (this.isOp("*")) this.unsupported("column wildcards");
      names.push(n);
    } while (this.acceptOp(","));
    return names;
  }

  private namedList(): NamedExpr[] {
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

  private sortKey(): SortKey {
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

  // ---------- expressions ----------

  expr(): Expr {
    return this.or();
  }

  private or(): Expr {
    let left = this.and();
    while (this.isWord("or")) {
      const pos = this.next().pos;
      left = { k: "binary", op: "or", left, right: this.and(), pos };
    }
    return left;
  }

  private and(): Expr {
    let left = this.comparison();
    while (this.isWord("and")) {
      const pos = this.next().pos;
      left = { k: "binary", op: "and", left, right: this.comparison(), pos };
    }
    return left;
  }

  private comparison(): Expr {
    const left = this.additive();
    const t = this.peek();
    if (t.t === "op" && COMPARISON.has(t.v)) {
      this.i++;
      const op = t.v === "<>" ? "!=" : t.v;
      return { k: "binary", op, left, right: this.additive(), pos: t.pos };
    }
    if (t.t === "ident") {
      if (STRING_OPS.has(t.v)) {
        this.i++;
        return { k: "binary", op: t.v, left, right: this.additive(), pos: t.pos };
      }
      if (UNSUPPORTED_STRING_OPS.has(t.v)) this.unsupported(`the '${t.v}' operator`);
      if (t.v === "in" || t.v === "!in" || t.v === "in~" || t.v === "!in~") {
        this.i++;
        this.expectOp("(");
        const list: Expr[] = [];
        if (!this.isOp(")"))
          do list.push(this.expr());
          while (this.acceptOp(","));
        this.expectOp(")");
        return { k: "in", op: t.v, left, list, pos: t.pos };
      }
      if (t.v === "between" || t.v === "!between") {
        this.i++;
        this.expectOp("(");
        const low = this.additive();
        this.expectOp("..");
        const high = this.additive();
        this.expectOp(")");
        return { k: "between", negate: t.v.startsWith("!"), left, low, high, pos: t.pos };
      }
    }
    return left;
  }

  private additive(): Expr {
    let left = this.multiplicative();
    while (this.isOp("+") || this.isOp("-")) {
      const t = this.next() as { v: string; pos: number };
      left = { k: "binary", op: t.v, left, right: this.multiplicative(), pos: t.pos };
    }
    return left;
  }

  private multiplicative(): Expr {
    let left = this.unary();
    while (this.isOp("*") || this.isOp("/") || this.isOp("%")) {
      const t = this.next() as { v: string; pos: number };
      left = { k: "binary", op: t.v, left, right: this.unary(), pos: t.pos };
    }
    return left;
  }

  private unary(): Expr {
    if (this.isOp("-") || this.isOp("+")) {
      const t = this.next() as { v: "-" | "+"; pos: number };
      return { k: "unary", op: t.v, arg: this.unary(), pos: t.pos };
    }
    return this.postfix();
  }

  private postfix(): Expr {
    let e = this.primary();
    for (;;) {
      if (this.isOp(".")) {
        const pos = this.next().pos;
        const t = this.peek();
        if (t.t === "ident") {
          this.i++;
          e = { k: "member", target: e, name: t.v, pos };
        } else if (t.t === "op" && t.v === "[") {
          const name = this.ident("a property name");
          e = { k: "member", target: e, name, pos };
        } else this.fail(`Expected a property name after '.' but found ${describe(t)}`);
      } else if (this.isOp("[")) {
        const pos = this.next().pos;
        const index = this.expr();
        this.expectOp("]");
        e = { k: "index", target: e, index, pos };
      } else return e;
    }
  }

  private primary(): Expr {
    const t = this.next();
    switch (t.t) {
      case "number":
        return { k: "lit", value: t.v, type: t.real ? "real" : "long", pos: t.pos };
      case "string":
        return { k: "lit", value: t.v, type: "string", pos: t.pos };
      case "timespan":
        return { k: "lit", value: t.v, type: "timespan", pos: t.pos };
      case "rawlit": {
        const { value, type } = literalFromRaw(t.kind, t.v, t.pos);
        return { k: "lit", value, type, pos: t.pos };
      }
      case "op":
        if (t.v === "(") {
          const e = this.expr();
          this.expectOp(")");
          return e;
        }
        if (t.v === "[" && this.peek().t === "string" && this.isOp("]", 1)) {
          const name = (this.next() as { v: string }).v;
          this.i++;
          return { k: "col", name, pos: t.pos };
        }
        return this.fail(`Unexpected ${describe(t)}`, t.pos);
      case "ident": {
        if (t.v === "true" || t.v === "false") return { k: "lit", value: t.v === "true", type: "bool", pos: t.pos };
        if (this.isOp("(")) {
          this.i++;
          const args: Expr[] = [];
          if (!this.isOp(")"))
            do args.push(this.expr());
            while (this.acceptOp(","));
          this.expectOp(")");
          return { k: "call", name: t.v, args, pos: t.pos };
        }
        return { k: "col", name: t.v, pos: t.pos };
      }
      default:
        return this.fail("Unexpected end of query", t.pos);
    }
  }
}

function describe(t: Token): string {
  switch (t.t) {
    case "eof":
      return "the end of the query";
    case "string":
      return `string '${t.v}'`;
    case "rawlit":
      return `'${t.kind}(...)'`;
    case "timespan":
      return "a timespan";
    case "number":
      return `'${t.v}'`;
    default:
      return `'${t.v}'`;
  }
}

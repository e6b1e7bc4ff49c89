/**
 * Expression grammar of the KQL subset. Precedence follows https://learn.microsoft.com/kusto/query/ (or < and <
 * comparison/string operators < additive < multiplicative < unary < postfix).
 */
import type { Expr } from "./ast.js";
import { describe, TokenStream } from "./token-stream.js";
import { literalFromRaw } from "./values.js";

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
const UNSUPPORTED_STRING_OPS = new Set(["matches", "!has_any", "!has_all"]);
/** Tabular operators real KQL has that the subset does not: named in the error. */ export class ExprParser extends TokenStream {
  expr(): Expr {
    return this.or();
  }

  protected or(): Expr {
    let left = this.and();
    while (this.isWord("or")) {
      const pos = this.next().pos;
      left = { k: "binary", op: "or", left, right: this.and(), pos };
    }
    return left;
  }

  protected and(): Expr {
    let left = this.comparison();
    while (this.isWord("and")) {
      const pos = this.next().pos;
      left = { k: "binary", op: "and", left, right: this.comparison(), pos };
    }
    return left;
  }

  protected comparison(): Expr {
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
      if (t.v === "in" || t.v === "!in" || t.v === "in~" || t.v === "!in~" || t.v === "has_any" || t.v === "has_all") {
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

  protected additive(): Expr {
    let left = this.multiplicative();
    while (this.isOp("+") || this.isOp("-")) {
      const t = this.next() as { v: string; pos: number };
      left = { k: "binary", op: t.v, left, right: this.multiplicative(), pos: t.pos };
    }
    return left;
  }

  protected multiplicative(): Expr {
    let left = this.unary();
    while (this.isOp("*") || this.isOp("/") || this.isOp("%")) {
      const t = this.next() as { v: string; pos: number };
      left = { k: "binary", op: t.v, left, right: this.unary(), pos: t.pos };
    }
    return left;
  }

  protected unary(): Expr {
    if (this.isOp("-") || this.isOp("+")) {
      const t = this.next() as { v: "-" | "+"; pos: number };
      return { k: "unary", op: t.v, arg: this.unary(), pos: t.pos };
    }
    return this.postfix();
  }

  protected postfix(): Expr {
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

  protected primary(): Expr {
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
        // `*` as an argument: arg_max(TimeGenerated, *).
        if (t.v === "*" && (this.isOp(")") || this.isOp(","))) return { k: "col", name: "*", pos: t.pos };
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

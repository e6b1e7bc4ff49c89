/**
 * Parser for the Workflow Definition Language expression grammar (the text after `@` or inside `@{…}`):
 * function calls, string/number/boolean/null literals, `['prop']` and `.prop` indexers and their null-safe
 * `?` forms. Grammar per learn.microsoft.com/azure/logic-apps/logic-apps-workflow-definition-language#expressions.
 * Function names are case-insensitive in Logic Apps (`triggerbody()` works), so calls are stored lower-cased.
 */

export type Expr =
  | { k: "lit"; v: unknown }
  | { k: "call"; name: string; args: Expr[]; text: string }
  | { k: "index"; target: Expr; key: Expr; safe: boolean; text: string };

export class ExpressionSyntaxError extends Error {}

const isIdentStart = (c: string) => /[A-Za-z_$]/.test(c);
const isIdent = (c: string) => /[A-Za-z0-9_$-]/.test(c);

class Parser {
  pos = 0;
  constructor(readonly src: string) {}

  fail(what: string): never {
    throw new ExpressionSyntaxError(
      `The template language expression '${this.src}' is not valid: ${what} at position '${this.pos}'.`,
    );
  }

  ws(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos]!)) this.pos++;
  }

  peek(): string {
    this.ws();
    return this.src[this.pos] ?? "";
  }

  expect(c: string): void {
    if (this.peek() !== c) this.fail(`expected '${c}'`);
    this.pos++;
  }

  expression(): Expr {
    const start = this.pos;
    let e = this.primary();
    for (;;) {
      const c = this.peek();
      let safe = false;
      if (c === "?") {
        const next = this.src[this.pos + 1];
        if (next !== "[" && next !== ".") this.fail("expected '[' or '.' after '?'");
        safe = true;
        this.pos++;
      }
      const d = this.src[this.pos];
      if (d === "[") {
        this.pos++;
        const key = this.expression();
        this.expect("]");
        e = { k: "index", target: e, key, safe, text: this.src.slice(start, this.pos).trim() };
      } else if (d === ".") {
        this.pos++;
        const nameStart = this.pos;
        while (this.pos < this.src.length && isIdent(this.src[this.pos]!)) this.pos++;
        if (this.pos === nameStart) this.fail("expected a property name after '.'");
        const key: Expr = { k: "lit", v: this.src.slice(nameStart, this.pos) };
        e = { k: "index", target: e, key, safe, text: this.src.slice(start, this.pos).trim() };
      } else if (safe) {
        this.fail("expected an indexer");
      } else return e;
    }
  }

  primary(): Expr {
    const c = this.peek();
    const start = this.pos;
    if (c === "'") return { k: "lit", v: this.string() };
    if (/[0-9]/.test(c) || ((c === "-" || c === "+") && /[0-9.]/.test(this.src[this.pos + 1] ?? ""))) {
      const m = /^[-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?/.exec(this.src.slice(this.pos));
      if (!m) this.fail("malformed number");
      this.pos += m[0].length;
      return { k: "lit", v: Number(m[0]) };
    }
    if (!isIdentStart(c)) this.fail(c === "" ? "unexpected end of expression" : `unexpected character '${c}'`);
    while (this.pos < this.src.length && isIdent(this.src[this.pos]!)) this.pos++;
    const name = this.src.slice(start, this.pos);
    const lower = name.toLowerCase();
    if (this.peek() !== "(") {
      if (lower === "true") return { k: "lit", v: true };
      if (lower === "false") return { k: "lit", v: false };
      if (lower === "null") return { k: "lit", v: null };
      this.fail(`'${name}' is not a function call`);
    }
    this.pos++;
    const args: Expr[] = [];
    if (this.peek() !== ")") {
      for (;;) {
        args.push(this.expression());
        if (this.peek() === ",") {
          this.pos++;
          continue;
        }
        break;
      }
    }
    this.expect(")");
    return { k: "call", name: lower, args, text: this.src.slice(start, this.pos).trim() };
  }

  string(): string {
    this.pos++; // opening quote
    let out = "";
    for (;;) {
      if (this.pos >= this.src.length) this.fail("unterminated string literal");
      const ch = this.src[this.pos++]!;
      if (ch === "'") {
        if (this.src[this.pos] === "'") {
          out += "'";
          this.pos++;
          continue;
        }
        return out;
      }
      out += ch;
    }
  }
}

/** Parse a whole expression (the text after a leading `@`). */
export function parseExpression(src: string): Expr {
  const p = new Parser(src);
  const e = p.expression();
  if (p.peek() !== "") p.fail(`unexpected '${p.peek()}'`);
  return e;
}

/** Parse an expression starting at `pos` and ending at the `}` of an `@{…}`; returns it and the index after `}`. */
export function parseInterpolation(src: string, pos: number): { expr: Expr; end: number; text: string } {
  const p = new Parser(src);
  p.pos = pos;
  const e = p.expression();
  if (p.peek() !== "}") p.fail("expected '}'");
  return { expr: e, end: p.pos + 1, text: src.slice(pos, p.pos).trim() };
}

/** Every function name an expression calls (for `validate`). */
export function calledFunctions(e: Expr, out: Set<string> = new Set()): Set<string> {
  if (e.k === "call") {
    out.add(e.name);
    for (const a of e.args) calledFunctions(a, out);
  } else if (e.k === "index") {
    calledFunctions(e.target, out);
    calledFunctions(e.key, out);
  }
  return out;
}

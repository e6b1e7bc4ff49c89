/** Token cursor shared by the query and expression parsers: lookahead, expectations and error reporting. */
import { type Token, tokenize } from "./lexer.js";
import { KqlError } from "./types.js";

export class TokenStream {
  protected toks: Token[];
  protected i = 0;

  constructor(protected readonly text: string) {
    this.toks = tokenize(text);
  }

  protected peek(o = 0): Token {
    return this.toks[Math.min(this.i + o, this.toks.length - 1)]!;
  }

  protected next(): Token {
    return this.toks[this.i++]!;
  }

  protected isOp(v: string, o = 0): boolean {
    const t = this.peek(o);
    return t.t === "op" && t.v === v;
  }

  protected isWord(v: string, o = 0): boolean {
    const t = this.peek(o);
    return t.t === "ident" && t.v === v;
  }

  protected fail(msg: string, pos = this.peek().pos): never {
    throw new KqlError(msg, "SyntaxError", pos);
  }

  protected unsupported(what: string, pos = this.peek().pos): never {
    throw new KqlError(`The sandbox's KQL subset does not support ${what}`, "UnsupportedError", pos);
  }

  protected expectOp(v: string): void {
    if (!this.isOp(v)) this.fail(`Expected '${v}' but found ${describe(this.peek())}`);
    this.i++;
  }

  protected ident(what: string): string {
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

  protected acceptOp(v: string): boolean {
    if (!this.isOp(v)) return false;
    this.i++;
    return true;
  }
}

export function describe(t: Token): string {
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

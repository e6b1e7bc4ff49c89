/**
 * A KQL (kuery) parser for the subset detection rules here use: `field:value`, quoted phrases,
 * wildcards (`*`), `field:*` (exists), `field:(a or b)`, range operators (`<`, `<=`, `>`, `>=`),
 * `and` / `or` / `not` (case-insensitive, `and` binds tighter) and parentheses. Grammar after
 * src/platform/packages/shared/kbn-es-query/grammar/grammar.peggy. Nested queries (`field:{…}`) and
 * anything else it does not know raise a KqlSyntaxError naming what is unsupported.
 */
export type KqlNode =
  | { kind: "or"; nodes: KqlNode[] }
  | { kind: "and"; nodes: KqlNode[] }
  | { kind: "not"; node: KqlNode }
  | { kind: "match"; field: string | null; value: KqlValue }
  | { kind: "exists"; field: string }
  | { kind: "range"; field: string; op: "<" | "<=" | ">" | ">="; value: string }
  | { kind: "all" };

/** A value: a phrase (quoted, exact words) or a literal that may contain `*` wildcards. */
export type KqlValue = { quoted: true; text: string } | { quoted: false; text: string; wildcard: boolean };

export class KqlSyntaxError extends Error {}

type Tok =
  | { t: "lparen" | "rparen" | "colon" | "lbrace" | "rbrace"; pos: number }
  | { t: "range"; op: "<" | "<=" | ">" | ">="; pos: number }
  | { t: "quoted"; text: string; pos: number }
  | { t: "word"; text: string; wildcard: boolean; pos: number };

const SPECIAL = new Set(["(", ")", ":", "<", ">", '"', "{", "}", " ", "\t", "\n", "\r"]);

function lex(input: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const pos = i;
    const single = ({ "(": "lparen", ")": "rparen", ":": "colon", "{": "lbrace", "}": "rbrace" } as const)[ch as "("];
    if (single) {
      out.push({ t: single, pos });
      i++;
    } else if (ch === "<" || ch === ">") {
      const eq = input[i + 1] === "=";
      out.push({ t: "range", op: `${ch}${eq ? "=" : ""}` as "<" | "<=" | ">" | ">=", pos });
      i += eq ? 2 : 1;
    } else if (ch === '"') {
      let text = "";
      i++;
      while (i < input.length && input[i] !== '"') {
        if (input[i] === "\\" && i + 1 < input.length) i++;
        text += input[i];
        i++;
      }
      if (input[i] !== '"')
        throw new KqlSyntaxError(`KQL syntax error: unterminated quoted string starting at position ${pos}`);
      i++;
      out.push({ t: "quoted", text, pos });
    } else {
      let text = "";
      let wildcard = false;
      while (i < input.length && !SPECIAL.has(input[i]!)) {
        if (input[i] === "\\" && i + 1 < input.length) {
          text += input[i + 1];
          i += 2;
          continue;
        }
        if (input[i] === "*") wildcard = true;
        text += input[i];
        i++;
      }
      out.push({ t: "word", text, wildcard, pos });
    }
  }
  return out;
}

const isKeyword = (tok: Tok | undefined, kw: string) => tok?.t === "word" && tok.text.toLowerCase() === kw;

export function parseKql(input: string): KqlNode {
  const toks = lex(input);
  if (toks.length === 0) return { kind: "all" };
  let p = 0;
  const peek = () => toks[p];
  const fail = (what: string): never => {
    const tok = peek();
    throw new KqlSyntaxError(`KQL syntax error: ${what} at position ${tok ? tok.pos : input.length}`);
  };

  // value-level grammar inside `field:( … )`: values joined by or/and/not
  const valueOr = (field: string): KqlNode => {
    const nodes = [valueAnd(field)];
    while (isKeyword(peek(), "or")) {
      p++;
      nodes.push(valueAnd(field));
    }
    return nodes.length === 1 ? nodes[0]! : { kind: "or", nodes };
  };
  const valueAnd = (field: string): KqlNode => {
    const nodes = [valueNot(field)];
    while (isKeyword(peek(), "and")) {
      p++;
      nodes.push(valueNot(field));
    }
    return nodes.length === 1 ? nodes[0]! : { kind: "and", nodes };
  };
  const valueNot = (field: string): KqlNode => {
    if (isKeyword(peek(), "not")) {
      p++;
      return { kind: "not", node: valueNot(field) };
    }
    const tok = peek();
    if (tok?.t === "lparen") {
      p++;
      const inner = valueOr(field);
      if (peek()?.t !== "rparen") fail('expected ")"');
      p++;
      return inner;
    }
    return valueNode(field);
  };
  const valueNode = (field: string | null): KqlNode => {
    const tok = peek();
    if (tok?.t === "quoted") {
      p++;
      return { kind: "match", field, value: { quoted: true, text: tok.text } };
    }
    if (tok?.t === "word") {
      // unquoted values may be several words: `message:foo bar` (KQL joins them into one value)
      const words: string[] = [];
      let wildcard = false;
      while (peek()?.t === "word" && !["or", "and", "not"].includes((peek() as { text: string }).text.toLowerCase())) {
        const w = peek() as Extract<Tok, { t: "word" }>;
        if (toks[p + 1]?.t === "colon" || toks[p + 1]?.t === "range") break;
        words.push(w.text);
        wildcard ||= w.wildcard;
        p++;
      }
      if (words.length === 0) fail("expected a value");
      const text = words.join(" ");
      if (field !== null && text === "*" && !words.slice(1).length) return { kind: "exists", field };
      return { kind: "match", field, value: { quoted: false, text, wildcard } };
    }
    if (tok?.t === "lbrace")
      throw new KqlSyntaxError("KQL nested field queries (field:{ … }) are not supported by the sandbox");
    return fail("expected a value");
  };

  const orExpr = (): KqlNode => {
    const nodes = [andExpr()];
    while (isKeyword(peek(), "or")) {
      p++;
      nodes.push(andExpr());
    }
    return nodes.length === 1 ? nodes[0]! : { kind: "or", nodes };
  };
  const andExpr = (): KqlNode => {
    const nodes = [notExpr()];
    while (isKeyword(peek(), "and")) {
      p++;
      nodes.push(notExpr());
    }
    return nodes.length === 1 ? nodes[0]! : { kind: "and", nodes };
  };
  const notExpr = (): KqlNode => {
    if (isKeyword(peek(), "not")) {
      p++;
      return { kind: "not", node: notExpr() };
    }
    return primary();
  };
  const primary = (): KqlNode => {
    const tok = peek();
    if (!tok) return fail("unexpected end of query");
    if (tok.t === "lparen") {
      p++;
      const inner = orExpr();
      if (peek()?.t !== "rparen") fail('expected ")"');
      p++;
      return inner;
    }
    if (tok.t === "word" && toks[p + 1]?.t === "colon") {
      p += 2;
      const field = tok.text;
      const next = peek();
      if (next?.t === "lparen") {
        p++;
        const inner = valueOr(field);
        if (peek()?.t !== "rparen") fail('expected ")"');
        p++;
        return inner;
      }
      return valueNode(field);
    }
    if (tok.t === "word" && toks[p + 1]?.t === "range") {
      const op = (toks[p + 1] as { op: "<" | "<=" | ">" | ">=" }).op;
      p += 2;
      const v = peek();
      if (v?.t !== "word" && v?.t !== "quoted") fail("expected a value after a range operator");
      p++;
      return { kind: "range", field: tok.text, op, value: (v as { text: string }).text };
    }
    if (tok.t === "word" || tok.t === "quoted") return valueNode(null);
    return fail(`unexpected "${input.slice(tok.pos, tok.pos + 1)}"`);
  };

  const tree = orExpr();
  if (p < toks.length) fail("unexpected input");
  return tree;
}

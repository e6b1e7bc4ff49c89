/**
 * ARM template expressions: a JSON string value that starts with `[` and ends with `]` is an expression;
 * `[[` at the start escapes a literal `[` (https://learn.microsoft.com/azure/azure-resource-manager/templates/template-expressions#escape-characters).
 * Only strings are expressions: Logic Apps' `@…` expressions inside a workflow definition are left alone.
 *
 * Grammar: call := ident '(' args ')' accessor* ; accessor := '.' ident | '[' expr ']' ;
 * literal := 'text' (with '' for a quote) | number | true | false | null.
 */

export type Expr =
  | { kind: "literal"; value: unknown }
  | { kind: "call"; name: string; args: Expr[] }
  | { kind: "prop"; target: Expr; name: string }
  | { kind: "index"; target: Expr; index: Expr };

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateError";
  }
}

/** Is this JSON string an ARM expression (and not an escaped `[[` literal)? */
export function isExpression(s: string): boolean {
  return s.length >= 2 && s.startsWith("[") && !s.startsWith("[[") && s.endsWith("]");
}

/** The literal a non-expression string stands for (`[[x]` → `[x]`). */
export function unescapeLiteral(s: string): string {
  return s.startsWith("[[") ? s.slice(1) : s;
}

export function parseExpression(source: string): Expr {
  const text = source.slice(1, -1);
  let i = 0;
  const fail = (msg: string): never => {
    throw new TemplateError(`The template language expression '${text}' is not valid: ${msg} at position ${i}.`);
  };
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const parseString = (): Expr => {
    i++;
    let out = "";
    for (;;) {
      if (i >= text.length) fail("unterminated string literal");
      const c = text[i]!;
      if (c === "'") {
        if (text[i + 1] === "'") {
          out += "'";
          i += 2;
          continue;
        }
        i++;
        return { kind: "literal", value: out };
      }
      out += c;
      i++;
    }
  };
  const parsePrimary = (): Expr => {
    ws();
    const c = text[i];
    if (c === undefined) return fail("unexpected end of expression");
    if (c === "'") return parseString();
    const num = /^-?\d+(\.\d+)?/.exec(text.slice(i));
    if (num) {
      i += num[0].length;
      return { kind: "literal", value: Number(num[0]) };
    }
    const id = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i));
    if (!id) return fail(`unexpected character '${c}'`);
    // A dotted identifier like `sys.concat` is a namespaced call; plain `a.b` without parens is not valid here.
    let name = id[0];
    i += name.length;
    ws();
    if (text[i] !== "(") {
      const lower = name.toLowerCase();
      if (lower === "true") return { kind: "literal", value: true };
      if (lower === "false") return { kind: "literal", value: false };
      if (lower === "null") return { kind: "literal", value: null };
      return fail(`'${name}' must be followed by '('`);
    }
    if (name.toLowerCase().startsWith("sys.")) name = name.slice(4);
    i++;
    const args: Expr[] = [];
    ws();
    if (text[i] === ")") i++;
    else
      for (;;) {
        args.push(parseAccess());
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === ")") {
          i++;
          break;
        }
        fail("expected ',' or ')'");
      }
    return { kind: "call", name, args };
  };
  const parseAccess = (): Expr => {
    let e = parsePrimary();
    for (;;) {
      ws();
      if (text[i] === ".") {
        i++;
        const id = /^[A-Za-z_$][A-Za-z0-9_$-]*/.exec(text.slice(i));
        if (!id) fail("expected a property name after '.'");
        i += id![0].length;
        e = { kind: "prop", target: e, name: id![0] };
      } else if (text[i] === "[") {
        i++;
        const index = parseAccess();
        ws();
        if (text[i] !== "]") fail("expected ']'");
        i++;
        e = { kind: "index", target: e, index };
      } else return e;
    }
  };
  const e = parseAccess();
  ws();
  if (i !== text.length) fail("unexpected text after the expression");
  return e;
}

/** Every function name an expression calls (to reject unsupported ones before deploying). */
export function functionsIn(e: Expr, out: Set<string> = new Set()): Set<string> {
  if (e.kind === "call") {
    out.add(e.name);
    for (const a of e.args) functionsIn(a, out);
  } else if (e.kind === "prop") functionsIn(e.target, out);
  else if (e.kind === "index") {
    functionsIn(e.target, out);
    functionsIn(e.index, out);
  }
  return out;
}

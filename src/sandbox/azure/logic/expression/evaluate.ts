/**
 * Evaluation of expressions and of JSON values holding them. A string value is:
 * - `"@expr"`: the expression's value, of any type;
 * - `"…@{expr}…"`: a string, with each `@{…}` replaced by the string form of its value;
 * - `"@@…"`: a literal string starting with `@` (and `@@{` a literal `@{` anywhere);
 * - anything else: a literal.
 * (learn.microsoft.com/azure/logic-apps/logic-apps-workflow-definition-language#expressions)
 * Parsed templates are cached by source text: a workflow evaluates the same strings on every run.
 */
import { type Expr, ExpressionSyntaxError, parseExpression, parseInterpolation } from "./parser.js";
import { selectProperty, stringify, TemplateError } from "./values.js";

export type Template =
  | { kind: "literal"; value: string }
  | { kind: "whole"; expr: Expr; text: string }
  | { kind: "interpolated"; parts: (string | { expr: Expr; text: string })[] };

/** What the functions need from the run: implemented by the engine for each evaluation. */
export interface FunctionHost {
  call(name: string, args: unknown[], node: Extract<Expr, { k: "call" }>): unknown;
}

const cache = new Map<string, Template>();

export function compileTemplate(src: string): Template {
  const hit = cache.get(src);
  if (hit) return hit;
  const t = compile(src);
  if (cache.size > 10_000) cache.clear();
  cache.set(src, t);
  return t;
}

function compile(src: string): Template {
  if (!src.includes("@")) return { kind: "literal", value: src };
  if (src.startsWith("@") && src[1] !== "@" && src[1] !== "{") {
    const text = src.slice(1);
    return { kind: "whole", expr: parseExpression(text), text };
  }
  const parts: (string | { expr: Expr; text: string })[] = [];
  let lit = "";
  let i = 0;
  if (src.startsWith("@@") && src[2] !== "{") {
    lit = "@";
    i = 2;
  }
  while (i < src.length) {
    if (src.startsWith("@@{", i)) {
      lit += "@{";
      i += 3;
    } else if (src.startsWith("@{", i)) {
      if (lit) parts.push(lit);
      lit = "";
      const { expr, end, text } = parseInterpolation(src, i + 2);
      parts.push({ expr, text });
      i = end;
    } else {
      lit += src[i];
      i++;
    }
  }
  if (lit) parts.push(lit);
  if (parts.every((p) => typeof p === "string")) return { kind: "literal", value: parts.join("") };
  return { kind: "interpolated", parts };
}

export function evaluateExpr(e: Expr, host: FunctionHost): unknown {
  switch (e.k) {
    case "lit":
      return e.v;
    case "index":
      return selectProperty(evaluateExpr(e.target, host), evaluateExpr(e.key, host), e.safe, e.text);
    case "call":
      return host.call(
        e.name,
        e.args.map((a) => evaluateExpr(a, host)),
        e,
      );
  }
}

export function evaluateTemplate(t: Template, host: FunctionHost): unknown {
  if (t.kind === "literal") return t.value;
  if (t.kind === "whole") return evaluateExpr(t.expr, host);
  let out = "";
  for (const p of t.parts) out += typeof p === "string" ? p : stringify(evaluateExpr(p.expr, host));
  return out;
}

/** Evaluate every string inside a JSON value (object keys are not evaluated). */
export function evaluateValue(v: unknown, host: FunctionHost): unknown {
  if (typeof v === "string") {
    try {
      return evaluateTemplate(compileTemplate(v), host);
    } catch (err) {
      if (err instanceof ExpressionSyntaxError) throw new TemplateError(err.message);
      throw err;
    }
  }
  if (Array.isArray(v)) return v.map((x) => evaluateValue(x, host));
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = evaluateValue(x, host);
    return out;
  }
  return v;
}

/** Every expression in a JSON value, for validation; syntax errors are reported through `onError`. */
export function collectExpressions(
  v: unknown,
  onExpr: (e: Expr, text: string) => void,
  onError: (msg: string) => void,
): void {
  if (typeof v === "string") {
    let t: Template;
    try {
      t = compileTemplate(v);
    } catch (err) {
      onError(err instanceof Error ? err.message : String(err));
      return;
    }
    if (t.kind === "whole") onExpr(t.expr, t.text);
    else if (t.kind === "interpolated") for (const p of t.parts) if (typeof p !== "string") onExpr(p.expr, p.text);
  } else if (Array.isArray(v)) for (const x of v) collectExpressions(x, onExpr, onError);
  else if (v !== null && typeof v === "object")
    for (const x of Object.values(v)) collectExpressions(x, onExpr, onError);
}

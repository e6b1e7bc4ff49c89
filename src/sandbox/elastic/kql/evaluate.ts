/**
 * Evaluate a parsed KQL tree against `_source` documents, approximating what the ES query KQL compiles
 * to (kbn-es-query `toElasticsearchQuery`): quoted → match_phrase; unquoted → match (keyword fields:
 * exact, case-sensitive); `*` in a literal → wildcard; `field:*` → exists; ranges → range; no field →
 * every field. Without mappings the emulator treats a stored string containing whitespace as text (word
 * match) and any other value as keyword (exact).
 */
import { leafValues } from "../es/fields.js";
import { termEquals } from "../es/query.js";
import { parseDateMath } from "../time.js";
import { type KqlNode, type KqlValue, parseKql } from "./parse.js";

export type DocPredicate = (source: Record<string, unknown>) => boolean;

const words = (s: string) =>
  s
    .toLowerCase()
    .split(/[^\p{L}\p{N}_]+/u)
    .filter(Boolean);

function allLeaves(node: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(node)) for (const v of node) allLeaves(v, out);
  else if (node && typeof node === "object") for (const v of Object.values(node)) allLeaves(v, out);
  else out.push(node);
  return out;
}

function valueMatches(stored: unknown, value: KqlValue): boolean {
  if (stored == null) return false;
  if (!value.quoted && value.wildcard) {
    if (typeof stored !== "string") return false;
    const re = new RegExp(`^${value.text.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "s");
    return re.test(stored);
  }
  if (termEquals(stored, value.text) || stored === value.text) return true;
  if (typeof stored === "string" && /\s/.test(stored)) {
    const have = words(stored);
    const want = words(value.text);
    if (want.length === 0) return false;
    if (value.quoted) return ` ${have.join(" ")} `.includes(` ${want.join(" ")} `);
    return want.some((w) => have.includes(w));
  }
  return false;
}

function compare(stored: unknown, op: string, raw: string, now: number): boolean {
  const asNum = (v: unknown) =>
    typeof v === "number" ? v : typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : undefined;
  let a: number | undefined = asNum(stored);
  let b: number | undefined = asNum(raw);
  if (a === undefined || b === undefined) {
    a = typeof stored === "string" ? parseDateMath(stored, now) : undefined;
    b = parseDateMath(raw, now);
  }
  if (a === undefined || b === undefined) return false;
  return op === "<" ? a < b : op === "<=" ? a <= b : op === ">" ? a > b : a >= b;
}

export function compileNode(node: KqlNode, now: number): DocPredicate {
  switch (node.kind) {
    case "all":
      return () => true;
    case "or": {
      const ps = node.nodes.map((n) => compileNode(n, now));
      return (d) => ps.some((p) => p(d));
    }
    case "and": {
      const ps = node.nodes.map((n) => compileNode(n, now));
      return (d) => ps.every((p) => p(d));
    }
    case "not": {
      const p = compileNode(node.node, now);
      return (d) => !p(d);
    }
    case "exists":
      return (d) => leafValues(d, node.field).some((v) => v !== null);
    case "range":
      return (d) => leafValues(d, node.field).some((v) => compare(v, node.op, node.value, now));
    case "match": {
      const { field, value } = node;
      if (field?.includes("*")) {
        return (d) => allFieldValues(d).some(([k, v]) => globField(field, k) && valueMatches(v, value));
      }
      if (field === null) return (d) => allLeaves(d).some((v) => valueMatches(v, value));
      return (d) => leafValues(d, field).some((v) => valueMatches(v, value));
    }
  }
}

function allFieldValues(doc: unknown, prefix = "", out: [string, unknown][] = []): [string, unknown][] {
  if (doc && typeof doc === "object" && !Array.isArray(doc)) {
    for (const [k, v] of Object.entries(doc)) allFieldValues(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (Array.isArray(doc)) for (const v of doc) allFieldValues(v, prefix, out);
  else out.push([prefix, doc]);
  return out;
}

function globField(pattern: string, field: string): boolean {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(field);
}

/** Parse and compile a KQL query; throws KqlSyntaxError for what it cannot handle. */
export function compileKql(query: string, now: number): DocPredicate {
  return compileNode(parseKql(query), now);
}

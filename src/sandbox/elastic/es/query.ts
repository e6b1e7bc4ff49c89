/**
 * A subset of the ES query DSL evaluated in memory: match_all, match_none, match, match_phrase, term,
 * terms, ids, bool (must/filter/should/must_not, minimum_should_match), range (numbers and date math),
 * exists, prefix, wildcard. Anything else is a 400 `parsing_exception` as ES gives for an unknown query
 * (ES: AbstractQueryBuilder.parseInnerQueryBuilder "unknown query [x]").
 */
import { parseDateMath } from "../time.js";
import { leafValues } from "./fields.js";
import { EsError } from "./store.js";

export type Predicate = (source: Record<string, unknown>, id: string) => boolean;

const SUPPORTED = "match_all, match_none, match, match_phrase, term, terms, ids, bool, range, exists, prefix, wildcard";

function unknownQuery(name: string): never {
  throw new EsError(400, "parsing_exception", `unknown query [${name}]`, {
    line: 1,
    col: 1,
    supported_in_sandbox: SUPPORTED,
  });
}

function single(q: unknown, kind: string): [string, unknown] {
  if (!q || typeof q !== "object" || Object.keys(q).length !== 1)
    throw new EsError(
      400,
      "parsing_exception",
      `[${kind}] query doesn't support multiple fields, found [${Object.keys(q ?? {}).join("] and [")}]`,
    );
  return Object.entries(q)[0]!;
}

function tokens(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}_]+/u)
    .filter(Boolean);
}

/** `term` equality: exact for strings; numbers and booleans compare by value ("true" == true, "3" == 3). */
export function termEquals(stored: unknown, wanted: unknown): boolean {
  if (stored === wanted) return true;
  if (stored == null || wanted == null) return false;
  if (typeof stored === "object" || typeof wanted === "object") return false;
  if (typeof stored === "string" && typeof wanted === "string") return false;
  return String(stored) === String(wanted);
}

function toComparable(v: unknown, now: number, roundUp = false): number | string | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string") {
    if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
    const d = parseDateMath(v, now, roundUp);
    return d ?? v;
  }
  return undefined;
}

export function compileQuery(query: unknown, now: number): Predicate {
  if (query === undefined || query === null) return () => true;
  const [kind, body] = single(query, "query");
  switch (kind) {
    case "match_all":
      return () => true;
    case "match_none":
      return () => false;
    case "term": {
      const [field, spec] = single(body, "term");
      const value = spec && typeof spec === "object" ? (spec as { value: unknown }).value : spec;
      const ci = spec && typeof spec === "object" && (spec as { case_insensitive?: boolean }).case_insensitive;
      return (src) =>
        leafValues(src, field).some((v) =>
          ci && typeof v === "string" && typeof value === "string"
            ? v.toLowerCase() === value.toLowerCase()
            : termEquals(v, value),
        );
    }
    case "terms": {
      const entries = Object.entries(body as object).filter(([k]) => k !== "boost");
      if (entries.length !== 1)
        throw new EsError(400, "parsing_exception", "[terms] query does not support multiple fields");
      const [field, values] = entries[0]!;
      if (!Array.isArray(values))
        throw new EsError(400, "parsing_exception", `[terms] query does not support [${field}]`);
      return (src) => leafValues(src, field).some((v) => values.some((w) => termEquals(v, w)));
    }
    case "ids": {
      const values = (body as { values?: string[] }).values ?? [];
      return (_src, id) => values.includes(id);
    }
    case "match":
    case "match_phrase": {
      const [field, spec] = single(body, kind);
      const text = spec && typeof spec === "object" ? (spec as { query: unknown }).query : spec;
      const operator = spec && typeof spec === "object" ? (spec as { operator?: string }).operator : undefined;
      const wanted = tokens(String(text));
      return (src) =>
        leafValues(src, field).some((v) => {
          if (termEquals(v, text) || v === text) return true;
          if (typeof v !== "string") return String(v) === String(text);
          const have = tokens(v);
          if (kind === "match_phrase") return ` ${have.join(" ")} `.includes(` ${wanted.join(" ")} `);
          return operator?.toLowerCase() === "and"
            ? wanted.every((t) => have.includes(t))
            : wanted.some((t) => have.includes(t));
        });
    }
    case "exists": {
      const field = (body as { field?: string }).field;
      if (!field) throw new EsError(400, "parsing_exception", "[exists] must be provided with a [field]");
      return (src) => leafValues(src, field).some((v) => v !== null);
    }
    case "prefix": {
      const [field, spec] = single(body, "prefix");
      const value = String(spec && typeof spec === "object" ? (spec as { value: unknown }).value : spec);
      return (src) => leafValues(src, field).some((v) => typeof v === "string" && v.startsWith(value));
    }
    case "wildcard": {
      const [field, spec] = single(body, "wildcard");
      const raw =
        spec && typeof spec === "object"
          ? ((spec as { value?: unknown; wildcard?: unknown }).value ?? (spec as { wildcard?: unknown }).wildcard)
          : spec;
      const re = new RegExp(
        `^${String(raw)
          .replace(/[.+^${}()|[\]\\]/g, "\\$&")
          .replace(/\*/g, ".*")
          .replace(/\?/g, ".")}$`,
      );
      return (src) => leafValues(src, field).some((v) => typeof v === "string" && re.test(v));
    }
    case "range": {
      const [field, spec] = single(body, "range");
      const s = spec as Record<string, unknown>;
      const gt = s.gt !== undefined ? toComparable(s.gt, now, true) : undefined;
      const gte =
        s.gte !== undefined ? toComparable(s.gte, now) : s.from !== undefined ? toComparable(s.from, now) : undefined;
      const lt = s.lt !== undefined ? toComparable(s.lt, now) : undefined;
      const lte =
        s.lte !== undefined
          ? toComparable(s.lte, now, true)
          : s.to !== undefined
            ? toComparable(s.to, now, true)
            : undefined;
      return (src) =>
        leafValues(src, field).some((raw) => {
          const v = toComparable(raw, now);
          if (v === undefined) return false;
          if (gt !== undefined && !(v > gt)) return false;
          if (gte !== undefined && !(v >= gte)) return false;
          if (lt !== undefined && !(v < lt)) return false;
          if (lte !== undefined && !(v <= lte)) return false;
          return true;
        });
    }
    case "bool": {
      const b = body as Record<string, unknown>;
      const list = (x: unknown): Predicate[] =>
        x === undefined ? [] : (Array.isArray(x) ? x : [x]).map((q) => compileQuery(q, now));
      const must = [...list(b.must), ...list(b.filter)];
      const should = list(b.should);
      const mustNot = list(b.must_not);
      for (const k of Object.keys(b))
        if (!["must", "filter", "should", "must_not", "minimum_should_match", "boost", "_name"].includes(k))
          throw new EsError(400, "parsing_exception", `[bool] query does not support [${k}]`);
      const msm =
        b.minimum_should_match !== undefined
          ? Number(b.minimum_should_match)
          : must.length > 0 || mustNot.length > 0
            ? 0
            : 1;
      return (src, id) =>
        must.every((p) => p(src, id)) &&
        !mustNot.some((p) => p(src, id)) &&
        (should.length === 0 || should.filter((p) => p(src, id)).length >= Math.min(msm, should.length));
    }
    default:
      return unknownQuery(kind);
  }
}

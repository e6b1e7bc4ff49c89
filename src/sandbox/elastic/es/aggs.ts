/**
 * A small aggregation subset for `_search` and signals search: terms (size, order by count), cardinality,
 * value_count, min, max, sum, avg, and sub-aggregations under terms. Response shapes as in the ES
 * aggregations docs (bucket `{key, doc_count}`, `sum_other_doc_count`, metric `{value}`). Anything
 * else is a 400 naming the supported types.
 */
import { leafValues } from "./fields.js";
import { EsError, type StoredDoc } from "./store.js";

const SUPPORTED = "terms, cardinality, value_count, min, max, sum, avg";

type Agg = Record<string, unknown>;

function numeric(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
    const d = Date.parse(v);
    return Number.isNaN(d) ? undefined : d;
  }
  return undefined;
}

function one(name: string, spec: Agg, docs: StoredDoc[]): unknown {
  const { aggs, aggregations, ...rest } = spec;
  const kinds = Object.keys(rest);
  if (kinds.length !== 1)
    throw new EsError(400, "parsing_exception", `Expected exactly one aggregation type for [${name}]`);
  const kind = kinds[0]!;
  const body = rest[kind] as { field?: string; size?: number };
  const field = body?.field;
  if (!field) throw new EsError(400, "illegal_argument_exception", `Required [field] for aggregation [${name}]`);
  const values = (d: StoredDoc) => leafValues(d._source, field).filter((v) => v !== null && v !== undefined);
  switch (kind) {
    case "terms": {
      const counts = new Map<string, { key: unknown; docs: StoredDoc[] }>();
      for (const d of docs)
        for (const v of new Set(values(d).map((x) => JSON.stringify(x)))) {
          const entry = counts.get(v) ?? { key: JSON.parse(v) as unknown, docs: [] as StoredDoc[] };
          entry.docs.push(d);
          counts.set(v, entry);
        }
      const sorted = [...counts.values()].sort(
        (a, b) => b.docs.length - a.docs.length || String(a.key).localeCompare(String(b.key)),
      );
      const size = body.size ?? 10;
      const sub = (aggs ?? aggregations) as Record<string, Agg> | undefined;
      return {
        doc_count_error_upper_bound: 0,
        sum_other_doc_count: sorted.slice(size).reduce((n, e) => n + e.docs.length, 0),
        buckets: sorted
          .slice(0, size)
          .map((e) => ({ key: e.key, doc_count: e.docs.length, ...(sub ? runAggs(sub, e.docs) : {}) })),
      };
    }
    case "cardinality":
      return { value: new Set(docs.flatMap((d) => values(d).map((x) => JSON.stringify(x)))).size };
    case "value_count":
      return { value: docs.reduce((n, d) => n + values(d).length, 0) };
    case "min":
    case "max":
    case "sum":
    case "avg": {
      const nums = docs.flatMap((d) => values(d).map(numeric)).filter((n): n is number => n !== undefined);
      if (kind === "sum") return { value: nums.reduce((a, b) => a + b, 0) };
      if (nums.length === 0) return { value: null };
      if (kind === "avg") return { value: nums.reduce((a, b) => a + b, 0) / nums.length };
      return { value: kind === "min" ? Math.min(...nums) : Math.max(...nums) };
    }
    default:
      throw new EsError(
        400,
        "illegal_argument_exception",
        `aggregation type [${kind}] is not supported by the sandbox (supported: ${SUPPORTED})`,
      );
  }
}

export function runAggs(aggs: Record<string, Agg>, docs: StoredDoc[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(aggs)) out[name] = one(name, spec, docs);
  return out;
}

/**
 * `_search` / `_count` / `_delete_by_query` over the DocStore: query, sort, from/size, `_source`
 * filtering and `track_total_hits`, answering in the ES response shape
 * (ES docs: search-search.html "Response body").
 */
import { globMatch } from "../glob.js";
import { leafValues } from "./fields.js";
import { runAggs } from "./aggs.js";
import { compileQuery } from "./query.js";
import { EsError, type DocStore, type IndexData, type StoredDoc } from "./store.js";

export interface SearchRequest {
  query?: unknown;
  size?: number;
  from?: number;
  sort?: unknown;
  _source?: boolean | string | string[] | { includes?: string[]; excludes?: string[] };
  track_total_hits?: boolean | number;
  aggs?: unknown;
  aggregations?: unknown;
  [key: string]: unknown;
}

interface Hit {
  index: IndexData;
  doc: StoredDoc;
}

type SortSpec = { field: string; order: "asc" | "desc" };

export function parseSort(sort: unknown): SortSpec[] {
  if (sort === undefined || sort === null) return [];
  const items = Array.isArray(sort) ? sort : typeof sort === "string" ? sort.split(",") : [sort];
  return items.map((item): SortSpec => {
    if (typeof item === "string") {
      const [field, order] = item.split(":") as [string, string?];
      return { field, order: order === "desc" || (!order && field === "_score") ? "desc" : "asc" };
    }
    const [field, spec] = Object.entries(item as object)[0] as [string, unknown];
    const order = typeof spec === "string" ? spec : (spec as { order?: string })?.order;
    return { field, order: order === "desc" ? "desc" : "asc" };
  });
}

function sortKey(doc: StoredDoc, field: string): unknown {
  if (field === "_doc") return doc._seq_no;
  if (field === "_id") return doc._id;
  const vals = leafValues(doc._source, field);
  return vals.length ? vals[0] : undefined;
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  const na = typeof a === "string" && !Number.isNaN(Date.parse(a)) && /^\d{4}-/.test(a) ? Date.parse(a) : a;
  const nb = typeof b === "string" && !Number.isNaN(Date.parse(b)) && /^\d{4}-/.test(b) ? Date.parse(b) : b;
  return (na as number) < (nb as number) ? -1 : (na as number) > (nb as number) ? 1 : 0;
}

function filterSource(
  source: Record<string, unknown>,
  spec: SearchRequest["_source"],
): Record<string, unknown> | undefined {
  if (spec === undefined || spec === true) return source;
  if (spec === false) return undefined;
  const includes = typeof spec === "string" ? [spec] : Array.isArray(spec) ? spec : (spec.includes ?? []);
  const excludes = typeof spec === "object" && !Array.isArray(spec) ? (spec.excludes ?? []) : [];
  const out: Record<string, unknown> = {};
  const walk = (obj: Record<string, unknown>, prefix: string, target: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(obj)) {
      const path = prefix ? `${prefix}.${k}` : k;
      if (excludes.some((e) => globMatch(e, path))) continue;
      const included = includes.length === 0 || includes.some((i) => globMatch(i, path) || path.startsWith(`${i}.`));
      if (included) target[k] = v;
      else if (v && typeof v === "object" && !Array.isArray(v) && includes.some((i) => i.startsWith(`${path}.`))) {
        const child: Record<string, unknown> = {};
        walk(v as Record<string, unknown>, path, child);
        if (Object.keys(child).length) target[k] = child;
      }
    }
  };
  walk(source, "", out);
  return out;
}

export function matchingDocs(indices: IndexData[], query: unknown, now: number): Hit[] {
  const pred = compileQuery(query, now);
  const hits: Hit[] = [];
  for (const index of indices)
    for (const doc of index.docs.values()) if (pred(doc._source, doc._id)) hits.push({ index, doc });
  return hits;
}

export function search(store: DocStore, target: string, body: SearchRequest, now: number, allowMissing = false) {
  const started = Date.now();
  for (const k of Object.keys(body))
    if (
      ![
        "query",
        "size",
        "from",
        "sort",
        "_source",
        "track_total_hits",
        "aggs",
        "aggregations",
        "fields",
        "runtime_mappings",
        "timeout",
        "seq_no_primary_term",
        "version",
      ].includes(k)
    )
      throw new EsError(400, "x_content_parse_exception", `[1:2] [search] unknown field [${k}]`);
  const indices = store.resolve(target, { allowMissing });
  const hits = matchingDocs(indices, body.query, now);
  const sort = parseSort(body.sort);
  const explicitSort = sort.length > 0 && !(sort.length === 1 && sort[0]!.field === "_score");
  if (explicitSort)
    hits.sort((a, b) => {
      for (const s of sort) {
        if (s.field === "_score") continue;
        const av = sortKey(a.doc, s.field);
        const bv = sortKey(b.doc, s.field);
        if (av === undefined && bv === undefined) continue;
        if (av === undefined) return 1; // missing values last, both orders (ES default `missing: _last`)
        if (bv === undefined) return -1;
        const c = compare(av, bv);
        if (c !== 0) return s.order === "desc" ? -c : c;
      }
      return a.doc._seq_no - b.doc._seq_no;
    });
  const from = Number(body.from ?? 0);
  const size = Number(body.size ?? 10);
  if (from + size > 10_000)
    throw new EsError(
      400,
      "illegal_argument_exception",
      `Result window is too large, from + size must be less than or equal to: [10000] but was [${from + size}].`,
    );
  const page = hits.slice(from, from + size);
  const tth = body.track_total_hits;
  const total =
    tth === false
      ? undefined
      : typeof tth === "number" && hits.length > tth
        ? { value: tth, relation: "gte" }
        : { value: hits.length, relation: "eq" };
  const aggSpec = (body.aggs ?? body.aggregations) as Record<string, Record<string, unknown>> | undefined;
  const aggregations = aggSpec
    ? runAggs(
        aggSpec,
        hits.map((h) => h.doc),
      )
    : undefined;
  return {
    took: Date.now() - started,
    timed_out: false,
    _shards: { total: indices.length, successful: indices.length, skipped: 0, failed: 0 },
    hits: {
      ...(total ? { total } : {}),
      max_score: explicitSort ? null : page.length ? 1 : null,
      hits: page.map((h) => {
        const src = filterSource(h.doc._source, body._source);
        return {
          _index: h.index.name,
          _id: h.doc._id,
          _score: explicitSort ? null : 1,
          ...(src !== undefined ? { _source: src } : {}),
          ...(explicitSort ? { sort: sort.map((s) => sortKey(h.doc, s.field) ?? null) } : {}),
        };
      }),
    },
    ...(aggregations ? { aggregations } : {}),
  };
}

/**
 * Field access over `_source` the way ES mappings see it: `host.name` finds `{host:{name}}`,
 * `{"host.name": …}` and mixtures, and arrays contribute every element.
 */
interface FieldPath {
  parts: string[];
  /** joins[i][j] = parts[i..j] joined with "." (j > i), for keys stored with dots */
  joins: string[][];
}

const paths = new Map<string, FieldPath>();

function fieldPath(field: string): FieldPath {
  let fp = paths.get(field);
  if (!fp) {
    const parts = field.split(".");
    const joins = parts.map((_, i) => parts.map((__, j) => (j > i ? parts.slice(i, j + 1).join(".") : "")));
    fp = { parts, joins };
    if (paths.size > 5000) paths.clear();
    paths.set(field, fp);
  }
  return fp;
}

export function fieldValues(source: unknown, field: string): unknown[] {
  const out: unknown[] = [];
  collect(source, fieldPath(field), 0, out);
  return out;
}

function collect(node: unknown, fp: FieldPath, i: number, out: unknown[]): void {
  if (node == null) return;
  if (Array.isArray(node)) {
    for (const el of node) collect(el, fp, i, out);
    return;
  }
  if (i === fp.parts.length) {
    out.push(node);
    return;
  }
  if (typeof node !== "object") return;
  const obj = node as Record<string, unknown>;
  const first = fp.parts[i]!;
  if (Object.hasOwn(obj, first)) collect(obj[first], fp, i + 1, out);
  // "a.b.c" may also be stored as a["b.c"] or a["b.c"] mixed with nesting
  const row = fp.joins[i]!;
  for (let j = i + 1; j < fp.parts.length; j++) {
    const key = row[j]!;
    if (Object.hasOwn(obj, key)) collect(obj[key], fp, j + 1, out);
  }
}

/** Leaf values, flattening arrays fully. */
export function leafValues(source: unknown, field: string): unknown[] {
  return fieldValues(source, field).flatMap((v) => (Array.isArray(v) ? v.flat(Infinity) : [v]));
}

/** Expand dotted keys into nested objects (how alerts appear in `context.alerts`). */
export function expandDots(doc: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) {
    const parts = key.split(".");
    let cur = out;
    for (let i = 0; i < parts.length - 1; i++) {
      const p = parts[i]!;
      if (typeof cur[p] !== "object" || cur[p] === null || Array.isArray(cur[p])) cur[p] = {};
      cur = cur[p] as Record<string, unknown>;
    }
    const last = parts[parts.length - 1]!;
    const v =
      value && typeof value === "object" && !Array.isArray(value)
        ? expandDots(value as Record<string, unknown>)
        : value;
    if (cur[last] && typeof cur[last] === "object" && v && typeof v === "object" && !Array.isArray(v))
      Object.assign(cur[last] as object, v);
    else cur[last] = v;
  }
  return out;
}

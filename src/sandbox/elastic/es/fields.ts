/**
 * Field access over `_source` the way ES mappings see it: `host.name` finds `{host:{name}}`,
 * `{"host.name": …}` and mixtures, and arrays contribute every element.
 */
export function fieldValues(source: unknown, field: string): unknown[] {
  const out: unknown[] = [];
  collect(source, field.split("."), 0, out);
  return out;
}

function collect(node: unknown, parts: string[], i: number, out: unknown[]): void {
  if (node == null) return;
  if (Array.isArray(node)) {
    for (const el of node) collect(el, parts, i, out);
    return;
  }
  if (i === parts.length) {
    out.push(node);
    return;
  }
  if (typeof node !== "object") return;
  const obj = node as Record<string, unknown>;
  // try every split of the remaining path: "a.b.c" may be stored as a["b.c"], a.b.c, a["b"]["c"] …
  let key = "";
  for (let j = i; j < parts.length; j++) {
    key = j === i ? parts[j]! : `${key}.${parts[j]}`;
    if (Object.hasOwn(obj, key)) collect(obj[key], parts, j + 1, out);
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
    const v = value && typeof value === "object" && !Array.isArray(value) ? expandDots(value as Record<string, unknown>) : value;
    if (cur[last] && typeof cur[last] === "object" && v && typeof v === "object" && !Array.isArray(v))
      Object.assign(cur[last] as object, v);
    else cur[last] = v;
  }
  return out;
}

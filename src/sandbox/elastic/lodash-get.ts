/**
 * `lodash.get` path semantics (`a.b`, `items[0].id`, `a["b.c"]`), used where Kibana reads a response key
 * with `get(obj, key)` (cases_webhook/utils.ts `getObjectValueByKeyAsString`). lodash is not a dependency,
 * so this is a small parser for the same path forms.
 */
export function toPath(key: string): string[] {
  const out: string[] = [];
  let i = 0;
  let cur = "";
  while (i < key.length) {
    const ch = key[i]!;
    if (ch === ".") {
      out.push(cur);
      cur = "";
      i++;
      // "a[0].b": the dot after a bracket does not open an empty segment
      if (key[i] === "[") continue;
    } else if (ch === "[") {
      if (cur !== "" || (out.length === 0 && i > 0)) out.push(cur);
      cur = "";
      const close = key.indexOf("]", i);
      if (close < 0) {
        cur = key.slice(i);
        break;
      }
      let inner = key.slice(i + 1, close);
      const q = inner[0];
      if ((q === '"' || q === "'") && inner.endsWith(q)) inner = inner.slice(1, -1);
      out.push(inner);
      i = close + 1;
      if (key[i] === ".") i++;
    } else {
      cur += ch;
      i++;
    }
  }
  if (cur !== "" || out.length === 0 || key.endsWith(".")) out.push(cur);
  return out;
}

export function lodashGet(obj: unknown, key: string): unknown {
  if (obj == null) return undefined;
  // lodash first tries the whole key as a direct property ("a.b" as one key)
  if (typeof obj === "object" && Object.hasOwn(obj as object, key)) return (obj as Record<string, unknown>)[key];
  let cur: unknown = obj;
  for (const part of toPath(key)) {
    if (cur == null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Collection functions (WDL reference: "Collection functions"): arrays, strings and objects where Logic Apps allows. */
import { deepEqual, isObject, stringify, typeName } from "../expression/values.js";
import { expectArray, expectInteger, expectString, type FnSpec, fail, spec } from "./types.js";

function dedupe(items: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const x of items) if (!out.some((y) => deepEqual(x, y))) out.push(x);
  return out;
}

function setOp(name: string, args: unknown[], keep: (x: unknown, rest: unknown[]) => boolean): unknown {
  if (args.every(Array.isArray)) {
    const [head, ...rest] = args as unknown[][];
    if (name === "union") return dedupe(args.flat());
    return dedupe(head!.filter((x) => keep(x, rest)));
  }
  if (args.every(isObject)) {
    const objs = args as Record<string, unknown>[];
    if (name === "union") return Object.assign({}, ...objs);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(objs[0]!)) if (objs.every((o) => k in o && deepEqual(o[k], v))) out[k] = v;
    return out;
  }
  return fail(name, "expects parameters of the same type: all arrays or all objects");
}

function sized(name: string, v: unknown): string | unknown[] {
  if (typeof v === "string" || Array.isArray(v)) return v;
  return fail(name, `expects its parameter to be an array or a string. The provided value is of type '${typeName(v)}'`);
}

export const collectionFunctions: Record<string, FnSpec> = {
  createarray: spec(0, Number.POSITIVE_INFINITY, (args) => [...args]),
  union: spec(2, Number.POSITIVE_INFINITY, (args) => setOp("union", args, () => true)),
  intersection: spec(2, Number.POSITIVE_INFINITY, (args) =>
    setOp("intersection", args, (x, rest) => rest.every((r) => (r as unknown[]).some((y) => deepEqual(x, y)))),
  ),
  first: spec(1, 1, ([v]) => {
    const c = sized("first", v);
    return c.length === 0 ? null : c[0];
  }),
  last: spec(1, 1, ([v]) => {
    const c = sized("last", v);
    return c.length === 0 ? null : c[c.length - 1];
  }),
  length: spec(1, 1, ([v]) => sized("length", v).length),
  empty: spec(1, 1, ([v]) => {
    if (v === null || v === undefined) return true;
    if (typeof v === "string" || Array.isArray(v)) return v.length === 0;
    if (isObject(v)) return Object.keys(v).length === 0;
    return fail(
      "empty",
      `expects its parameter to be an object, an array or a string. The provided value is of type '${typeName(v)}'`,
    );
  }),
  contains: spec(2, 2, ([c, v]) => {
    if (typeof c === "string") return c.includes(expectString("contains", v));
    if (Array.isArray(c)) return c.some((x) => deepEqual(x, v));
    if (isObject(c)) return Object.hasOwn(c, expectString("contains", v));
    return fail(
      "contains",
      `expects its first parameter to be a dictionary (object), an array or a string. The provided value is of type '${typeName(c)}'`,
    );
  }),
  take: spec(2, 2, ([c, n]) => {
    const count = Math.max(0, expectInteger("take", n));
    return sized("take", c).slice(0, count);
  }),
  skip: spec(2, 2, ([c, n]) => expectArray("skip", c).slice(Math.max(0, expectInteger("skip", n)))),
  join: spec(2, 2, ([c, d]) => expectArray("join", c).map(stringify).join(expectString("join", d))),
};

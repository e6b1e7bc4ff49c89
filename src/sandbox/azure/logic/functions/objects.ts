/** Object and conversion helpers from the WDL reference: setProperty, addProperty, removeProperty, array, isInt, isFloat, chunk, reverse, slice. */
import { isObject, typeName } from "../expression/values.js";
import { expectArray, expectInteger, expectString, type FnSpec, fail, spec } from "./types.js";

function expectObject(name: string, v: unknown): Record<string, unknown> {
  if (!isObject(v))
    fail(name, `expects its first parameter to be an object. The provided value is of type '${typeName(v)}'`);
  return v;
}

export const objectFunctions: Record<string, FnSpec> = {
  setproperty: spec(3, 3, ([o, p, v]) => ({ ...expectObject("setProperty", o), [expectString("setProperty", p)]: v })),
  addproperty: spec(3, 3, ([o, p, v]) => {
    const obj = expectObject("addProperty", o);
    const key = expectString("addProperty", p);
    if (Object.hasOwn(obj, key)) fail("addProperty", `cannot add the property '${key}': the object already has it`);
    return { ...obj, [key]: v };
  }),
  removeproperty: spec(2, 2, ([o, p]) => {
    const { [expectString("removeProperty", p)]: _removed, ...rest } = expectObject("removeProperty", o);
    return rest;
  }),
  array: spec(1, 1, ([v]) => [v]),
  isint: spec(1, 1, ([s]) => /^\s*[-+]?\d+\s*$/.test(expectString("isInt", s))),
  isfloat: spec(1, 2, ([s]) => {
    const t = expectString("isFloat", s).trim();
    return t !== "" && Number.isFinite(Number(t));
  }),
  chunk: spec(2, 2, ([c, n]) => {
    const size = expectInteger("chunk", n);
    if (size < 1) fail("chunk", "expects a chunk length of at least 1");
    if (typeof c !== "string" && !Array.isArray(c))
      fail("chunk", `expects a string or an array. The provided value is of type '${typeName(c)}'`);
    const out: unknown[] = [];
    for (let i = 0; i < c.length; i += size) out.push(c.slice(i, i + size));
    return out;
  }),
  reverse: spec(1, 1, ([a]) => [...expectArray("reverse", a)].reverse()),
  slice: spec(2, 3, ([s, a, b]) => {
    const text = expectString("slice", s);
    return text.slice(expectInteger("slice", a), b === undefined ? undefined : expectInteger("slice", b));
  }),
};

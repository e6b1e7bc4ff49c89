/**
 * String and conversion functions (WDL reference: "String functions", "Conversion functions").
 * indexOf/startsWith/endsWith are not case-sensitive in Logic Apps; contains/replace are.
 */
import { stringify, typeName } from "../expression/values.js";
import { expectInteger, expectString, type FnSpec, fail, spec } from "./types.js";

/** .NET Uri.EscapeDataString, which Logic Apps uses: encodeURIComponent plus `!'()*`. */
export function escapeDataString(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function toInt(v: unknown): number {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "string" && /^\s*[-+]?\d+\s*$/.test(v)) return Number.parseInt(v, 10);
  if (typeof v === "boolean") return v ? 1 : 0;
  return fail(
    "int",
    `was invoked with a parameter that is not valid. The value '${stringify(v)}' of type '${typeName(v)}' cannot be converted to an integer`,
  );
}

function toFloat(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return fail(
    "float",
    `was invoked with a parameter that is not valid. The value '${stringify(v)}' cannot be converted to a float`,
  );
}

function toBool(v: unknown): boolean {
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v !== 0;
  if (typeof v === "string" && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === "true";
  return fail(
    "bool",
    `was invoked with a parameter that is not valid. The value '${stringify(v)}' cannot be converted to a boolean`,
  );
}

export const stringFunctions: Record<string, FnSpec> = {
  concat: spec(1, Number.POSITIVE_INFINITY, (args) => args.map(stringify).join("")),
  tolower: spec(1, 1, ([s]) => expectString("toLower", s).toLowerCase()),
  toupper: spec(1, 1, ([s]) => expectString("toUpper", s).toUpperCase()),
  trim: spec(1, 1, ([s]) => expectString("trim", s).trim()),
  string: spec(1, 1, ([v]) => stringify(v)),
  int: spec(1, 1, ([v]) => toInt(v)),
  float: spec(1, 1, ([v]) => toFloat(v)),
  bool: spec(1, 1, ([v]) => toBool(v)),
  json: spec(1, 1, ([v]) => {
    if (typeof v !== "string") return v;
    try {
      return JSON.parse(v);
    } catch {
      return fail("json", `parameter is not valid. The provided value '${v}' cannot be parsed: it is not valid JSON`);
    }
  }),
  replace: spec(3, 3, ([s, a, b]) =>
    expectString("replace", s).split(expectString("replace", a)).join(expectString("replace", b)),
  ),
  substring: spec(2, 3, ([s, st, len]) => {
    const text = expectString("substring", s);
    const start = expectInteger("substring", st);
    const length = len === undefined ? text.length - start : expectInteger("substring", len);
    if (start < 0 || length < 0 || start + length > text.length)
      fail(
        "substring",
        "parameters are out of range: 'start index' and 'length' must be non-negative integers and their sum must be no larger than the length of the string",
      );
    return text.substr(start, length);
  }),
  split: spec(2, 2, ([s, d]) => expectString("split", s).split(expectString("split", d))),
  indexof: spec(2, 2, ([s, f]) =>
    expectString("indexOf", s).toLowerCase().indexOf(expectString("indexOf", f).toLowerCase()),
  ),
  lastindexof: spec(2, 2, ([s, f]) =>
    expectString("lastIndexOf", s).toLowerCase().lastIndexOf(expectString("lastIndexOf", f).toLowerCase()),
  ),
  startswith: spec(2, 2, ([s, f]) =>
    expectString("startsWith", s).toLowerCase().startsWith(expectString("startsWith", f).toLowerCase()),
  ),
  endswith: spec(2, 2, ([s, f]) =>
    expectString("endsWith", s).toLowerCase().endsWith(expectString("endsWith", f).toLowerCase()),
  ),
  encodeuricomponent: spec(1, 1, ([s]) => escapeDataString(stringify(s))),
  uricomponent: spec(1, 1, ([s]) => escapeDataString(stringify(s))),
  decodeuricomponent: spec(1, 1, ([s]) => decodeURIComponent(expectString("decodeUriComponent", s))),
  uricomponenttostring: spec(1, 1, ([s]) => decodeURIComponent(expectString("uriComponentToString", s))),
  base64: spec(1, 1, ([s]) => Buffer.from(stringify(s), "utf8").toString("base64")),
  base64tostring: spec(1, 1, ([s]) => Buffer.from(expectString("base64ToString", s), "base64").toString("utf8")),
  guid: spec(0, 1, ([f]) => {
    const id = crypto.randomUUID();
    const format = f === undefined ? "D" : expectString("guid", f).toUpperCase();
    if (format === "N") return id.replaceAll("-", "");
    if (format === "D") return id;
    if (format === "B") return `{${id}}`;
    if (format === "P") return `(${id})`;
    return fail("guid", `expects a format of 'N', 'D', 'B' or 'P'; got '${String(f)}'`);
  }),
};

/** String and dynamic-value scalar functions of the KQL subset (https://learn.microsoft.com/kusto/query/scalar-functions). */
import type { Compiled } from "./compile-expr.js";
import type { FnSpec } from "./functions.js";
import { type KqlRow, type KqlType, type KqlValue, Timespan } from "./types.js";
import { toKqlString } from "./values.js";

const str =
  (f: (s: string, row: KqlRow, args: Compiled[]) => KqlValue, type: KqlType = "string") =>
  (args: Compiled[]): Compiled => ({
    type,
    fn: (row) => f(toKqlString(args[0]!.fn(row)), row, args),
  });

export const TEXT_FUNCTIONS: Record<string, FnSpec> = {
  strcat: {
    min: 1,
    max: 64,
    build: (a) => ({ type: "string", fn: (row) => a.map((x) => toKqlString(x.fn(row))).join("") }),
  },
  tolower: { min: 1, build: str((s) => s.toLowerCase()) },
  toupper: { min: 1, build: str((s) => s.toUpperCase()) },
  trim_start: {
    min: 2,
    build: (a) => ({
      type: "string",
      fn: (row) => toKqlString(a[1]!.fn(row)).replace(new RegExp(`^(?:${toKqlString(a[0]!.fn(row))})+`), ""),
    }),
  },
  strlen: { min: 1, build: str((s) => s.length, "long") },
  substring: {
    min: 2,
    max: 3,
    build: (a) => ({
      type: "string",
      fn: (row) => {
        const s = toKqlString(a[0]!.fn(row));
        const start = Math.max(0, Number(a[1]!.fn(row) ?? 0));
        const len = a[2] ? Number(a[2].fn(row) ?? 0) : undefined;
        return len === undefined ? s.slice(start) : s.slice(start, start + len);
      },
    }),
  },
  replace_string: {
    min: 3,
    build: (a) => ({
      type: "string",
      fn: (row) =>
        toKqlString(a[0]!.fn(row))
          .split(toKqlString(a[1]!.fn(row)))
          .join(toKqlString(a[2]!.fn(row))),
    }),
  },
  split: {
    min: 2,
    max: 3,
    build: (a) => ({
      type: "dynamic",
      fn: (row) => {
        const parts = toKqlString(a[0]!.fn(row)).split(toKqlString(a[1]!.fn(row)));
        if (!a[2]) return parts;
        const i = Number(a[2].fn(row));
        return parts[i] === undefined ? [] : [parts[i]];
      },
    }),
  },
  array_length: {
    min: 1,
    build: (a) => ({
      type: "long",
      fn: (row) => {
        const v = a[0]!.fn(row);
        return Array.isArray(v) ? v.length : null;
      },
    }),
  },
  pack_array: { min: 1, max: 64, build: (a) => ({ type: "dynamic", fn: (row) => a.map((x) => jsonable(x.fn(row))) }) },
  bag_pack: { min: 2, max: 64, build: (a) => pack(a) },
  pack: { min: 2, max: 64, build: (a) => pack(a) },
  extract: {
    min: 3,
    build: (a) => ({
      type: "string",
      fn: (row) => {
        const m = new RegExp(toKqlString(a[0]!.fn(row))).exec(toKqlString(a[2]!.fn(row)));
        const g = Number(a[1]!.fn(row));
        return m?.[g] ?? "";
      },
    }),
  },
};

function jsonable(v: KqlValue): unknown {
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Timespan) return toKqlString(v);
  return v;
}

function pack(a: Compiled[]): Compiled {
  return {
    type: "dynamic",
    fn: (row) => {
      const o: Record<string, unknown> = {};
      for (let i = 0; i + 1 < a.length; i += 2) o[toKqlString(a[i]!.fn(row))] = jsonable(a[i + 1]!.fn(row));
      return o;
    },
  };
}

/** bin(value, roundTo): numbers, datetimes (bins from 0001-01-01, which for whole days/hours equals the Unix epoch) and timespans. */

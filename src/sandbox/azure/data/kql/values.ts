/** Conversions between KQL scalar types, literal parsing, and result formatting. */
import { KqlError, type KqlType, type KqlValue, Timespan } from "./types.js";

const TICKS_PER_MS = 10_000;

/** Parse a `datetime(…)`/`timespan(…)`/`dynamic(…)`/`guid(…)` literal body. */
export function literalFromRaw(kind: string, raw: string, pos: number): { value: KqlValue; type: KqlType } {
  if (raw === "null") return { value: null, type: kind === "time" ? "timespan" : (kind as KqlType) };
  switch (kind) {
    case "datetime": {
      const d = parseDatetime(raw.replace(/^(['"])(.*)\1$/, "$2"));
      if (!d) throw new KqlError(`Invalid datetime literal 'datetime(${raw})'`, "SyntaxError", pos);
      return { value: d, type: "datetime" };
    }
    case "timespan": {
      const t = parseTimespan(raw);
      if (!t) throw new KqlError(`Invalid timespan literal 'timespan(${raw})'`, "SyntaxError", pos);
      return { value: t, type: "timespan" };
    }
    case "guid":
      return { value: raw.toLowerCase(), type: "guid" };
    default:
      try {
        // KQL also accepts single-quoted strings inside dynamic literals: rewrite them as JSON strings.
        const json = raw.replace(/'((?:[^'\\]|\\.)*)'/g, (_m, body: string) =>
          JSON.stringify(body.replace(/\\'/g, "'")),
        );
        return { value: JSON.parse(json) as KqlValue, type: "dynamic" };
      } catch {
        throw new KqlError(
          `Invalid dynamic literal 'dynamic(${raw})' (the sandbox accepts JSON only)`,
          "SyntaxError",
          pos,
        );
      }
  }
}

/** ISO 8601 and the `yyyy-MM-dd [HH:mm[:ss]]` forms KQL accepts; always UTC unless an offset is given. */
export function parseDatetime(s: string): Date | null {
  const t = s.trim();
  if (!/^\d{4}-\d{2}-\d{2}/.test(t)) {
    // RFC 1123 ("Sat, 8 Nov 2014 15:05:02 GMT") is also accepted by todatetime().
    if (/^[A-Za-z]{3}, /.test(t)) {
      const d = new Date(t);
      return Number.isNaN(d.getTime()) ? null : d;
    }
    return null;
  }
  let iso = t.replace(" ", "T");
  if (!/[zZ]|[+-]\d{2}:?\d{2}$/.test(iso.slice(10))) iso += iso.length === 10 ? "T00:00:00Z" : "Z";
  // JS Date keeps milliseconds only: trim 7-digit fractions.
  iso = iso.replace(/(\.\d{3})\d+/, "$1");
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** `1.02:03:04.5` (d.hh:mm:ss.fff), `02:03:04`, or a literal like `5m`. */
export function parseTimespan(s: string): Timespan | null {
  const t = s.trim();
  const m = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/.exec(t);
  if (m) {
    const ms =
      Number(m[2] ?? 0) * 86_400_000 +
      Number(m[3]) * 3_600_000 +
      Number(m[4]) * 60_000 +
      Number(m[5] ?? 0) * 1000 +
      Math.round(Number(m[6] ?? 0) * 1000);
    return new Timespan(m[1] ? -ms : ms);
  }
  const u = /^(\d+(?:\.\d+)?)(d|h|m|s|ms)$/.exec(t);
  if (u) {
    const per = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 }[u[2] as "d"];
    return new Timespan(Number(u[1]) * per);
  }
  return null;
}

/** KQL's string form of a value (tostring, strcat). */
export function toKqlString(v: KqlValue): string {
  if (v === null || v === undefined) return "";
  if (v instanceof Date) return formatDatetime(v);
  if (v instanceof Timespan) return formatTimespan(v);
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** `2024-01-01T10:00:00Z`, or with the fraction when there is one (`…00.123Z`), as Log Analytics prints. */
export function formatDatetime(d: Date): string {
  return d.toISOString().replace(".000Z", "Z");
}

/** `[-][d.]hh:mm:ss[.fffffff]`. */
export function formatTimespan(t: Timespan): string {
  const neg = t.ms < 0;
  let ms = Math.abs(t.ms);
  const days = Math.floor(ms / 86_400_000);
  ms -= days * 86_400_000;
  const h = Math.floor(ms / 3_600_000);
  ms -= h * 3_600_000;
  const m = Math.floor(ms / 60_000);
  ms -= m * 60_000;
  const s = Math.floor(ms / 1000);
  ms -= s * 1000;
  const pad = (n: number) => String(n).padStart(2, "0");
  const frac = ms > 0 ? `.${String(Math.round(ms * TICKS_PER_MS)).padStart(7, "0")}` : "";
  return `${neg ? "-" : ""}${days ? `${days}.` : ""}${pad(h)}:${pad(m)}:${pad(s)}${frac}`;
}

/** Convert an incoming JSON value (ingestion body, stored row) to the column's KQL type; null when it does not convert. */
export function coerce(v: unknown, type: KqlType): KqlValue {
  // KQL strings are never null: a missing string is "" (https://learn.microsoft.com/kusto/query/scalar-data-types/null-values).
  if (v === null || v === undefined) return type === "string" ? "" : null;
  switch (type) {
    case "string":
      return typeof v === "string" ? v : toKqlString(v as KqlValue);
    case "int":
    case "long": {
      const n =
        typeof v === "number"
          ? v
          : typeof v === "string" && v.trim() !== ""
            ? Number(v)
            : typeof v === "boolean"
              ? Number(v)
              : Number.NaN;
      if (!Number.isFinite(n)) return null;
      const i = Math.trunc(n);
      if (type === "int" && (i > 2_147_483_647 || i < -2_147_483_648)) return null;
      return i;
    }
    case "real":
    case "decimal": {
      const n =
        typeof v === "number"
          ? v
          : typeof v === "string" && v.trim() !== ""
            ? Number(v)
            : typeof v === "boolean"
              ? Number(v)
              : Number.NaN;
      return Number.isNaN(n) ? null : n;
    }
    case "bool":
      if (typeof v === "boolean") return v;
      if (typeof v === "number") return v !== 0;
      if (typeof v === "string") {
        const s = v.trim().toLowerCase();
        if (s === "true" || s === "1") return true;
        if (s === "false" || s === "0") return false;
      }
      return null;
    case "datetime":
      if (v instanceof Date) return v;
      if (typeof v === "string") return parseDatetime(v);
      return null;
    case "timespan":
      if (v instanceof Timespan) return v;
      if (typeof v === "string") return parseTimespan(v);
      return null;
    case "guid":
      return typeof v === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)
        ? v.toLowerCase()
        : null;
    case "dynamic":
      if (v instanceof Date) return formatDatetime(v);
      if (v instanceof Timespan) return formatTimespan(v);
      return v as KqlValue;
  }
}

/** Map a table/DCR column type (`dateTime`, `boolean`, `Int`) to a KQL type name. */
export function kqlTypeOf(declared: string): KqlType | undefined {
  const t = declared.toLowerCase();
  const map: Record<string, KqlType> = {
    string: "string",
    int: "int",
    long: "long",
    real: "real",
    double: "real",
    boolean: "bool",
    bool: "bool",
    datetime: "datetime",
    dynamic: "dynamic",
    guid: "guid",
    timespan: "timespan",
    decimal: "decimal",
  };
  return map[t];
}

/** JSON form of a value in a query response row. */
export function toJsonCell(v: KqlValue): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return formatDatetime(v);
  if (v instanceof Timespan) return formatTimespan(v);
  return v;
}

/** Total order used by sort/top/min/max: null sorts as smallest. */
export function compareValues(a: KqlValue, b: KqlValue): number {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : -1;
  if (b === null || b === undefined) return 1;
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined && nb !== undefined) return na - nb;
  const sa = toKqlString(a);
  const sb = toKqlString(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Number behind a numeric, datetime or timespan value. */
export function numeric(v: KqlValue): number | undefined {
  if (typeof v === "number") return v;
  if (v instanceof Date) return v.getTime();
  if (v instanceof Timespan) return v.ms;
  return undefined;
}

export function isEmptyValue(v: KqlValue): boolean {
  return v === null || v === undefined || v === "";
}

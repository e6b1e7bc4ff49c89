/**
 * Date and time functions (WDL reference: "Date and time functions"). Time comes from the sandbox clock.
 * Results use .NET's round-trip format `o` ("2018-03-15T00:00:10.0000000Z") unless a format is given; the custom
 * format specifiers our templates need are supported (yyyy MM dd HH mm ss f… tt K, quoted literals, `\`).
 */
import { expectInteger, expectString, type FnSpec, fail, spec } from "./types.js";

const pad = (n: number, w = 2) => String(n).padStart(w, "0");
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export function parseTimestamp(name: string, v: unknown): number {
  const s = expectString(name, v);
  // JavaScript's parser takes at most millisecond precision; .NET timestamps carry 7 fraction digits.
  const norm = s.replace(/(\.\d{3})\d+/, "$1");
  const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(norm) || !norm.includes("T") ? norm : `${norm}Z`);
  if (Number.isNaN(t)) fail(name, `was invoked with a parameter that is not valid: '${s}' is not a valid timestamp`);
  return t;
}

export function formatTimestamp(t: number, format = "o"): string {
  const d = new Date(t);
  const f7 = `${pad(d.getUTCMilliseconds(), 3)}0000`;
  if (format === "o" || format === "O") return formatTimestamp(t, "yyyy-MM-ddTHH:mm:ss.fffffffK");
  if (format === "s") return formatTimestamp(t, "yyyy-MM-ddTHH:mm:ss");
  if (format === "u") return formatTimestamp(t, "yyyy-MM-dd HH:mm:ssZ");
  if (format === "r" || format === "R") return d.toUTCString();
  let out = "";
  let i = 0;
  while (i < format.length) {
    const c = format[i]!;
    if (c === "'" || c === '"') {
      const end = format.indexOf(c, i + 1);
      out += format.slice(i + 1, end < 0 ? format.length : end);
      i = end < 0 ? format.length : end + 1;
      continue;
    }
    if (c === "\\") {
      out += format[i + 1] ?? "";
      i += 2;
      continue;
    }
    let n = 1;
    while (format[i + n] === c) n++;
    const h12 = d.getUTCHours() % 12 || 12;
    switch (c) {
      case "y":
        out += n === 2 ? pad(d.getUTCFullYear() % 100) : pad(d.getUTCFullYear(), Math.max(n, 4));
        break;
      case "M":
        out +=
          n >= 4
            ? d.toLocaleString("en-US", { month: "long", timeZone: "UTC" })
            : n === 3
              ? MONTHS[d.getUTCMonth()]
              : pad(d.getUTCMonth() + 1, n);
        break;
      case "d":
        out +=
          n >= 4
            ? d.toLocaleString("en-US", { weekday: "long", timeZone: "UTC" })
            : n === 3
              ? DAYS[d.getUTCDay()]
              : pad(d.getUTCDate(), n);
        break;
      case "H":
        out += pad(d.getUTCHours(), n);
        break;
      case "h":
        out += pad(h12, n);
        break;
      case "m":
        out += pad(d.getUTCMinutes(), n);
        break;
      case "s":
        out += pad(d.getUTCSeconds(), n);
        break;
      case "f":
      case "F":
        out += f7.slice(0, Math.min(n, 7));
        break;
      case "t":
        out += (d.getUTCHours() < 12 ? "AM" : "PM").slice(0, n);
        break;
      case "K":
        out += "Z";
        break;
      case "z":
        out += n >= 3 ? "+00:00" : "+00";
        break;
      default:
        out += c.repeat(n);
    }
    i += n;
  }
  return out;
}

const UNITS: Record<string, number> = {
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 604_800_000,
};

/** Add `n` units; Month and Year move the calendar, the others a fixed length. */
function addUnits(name: string, t: number, n: number, unit: unknown): number {
  const u = expectString(name, unit).toLowerCase();
  if (u === "month" || u === "year") {
    // .NET AddMonths keeps the day when it exists and otherwise takes the month's last day (Jan 31 + 1 → Feb 28).
    const d = new Date(t);
    const day = d.getUTCDate();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() + (u === "year" ? 12 * n : n));
    const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    d.setUTCDate(Math.min(day, last));
    return d.getTime();
  }
  const ms = UNITS[u];
  if (ms === undefined)
    fail(name, `expects a time unit of Second, Minute, Hour, Day, Week, Month or Year; got '${String(unit)}'`);
  return t + n * ms;
}

const fmt = (name: string, f: unknown) => (f === undefined ? "o" : expectString(name, f));

function adder(name: string, unitMs: number): FnSpec {
  return spec(2, 3, ([ts, n, f]) => {
    const t = parseTimestamp(name, ts) + expectInteger(name, n) * unitMs;
    return formatTimestamp(t, f === undefined ? "o" : expectString(name, f));
  });
}

export const dateFunctions: Record<string, FnSpec> = {
  utcnow: spec(0, 1, ([f], wf) => formatTimestamp(wf.now(), f === undefined ? "o" : expectString("utcNow", f))),
  addseconds: adder("addSeconds", 1000),
  addminutes: adder("addMinutes", 60_000),
  addhours: adder("addHours", 3_600_000),
  adddays: adder("addDays", 86_400_000),
  addtotime: spec(3, 4, ([ts, n, u, f]) =>
    formatTimestamp(
      addUnits("addToTime", parseTimestamp("addToTime", ts), expectInteger("addToTime", n), u),
      fmt("addToTime", f),
    ),
  ),
  getfuturetime: spec(2, 3, ([n, u, f], wf) =>
    formatTimestamp(addUnits("getFutureTime", wf.now(), expectInteger("getFutureTime", n), u), fmt("getFutureTime", f)),
  ),
  getpasttime: spec(2, 3, ([n, u, f], wf) =>
    formatTimestamp(addUnits("getPastTime", wf.now(), -expectInteger("getPastTime", n), u), fmt("getPastTime", f)),
  ),
  startofday: spec(1, 2, ([ts, f]) => {
    const t = parseTimestamp("startOfDay", ts);
    return formatTimestamp(t - (t % 86_400_000), fmt("startOfDay", f));
  }),
  startofhour: spec(1, 2, ([ts, f]) => {
    const t = parseTimestamp("startOfHour", ts);
    return formatTimestamp(t - (t % 3_600_000), fmt("startOfHour", f));
  }),
  formatdatetime: spec(1, 2, ([ts, f]) =>
    formatTimestamp(parseTimestamp("formatDateTime", ts), f === undefined ? "o" : expectString("formatDateTime", f)),
  ),
  // .NET ticks: 100 ns intervals since 0001-01-01. Above 2^53, so the last digits are approximate in JavaScript.
  ticks: spec(1, 1, ([ts]) => (parseTimestamp("ticks", ts) + 62_135_596_800_000) * 10_000),
};

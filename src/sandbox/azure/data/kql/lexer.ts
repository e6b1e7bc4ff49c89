/**
 * KQL tokenizer. Follows the Kusto query language lexical rules closely enough for the subset:
 * identifiers, `!`-prefixed string operators (`!has`), hyphenated operator names (`project-away`),
 * `in~`, string literals ('…', "…", @'…' verbatim, with h/H obfuscation prefixes), numbers, timespan
 * literals (`5m`, `1.5h`, `100ms`), and the raw bodies of `datetime(…)`, `timespan(…)`, `dynamic(…)`, `guid(…)`.
 * https://learn.microsoft.com/kusto/query/scalar-data-types/
 */
import { KqlError, Timespan } from "./types.js";

export type Token =
  | { t: "ident"; v: string; pos: number }
  | { t: "string"; v: string; pos: number }
  | { t: "number"; v: number; real: boolean; pos: number }
  | { t: "timespan"; v: Timespan; pos: number }
  /** `datetime(…)` etc.: the function name and the raw text between the parentheses. */
  | { t: "rawlit"; kind: string; v: string; pos: number }
  | { t: "op"; v: string; pos: number }
  | { t: "eof"; pos: number };

const HYPHENATED = new Set([
  "project-away",
  "project-rename",
  "project-keep",
  "project-reorder",
  "mv-expand",
  "mv-apply",
  "make-series",
  "parse-where",
  "parse-kv",
]);
const BANG_WORDS = new Set([
  "has",
  "has_cs",
  "contains",
  "contains_cs",
  "startswith",
  "startswith_cs",
  "endswith",
  "endswith_cs",
  "in",
  "between",
  "hasprefix",
  "hassuffix",
  "has_any",
  "has_all",
  "matches",
]);
const RAW_LITERALS = new Set(["datetime", "timespan", "time", "dynamic", "guid"]);
const OPS = [
  "..",
  "==",
  "!=",
  "=~",
  "!~",
  "<=",
  ">=",
  "<>",
  "=>",
  "|",
  ",",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  ".",
  "=",
  "<",
  ">",
  "+",
  "-",
  "*",
  "/",
  "%",
  ";",
  ":",
];

/** Timespan suffixes → milliseconds. */
const SPAN_UNITS: Record<string, number> = {
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  minutes: 60_000,
  s: 1000,
  sec: 1000,
  second: 1000,
  seconds: 1000,
  ms: 1,
  milli: 1,
  millis: 1,
  millisecond: 1,
  milliseconds: 1,
  microsecond: 0.001,
  microseconds: 0.001,
  tick: 0.0001,
  ticks: 0.0001,
};

const isIdStart = (c: string) => /[A-Za-z_$]/.test(c);
const isIdPart = (c: string) => /[A-Za-z0-9_$]/.test(c);

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = text.length;
  const fail = (msg: string, pos: number): never => {
    throw new KqlError(msg, "SyntaxError", pos);
  };
  while (i < n) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "/" && text[i + 1] === "/") {
      while (i < n && text[i] !== "\n") i++;
      continue;
    }
    const start = i;
    // String literals, optionally verbatim (@) and/or obfuscated (h/H).
    let j = i;
    if ((text[j] === "h" || text[j] === "H") && (text[j + 1] === "'" || text[j + 1] === '"' || text[j + 1] === "@"))
      j++;
    const verbatim = text[j] === "@" && (text[j + 1] === "'" || text[j + 1] === '"');
    if (verbatim) j++;
    if (text[j] === "'" || text[j] === '"') {
      const q = text[j]!;
      j++;
      let s = "";
      for (;;) {
        if (j >= n) fail("Unterminated string literal", start);
        const ch = text[j]!;
        if (ch === q) {
          if (verbatim && text[j + 1] === q) {
            s += q;
            j += 2;
            continue;
          }
          j++;
          break;
        }
        if (ch === "\\" && !verbatim) {
          const e = text[j + 1];
          const map: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', "0": "\0" };
          if (e === "u") {
            s += String.fromCharCode(Number.parseInt(text.slice(j + 2, j + 6), 16));
            j += 6;
            continue;
          }
          if (e === undefined || map[e] === undefined)
            fail(`Invalid escape sequence '\\${e ?? ""}' in string literal`, j);
          s += map[e!];
          j += 2;
          continue;
        }
        s += ch;
        j++;
      }
      out.push({ t: "string", v: s, pos: start });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(text[i + 1] ?? ""))) {
      const m = /^(?:0x[0-9a-fA-F]+|\d*\.?\d+(?:[eE][+-]?\d+)?)/.exec(text.slice(i))!;
      let j2 = i + m[0].length;
      const unit = /^[A-Za-z]+/.exec(text.slice(j2))?.[0];
      if (unit) {
        const per = SPAN_UNITS[unit];
        if (per === undefined) fail(`Unexpected '${m[0]}${unit}': not a number or a timespan`, start);
        out.push({ t: "timespan", v: new Timespan(Number(m[0]) * per!), pos: start });
        j2 += unit!.length;
      } else {
        const real = /[.eE]/.test(m[0]) && !m[0].startsWith("0x");
        out.push({ t: "number", v: Number(m[0]), real, pos: start });
      }
      i = j2;
      continue;
    }
    if (isIdStart(c) || (c === "!" && isIdStart(text[i + 1] ?? ""))) {
      let j2 = i + (c === "!" ? 1 : 0);
      while (j2 < n && isIdPart(text[j2]!)) j2++;
      let word = text.slice(i, j2);
      if (word.startsWith("!") && !BANG_WORDS.has(word.slice(1).toLowerCase())) {
        // `!isempty(x)` style: a plain `!` is not KQL's negation, say so.
        fail(`Unexpected '!' before '${word.slice(1)}': use not(...)`, start);
      }
      // Hyphenated operator names: `project-away`.
      const hy = /^-[A-Za-z]+/.exec(text.slice(j2))?.[0];
      if (hy && HYPHENATED.has(`${word}${hy}`.toLowerCase())) {
        word += hy;
        j2 += hy.length;
      }
      // `in~`, `!in~`, `has_any` handled by word chars; `~` suffix here.
      if ((word === "in" || word === "!in") && text[j2] === "~") {
        word += "~";
        j2++;
      }
      // Literals whose body is not ordinary tokens: datetime(2024-01-01T00:00:00Z), dynamic({"a":1}).
      let k = j2;
      while (k < n && /\s/.test(text[k]!)) k++;
      if (RAW_LITERALS.has(word) && text[k] === "(") {
        const body = readBalanced(text, k, fail);
        out.push({ t: "rawlit", kind: word === "time" ? "timespan" : word, v: body.text.trim(), pos: start });
        i = body.end;
        continue;
      }
      out.push({ t: "ident", v: word, pos: start });
      i = j2;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (!op) fail(`Unexpected character '${c}'`, start);
    out.push({ t: "op", v: op!, pos: start });
    i += op!.length;
  }
  out.push({ t: "eof", pos: n });
  return out;
}

/** Read `( … )` from `open`, respecting nesting and string literals; returns the inner text. */
function readBalanced(
  text: string,
  open: number,
  fail: (m: string, p: number) => never,
): { text: string; end: number } {
  let depth = 0;
  let q: string | undefined;
  for (let i = open; i < text.length; i++) {
    const ch = text[i]!;
    if (q) {
      if (ch === "\\") i++;
      else if (ch === q) q = undefined;
      continue;
    }
    if (ch === "'" || ch === '"') q = ch;
    else if (ch === "(") depth++;
    else if (ch === ")") {
      depth--;
      if (depth === 0) return { text: text.slice(open + 1, i), end: i + 1 };
    }
  }
  return fail("Missing ')'", open);
}

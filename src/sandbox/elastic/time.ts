/**
 * Date math and durations as Kibana and Elasticsearch read them: rule `from: "now-6m"`, `interval: "5m"`,
 * range queries with `now-15m`. ES: "Date math" in the common-options docs (units y M w d h H m s).
 */
const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  H: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  M: 30 * 86_400_000,
  y: 365 * 86_400_000,
};

/** Parse a duration like `5m`, `30s`, `1h` to ms; undefined when invalid. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+)(ms|s|m|h|d|w)$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

/** Parse `now`, `now-6m`, `now+1h/d`, an ISO date or epoch millis, relative to `now` (ms). */
export function parseDateMath(text: string | number, now: number, roundUp = false): number | undefined {
  if (typeof text === "number") return text;
  const s = text.trim();
  if (s.startsWith("now")) {
    let t = now;
    const re = /([+-])(\d+)(ms|[yMwdhHms])|\/([yMwdhHms])/g;
    const rest = s.slice(3);
    let consumed = 0;
    for (const m of rest.matchAll(re)) {
      if (m.index !== consumed) return undefined;
      consumed += m[0].length;
      if (m[4]) {
        const unit = UNIT_MS[m[4]]!;
        t = roundUp ? Math.floor(t / unit) * unit + unit - 1 : Math.floor(t / unit) * unit;
      } else {
        const delta = Number(m[2]) * UNIT_MS[m[3]!]!;
        t += m[1] === "-" ? -delta : delta;
      }
    }
    return consumed === rest.length ? t : undefined;
  }
  if (/^\d+$/.test(s)) return Number(s);
  const parsed = Date.parse(s);
  return Number.isNaN(parsed) ? undefined : parsed;
}

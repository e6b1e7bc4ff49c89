/**
 * ISO 8601 durations (`PT12H`, `P1D`, `P1DT2H30M`) and intervals (`start/end`, `start/duration`,
 * `duration/end`) as the query API's `timespan` accepts them, and as alert rules use for
 * `queryFrequency`/`queryPeriod`/`suppressionDuration`.
 */

/** Milliseconds of an ISO 8601 duration, or undefined when it is not one. Years/months are not accepted. */
export function parseIsoDuration(s: string): number | undefined {
  const m =
    /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(
      s.trim(),
    );
  if (!m || s.trim().toUpperCase() === "P" || s.trim().toUpperCase().endsWith("T")) return undefined;
  const [, w, d, h, min, sec] = m.map((x) => (x === undefined ? 0 : Number(x)));
  return (
    (((w as number) * 7 + (d as number)) * 24 * 3600 + (h as number) * 3600 + (min as number) * 60 + (sec as number)) *
    1000
  );
}

/** `timespan` → [start, end] in epoch ms, relative durations ending now. */
export function parseTimespanParam(s: string, now: number): { start: number; end: number } | undefined {
  const parts = s.split("/");
  if (parts.length === 1) {
    const d = parseIsoDuration(parts[0]!);
    return d === undefined ? undefined : { start: now - d, end: now };
  }
  if (parts.length !== 2) return undefined;
  const [a, b] = parts as [string, string];
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  if (!Number.isNaN(ta) && !Number.isNaN(tb)) return ta <= tb ? { start: ta, end: tb } : undefined;
  if (!Number.isNaN(ta)) {
    const d = parseIsoDuration(b);
    return d === undefined ? undefined : { start: ta, end: ta + d };
  }
  if (!Number.isNaN(tb)) {
    const d = parseIsoDuration(a);
    return d === undefined ? undefined : { start: tb - d, end: tb };
  }
  return undefined;
}

/**
 * Plain-text tables fitted to the terminal: widths are measured on plain text (colour is applied per cell), long
 * ids and URLs lose their middle ("/subscriptions/0000…/workflows/se-demo-case-sync"), and the last column wraps
 * under itself. With no width (a pipe, --debug) every value is printed in full.
 */
import type { ChalkInstance } from "chalk";

// Strips ANSI colour codes to measure width.
const ANSI = /\x1b\[[0-9;]*m/g;
export const plain = (s: string) => s.replace(ANSI, "");
export const width = (s: string) => plain(s).length;

/** Keep the start and the end of `s` (an id's scope and its name), joined by one "…". */
export function truncateMiddle(s: string, max: number): string {
  const text = plain(s);
  if (text.length <= max) return s;
  if (max <= 1) return "…";
  const head = Math.ceil((max - 1) / 2);
  const tail = max - 1 - head;
  return `${text.slice(0, head)}…${tail > 0 ? text.slice(-tail) : ""}`;
}

/** Word-wrap to `max` columns; a word longer than a line (an id, a URL) is cut in the middle instead. */
export function wrap(s: string, max: number): string[] {
  const text = plain(s);
  if (text.length <= max) return [s];
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const room = current === "" ? max : max - current.length - 1;
    if (word.length <= room) current = current === "" ? word : `${current} ${word}`;
    else if (word.length > max && room >= 16) {
      // "incident /subscriptions/…/se-demo" on one line rather than a lone word and the id below it.
      lines.push(`${current} ${truncateMiddle(word, room)}`);
      current = "";
    } else {
      if (current) lines.push(current);
      current = word.length > max ? truncateMiddle(word, max) : word;
    }
  }
  if (current) lines.push(current);
  return lines;
}

/** A row, or a heading line between rows (the verify table's paths). */
export type TableRow = string[] | { heading: string };

export interface TableOptions {
  /** Terminal width; undefined: no limit (full values). */
  columns?: number;
}

interface FitOptions extends TableOptions {
  /** Columns that hold ids and URLs, in the order they give up width (text columns keep theirs when they can). */
  shrink?: number[];
  /** Width the last column keeps before it wraps (default 30). */
  minLast?: number;
}

const GAP = 2;
const MIN_COLUMN = 12;
const MIN_LAST = 30;

/** Column widths that fit `columns`: the last column keeps room to wrap; id columns shrink first, then the widest. */
function fitWidths(natural: number[], headers: string[], options: FitOptions): number[] {
  const { columns } = options;
  const widths = [...natural];
  if (columns === undefined || widths.length < 2) return widths;
  const last = widths.length - 1;
  const others = () => widths.slice(0, last).reduce((a, b) => a + b, 0) + GAP * last;
  const wantLast = Math.min(natural[last]!, options.minLast ?? MIN_LAST);
  const floor = (i: number) => Math.max(Math.min(MIN_COLUMN, natural[i]!), headers[i]!.length);
  const firstChoice = options.shrink ?? [];
  const pick = (candidates: number[]) => {
    let widest = -1;
    for (const i of candidates) if (widths[i]! > floor(i) && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    return widest;
  };
  const all = widths.slice(0, last).map((_, i) => i);
  while (columns - others() < wantLast) {
    const i = pick(firstChoice) >= 0 ? pick(firstChoice) : pick(all);
    if (i < 0) break;
    widths[i]!--;
  }
  widths[last] = Math.max(Math.min(natural[last]!, columns - others()), Math.min(MIN_COLUMN, natural[last]!));
  return widths;
}

export function renderTable(
  headers: string[],
  rows: readonly TableRow[],
  style: ChalkInstance,
  options: FitOptions = {},
): string {
  const cells = rows.filter((r): r is string[] => Array.isArray(r));
  const natural = headers.map((h, i) => Math.max(width(h), ...cells.map((r) => width(r[i] ?? ""))));
  const widths = fitWidths(natural, headers, options);
  const last = headers.length - 1;
  const indent = widths.slice(0, last).reduce((a, b) => a + b + GAP, 0);
  const pad = (c: string, i: number) => c + " ".repeat(Math.max(0, widths[i]! - width(c)));
  const line = (row: string[]): string => {
    const fitted = row.map((c, i) => (i < last && width(c) > widths[i]! ? truncateMiddle(c, widths[i]!) : c));
    const tail = wrap(fitted[last] ?? "", widths[last]!);
    const first = [...fitted.slice(0, last).map(pad), tail[0] ?? ""].join(" ".repeat(GAP)).trimEnd();
    return [first, ...tail.slice(1).map((t) => `${" ".repeat(indent)}${t}`)].join("\n");
  };
  const out = [style.bold(line(headers))];
  for (const r of rows) out.push(Array.isArray(r) ? line(r) : style.bold(r.heading));
  return out.join("\n");
}

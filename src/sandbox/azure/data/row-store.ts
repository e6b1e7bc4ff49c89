/**
 * Rows of every workspace table, keyed by workspace ARM id (case-insensitive, as ARM ids are) and table name
 * (case-sensitive, as KQL table names are). Each row remembers when it became visible: that is KQL's
 * `ingestion_time()` and what NRT rules select on.
 */
import type { KqlRow } from "./kql/index.js";

export interface StoredRow {
  values: KqlRow;
  /** Sandbox epoch ms at which the row became queryable. */
  ingestedAt: number;
  /** Store-wide arrival order: NRT rules remember the last one they saw, so no row is seen twice or missed. */
  seq: number;
}

export interface RowStore {
  append(workspaceId: string, table: string, rows: KqlRow[], ingestedAt: number): void;
  /** Rows in ingestion order (a live array: do not mutate). */
  list(workspaceId: string, table: string): readonly StoredRow[];
  /** Drop one table's rows, or every table of the workspace. */
  drop(workspaceId: string, table?: string): void;
  tableNames(workspaceId: string): string[];
  /** The `seq` of the latest row appended anywhere (0 when empty). */
  lastSeq(): number;
}

/** Ingestion time of every stored row object, for KQL's `ingestion_time()`. */
const INGESTED = new WeakMap<object, number>();

export function ingestionTimeOf(row: KqlRow): number | undefined {
  return INGESTED.get(row);
}

export function createRowStore(): RowStore {
  const byWorkspace = new Map<string, Map<string, StoredRow[]>>();
  let seq = 0;
  const ws = (id: string) => {
    const key = id.replace(/\/+$/, "").toLowerCase();
    let m = byWorkspace.get(key);
    if (!m) {
      m = new Map();
      byWorkspace.set(key, m);
    }
    return m;
  };
  return {
    append(workspaceId, table, rows, ingestedAt) {
      const tables = ws(workspaceId);
      let list = tables.get(table);
      if (!list) {
        list = [];
        tables.set(table, list);
      }
      for (const values of rows) {
        INGESTED.set(values, ingestedAt);
        list.push({ values, ingestedAt, seq: ++seq });
      }
    },
    list: (workspaceId, table) => ws(workspaceId).get(table) ?? [],
    drop(workspaceId, table) {
      if (table === undefined) ws(workspaceId).clear();
      else ws(workspaceId).delete(table);
    },
    tableNames: (workspaceId) => [...ws(workspaceId).keys()],
    lastSeq: () => seq,
  };
}

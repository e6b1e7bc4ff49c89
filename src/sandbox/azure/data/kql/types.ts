/**
 * Values and tables of the KQL subset engine. Scalars are plain JS values; datetimes are `Date`, timespans are
 * `Timespan` (milliseconds; KQL's 100 ns ticks are more precise than the sandbox needs), dynamic values are JSON.
 */
export type KqlType =
  | "bool"
  | "datetime"
  | "dynamic"
  | "guid"
  | "int"
  | "long"
  | "real"
  | "string"
  | "timespan"
  | "decimal";

export class Timespan {
  constructor(readonly ms: number) {}
}

export type KqlValue = null | boolean | number | string | Date | Timespan | KqlDynamic;
export type KqlDynamic = unknown[] | { [k: string]: unknown };

export interface KqlColumn {
  name: string;
  type: KqlType;
}

export type KqlRow = Record<string, KqlValue>;

export interface KqlTable {
  columns: KqlColumn[];
  rows: KqlRow[];
}

export interface KqlContext {
  /** Resolve a table by name (`source` in a DCR transform); undefined → "Failed to resolve table". */
  table(name: string): KqlTable | undefined;
  /** Current time for now()/ago(), epoch ms (the sandbox clock). */
  now: number;
  /** When a stored row was ingested (KQL's `ingestion_time()`); rows made by project/extend have none. */
  ingestionTime?: (row: KqlRow) => number | undefined;
}

/** A KQL error with the construct it concerns; the query API maps it to 400 BadArgumentError. */
export class KqlError extends Error {
  constructor(
    message: string,
    /** `SyntaxError` (cannot parse), `SemanticError` (unknown table/column, type mismatch) or `UnsupportedError`. */
    readonly kind: "SyntaxError" | "SemanticError" | "UnsupportedError",
    readonly position?: number,
  ) {
    super(message);
    this.name = "KqlError";
  }
}

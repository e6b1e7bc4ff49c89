/**
 * Microsoft's KQL parser and semantic analyser (`@kusto/language-service-next`, a Bridge.NET build that
 * installs `Bridge`/`System`/`Kusto` globals): every KQL string in our templates must be valid KQL for the
 * columns it reads.
 */
import { loadKusto } from "../sandbox/data/kusto-parse.js";

type Any = any;

/** Error diagnostics of `query` against tables given as `{ Name: [[column, kustoType], …] }`. */
export function kqlErrors(query: string, tables: Record<string, [string, string][]>): string[] {
  const K = loadKusto();
  const S = K.Language.Symbols;
  const sys = (globalThis as Any).System;
  const symbols = Object.entries(tables).map(
    ([name, cols]) => new S.TableSymbol.$ctor7(name, `(${cols.map(([c, t]) => `['${c}']:${t}`).join(", ")})`, null),
  );
  const db = new S.DatabaseSymbol.$ctor1("db", sys.Array.init(symbols, S.Symbol), false);
  const code = K.Language.KustoCode.ParseAndAnalyze(query, K.Language.GlobalState.Default.WithDatabase(db));
  const list = code.GetDiagnostics();
  const out: string[] = [];
  for (let i = 0; i < list.Count; i++) {
    const d = list.getItem(i);
    if (d.Severity === "Error") out.push(`${d.Code}: ${d.Message}`);
  }
  return out;
}

/** ARM column types → Kusto scalar types. */
export const kustoType = (armType: string): string =>
  ({
    datetime: "datetime",
    dateTime: "datetime",
    string: "string",
    int: "int",
    long: "long",
    real: "real",
    boolean: "bool",
    dynamic: "dynamic",
    guid: "guid",
  })[armType] ?? armType;

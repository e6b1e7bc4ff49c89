/**
 * The real KQL parser and semantic analyser (Microsoft's Kusto.Language, `@kusto/language-service-next`), used
 * to prove that every query the sandbox engine accepts is also valid KQL: the subset must never accept
 * something Azure would refuse. The package is a Bridge.NET build that installs `Bridge`/`System`/`Kusto`
 * globals, so it is loaded once with require.
 */
import { createRequire } from "node:module";

export interface KustoDiagnostic {
  code: string;
  message: string;
  start: number;
  severity: string;
}

type Any = any;
let kusto: Any;

/** Load Microsoft's KQL parser once (it installs globals); shared by every test that checks KQL. */
export function loadKusto(): Any {
  if (!kusto) {
    const require = createRequire(import.meta.url);
    require("@kusto/language-service-next/bridge.js");
    require("@kusto/language-service-next");
    kusto = (globalThis as Any).Kusto;
  }
  return kusto;
}

/**
 * Parse and analyse `query` against tables declared as `{ Name: "(Col:type, …)" }` (Kusto schema syntax).
 * Returns the error diagnostics (empty when the query is valid KQL for that schema).
 */
export function kustoDiagnostics(query: string, tables: Record<string, string>): KustoDiagnostic[] {
  const K = loadKusto();
  const S = K.Language.Symbols;
  const sys = (globalThis as Any).System;
  const symbols = Object.entries(tables).map(([name, schema]) => new S.TableSymbol.$ctor7(name, schema, null));
  const db = new S.DatabaseSymbol.$ctor1("sandbox", sys.Array.init(symbols, S.Symbol), false);
  const globals = K.Language.GlobalState.Default.WithDatabase(db);
  const code = K.Language.KustoCode.ParseAndAnalyze(query, globals);
  const list = code.GetDiagnostics();
  const out: KustoDiagnostic[] = [];
  for (let i = 0; i < list.Count; i++) {
    const d = list.getItem(i);
    if (d.Severity === "Error") out.push({ code: d.Code, message: d.Message, start: d.Start, severity: d.Severity });
  }
  return out;
}

/** Kusto schema text for columns: `(A:string, B:long)`. */
export function kustoSchema(columns: { name: string; type: string }[]): string {
  return `(${columns.map((c) => `['${c.name}']:${c.type}`).join(", ")})`;
}

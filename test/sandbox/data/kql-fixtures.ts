/** A small typed table and a runner that records every query the engine accepted (checked by the real parser). */
import { type KqlRow, type KqlTable, runKql } from "../../../src/sandbox/azure/data/index.js";
import { kustoSchema } from "./kusto-parse.js";

export const NOW = Date.parse("2026-11-27T12:00:00Z");
const t = (iso: string) => new Date(iso);

export const EVENTS: KqlTable = {
  columns: [
    { name: "TimeGenerated", type: "datetime" },
    { name: "Host", type: "string" },
    { name: "User", type: "string" },
    { name: "Severity", type: "string" },
    { name: "RiskScore", type: "int" },
    { name: "Bytes", type: "long" },
    { name: "Ratio", type: "real" },
    { name: "Ok", type: "bool" },
    { name: "Raw", type: "dynamic" },
  ],
  rows: [
    {
      TimeGenerated: t("2026-11-27T11:58:00Z"),
      Host: "web-01.contoso.com",
      User: "alice",
      Severity: "high",
      RiskScore: 73,
      Bytes: 1000,
      Ratio: 0.5,
      Ok: true,
      Raw: { host: { name: "web-01" }, tags: ["a", "b"], "x-y": 1 },
    },
    {
      TimeGenerated: t("2026-11-27T11:30:00Z"),
      Host: "db-01",
      User: "bob",
      Severity: "low",
      RiskScore: 21,
      Bytes: 50,
      Ratio: 1.5,
      Ok: false,
      Raw: { host: { name: "db-01" } },
    },
    {
      TimeGenerated: t("2026-11-27T09:00:00Z"),
      Host: "web-02",
      User: "alice",
      Severity: "critical",
      RiskScore: 99,
      Bytes: 7,
      Ratio: 2,
      Ok: true,
      Raw: null,
    },
    {
      TimeGenerated: t("2026-11-26T12:00:00Z"),
      Host: "",
      User: "carol",
      Severity: "medium",
      RiskScore: 47,
      Bytes: 0,
      Ratio: 0,
      Ok: false,
      Raw: { host: { name: "" } },
    },
  ],
};

/** Kusto schema of the fixture tables, for the real parser. */
export const KUSTO_TABLES: Record<string, string> = { Events: kustoSchema(EVENTS.columns) };

/** Every query the engine ran without error, with the tables it ran against. */
export const accepted: string[] = [];

export function kql(query: string, tables: Record<string, KqlTable> = { Events: EVENTS }): KqlTable {
  const out = runKql(query, { table: (n) => tables[n], now: NOW });
  accepted.push(query);
  return out;
}

export const col = (t: KqlTable, name: string) => t.rows.map((r: KqlRow) => r[name]);

#!/usr/bin/env node
// Benchmark: the sandbox's KQL engine over a 10,000-row ElasticAlerts_CL-like table. An analytics rule runs every
// simulated minute and `demo` runs time 60x faster, so a rule query must stay far below a real second.
// Bundles the engine with esbuild (present through vitest), times parse + run, prints median and p95 per query.
// Exit code 1 when any median is 50 ms or more.
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "node_modules", ".cache", "kql-bench", "kql.mjs");
mkdirSync(dirname(out), { recursive: true });
await build({
  stdin: {
    contents: 'export * from "./src/sandbox/azure/data/kql/index.ts";',
    resolveDir: root,
    sourcefile: "bench-entry.ts",
    loader: "ts",
  },
  bundle: true,
  platform: "node",
  format: "esm",
  packages: "external",
  outfile: out,
  logLevel: "error",
});
const { runKql } = await import(pathToFileURL(out).href);

const now = Date.parse("2026-11-27T12:00:00Z");
const severities = ["low", "medium", "high", "critical"];
const rows = Array.from({ length: 10_000 }, (_, i) => ({
  TimeGenerated: new Date(now - i * 1000),
  AlertId: `alert-${i}`,
  RuleName: `Rule ${i % 37}`,
  Severity: severities[i % 4],
  RiskScore: i % 100,
  HostName: `host-${i % 250}.contoso.com`,
  Raw: { host: { name: `host-${i % 250}` }, user: { name: `user-${i % 13}` } },
}));
const table = {
  columns: [
    { name: "TimeGenerated", type: "datetime" },
    { name: "AlertId", type: "string" },
    { name: "RuleName", type: "string" },
    { name: "Severity", type: "string" },
    { name: "RiskScore", type: "int" },
    { name: "HostName", type: "string" },
    { name: "Raw", type: "dynamic" },
  ],
  rows,
};
const ctx = { now, table: (n) => (n === "ElasticAlerts_CL" ? table : undefined) };

const queries = {
  "NRT rule":
    "ElasticAlerts_CL | where isnotempty(AlertId) | project TimeGenerated, AlertId, RuleName, Severity, HostName",
  "transform-like extend":
    "ElasticAlerts_CL | extend S = case(Severity =~ 'critical', 'High', Severity =~ 'high', 'High', 'Low'), H = tostring(Raw.host.name)",
  "filter + summarize":
    "ElasticAlerts_CL | where TimeGenerated > ago(1h) and HostName has 'contoso' | summarize count(), dcount(HostName) by RuleName",
  top: "ElasticAlerts_CL | top 10 by RiskScore desc",
};

let failed = false;
for (const [name, q] of Object.entries(queries)) {
  for (let i = 0; i < 5; i++) runKql(q, ctx);
  const times = [];
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    runKql(q, ctx);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const p95 = times[Math.floor(times.length * 0.95)];
  console.log(`${name.padEnd(24)} median ${median.toFixed(2)} ms   p95 ${p95.toFixed(2)} ms   (10,000 rows)`);
  if (median >= 50) failed = true;
}
process.exit(failed ? 1 : 0);

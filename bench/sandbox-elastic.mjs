#!/usr/bin/env node
/**
 * Benchmark of the Elastic sandbox (issue 3 budgets): both emulators start in < 200 ms, and memory stays
 * < 100 MB with 10,000 documents. Also times a search and a rule run over those documents.
 * Run after a build:  npm run build && node --expose-gc bench/sandbox-elastic.mjs
 * Prints measurements and their ratio to the budget; exits 1 when a budget is exceeded.
 */
import { performance } from "node:perf_hooks";

const { startElasticSandbox } = await import("../dist/sandbox/elastic/index.js");

const gc = globalThis.gc ?? (() => {});
const mb = (n) => n / 1024 / 1024;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// warm-up: the first start pays for module loading, which a test run pays once
await (await startElasticSandbox()).stop();

const starts = [];
for (let i = 0; i < 15; i++) {
  const t = performance.now();
  const sb = await startElasticSandbox();
  starts.push(performance.now() - t);
  await sb.stop();
}

gc();
const before = process.memoryUsage();
const sb = await startElasticSandbox();
const now = sb.clock.now();
const docs = [];
for (let i = 0; i < 10_000; i++)
  docs.push({
    "@timestamp": new Date(now - (i % 600) * 1000).toISOString(),
    event: { category: i % 3 === 0 ? "authentication" : "network", outcome: i % 7 === 0 ? "failure" : "success" },
    host: { name: `host-${i % 50}` },
    user: { name: `user-${i % 200}` },
    source: { ip: `10.0.${i % 256}.${(i * 7) % 256}` },
    message: `sample event ${i} from host-${i % 50}`,
  });
let t = performance.now();
sb.state.indexDocuments("logs-bench-default", docs);
const indexMs = performance.now() - t;
docs.length = 0;
gc();
const after = process.memoryUsage();

const auth = { Authorization: `ApiKey ${sb.apiKey}`, "content-type": "application/json" };
t = performance.now();
const res = await fetch(`${sb.elasticsearchUrl}/logs-*/_search`, {
  method: "POST",
  headers: auth,
  body: JSON.stringify({
    query: {
      bool: { filter: [{ term: { "event.category": "authentication" } }, { term: { "event.outcome": "failure" } }] },
    },
    size: 100,
    sort: [{ "@timestamp": "desc" }],
  }),
});
const hits = (await res.json()).hits.total.value;
const searchMs = performance.now() - t;

await fetch(`${sb.kibanaUrl}/api/detection_engine/rules`, {
  method: "POST",
  headers: { ...auth, "kbn-xsrf": "1" },
  body: JSON.stringify({
    rule_id: "bench",
    type: "query",
    name: "bench",
    description: "b",
    risk_score: 1,
    severity: "low",
    query: "event.category:authentication and event.outcome:failure",
    index: ["logs-*"],
    from: "now-15m",
    max_signals: 1000,
  }),
});
t = performance.now();
const [run] = await sb.state.runRulesNow();
const ruleMs = performance.now() - t;
await sb.stop();

const startMedian = median(starts);
const startMax = Math.max(...starts);
const heapMb = mb(after.heapUsed - before.heapUsed);
const rssMb = mb(after.rss);
const rows = [
  ["start both emulators (median of 15)", `${startMedian.toFixed(1)} ms`, startMedian / 200],
  ["start both emulators (worst of 15)", `${startMax.toFixed(1)} ms`, startMax / 200],
  ["heap growth with 10,000 documents", `${heapMb.toFixed(1)} MB`, heapMb / 100],
  ["process RSS with 10,000 documents (informative)", `${rssMb.toFixed(1)} MB`, null],
  ["index 10,000 documents (state API)", `${indexMs.toFixed(1)} ms`, null],
  [`search over 10,000 (${hits} hits)`, `${searchMs.toFixed(1)} ms`, null],
  [`rule run over 10,000 (${run.alerts} alerts, ${run.status})`, `${ruleMs.toFixed(1)} ms`, null],
];
for (const [name, value, ratio] of rows)
  console.log(
    `${name.padEnd(52)} ${value.padStart(10)}${ratio === null ? "" : `   ${(ratio * 100).toFixed(0)}% of budget`}`,
  );
const over = rows.filter(([, , r]) => r !== null && r > 1);
if (over.length) {
  console.error(`over budget: ${over.map(([n]) => n).join(", ")}`);
  process.exit(1);
}

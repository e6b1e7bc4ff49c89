#!/usr/bin/env node
// Benchmark (issue 5): a workflow run with 10 simple actions takes under 20 ms in the sandbox's Logic Apps runtime.
// Bundles the runtime's TypeScript with esbuild (present through vitest) into node_modules/.cache, then times
// invoke → run finished for many runs and prints the median and p95. Exit code 1 when the median is 20 ms or more.
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "node_modules", ".cache", "logic-bench", "logic.mjs");
mkdirSync(dirname(out), { recursive: true });
await build({
  stdin: {
    contents:
      'export * from "./src/sandbox/azure/logic/index.ts"; export { createClock } from "./src/sandbox/common/clock.ts";',
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
const { createLogicRuntime, createClock } = await import(pathToFileURL(out).href);

const host = {
  clock: createClock({ mode: "manual" }),
  resourceManager: "http://127.0.0.1:1",
  http: async () => {
    throw new Error("no HTTP in this benchmark");
  },
  managedIdentityToken: async () => "token",
  connection: async () => undefined,
};
const rt = createLogicRuntime(host);

const after = (name) => ({ [name]: ["Succeeded"] });
const actions = {
  Init: {
    type: "InitializeVariable",
    inputs: {
      variables: [
        { name: "ids", type: "array", value: [] },
        { name: "n", type: "integer", value: 0 },
      ],
    },
  },
  Title: { type: "Compose", inputs: "@toUpper(triggerBody()?['case_title'])", runAfter: after("Init") },
  Severity: {
    type: "Compose",
    inputs: "@if(equals(triggerBody()?['case_severity'], 'critical'), 'High', 'Medium')",
    runAfter: after("Title"),
  },
  Url: {
    type: "Compose",
    inputs: "@{triggerBody()?['base']}/cases/@{encodeUriComponent(triggerBody()?['case_id'])}",
    runAfter: after("Severity"),
  },
  Append: {
    type: "AppendToArrayVariable",
    inputs: { name: "ids", value: "@triggerBody()?['case_id']" },
    runAfter: after("Url"),
  },
  Count: {
    type: "IncrementVariable",
    inputs: { name: "n", value: "@length(variables('ids'))" },
    runAfter: after("Append"),
  },
  Tags: {
    type: "Select",
    inputs: { from: "@triggerBody()?['tags']", select: { labelName: "@item()" } },
    runAfter: after("Count"),
  },
  Keep: {
    type: "Query",
    inputs: { from: "@triggerBody()?['tags']", where: "@not(startsWith(item(), 'x'))" },
    runAfter: after("Tags"),
  },
  Check: {
    type: "If",
    expression: "@greater(variables('n'), 0)",
    actions: { Yes: { type: "Compose", inputs: "@outputs('Title')" } },
    runAfter: after("Keep"),
  },
  Response: {
    type: "Response",
    inputs: {
      statusCode: 200,
      body: { title: "@outputs('Title')", url: "@outputs('Url')", labels: "@body('Tags')", n: "@variables('n')" },
    },
    runAfter: after("Check"),
  },
};
const wf = {
  id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Logic/workflows/bench",
  name: "bench",
  state: "Enabled",
  definition: { triggers: { manual: { type: "Request", kind: "Http", inputs: { method: "POST" } } }, actions },
};
const problems = rt.validate(wf.definition);
if (problems.length) throw new Error(problems.join("\n"));
const body = JSON.stringify({
  case_title: "Suspicious login",
  case_severity: "critical",
  case_id: "c 1",
  base: "https://kb",
  tags: ["a", "b", "xc"],
});
const request = { method: "POST", query: {}, headers: { "content-type": "application/json" }, body };

async function once() {
  const t = performance.now();
  const res = await rt.invoke(wf, "manual", request);
  await rt.idle();
  if (res.status !== 200) throw new Error(`unexpected status ${res.status}: ${res.body}`);
  return performance.now() - t;
}

for (let i = 0; i < 50; i++) await once();
const times = [];
for (let i = 0; i < 500; i++) times.push(await once());
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const p95 = times[Math.floor(times.length * 0.95)];
console.log(
  `logic-run: ${Object.keys(actions).length} actions (+1 nested), ${times.length} runs: median ${median.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms (limit 20 ms)`,
);
if (median >= 20) process.exit(1);

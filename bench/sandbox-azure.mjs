#!/usr/bin/env node
// Benchmark (issue 4): the Azure sandbox starts in under 300 ms — CA and leaf certificate generation, six HTTPS
// servers on 127.0.0.1, state seeding — so every test file can start its own. Bundles the sandbox's TypeScript
// with esbuild (present through vitest), then times startAzureSandbox() → ready, cold (first start in the process)
// and warm (median and p95 of 15 more). Also times one deployment of a small template through the REST API.
// Exit code 1 when the cold start or the warm median is 300 ms or more.
import { mkdirSync } from "node:fs";
import { request } from "node:https";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "node_modules", ".cache", "azure-sandbox-bench", "azure.mjs");
mkdirSync(dirname(out), { recursive: true });
await build({
  stdin: {
    contents: 'export * from "./src/sandbox/azure/index.ts";',
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
const { startAzureSandbox } = await import(pathToFileURL(out).href);
const options = {
  resourceGroups: [{ name: "rg", location: "westeurope" }],
  workspaces: [{ name: "ws", resourceGroup: "rg" }],
};

const time = async (fn) => {
  const t0 = performance.now();
  const v = await fn();
  return [performance.now() - t0, v];
};

const [cold, first] = await time(() => startAzureSandbox(options));
await first.stop();
const warm = [];
for (let i = 0; i < 15; i++) {
  const [ms, sb] = await time(() => startAzureSandbox(options));
  warm.push(ms);
  await sb.stop();
}
warm.sort((a, b) => a - b);
const median = warm[Math.floor(warm.length / 2)];
const p95 = warm[Math.floor(warm.length * 0.95)];

// One deployment of a small template, PUT → operation status Succeeded.
const sb = await startAzureSandbox(options);
const { token } = await sb.credential.getToken("https://management.azure.com/.default");
const send = (method, path, body) =>
  new Promise((resolve, reject) => {
    const r = request(
      `${sb.endpoints.resourceManager}${path}`,
      { method, ca: sb.caCert, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } },
      (res) => {
        let text = "";
        res.on("data", (c) => (text += c));
        res.on("end", () =>
          resolve({ status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text) : undefined }),
        );
      },
    );
    r.on("error", reject);
    r.end(body === undefined ? undefined : JSON.stringify(body));
  });
const template = {
  $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  contentVersion: "1.0.0.0",
  resources: [
    {
      type: "Microsoft.OperationalInsights/workspaces/tables",
      apiVersion: "2022-10-01",
      name: "ws/Bench_CL",
      properties: {
        schema: {
          name: "Bench_CL",
          columns: [
            { name: "TimeGenerated", type: "dateTime" },
            { name: "A", type: "string" },
          ],
        },
      },
    },
  ],
};
const [deployMs, status] = await time(async () => {
  const put = await send(
    "PUT",
    `/subscriptions/${sb.subscriptionId}/resourceGroups/rg/providers/Microsoft.Resources/deployments/b?api-version=2025-03-01`,
    { properties: { mode: "Incremental", template } },
  );
  const poll = new URL(put.headers["azure-asyncoperation"]);
  const st = await send("GET", `${poll.pathname}${poll.search}`);
  return st.body.status;
});
await sb.stop();

const f = (n) => `${n.toFixed(1)} ms`;
console.log(`Azure sandbox start-up: cold ${f(cold)}, warm median ${f(median)}, p95 ${f(p95)} (budget 300 ms)`);
console.log(`one small deployment, PUT to Succeeded: ${f(deployMs)} (${status})`);
if (cold >= 300 || median >= 300 || status !== "Succeeded") process.exit(1);

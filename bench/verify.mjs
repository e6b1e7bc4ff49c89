#!/usr/bin/env node
/**
 * bench/verify: how far `verify --full` overshoots the moment its last piece of evidence exists.
 *
 * Against the demo world (both sandboxes on one fast clock; ingestion latency 2 min, rule interval 5 min), after
 * `setup`, each round runs `verify --only alerts --full` and reads, in sandbox time:
 *   t_doc       the test document's @timestamp (verify stamps it with its clock when it indexes it),
 *   t_ready     when the incident for that document's alert was created in Sentinel (the pipeline's true end),
 *   t_done      when verify returned.
 * ratio = (t_done - t_doc) / (t_ready - t_doc): 1.00 is a verify that stops the instant the evidence exists.
 * Goal: at most 1.10 (tight polling, not long sleeps). Needs `npm run build` first.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { runCli } from "../dist/cli.js";
import { DEMO, startDemoWorld } from "../dist/demo/sandboxes.js";
import { demoClock, nest } from "../dist/demo/run-demo.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const sink = () => {
  let text = "";
  return {
    isTTY: false,
    write(s) {
      text += s;
      return true;
    },
    get text() {
      return text;
    },
  };
};

const world = await startDemoWorld();
try {
  const dir = mkdtempSync(join(tmpdir(), "se-bench-verify-"));
  const configFile = join(dir, "sentinel-elastic.yaml");
  writeFileSync(configFile, stringify(nest(world.inputs)));
  const run = async (args) => {
    const stdout = sink();
    const stderr = sink();
    const code = await runCli(["node", "sentinel-elastic", ...args, "--config", configFile], {
      stdin: { isTTY: false },
      stdout,
      stderr,
      env: { ...world.secretEnv, CI: "true", NO_COLOR: "1" },
      cwd: dir,
      overrides: { azureCredential: world.azure.credential, azureCaCerts: [world.azure.caCert] },
      clock: demoClock(world, DEMO.speed),
    });
    return { code, stdout: stdout.text, stderr: stderr.text };
  };
  const setup = await run(["setup", "--yes", "--non-interactive", "--no-verify"]);
  if (setup.code !== 0) throw new Error(`setup failed:\n${setup.stderr}`);
  const wsId = `/subscriptions/${world.azure.subscriptionId}/resourceGroups/${DEMO.resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${DEMO.workspace}`;
  const ratios = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const r = await run(["verify", "--only", "alerts", "--full", "--json"]);
    const tDone = world.clock.now();
    const doc = JSON.parse(r.stdout);
    const failed = doc.checks.filter((c) => c.status === "fail");
    if (r.code !== 0 || failed.length) throw new Error(`verify failed: ${JSON.stringify(failed)}`);
    // The full path starts when verify indexes the test document: its hops run back to back, so the document was
    // written at t_done minus their summed durations (all in sandbox time).
    const fullHops = doc.checks.filter((c) => c.id.startsWith("full."));
    const tDoc = tDone - fullHops.reduce((s, c) => s + (c.durationMs ?? 0), 0);
    // The incident for the document's alert: the newest one after t_doc that is not the fast path's synthetic one.
    const tReady = world.azure.state
      .listIncidents(wsId)
      .map((i) => i.properties)
      .filter((p) => !p.title.includes("sentinel-elastic verify") && Date.parse(p.createdTimeUtc) >= tDoc)
      .map((p) => Date.parse(p.createdTimeUtc))
      .sort((a, b) => b - a)[0];
    if (tReady === undefined) throw new Error("no incident found for the full path");
    const ratio = (tDone - tDoc) / (tReady - tDoc);
    ratios.push(ratio);
    console.log(
      `round ${round}: pipeline ${((tReady - tDoc) / 1000).toFixed(1)} s (sandbox), verify ${((tDone - tDoc) / 1000).toFixed(1)} s, ratio ${ratio.toFixed(3)}`,
    );
  }
  ratios.sort((a, b) => a - b);
  const median = ratios[Math.floor(ratios.length / 2)];
  console.log(
    `verify overshoot: median ratio ${median.toFixed(3)} (${((median - 1) * 100).toFixed(1)}% over the pipeline's own latency; configured ingestion ${DEMO.ingestionLatencyMs / 60000} min + rule interval 5 min; goal <= 1.10)`,
  );
} finally {
  await world.stop();
}

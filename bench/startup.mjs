#!/usr/bin/env node
// Start-up cost of the CLI: median of N runs of `node bin/sentinel-elastic.js --help` against `node -e 0`.
// Goal: at most 2.0× (heavy SDKs, zod, chalk and prompts are imported lazily, never for --help).
// Usage: node bench/startup.mjs [runs=15]; needs dist/ (npm run build).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const runs = Math.max(10, Number(process.argv[2] ?? 15));
const bin = fileURLToPath(new URL("../bin/sentinel-elastic.js", import.meta.url));
if (!existsSync(new URL("../dist/cli.js", import.meta.url))) {
  console.error("dist/cli.js is missing: run `npm run build` first.");
  process.exit(1);
}

function median(args) {
  const times = [];
  // One warm-up run so the file system cache is the same for both.
  spawnSync(process.execPath, args, { stdio: "ignore" });
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { stdio: "ignore" });
    if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited ${r.status}`);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  const mid = Math.floor(times.length / 2);
  return times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
}

const baseline = median(["-e", "0"]);
const cli = median([bin, "--help"]);
const ratio = cli / baseline;
console.log(`node -e 0:                 ${baseline.toFixed(1)} ms (median of ${runs})`);
console.log(`sentinel-elastic --help:   ${cli.toFixed(1)} ms (median of ${runs})`);
console.log(`ratio: ${ratio.toFixed(2)}x (goal <= 2.00x) ${ratio <= 2 ? "OK" : "OVER GOAL"}`);

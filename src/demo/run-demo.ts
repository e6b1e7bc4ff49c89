/**
 * `demo`: start the sandboxes in-process, run `setup` non-interactively against them (it plans, applies and
 * then verifies both paths end to end, the full alert path included, and the way back: Sentinel incidents into
 * Elastic through the microsoft_sentinel integration, run agentless by the demo's stand-in agent), print
 * everything, stop the sandboxes.
 * `--keep` leaves them running and writes a ready config file and an env file so that another shell can try
 * `setup` (interactive), `verify` and `teardown` against them.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import type { CommandDeps, CommandResult, CommonOptions } from "../commands/context.js";
import { DEMO, type DemoWorld, startDemoWorld } from "./sandboxes.js";

export interface DemoOptions extends CommonOptions {
  keep?: boolean;
  /** `defender`: the sandbox workspace is onboarded to the Defender portal (setup detects it: sentinel.portal auto). */
  portal?: "azure" | "defender";
  /** --timeout for the end-to-end verification, ms. */
  timeout?: number;
}

/**
 * This copy's bin (from src/demo or dist/demo). The kept folder's `bin/sentinel-elastic` runs it by absolute path,
 * so the second shell runs exactly this copy, never `npx sentinel-elastic` (which outside this checkout would look
 * the name up in the public registry).
 */
export const THIS_BIN = resolve(dirname(fileURLToPath(import.meta.url)), "../../bin/sentinel-elastic.js");

/** A POSIX shell word: single-quoted, with any single quote closed, escaped and reopened. */
const shellWord = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/**
 * The product's clock in the demo: timestamps and deadlines on the sandbox clock, which is the wall clock; pauses
 * between polls compressed like the sandbox's own durations, so the run notices evidence soon after it appears.
 */
export function demoClock(world: Pick<DemoWorld, "clock">, speed: number) {
  return {
    now: () => world.clock.now(),
    sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(1, Math.ceil(ms / speed)))),
  };
}

/**
 * Nested config object from any dotted keys. Unlike config/load.ts `nest` (registry keys only, every section
 * present, for validation), it keeps whatever it is given, so tests can also write keys the registry lacks.
 */
export function nest(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split(".");
    let node = out;
    for (const p of parts.slice(0, -1)) {
      node[p] ??= {};
      node = node[p] as Record<string, unknown>;
    }
    node[parts.at(-1)!] = value;
  }
  return out;
}

/**
 * Files for `--keep`: a config file (no secrets in it), an env file (mode 0600) with the sandbox's API key that also
 * puts the folder's `bin/` first on PATH, and `bin/sentinel-elastic`, which runs this copy with this Node.
 */
export async function writeKeepFiles(
  world: DemoWorld,
): Promise<{ dir: string; configFile: string; envFile: string; binDir: string }> {
  const dir = await mkdtemp(join(tmpdir(), "sentinel-elastic-demo-"));
  const binDir = join(dir, "bin");
  await mkdir(binDir);
  await writeFile(
    join(binDir, "sentinel-elastic"),
    `#!/bin/sh\n# This copy of sentinel-elastic, for the demo's sandboxes (written by demo --keep).\nexec ${shellWord(process.execPath)} ${shellWord(THIS_BIN)} "$@"\n`,
    { mode: 0o755 },
  );
  const caFile = join(dir, "azure-sandbox-ca.pem");
  await writeFile(caFile, world.azure.caCert, { mode: 0o644 });
  const configFile = join(dir, "sentinel-elastic.yaml");
  const config = nest({ ...world.inputs, "azure.caCertFile": caFile, "azure.credential": "cli" });
  await writeFile(configFile, `# sentinel-elastic demo sandboxes (local only)\n${stringify(config)}`, { mode: 0o644 });
  const envFile = join(dir, "demo.env");
  // The sandbox's Azure endpoints and CA too, so `setup` in an empty folder (the wizard) talks to the sandbox.
  const env = {
    ...world.azure.azCliEnv(),
    ...world.secretEnv,
    AZURE_RESOURCE_MANAGER_URL: world.azure.endpoints.resourceManager,
    AZURE_LOG_ANALYTICS_URL: world.azure.endpoints.logAnalytics,
    AZURE_PORTAL_URL: world.azure.endpoints.portal,
    AZURE_GRAPH_URL: world.azure.endpoints.graph,
    AZURE_LOGIN_URL: world.azure.endpoints.login ?? "",
    AZURE_CA_CERT: caFile,
  };
  const lines = Object.entries(env).map(([k, v]) => `export ${k}=${shellWord(v)}`);
  lines.push(`export PATH=${shellWord(binDir)}:"$PATH"`);
  await writeFile(envFile, `${lines.join("\n")}\n`, { mode: 0o600 });
  await chmod(envFile, 0o600);
  return { dir, configFile, envFile, binDir };
}

export async function runDemo(
  options: DemoOptions,
  deps: CommandDeps,
  run: {
    setup: (o: CommonOptions & { full?: boolean }, d: CommandDeps) => Promise<CommandResult>;
  },
): Promise<CommandResult> {
  const progress = deps.io?.progress("Starting the Kibana, Elasticsearch and Azure sandboxes");
  let world: DemoWorld;
  try {
    world = await startDemoWorld({ portal: options.portal });
    progress?.succeed(
      `Sandboxes up: Kibana ${world.elastic.kibanaUrl}, Azure Resource Manager ${world.azure.endpoints.resourceManager} (modelled waits run ${DEMO.speed}× faster than in Azure and Elastic: a 5m rule interval takes 5 s here; durations below are real)`,
    );
  } catch (error) {
    progress?.fail("Could not start the sandboxes");
    throw error;
  }
  // SIGTERM (and Ctrl-C, through deps.signal) stops the run at the next safe point; the finally below then stops
  // the sandboxes and removes the kept folder, so an interrupted demo leaves nothing behind.
  const stop = new AbortController();
  const onTerm = () => stop.abort();
  process.once("SIGTERM", onTerm);
  const signal = deps.signal ? AbortSignal.any([deps.signal, stop.signal]) : stop.signal;
  let keptDir: string | undefined;
  try {
    // A clean environment: nothing from the user's shell (a real KIBANA_URL, Azure variables) may leak in.
    const env: NodeJS.ProcessEnv = { ...world.secretEnv, CI: "true" };
    if (process.env.NO_COLOR !== undefined) env.NO_COLOR = process.env.NO_COLOR;
    // demo never asks: it changes only its own sandboxes (--yes is accepted and changes nothing).
    const result = await run.setup(
      { ...options, yes: true, nonInteractive: true, inputs: world.inputs, config: undefined, full: true },
      {
        ...deps,
        signal,
        env,
        overrides: { ...deps.overrides, azureCredential: world.azure.credential, azureCaCerts: [world.azure.caCert] },
        clock: demoClock(world, DEMO.speed),
      },
    );
    if (options.keep && !signal.aborted) {
      const files = await writeKeepFiles(world);
      keptDir = files.dir;
      deps.io?.result(
        [
          "",
          "The sandboxes keep running until you press Ctrl-C (the folder below goes with them). From another shell:",
          `  cd ${shellWord(files.dir)}`,
          "  . ./demo.env   # sandbox-only credentials (mode 0600); puts this copy's sentinel-elastic first on PATH",
          "  sentinel-elastic verify --full",
          "  sentinel-elastic plan --detailed-exitcode",
          "  sentinel-elastic setup",
          '  (cd "$(mktemp -d)" && sentinel-elastic setup)   # the wizard from scratch: Kibana URL, then lists',
          "  sentinel-elastic teardown --yes",
          `Config file: ${files.configFile}`,
        ].join("\n"),
      );
      await new Promise<void>((resolve) => {
        if (signal.aborted) return resolve();
        signal.addEventListener("abort", () => resolve(), { once: true });
        // In-process callers without a signal of their own (tests) still stop on Ctrl-C.
        if (!deps.signal) process.once("SIGINT", () => resolve());
      });
    }
    return result;
  } finally {
    process.removeListener("SIGTERM", onTerm);
    await world.stop();
    if (keptDir) await rm(keptDir, { recursive: true, force: true });
  }
}

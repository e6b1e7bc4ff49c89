/**
 * `demo`: start the sandboxes in-process, run `setup` non-interactively against them (it plans, applies and
 * then verifies both paths end to end, the full alert path included, and the way back: Sentinel incidents into
 * Elastic through the microsoft_sentinel integration, run agentless by the demo's stand-in agent), print
 * everything, stop the sandboxes.
 * `--keep` leaves them running and writes a ready config file and an env file so that another shell can try
 * `setup` (interactive), `verify` and `teardown` against them.
 */
import { chmod, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import type { CommandDeps, CommandResult, CommonOptions } from "../commands/context.js";
import { DEMO, type DemoWorld, startDemoWorld } from "./sandboxes.js";

export interface DemoOptions extends CommonOptions {
  keep?: boolean;
  /** `defender`: the sandbox workspace is onboarded to the Defender portal (setup detects it: sentinel.portal auto). */
  portal?: "azure" | "defender";
}

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

/** Files for `--keep`: a config file (no secrets in it) and an env file (mode 0600) with the sandbox's API key. */
export async function writeKeepFiles(world: DemoWorld): Promise<{ dir: string; configFile: string; envFile: string }> {
  const dir = await mkdtemp(join(tmpdir(), "sentinel-elastic-demo-"));
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
    AZURE_CA_CERT: caFile,
  };
  const lines = Object.entries(env).map(([k, v]) => `export ${k}=${JSON.stringify(v)}`);
  await writeFile(envFile, `${lines.join("\n")}\n`, { mode: 0o600 });
  await chmod(envFile, 0o600);
  return { dir, configFile, envFile };
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
  try {
    // A clean environment: nothing from the user's shell (a real KIBANA_URL, Azure variables) may leak in.
    const env: NodeJS.ProcessEnv = { ...world.secretEnv, CI: "true" };
    if (process.env.NO_COLOR !== undefined) env.NO_COLOR = process.env.NO_COLOR;
    const result = await run.setup(
      { ...options, yes: true, nonInteractive: true, inputs: world.inputs, config: undefined, full: true },
      {
        ...deps,
        env,
        overrides: { ...deps.overrides, azureCredential: world.azure.credential, azureCaCerts: [world.azure.caCert] },
        clock: demoClock(world, DEMO.speed),
      },
    );
    if (options.keep) {
      const files = await writeKeepFiles(world);
      deps.io?.result(
        [
          "",
          "The sandboxes keep running until you press Ctrl-C. From another shell:",
          `  cd ${files.dir}`,
          `  set -a; . ${files.envFile}; set +a   # sandbox-only credentials, mode 0600`,
          "  npx sentinel-elastic verify",
          "  npx sentinel-elastic setup        # interactive",
          "  cd \"$(mktemp -d)\" && npx sentinel-elastic setup   # the wizard from scratch: Kibana URL, then lists",
          "  npx sentinel-elastic teardown",
          `Config file: ${files.configFile}`,
        ].join("\n"),
      );
      await new Promise<void>((resolve) => {
        if (deps.signal?.aborted) return resolve();
        deps.signal?.addEventListener("abort", () => resolve(), { once: true });
        process.once("SIGINT", () => resolve());
      });
    }
    return result;
  } finally {
    await world.stop();
  }
}

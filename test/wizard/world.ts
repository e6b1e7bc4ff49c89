/**
 * A world for the wizard's tests: the Kibana/Elasticsearch and Azure sandboxes on one fast clock, with two
 * subscriptions to choose from, two Kibana spaces, and two workspaces of which only one has Sentinel. The CLI runs
 * in-process in an empty folder, the Azure endpoints in the environment (as a user of `demo --keep` would set
 * them), the sandbox's credential and CA handed over as client overrides.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { IoHost } from "../../src/io/io-host.js";
import { type AzureSandbox, startAzureSandbox } from "../../src/sandbox/azure/index.js";
import { createClock, type SandboxClock } from "../../src/sandbox/common/clock.js";
import { type ElasticSandbox, startElasticSandbox } from "../../src/sandbox/elastic/index.js";
import { type CliRun, runCliInProcess } from "../helpers/run-cli.js";

export const OTHER_SUBSCRIPTION = { subscriptionId: "7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d", displayName: "Production" };
export const WS_RG = "rg-sec";
export const WS = "ws-sentinel";
export const PLAIN_WS = "ws-plain";
/** Sandbox ms per real ms: a minute of role propagation takes a tenth of a second. */
const SPEED = 600;

export interface WizardWorld {
  clock: SandboxClock;
  azure: AzureSandbox;
  elastic: ElasticSandbox;
  /** An empty folder, the run's cwd. */
  dir: string;
  /** The environment of a second shell: Azure endpoints, no Elastic inputs (those are asked). */
  env: Record<string, string>;
  run(args: string[], io?: IoHost, env?: Record<string, string>, cwd?: string): Promise<CliRun>;
  /** Another empty folder. */
  newDir(): string;
  stop(): Promise<void>;
}

export async function startWizardWorld(): Promise<WizardWorld> {
  const clock = createClock({ mode: "scaled", speed: SPEED });
  const azure = await startAzureSandbox({
    clock,
    resourceGroups: [
      { name: WS_RG, location: "westeurope" },
      { name: "rg-logs", location: "northeurope" },
    ],
    workspaces: [
      { name: WS, resourceGroup: WS_RG, location: "westeurope" },
      { name: PLAIN_WS, resourceGroup: "rg-logs", location: "northeurope", sentinel: false },
    ],
    otherSubscriptions: [OTHER_SUBSCRIPTION],
    roleAssignmentDelayMs: 60_000,
    ingestionLatencyMs: 60_000,
  });
  const elastic = await startElasticSandbox({
    clock,
    kibanaVersion: "9.2.0",
    license: "platinum",
    spaces: ["default", "soc"],
    extraCaCerts: [azure.caCert],
  });
  const dir = mkdtempSync(join(tmpdir(), "se-wizard-"));
  const env = {
    NO_COLOR: "1",
    AZURE_RESOURCE_MANAGER_URL: azure.endpoints.resourceManager,
    AZURE_LOG_ANALYTICS_URL: azure.endpoints.logAnalytics,
    AZURE_PORTAL_URL: azure.endpoints.portal,
    AZURE_GRAPH_URL: azure.endpoints.graph,
    AZURE_LOGIN_URL: azure.endpoints.login ?? "",
  };
  return {
    clock,
    azure,
    elastic,
    dir,
    env,
    newDir: () => mkdtempSync(join(tmpdir(), "se-wizard-")),
    run: (args, io, extraEnv = {}, cwd = dir) =>
      runCliInProcess(args, {
        env: { ...env, ...extraEnv },
        cwd,
        io,
        overrides: { azureCredential: azure.credential, azureCaCerts: [azure.caCert] },
        clock: {
          now: () => clock.now(),
          sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(1, Math.ceil(ms / SPEED)))),
        },
      }),
    async stop() {
      await Promise.allSettled([elastic.stop(), azure.stop()]);
      clock.stop();
    },
  };
}

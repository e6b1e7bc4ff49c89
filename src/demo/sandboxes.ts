/**
 * The demo's world: the Azure and the Kibana/Elasticsearch sandboxes on one scaled clock (wall-clock time,
 * compressed durations), with a resource group, a Sentinel workspace and an app registration for the way back
 * (Sentinel → Elastic) already there, Fleet set up in Kibana, and the configuration that points our CLI at them.
 */
import type { SandboxClock } from "../sandbox/common/clock.js";
import { startSentinelAgent } from "./sentinel-agent.js";

export { startSentinelAgent };

export const DEMO = {
  resourceGroup: "rg-sentinel-elastic-demo",
  location: "westeurope",
  workspace: "sentinel-demo",
  /** Display name of the app registration the way back's integration signs in with. */
  integrationApp: "sentinel-elastic-demo-integration",
  space: "default",
  /** Modelled durations are divided by this: a 5-minute rule interval takes 5 real seconds (time itself is real). */
  speed: 60,
  /** What Azure really takes, roughly: ingestion latency and role-assignment propagation (modelled ms). */
  ingestionLatencyMs: 2 * 60_000,
  roleAssignmentDelayMs: 60_000,
} as const;

export interface DemoWorld {
  clock: SandboxClock;
  azure: Awaited<ReturnType<typeof import("../sandbox/azure/index.js")["startAzureSandbox"]>>;
  elastic: Awaited<ReturnType<typeof import("../sandbox/elastic/index.js")["startElasticSandbox"]>>;
  /** Config-file inputs (no secrets). */
  inputs: Record<string, unknown>;
  /** Secret inputs, by env var, handed to the run in memory only. */
  secretEnv: Record<string, string>;
  stop(): Promise<void>;
}

export async function startDemoWorld(
  options: { speed?: number; portal?: "azure" | "defender" } = {},
): Promise<DemoWorld> {
  const defender = options.portal === "defender";
  const { randomBytes, randomUUID } = await import("node:crypto");
  const { createClock } = await import("../sandbox/common/clock.js");
  const { startAzureSandbox } = await import("../sandbox/azure/index.js");
  const { startElasticSandbox } = await import("../sandbox/elastic/index.js");
  const clock = createClock({ mode: "scaled", speed: options.speed ?? DEMO.speed });
  // The app registration the microsoft_sentinel integration signs in with (the way back): a sandbox-only
  // client id and secret, made fresh for each run.
  const integrationApp = {
    appId: randomUUID(),
    displayName: DEMO.integrationApp,
    clientSecret: randomBytes(24).toString("base64url"),
  };
  const azure = await startAzureSandbox({
    clock,
    resourceGroups: [{ name: DEMO.resourceGroup, location: DEMO.location }],
    workspaces: [
      { name: DEMO.workspace, resourceGroup: DEMO.resourceGroup, location: DEMO.location, sentinel: true, defender },
    ],
    // Defender mode: the deployer may grant Graph app roles (Privileged Role Administrator) and read the queue.
    deployerEntraRoles: ["Privileged Role Administrator", "Security Reader"],
    ingestionLatencyMs: DEMO.ingestionLatencyMs,
    roleAssignmentDelayMs: DEMO.roleAssignmentDelayMs,
    servicePrincipals: [integrationApp],
  });
  let elastic: DemoWorld["elastic"];
  try {
    elastic = await startElasticSandbox({
      clock,
      kibanaVersion: "9.2.0",
      license: "platinum",
      extraCaCerts: [azure.caCert],
      // Fleet set up (no missing requirements), for the way back's package and policies.
      fleet: {},
    });
  } catch (error) {
    await azure.stop();
    clock.stop();
    throw error;
  }
  // One incident from another detection, so the way back has something to carry into Elastic; ours (from
  // the case and alert paths) come later and are dropped by the echo filter.
  const sample = {
    title: "Sign-in from an unfamiliar location followed by mass download",
    severity: "Medium" as const,
    status: "New" as const,
    description: "Raised by a Sentinel analytics rule of the SOC (sandbox sample).",
  };
  const wsId = azure.state.workspaceId(DEMO.resourceGroup, DEMO.workspace);
  if (defender) {
    // In the Defender portal the SOC's rule incident is Defender's (provider Microsoft XDR): what setup's
    // sentinel.portal auto tells the portal by.
    const now = new Date(clock.now()).toISOString();
    azure.defender.world.raise(wsId, {
      ...sample,
      relatedAnalyticRuleIds: [`${wsId}/providers/Microsoft.SecurityInsights/alertRules/soc-sample-rule`],
      alerts: [
        {
          systemAlertId: randomUUID(),
          alertDisplayName: sample.title,
          description: sample.description,
          severity: sample.severity,
          timeGenerated: now,
          startTimeUtc: now,
          endTimeUtc: now,
          alertType: "soc-sample-rule",
          productName: "Azure Sentinel",
          analyticRuleId: `${wsId}/providers/Microsoft.SecurityInsights/alertRules/soc-sample-rule`,
          analyticRuleName: "SOC sample rule",
          entities: [],
          customDetails: {},
          tactics: [],
        },
      ],
    });
  } else azure.state.upsertIncident(wsId, randomUUID(), sample);
  const stopAgent = startSentinelAgent({ azure, elastic, clock });
  const inputs: Record<string, unknown> = {
    "elastic.kibanaUrl": elastic.kibanaUrl,
    "elastic.elasticsearchUrl": elastic.elasticsearchUrl,
    "elastic.space": DEMO.space,
    "azure.tenantId": azure.tenantId,
    "azure.subscriptionId": azure.subscriptionId,
    "azure.resourceGroup": DEMO.resourceGroup,
    "azure.location": DEMO.location,
    "azure.endpoints.resourceManager": azure.endpoints.resourceManager,
    "azure.endpoints.logAnalytics": azure.endpoints.logAnalytics,
    "azure.endpoints.portal": azure.endpoints.portal,
    "azure.endpoints.graph": azure.endpoints.graph,
    ...(azure.endpoints.login ? { "azure.endpoints.login": azure.endpoints.login } : {}),
    ...(defender ? { "azure.endpoints.defenderPortal": azure.defender.portal } : {}),
    "sentinel.workspaceName": DEMO.workspace,
    "sentinel.resourceGroup": DEMO.resourceGroup,
    "features.sentinelToElastic": true,
    "sentinelToElastic.clientId": integrationApp.appId,
    // Agentless: the demo's agent (startSentinelAgent) runs it, as Elastic's agentless service would.
    "sentinelToElastic.agentPolicyId": "agentless",
  };
  return {
    clock,
    azure,
    elastic,
    inputs,
    secretEnv: { ELASTIC_API_KEY: elastic.apiKey, SENTINEL_TO_ELASTIC_CLIENT_SECRET: integrationApp.clientSecret },
    async stop() {
      stopAgent();
      await Promise.allSettled([elastic.stop(), azure.stop()]);
      clock.stop();
    },
  };
}

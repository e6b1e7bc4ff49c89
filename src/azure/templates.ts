/**
 * Our ARM templates (templates/azure/*.json, shipped in the package) and the parameters each deployment gets.
 * Which templates deploy follows the features and `sentinel.authorization`.
 */
import { readFile } from "node:fs/promises";
import type { ResolvedConfig } from "../config/schema.js";
import { resolveNames } from "../names.js";
import type { AzureCloud } from "./cloud.js";

export type TemplateName = "case-sync-managed-identity" | "case-sync-oauth" | "case-sync-defender" | "alert-forwarding";

/** src/azure and dist/azure are both two levels below the package root. */
const templatesDir = new URL("../../templates/azure/", import.meta.url);

export async function loadTemplate(name: TemplateName): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(new URL(`${name}.json`, templatesDir), "utf8")) as Record<string, unknown>;
}

/** What preflight found out and the deployments need. */
export interface AzureFacts {
  subscriptionId: string;
  tenantId?: string;
  logicAppsResourceGroup: string;
  workspaceResourceGroup: string;
  workspaceName: string;
  /** Region of new Logic Apps (azure.location, else the resource group's). */
  location: string;
  /** The workspace's region (the DCR must be there). */
  workspaceLocation: string;
  /** Workspace GUID for the query API. */
  workspaceCustomerId?: string;
  ruleKind: "nrt" | "scheduled";
  /** Whether the Logic Apps resource group exists yet (what-if needs it). */
  logicAppsResourceGroupExists: boolean;
  /** Where the workspace's incidents are worked (steps/azure/portal.ts); undefined when not decided in this run. */
  portal?: "defender" | "azure";
}

export interface DeploymentUnit {
  id: "case-sync" | "alert-forwarding";
  deploymentName: string;
  templateName: TemplateName;
  parameters: Record<string, unknown>;
}

/** The alert connector's app registration, when the alert-ingest trigger takes its OAuth2 tokens. */
export interface AlertTriggerAuth {
  tenantId: string;
  appId: string;
}

/**
 * The alert-ingest trigger's Microsoft Entra ID authorization policy: a token is taken when its issuer (v1 tokens:
 * `https://sts.windows.net/<tenant>/`), audience (our identifier URI) and appid (our client id) all match
 * ("Secure access and data in Azure Logic Apps", section "Enable OAuth with Microsoft Entra ID",
 * https://learn.microsoft.com/azure/logic-apps/logic-apps-securing-a-logic-app#enable-oauth: `iss` required, at most
 * 5 policies of at most 10 claims, only Bearer tokens, one scheme per call).
 */
export function triggerAccessControl(auth: AlertTriggerAuth | undefined): Record<string, unknown> {
  if (!auth) return {};
  return {
    triggers: {
      openAuthenticationPolicies: {
        policies: {
          "kibana-alert-connector": {
            type: "AAD",
            claims: [
              { name: "iss", value: `https://sts.windows.net/${auth.tenantId}/` },
              { name: "aud", value: `api://${auth.appId}` },
              { name: "appid", value: auth.appId },
            ],
          },
        },
      },
    },
  };
}

export function deploymentUnits(
  config: Pick<ResolvedConfig, "features" | "azure" | "sentinel" | "naming" | "cases" | "alerts">,
  facts: AzureFacts,
  monitorAudience: string,
  cloud?: AzureCloud,
  alertAuth?: AlertTriggerAuth,
): DeploymentUnit[] {
  const { prefix, azure: names } = resolveNames(config);
  const common = {
    prefix,
    workspaceName: facts.workspaceName,
    workspaceResourceGroup: facts.workspaceResourceGroup,
    location: facts.location,
    tags: names.tags,
  };
  const units: DeploymentUnit[] = [];
  if (config.features.caseSync && facts.portal === "defender") {
    // Defender mode: rows → NRT rule → incident in the Defender queue; updates through Graph (docs/defender.md).
    if (!cloud?.graph || !cloud.defenderPortal || !facts.workspaceCustomerId || !facts.tenantId)
      throw new Error(
        "Defender case sync needs Microsoft Graph, the Defender portal, the workspace id and the tenant id",
      );
    units.push({
      id: "case-sync",
      deploymentName: names.deployments.caseSync,
      templateName: "case-sync-defender",
      parameters: {
        ...common,
        criticalSeverity: config.cases.criticalSeverity,
        workspaceLocation: facts.workspaceLocation,
        workspaceCustomerId: facts.workspaceCustomerId,
        tenantId: facts.tenantId,
        monitorAudience,
        logAnalyticsUrl: cloud.logAnalytics,
        logAnalyticsAudience: cloud.logAnalyticsAudience,
        graphUrl: cloud.graph,
        graphAudience: cloud.graphAudience,
        defenderPortalUrl: cloud.defenderPortal,
      },
    });
  } else if (config.features.caseSync) {
    units.push({
      id: "case-sync",
      deploymentName: names.deployments.caseSync,
      templateName: config.sentinel.authorization === "oauth" ? "case-sync-oauth" : "case-sync-managed-identity",
      parameters: { ...common, criticalSeverity: config.cases.criticalSeverity },
    });
  }
  if (config.features.alertForwarding) {
    units.push({
      id: "alert-forwarding",
      deploymentName: names.deployments.alertForwarding,
      templateName: "alert-forwarding",
      parameters: {
        ...common,
        workspaceLocation: facts.workspaceLocation,
        table: config.alerts.table,
        ruleKind: facts.ruleKind,
        monitorAudience,
        triggerAccessControl: triggerAccessControl(alertAuth),
      },
    });
  }
  return units;
}

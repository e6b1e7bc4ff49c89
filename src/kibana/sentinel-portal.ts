/**
 * The portal link of a Sentinel incident, for the case connector's "view incident" URL. The path is the one
 * Sentinel itself returns as `properties.incidentUrl` (Incidents - Get, https://learn.microsoft.com/rest/api/securityinsights/incidents/get); the host is the portal of the
 * configured cloud, or azure.endpoints.portal when set.
 */
import type { ResolvedConfig } from "../config/schema.js";
import { InputError } from "../errors.js";
import type { WorkspaceRef } from "../names.js";

const PORTALS: Record<ResolvedConfig["azure"]["cloud"], string> = {
  AzureCloud: "https://portal.azure.com",
  AzureUSGovernment: "https://portal.azure.us",
  AzureChinaCloud: "https://portal.azure.cn",
};

export function portalUrl(config: Pick<ResolvedConfig, "azure">): string {
  return (config.azure.endpoints.portal ?? PORTALS[config.azure.cloud]).replace(/\/+$/, "");
}

/** The workspace parts an incident link needs. */
export type IncidentWorkspace = Omit<WorkspaceRef, "id">;

/** The workspace from `ctx.names.workspace`, all parts set, or an InputError listing those that are not. */
export function requireWorkspace(ws: Partial<WorkspaceRef>): IncidentWorkspace {
  const { subscriptionId, resourceGroup, workspaceName } = ws;
  const problems = [];
  if (!subscriptionId)
    problems.push({
      key: "azure.subscriptionId",
      message: "missing",
      where: "--subscription-id or AZURE_SUBSCRIPTION_ID",
    });
  if (!resourceGroup)
    problems.push({
      key: "sentinel.resourceGroup",
      message: "missing",
      where: "--workspace-resource-group or --resource-group",
    });
  if (!workspaceName)
    problems.push({
      key: "sentinel.workspaceName",
      message: "missing",
      where: "--workspace or SENTINEL_WORKSPACE_NAME",
    });
  if (problems.length) {
    throw new InputError("The case connector's incident link needs the Sentinel workspace.", {
      code: "SENTINEL_WORKSPACE_MISSING",
      problems,
    });
  }
  return { subscriptionId: subscriptionId!, resourceGroup: resourceGroup!, workspaceName: workspaceName! };
}

/** `viewIncidentPath` from the template with the workspace filled in; keeps `{{{external.system.id}}}`. */
export function viewIncidentUrl(portal: string, path: string, ws: IncidentWorkspace): string {
  const enc = encodeURIComponent;
  return (
    portal +
    path
      .replace("__SUBSCRIPTION__", enc(ws.subscriptionId))
      .replace("__RESOURCE_GROUP__", enc(ws.resourceGroup))
      .replace("__WORKSPACE__", enc(ws.workspaceName))
  );
}

/**
 * A Defender portal incident link, as Microsoft Graph gives it in `incidentWebUrl`
 * (https://learn.microsoft.com/graph/api/resources/security-incident: `https://security.microsoft.com/incidents/{id}?tid={tenant}`).
 */
export function defenderIncidentUrl(defenderPortal: string, incidentId: string, tenantId: string): string {
  return `${defenderPortal.replace(/\/+$/, "")}/incidents/${encodeURIComponent(incidentId)}?tid=${encodeURIComponent(tenantId)}`;
}

/**
 * Kibana's "view incident" URL in Defender mode. The external id is the case id (the incident does not exist yet
 * when Kibana needs an id); the external title is what the case-get workflow answers: the Defender incident id once
 * the analytics rule has raised it, empty before (the link then opens the tenant's incident queue).
 */
export function defenderViewIncidentUrl(defenderPortal: string, tenantId: string): string {
  return `${defenderPortal.replace(/\/+$/, "")}/incidents/{{{external.system.title}}}?tid=${encodeURIComponent(tenantId)}`;
}

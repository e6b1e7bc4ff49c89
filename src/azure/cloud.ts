/**
 * Endpoints and token audiences of the Azure clouds. The audience is what a token is requested for; it is
 * not derived from the endpoint (an overridden endpoint — a proxy, the sandbox — still takes the cloud's
 * audience). Values: ARM `GET /metadata/endpoints?api-version=2022-09-01` of each cloud and the
 * azure-sdk-for-js defaults (`@azure/monitor-ingestion` KnownMonitorAudience, `@azure/monitor-query-logs`).
 */
import type { ResolvedConfig } from "../config/schema.js";

export interface AzureCloud {
  name: ResolvedConfig["azure"]["cloud"];
  /** No trailing slash. */
  resourceManager: string;
  /** Token audience for Resource Manager (`environment().authentication.audiences[0]`). */
  resourceManagerAudience: string;
  logAnalytics: string;
  logAnalyticsAudience: string;
  /** Token audience of the Logs Ingestion API (what the ingest workflow's identity asks for). */
  monitorAudience: string;
  portal: string;
  /**
   * The Microsoft Defender portal (incident links in Defender mode). Undefined where Microsoft offers no
   * Defender incident queue through Graph: the Graph security incident APIs are not available in the cloud
   * operated by 21Vianet (https://learn.microsoft.com/graph/api/security-incident-update, national clouds table).
   */
  defenderPortal?: string;
  authorityHost: string;
  /** Where OAuth2 client-credentials tokens are asked for (`<login>/<tenant>/oauth2/v2.0/token`): authorityHost unless overridden. */
  login: string;
  /**
   * Microsoft Graph (service principals). Undefined when Resource Manager is overridden (a proxy, the sandbox)
   * and Graph is not: we will not send that environment's tokens to the public Graph. An explicit
   * `azure.endpoints.graph` is the user's choice and is always used.
   */
  graph?: string;
  /** Token audience for Microsoft Graph: the cloud's Graph, whatever endpoint answers it. */
  graphAudience: string;
}

// Graph per national cloud: https://learn.microsoft.com/graph/deployments (global, US Government L4, China).
// Defender portal hosts: https://learn.microsoft.com/defender-endpoint/gov ("Portal URLs": commercial and GCC
// security.microsoft.com, GCC High security.microsoft.us, DoD security.apps.mil — DoD sets azure.endpoints.defenderPortal).
const clouds: Record<AzureCloud["name"], Omit<AzureCloud, "name" | "graph" | "login"> & { graph: string }> = {
  AzureCloud: {
    resourceManager: "https://management.azure.com",
    resourceManagerAudience: "https://management.core.windows.net/",
    logAnalytics: "https://api.loganalytics.io",
    logAnalyticsAudience: "https://api.loganalytics.io",
    monitorAudience: "https://monitor.azure.com",
    portal: "https://portal.azure.com",
    defenderPortal: "https://security.microsoft.com",
    authorityHost: "https://login.microsoftonline.com",
    graph: "https://graph.microsoft.com",
    graphAudience: "https://graph.microsoft.com",
  },
  AzureUSGovernment: {
    resourceManager: "https://management.usgovcloudapi.net",
    resourceManagerAudience: "https://management.core.usgovcloudapi.net/",
    logAnalytics: "https://api.loganalytics.us",
    logAnalyticsAudience: "https://api.loganalytics.us",
    monitorAudience: "https://monitor.azure.us",
    portal: "https://portal.azure.us",
    defenderPortal: "https://security.microsoft.us",
    authorityHost: "https://login.microsoftonline.us",
    graph: "https://graph.microsoft.us",
    graphAudience: "https://graph.microsoft.us",
  },
  AzureChinaCloud: {
    resourceManager: "https://management.chinacloudapi.cn",
    resourceManagerAudience: "https://management.core.chinacloudapi.cn/",
    logAnalytics: "https://api.loganalytics.azure.cn",
    logAnalyticsAudience: "https://api.loganalytics.azure.cn",
    monitorAudience: "https://monitor.azure.cn",
    portal: "https://portal.azure.cn",
    authorityHost: "https://login.chinacloudapi.cn",
    graph: "https://microsoftgraph.chinacloudapi.cn",
    graphAudience: "https://microsoftgraph.chinacloudapi.cn",
  },
};

const trim = (url: string) => url.replace(/\/+$/, "");

/** The cloud named by `azure.cloud`, with `azure.endpoints.*` overrides applied (audiences unchanged). */
export function resolveCloud(azure: Pick<ResolvedConfig["azure"], "cloud" | "endpoints">): AzureCloud {
  const base = clouds[azure.cloud];
  return {
    name: azure.cloud,
    ...base,
    resourceManager: trim(azure.endpoints.resourceManager ?? base.resourceManager),
    logAnalytics: trim(azure.endpoints.logAnalytics ?? base.logAnalytics),
    portal: trim(azure.endpoints.portal ?? base.portal),
    login: trim(azure.endpoints.login ?? base.authorityHost),
    defenderPortal: azure.endpoints.defenderPortal
      ? trim(azure.endpoints.defenderPortal)
      : base.defenderPortal && trim(base.defenderPortal),
    graph: azure.endpoints.graph
      ? trim(azure.endpoints.graph)
      : azure.endpoints.resourceManager
        ? undefined
        : base.graph,
  };
}

/** The `.default` scope of an audience, joined with one slash (`https://management.core.windows.net/.default`). */
export function scopeFor(audience: string): string {
  return `${trim(audience)}/.default`;
}

/**
 * The control plane's side of the Logic Apps runtime: real HTTP for Http actions (public Azure hosts are
 * mapped to this sandbox's servers, so a workflow that calls `https://management.azure.com/…` reaches the
 * emulator and nothing leaves 127.0.0.1), managed-identity tokens for a workflow's system-assigned
 * identity, and API connection lookup for ApiConnection actions.
 */
import { request } from "node:https";
import type { HostConnection, HostHttpRequest, HostHttpResponse, LogicHost } from "./logic/index.js";
import { isConnected } from "./resources/connections.js";
import type { AzureState } from "./state.js";
import type { TokenIssuer } from "./tokens.js";

/** Map a public Azure URL to the sandbox endpoint that stands in for it; other non-local hosts are refused. */
export function mapToSandbox(state: AzureState, url: string): string {
  const u = new URL(url);
  const e = state.endpoints;
  const host = u.hostname.toLowerCase();
  let target: string | undefined;
  if (host === "management.azure.com" || host === "management.core.windows.net") target = e.resourceManager;
  else if (host === "api.loganalytics.io" || host === "api.loganalytics.azure.com") target = e.logAnalytics;
  else if (host.endsWith(".ingest.monitor.azure.com")) target = e.logsIngestion;
  else if (host.endsWith(".logic.azure.com")) target = e.logicApps;
  else if (host === "127.0.0.1" || host === "localhost") return url;
  if (!target)
    throw new Error(
      `The sandbox does not reach '${u.hostname}': only Azure endpoints it emulates and 127.0.0.1 are allowed.`,
    );
  return `${target}${u.pathname}${u.search}`;
}

export function httpsCall(ca: string, req: HostHttpRequest): Promise<HostHttpResponse> {
  return new Promise((resolve, reject) => {
    const r = request(req.url, { method: req.method, headers: req.headers, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers))
          if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
        resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString("utf8") });
      });
      res.on("error", reject);
    });
    r.on("error", reject);
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

export function createLogicHost(state: AzureState, issuer: TokenIssuer, ca: string): LogicHost {
  const miToken = (workflowId: string, audience: string): string => {
    const wf = state.getResource(workflowId);
    const principalId = wf?.identity?.principalId;
    if (!wf || !principalId) throw new Error(`The workflow '${workflowId}' has no system-assigned managed identity.`);
    return issuer.issue({ audience: audience.replace(/\/+$/, ""), principalId, mirid: wf.id }).token;
  };
  return {
    clock: state.clock,
    get resourceManager() {
      return state.endpoints.resourceManager;
    },
    http: (req) => httpsCall(ca, { ...req, url: mapToSandbox(state, req.url) }),
    managedIdentityToken: async (workflowId, audience) => miToken(workflowId, audience),
    /**
     * `workflowId` (optional; not yet in LogicHost) names the workflow running the action: a managed-identity
     * connection acts as that workflow's identity. Without it, the one workflow whose $connections names this
     * connection is used.
     */
    async connection(connectionId: string, workflowId?: string): Promise<HostConnection | undefined> {
      const rec = state.get(connectionId);
      if (rec?.resource.type !== "Microsoft.Web/connections") return undefined;
      const mi = rec.resource.properties.parameterValueType === "Alternative";
      return {
        status: isConnected(rec.resource) ? "Connected" : "Error",
        authentication: mi ? "ManagedServiceIdentity" : "OAuth",
        async token(audience) {
          if (!mi) {
            const user = rec.secrets.consentedBy;
            if (!user) throw new Error(`The connection '${rec.resource.name}' is not authenticated.`);
            return issuer.issue({ audience: audience.replace(/\/+$/, ""), principalId: user, user: true }).token;
          }
          if (workflowId) return miToken(workflowId, audience);
          // A managed-identity connection acts as the workflow that uses it: find the workflow whose
          // $connections parameter names this connection.
          const users = state
            .list("Microsoft.Logic/workflows")
            .filter((w) =>
              Object.values((w.properties.parameters?.$connections?.value ?? {}) as Record<string, any>).some(
                (c) => String(c?.connectionId ?? "").toLowerCase() === connectionId.toLowerCase(),
              ),
            );
          if (users.length !== 1)
            throw new Error(
              `The managed-identity connection '${rec.resource.name}' is used by ${users.length} workflows; the sandbox needs exactly one to pick the identity.`,
            );
          return miToken(users[0]!.id, audience);
        },
      };
    },
  };
}

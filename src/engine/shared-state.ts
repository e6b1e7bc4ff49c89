/**
 * In-memory hand-off between steps within one run. Never written to disk, never printed: the callback
 * URLs carry the Logic Apps' `sig` credential.
 */
export interface SharedState {
  kibana?: { version: string; buildFlavor?: string; baseUrl: string; space: string };
  /** Read with listCallbackUrl at run time; handed to the Kibana steps only. */
  callbackUrls: { caseSync?: string; caseGet?: string; alertIngest?: string };
  azure?: {
    /** Who we are signed in as, for messages ("signed in with the Azure CLI as …"). */
    principal?: string;
    credentialKind?: string;
    /** The workspace's customerId (query API) and ARM id. */
    workspaceId?: string;
    workspaceResourceId?: string;
  };
  /** Steps may add their own keys; keep them namespaced by step id. */
  [key: string]: unknown;
}

export function createSharedState(): SharedState {
  return { callbackUrls: {} };
}

/**
 * In-memory hand-off between steps within one run. Never written to disk, never printed: the callback
 * URLs carry the Logic Apps' `sig` credential.
 *
 * Typed slots only. The engine declares those several sides read; a step that hands something of its own to
 * later steps declares its slot beside itself, so the engine needs no import of it:
 *   declare module "../../engine/shared-state.js" { interface SharedState { azureFacts?: AzureFacts } }
 * (`git grep -n "interface SharedState"` lists every slot).
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
  /** The names given with `setup --adopt`: objects with our name but not our marker that setup may take over. */
  adopt?: string[];
}

export function createSharedState(): SharedState {
  return { callbackUrls: {} };
}

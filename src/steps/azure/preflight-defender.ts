/**
 * Preflight in Defender mode (sentinel.portal defender, given or detected): what the Defender portal changes for
 * the paths setup builds, said before any change.
 *
 * - The cloud must have a Defender incident queue reachable through Microsoft Graph: the Graph security incident
 *   APIs are not offered in the cloud operated by 21Vianet (https://learn.microsoft.com/graph/api/security-incident-update,
 *   national cloud table), so there Defender mode stops with exit 5.
 * - The way back (microsoft_sentinel integration) keeps working: it lists incidents through the Sentinel REST API
 *   (elastic/integrations packages/microsoft_sentinel/docs/README.md, "Incident" data stream), and Defender syncs
 *   its incidents back to Sentinel, where the API still serves them
 *   (https://learn.microsoft.com/azure/sentinel/move-to-defender, "Configure APIs"). But they arrive with the
 *   provider "Microsoft XDR", without a Description, and with changes made within 5-10 minutes sent as one
 *   (https://learn.microsoft.com/azure/sentinel/automation/automation-in-defender, "Updated by" row). The whole
 *   Defender queue (Defender XDR incidents included) is what the m365_defender package collects, from the Graph
 *   security API (elastic/integrations packages/m365_defender/docs/README.md; permission SecurityIncident.Read.All).
 */
import type { AzureCloud } from "../../azure/cloud.js";
import type { StepContext } from "../../engine/types.js";
import { PreconditionError } from "../../errors.js";
import { whereToSet } from "./facts.js";

export function checkDefenderMode(
  ctx: Pick<StepContext, "config" | "io">,
  cloud: Pick<AzureCloud, "name" | "defenderPortal" | "graph">,
): void {
  if (!cloud.defenderPortal) {
    throw new PreconditionError(
      `the ${cloud.name} cloud has no Microsoft Defender incident queue reachable through Microsoft Graph`,
      {
        code: "DEFENDER_PORTAL_UNAVAILABLE",
        suggestion: `Set ${whereToSet("sentinel.portal")} to azure, or give the Defender portal's URL in ${whereToSet("azure.endpoints.defenderPortal")} if your cloud has one.`,
      },
    );
  }
  if (ctx.config.features.caseSync && !cloud.graph) {
    throw new PreconditionError(
      "case sync in Defender mode updates incidents through Microsoft Graph, and no Graph endpoint is set",
      {
        code: "DEFENDER_GRAPH_MISSING",
        suggestion: `With Resource Manager overridden, set ${whereToSet("azure.endpoints.graph")} too.`,
      },
    );
  }
  if (ctx.config.features.caseSync && ctx.config.sentinel.authorization === "oauth")
    ctx.io.message(
      "info",
      "Defender mode: the case-sync workflows use their managed identities (Microsoft Graph app roles); sentinel.authorization oauth applies to the Azure portal only.",
    );
  if (ctx.config.features.sentinelToElastic) {
    ctx.io.message(
      "warn",
      "The way back in Defender mode: the microsoft_sentinel integration still collects the workspace's incidents from the Sentinel API, " +
        'but Defender reports them with the provider "Microsoft XDR", without a description, and sends changes made within 5-10 minutes as one. ' +
        "To collect the whole Defender incident queue (Defender XDR incidents too), add the m365_defender integration (Microsoft Graph security API, permission SecurityIncident.Read.All).",
    );
  }
}

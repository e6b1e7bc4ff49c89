/**
 * Which portal the workspace's incidents are worked in: the Microsoft Defender portal or the Azure portal.
 *
 * `sentinel.portal` says it (`defender`, `azure`) or leaves it to preflight (`auto`). Preflight tells with the
 * permission it already needs (reading the workspace's incidents): once a workspace is onboarded to the Defender
 * portal, every incident Defender raises or syncs reports the provider "Microsoft XDR"
 * (https://learn.microsoft.com/azure/sentinel/move-to-defender, "Incident provider name": "In the Defender portal,
 * the Incident provider name is always Microsoft XDR"; and the `providerName` row of its API table). Incidents made
 * through the API, a playbook or by hand are never synchronized to Defender and keep "Azure Sentinel", so only
 * analytics-rule incidents can say "Azure portal". No such incident at all: it cannot be told, and preflight says
 * so and keeps the Azure-portal behaviour, naming the input that settles it.
 *
 * The Azure portal experience ends after 2027-03-31 (https://learn.microsoft.com/azure/sentinel/overview,
 * retirement notice; the date moved from July 2026): on `azure` preflight warns once and says how to switch.
 */
import type { ArmApi, IncidentSummary } from "../../azure/arm.js";
import type { StepContext } from "../../engine/types.js";
import { whereToSet } from "./facts.js";

export type Portal = "defender" | "azure";

export interface PortalDecision {
  portal: Portal;
  /** Told from the workspace (auto) rather than set. */
  detected: boolean;
  /** One sentence: why this portal. */
  why: string;
}

/** How many of the newest incidents preflight reads to tell the portal. */
export const PORTAL_SAMPLE = 50;
export const XDR_PROVIDER = "Microsoft XDR";
export const AZURE_PORTAL_END = "2027-03-31";

const isRuleRaised = (i: IncidentSummary) => (i.properties.relatedAnalyticRuleIds ?? []).length > 0;
const label = (i: IncidentSummary) => `incident ${i.properties.incidentNumber ?? i.name}`;

/** The decision from the newest incidents (undefined: the sign-in may not read them). */
export function portalFromIncidents(incidents: IncidentSummary[] | undefined): PortalDecision | undefined {
  if (!incidents) return undefined;
  const xdr = incidents.find((i) => i.properties.providerName === XDR_PROVIDER);
  if (xdr)
    return {
      portal: "defender",
      detected: true,
      why: `${label(xdr)} reports the provider "${XDR_PROVIDER}", which only a workspace onboarded to the Defender portal does`,
    };
  const rule = incidents.find(isRuleRaised);
  if (rule)
    return {
      portal: "azure",
      detected: true,
      why: `${label(rule)}, raised by an analytics rule, reports the provider "${rule.properties.providerName ?? "Azure Sentinel"}" (a Defender-onboarded workspace reports "${XDR_PROVIDER}")`,
    };
  return undefined;
}

export async function decidePortal(
  ctx: Pick<StepContext, "config">,
  arm: Pick<ArmApi, "recentIncidents">,
  workspaceGroup: string,
  workspace: string,
): Promise<PortalDecision> {
  const set = ctx.config.sentinel.portal;
  if (set !== "auto") return { portal: set, detected: false, why: `sentinel.portal is ${set}` };
  const incidents = await arm.recentIncidents(workspaceGroup, workspace, PORTAL_SAMPLE);
  const told = portalFromIncidents(incidents);
  if (told) return told;
  const reason = incidents
    ? incidents.length
      ? `none of the ${incidents.length} newest incidents was raised by an analytics rule`
      : "the workspace has no incidents yet"
    : "this sign-in may not read the workspace's incidents";
  return {
    portal: "azure",
    detected: false,
    why: `could not tell the portal (${reason}); keeping the Azure portal. If the workspace is onboarded to the Defender portal, set ${whereToSet("sentinel.portal")} to defender`,
  };
}

/** What preflight prints: the decision, and on the Azure portal the retirement notice once. */
export function reportPortal(ctx: Pick<StepContext, "io">, d: PortalDecision): void {
  ctx.io.message(
    d.detected || d.why.startsWith("sentinel.portal") ? "info" : "warn",
    `Sentinel portal: ${d.portal} (${d.why}).`,
  );
  if (d.portal === "azure")
    ctx.io.message(
      "warn",
      `Microsoft Sentinel is supported in the Azure portal only until ${AZURE_PORTAL_END} (https://learn.microsoft.com/azure/sentinel/overview). ` +
        "After onboarding the workspace to the Defender portal (https://learn.microsoft.com/unified-secops-platform/microsoft-sentinel-onboard), " +
        `run setup again with ${whereToSet("sentinel.portal").split(", ")[0]} defender (or auto): case sync then raises incidents that the Defender incident queue shows.`,
    );
}

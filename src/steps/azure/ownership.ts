/**
 * Before a deployment touches them: the Azure resources with our deterministic names that take tags (the Logic
 * Apps, the data collection rule, the API connection) are ours only with our tags (src/ownership/marker.ts). One
 * without them is someone else's: a plan conflict, so the deployment (which would overwrite it and add our tags)
 * never runs, unless `--adopt NAME` names it.
 */
import type { AzureClients } from "../../azure/client.js";
import type { Change } from "../../engine/types.js";
import { adoptReason, conflictChange, ownershipOf, tagsAreOurs } from "../../ownership/marker.js";
import type { StepContext } from "../../engine/types.js";
import { DEPLOY_ID } from "./deploy-plan.js";

interface Candidate {
  resource: string;
  name: string;
  read: () => Promise<{ tags?: Record<string, string> } | undefined>;
}

/** An adopted object's row: the deployment overwrites it and marks it ours. */
export interface AdoptPayload {
  adopt: true;
}

/** Conflict (or adopt) rows for our names that exist without our tags; nothing for the ones that are ours. */
export async function azureOwnershipRows(
  ctx: Pick<StepContext, "config" | "names" | "shared">,
  az: AzureClients,
  resourceGroup: string,
): Promise<Change<AdoptPayload>[]> {
  const prefix = ctx.names.prefix;
  const n = ctx.names.azure;
  const wf = (name: string): Candidate => ({
    resource: "Logic App workflow",
    name,
    read: () => az.arm.workflow(resourceGroup, name),
  });
  const candidates: Candidate[] = [
    ...(ctx.config.features.caseSync ? [wf(n.caseSync), wf(n.caseGet)] : []),
    ...(ctx.config.features.caseSync && ctx.config.sentinel.authorization === "oauth"
      ? [
          {
            resource: "API connection (azuresentinel)",
            name: n.connection,
            read: () => az.arm.connection(resourceGroup, n.connection),
          },
        ]
      : []),
    ...(ctx.config.features.alertForwarding
      ? [
          wf(n.alertIngest),
          {
            resource: "data collection rule",
            name: n.dataCollectionRule,
            read: () => az.arm.dataCollectionRule(resourceGroup, n.dataCollectionRule),
          },
        ]
      : []),
  ];
  const rows: Change<AdoptPayload>[] = [];
  for (const c of candidates) {
    const found = await c.read();
    const owner = ownershipOf(Boolean(found), tagsAreOurs(found?.tags, prefix), ctx.shared, c.name);
    const base = { step: DEPLOY_ID, target: "azure" as const, resource: c.resource, name: c.name };
    if (owner === "conflict") rows.push(conflictChange(base, `${c.resource} ${c.name}`));
    if (owner === "adopt")
      rows.push({
        ...base,
        action: "update",
        reason: adoptReason(`${c.resource} ${c.name}`),
        destructive: true,
        payload: { adopt: true },
      });
  }
  return rows;
}

/**
 * This instance (its prefix) already set up in another resource group: when `azure.resourceGroup`
 * changes between runs, a deployment would create a second set of workflows in the new group and then fail on
 * the workspace role assignments (deterministic names, new principals: RoleAssignmentUpdateNotPermitted),
 * leaving two case-sync Logic Apps. So the preflight looks for our resources elsewhere and stops before any
 * change.
 *
 * "Ours" is decided on remote evidence only (no local state): a resource tagged `managed-by: sentinel-elastic`
 * and `sentinel-elastic-instance: <prefix>`, outside the configured Logic Apps resource group, that one of our
 * deterministic deployments in its group created (listed in the deployment record's outputResources). Tags alone
 * are not enough: anyone can copy them, and a look-alike that no setup deployed is not ours to worry about
 * (teardown leaves it alone for the same reason). Every top-level resource setup creates (workflows, DCR, API
 * connection) goes to the Logic Apps group; in the workspace's group it creates only child and extension
 * resources (tables, analytics rules, role assignments), which Resources - List does not return. So the workspace's
 * group does not count as "configured" here: our workflows there, under another Logic Apps group, are the case.
 */
import type { AzureClients } from "../../azure/client.js";
import { INSTANCE_TAG, MANAGED_BY, PREFIX_INPUT } from "../../names.js";
import type { StepContext } from "../../engine/types.js";
import { PreconditionError } from "../../errors.js";

const DEPLOYMENTS_API = "2021-04-01";

const groupOf = (id: string) => /\/resourceGroups\/([^/]+)\//i.exec(id)?.[1];

export async function checkInstanceElsewhere(
  ctx: StepContext,
  az: AzureClients,
  logicAppsGroup: string,
): Promise<void> {
  const { prefix } = ctx.names;
  const tagged = (await az.arm.resourcesWithTag(INSTANCE_TAG)).filter(
    (r) =>
      r.tags?.[INSTANCE_TAG] === prefix &&
      r.tags?.["managed-by"] === MANAGED_BY &&
      (groupOf(r.id) ?? "").toLowerCase() !== logicAppsGroup.toLowerCase(),
  );
  if (!tagged.length) return;
  const found: { id: string; name: string; type: string; group: string }[] = [];
  const byGroup = new Map<string, typeof tagged>();
  for (const r of tagged) {
    const g = groupOf(r.id)!;
    byGroup.set(g, [...(byGroup.get(g) ?? []), r]);
  }
  const deployments = Object.values(ctx.names.azure.deployments);
  for (const [group, resources] of byGroup) {
    const created = new Set<string>();
    for (const name of deployments) {
      const deployment = await az.arm.getById<{ properties?: { outputResources?: { id: string }[] } }>(
        `/subscriptions/${az.subscriptionId}/resourceGroups/${encodeURIComponent(group)}/providers/Microsoft.Resources/deployments/${name}`,
        DEPLOYMENTS_API,
        `reading deployment ${name} in ${group}`,
      );
      if (!deployment) continue;
      for (const o of deployment.properties?.outputResources ?? []) created.add(o.id.toLowerCase());
    }
    for (const r of resources) {
      if (created.has(r.id.toLowerCase())) found.push({ id: r.id, name: r.name, type: r.type, group });
      else ctx.io.message("debug", `${r.id} carries our tags but no deployment of ours created it: left alone.`);
    }
  }
  if (!found.length) return;
  const groups = [...new Set(found.map((f) => f.group))];
  const list = found.map((f) => `${f.name} (${f.type}) in ${f.group}`).join(", ");
  throw new PreconditionError(
    `${PREFIX_INPUT} '${prefix}' is already set up in resource group ${groups.join(", ")}, not in ${logicAppsGroup}: ${list}. A second set in another group would leave duplicate Logic Apps and fail on the workspace role assignments; nothing was changed.`,
    {
      code: "AZURE_INSTANCE_IN_OTHER_RESOURCE_GROUP",
      suggestion: `Use the old resource group (--resource-group ${groups[0]}, azure.resourceGroup), or another prefix (--prefix, ${PREFIX_INPUT}) for a second instance, or first remove the old set with \`sentinel-elastic teardown --resource-group ${groups[0]}\` (same prefix), then run setup again.`,
      details: { resources: found.map((f) => f.id), resourceGroups: groups },
    },
  );
}

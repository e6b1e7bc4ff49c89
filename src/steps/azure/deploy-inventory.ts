/**
 * What of ours exists in Azure, found without any local state: the resources our deterministic deployments
 * created (`outputResources` of each deployment, kept in the resource group's deployment history), plus the
 * resources with our deterministic names, each accepted only when it carries our
 * `sentinel-elastic-instance` tag (types that take tags) — so nothing else in the same group is touched.
 */

import { apiVersions, type DataCollectionRule } from "../../azure/arm.js";
import { dcrSendsTo } from "../../ownership/shared.js";
import { INSTANCE_TAG, MANAGED_BY, type Names, resolveNames } from "../../names.js";
import type { ResolvedConfig } from "../../config/schema.js";
import type { AzureClients } from "../../engine/clients.js";

/** The api-versions the Azure client uses (src/azure/arm.ts), by the kinds teardown handles. */
export const API = {
  deployments: "2025-03-01",
  resourceGroups: apiVersions.resourceGroups,
  workflows: apiVersions.logic,
  dataCollectionRules: apiVersions.dataCollectionRules,
  roleAssignments: apiVersions.authorization,
  // The preview version reads both NRT and Scheduled rules (NRT exists only in previews: azure-rest-api-specs specification/securityinsights/resource-manager/Microsoft.SecurityInsights/preview).
  alertRules: apiVersions.securityInsightsPreview,
  tables: apiVersions.tables,
  connections: apiVersions.web,
} as const;

export type Kind =
  | "alertRule"
  | "workflow"
  | "roleAssignment"
  | "dataCollectionRule"
  | "connection"
  | "table"
  | "deployment";

export interface OwnedResource {
  id: string;
  kind: Kind;
  name: string;
  apiVersion: string;
  /** How we know it is ours. */
  evidence: string;
  /** For a deployment record: the ids of the resources it created (its `outputResources`), lower-cased. */
  created?: string[];
}

export function kindOf(id: string): { kind: Kind; apiVersion: string } | undefined {
  const l = id.toLowerCase();
  if (l.includes("/providers/microsoft.securityinsights/alertrules/"))
    return { kind: "alertRule", apiVersion: API.alertRules };
  if (l.includes("/providers/microsoft.authorization/roleassignments/"))
    return { kind: "roleAssignment", apiVersion: API.roleAssignments };
  if (l.includes("/providers/microsoft.logic/workflows/")) return { kind: "workflow", apiVersion: API.workflows };
  if (l.includes("/providers/microsoft.insights/datacollectionrules/"))
    return { kind: "dataCollectionRule", apiVersion: API.dataCollectionRules };
  if (l.includes("/providers/microsoft.web/connections/")) return { kind: "connection", apiVersion: API.connections };
  if (/\/providers\/microsoft\.operationalinsights\/workspaces\/[^/]+\/tables\//.test(l))
    return { kind: "table", apiVersion: API.tables };
  if (l.includes("/providers/microsoft.resources/deployments/"))
    return { kind: "deployment", apiVersion: API.deployments };
  return undefined;
}

export interface Inventory {
  resources: OwnedResource[];
  /** Deployment records of ours (deleted last, so an interrupted teardown can still find what is left). */
  deployments: OwnedResource[];
  /** The Logic Apps resource group, when setup created it (it carries our tags). */
  resourceGroup?: { id: string; name: string };
  /** Things with our names that are NOT ours (no tag): reported, never deleted. */
  foreign: string[];
}

export function deploymentNames(names: Names) {
  const n = names.azure;
  return { logic: [n.deployments.caseSync, n.deployments.alertForwarding], workspace: [...n.nestedDeployments] };
}

export async function takeInventory(config: ResolvedConfig, az: AzureClients): Promise<Inventory> {
  const ours = resolveNames(config);
  const { prefix, azure: names } = ours;
  const logicGroup = config.azure.resourceGroup!;
  const wsGroup = config.sentinel.resourceGroup ?? logicGroup;
  const sub = `${az.arm.baseUrl}/subscriptions/${az.subscriptionId}`;
  const rgUrl = (g: string) => `${sub}/resourceGroups/${encodeURIComponent(g)}`;
  const get = <T>(url: string, apiVersion: string) => az.arm.getById<T>(url, apiVersion, "read");
  const byId = new Map<string, OwnedResource>();
  const deployments: OwnedResource[] = [];
  const foreign: string[] = [];
  const isOurs = (tags: Record<string, string> | undefined) =>
    tags?.["managed-by"] === MANAGED_BY && tags?.[INSTANCE_TAG] === prefix;
  const add = (id: string, evidence: string) => {
    const k = kindOf(id);
    if (!k || k.kind === "deployment") return;
    const key = id.toLowerCase();
    if (!byId.has(key)) byId.set(key, { id, ...k, name: id.split("/").at(-1)!, evidence });
  };

  const groups = [...new Set([logicGroup, wsGroup])];
  const ourDeployments = deploymentNames(ours);
  for (const group of groups) {
    const wanted =
      group === logicGroup
        ? [...ourDeployments.logic, ...(group === wsGroup ? ourDeployments.workspace : [])]
        : ourDeployments.workspace;
    for (const name of wanted) {
      const id = `${rgUrl(group)}/providers/Microsoft.Resources/deployments/${name}`;
      const d = await get<{ id: string; properties?: { outputResources?: { id: string }[] } }>(id, API.deployments);
      if (!d) continue;
      deployments.push({
        id: d.id,
        kind: "deployment",
        name,
        apiVersion: API.deployments,
        evidence: "deterministic name",
        created: (d.properties?.outputResources ?? []).map((r) => r.id.toLowerCase()),
      });
      for (const r of d.properties?.outputResources ?? []) add(r.id, `created by deployment ${name}`);
    }
  }

  // Deterministic names, accepted only with our tags (deployment history may have been pruned).
  const tagged: [string, string][] = [
    [`${rgUrl(logicGroup)}/providers/Microsoft.Logic/workflows/${names.caseSync}`, API.workflows],
    [`${rgUrl(logicGroup)}/providers/Microsoft.Logic/workflows/${names.caseGet}`, API.workflows],
    [`${rgUrl(logicGroup)}/providers/Microsoft.Logic/workflows/${names.alertIngest}`, API.workflows],
    [
      `${rgUrl(logicGroup)}/providers/Microsoft.Insights/dataCollectionRules/${names.dataCollectionRule}`,
      API.dataCollectionRules,
    ],
    [`${rgUrl(logicGroup)}/providers/Microsoft.Web/connections/${names.connection}`, API.connections],
    // Defender mode's cases DCR (templates/azure/case-sync-defender.json).
    [
      `${rgUrl(logicGroup)}/providers/Microsoft.Insights/dataCollectionRules/${names.defender.dataCollectionRule}`,
      API.dataCollectionRules,
    ],
  ];
  const principals: string[] = [];
  let ourDcr: DataCollectionRule | undefined;
  for (const [id, apiVersion] of tagged) {
    const r = await get<DataCollectionRule & { identity?: { principalId?: string } }>(id, apiVersion);
    if (!r) continue;
    if (!isOurs(r.tags)) {
      byId.delete(r.id.toLowerCase());
      foreign.push(r.id);
      continue;
    }
    add(r.id, "deterministic name and our tags");
    if (r.identity?.principalId) principals.push(r.identity.principalId);
    if (/\/dataCollectionRules\//i.test(r.id) && r.name === names.dataCollectionRule) ourDcr = r;
  }
  // Role assignments held by our workflows' identities (on the workspace and on the DCR).
  const wsId = `${rgUrl(wsGroup)}/providers/Microsoft.OperationalInsights/workspaces/${config.sentinel.workspaceName}`;
  // The alerts table takes no tags. It is ours when our deployment records list it (above), or, when those were
  // pruned, when our data collection rule (ours by its tags) sends rows to it — never by its name alone: a prefix
  // that never ran setup owns no table (src/ownership/shared.ts). Only a DCR-based table (the kind setup creates;
  // a classic table of that name is never ours).
  if (ourDcr && dcrSendsTo(ourDcr, wsId.slice(az.arm.baseUrl.length), config.alerts.table)) {
    const table = await get<{ id: string; properties?: { schema?: { tableSubType?: string } } }>(
      `${wsId}/tables/${encodeURIComponent(config.alerts.table)}`,
      API.tables,
    );
    if (table && table.properties?.schema?.tableSubType === "DataCollectionRuleBased")
      add(table.id, `our data collection rule sends to it (alerts.table ${config.alerts.table})`);
  }
  const dcrId = `${rgUrl(logicGroup)}/providers/Microsoft.Insights/dataCollectionRules/${names.dataCollectionRule}`;
  for (const principalId of principals) {
    for (const scope of [wsId, dcrId]) {
      // Only assignments made exactly at that scope (not inherited from above); a scope already gone has none.
      for (const ra of await az.arm.roleAssignmentsAtScope(scope.slice(az.arm.baseUrl.length), principalId))
        add(ra.id, "held by our workflow's identity");
    }
  }
  // Drop taggable resources that came from deployment history but have lost our tags (changed hands).
  for (const r of [...byId.values()]) {
    if (r.kind !== "workflow" && r.kind !== "dataCollectionRule" && r.kind !== "connection") continue;
    const url = r.id.startsWith("http") ? r.id : `${az.arm.baseUrl}${r.id}`;
    const live = await get<{ tags?: Record<string, string> }>(url, r.apiVersion);
    if (!live) byId.delete(r.id.toLowerCase());
    else if (!isOurs(live.tags)) {
      byId.delete(r.id.toLowerCase());
      foreign.push(r.id);
    }
  }
  const rg = await get<{ id: string; name: string; tags?: Record<string, string> }>(
    rgUrl(logicGroup),
    API.resourceGroups,
  );
  return {
    resources: [...byId.values()],
    deployments,
    resourceGroup: rg && isOurs(rg.tags) ? { id: rg.id, name: rg.name } : undefined,
    foreign,
  };
}

/**
 * Built-in Azure role definitions the sandbox knows, with the subset of their permissions that matters to
 * the resources it emulates. GUIDs are the same in every tenant; permissions follow
 * https://learn.microsoft.com/azure/role-based-access-control/built-in-roles (abridged: only the action
 * families the sandbox checks are listed). Note that `Owner` has no `dataActions`: writing to the Logs
 * Ingestion API needs Monitoring Metrics Publisher even for an Owner, as in Azure.
 */

export interface RoleDefinition {
  guid: string;
  roleName: string;
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
}

const role = (
  guid: string,
  roleName: string,
  actions: string[],
  notActions: string[] = [],
  dataActions: string[] = [],
): RoleDefinition => ({ guid, roleName, actions, notActions, dataActions, notDataActions: [] });

export const BUILT_IN_ROLES: RoleDefinition[] = [
  role("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Owner", ["*"]),
  role(
    "b24988ac-6180-42a0-ab88-20f7382dd24c",
    "Contributor",
    ["*"],
    [
      "Microsoft.Authorization/*/Delete",
      "Microsoft.Authorization/*/Write",
      "Microsoft.Authorization/elevateAccess/Action",
    ],
  ),
  role("acdd72a7-3385-48ef-bd42-f606fba81ae7", "Reader", ["*/read"]),
  role("18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", "User Access Administrator", [
    "*/read",
    "Microsoft.Authorization/*",
    "Microsoft.Support/*",
  ]),
  role("f58310d9-a9f6-439a-9e8d-f62e7b41a168", "Role Based Access Control Administrator", [
    "Microsoft.Authorization/roleAssignments/write",
    "Microsoft.Authorization/roleAssignments/delete",
    "*/read",
  ]),
  role(
    "3e150937-b8fe-4cfb-8069-0eaf05ecd056",
    "Microsoft Sentinel Responder",
    [
      "Microsoft.SecurityInsights/*/read",
      "Microsoft.SecurityInsights/incidents/*",
      "Microsoft.SecurityInsights/cases/*",
      "Microsoft.SecurityInsights/automationRules/*",
      "Microsoft.OperationalInsights/workspaces/analytics/query/action",
      "Microsoft.OperationalInsights/workspaces/*/read",
      "Microsoft.OperationalInsights/workspaces/query/*/read",
      "Microsoft.Resources/subscriptions/resourceGroups/read",
    ],
    ["Microsoft.SecurityInsights/incidents/delete", "Microsoft.SecurityInsights/cases/delete"],
  ),
  role("ab8e14d6-4a74-4a29-9ba8-549422addade", "Microsoft Sentinel Contributor", [
    "Microsoft.SecurityInsights/*",
    "Microsoft.OperationalInsights/workspaces/analytics/query/action",
    "Microsoft.OperationalInsights/workspaces/*/read",
    "Microsoft.OperationalInsights/workspaces/query/*/read",
    "Microsoft.OperationalInsights/workspaces/savedSearches/*",
    "Microsoft.Resources/subscriptions/resourceGroups/read",
  ]),
  role("8d289c81-5878-46d4-8554-54e1e3d8b5cb", "Microsoft Sentinel Reader", [
    "Microsoft.SecurityInsights/*/read",
    "Microsoft.OperationalInsights/workspaces/analytics/query/action",
    "Microsoft.OperationalInsights/workspaces/*/read",
    "Microsoft.OperationalInsights/workspaces/query/*/read",
    "Microsoft.Resources/subscriptions/resourceGroups/read",
  ]),
  role("f4c81013-99ee-4d62-a7ee-b3f1f648599a", "Microsoft Sentinel Automation Contributor", [
    "Microsoft.Logic/workflows/triggers/read",
    "Microsoft.Logic/workflows/triggers/listCallbackUrl/action",
    "Microsoft.Logic/workflows/runs/read",
  ]),
  role("87a39d53-fc1b-424a-814c-f7e04687dc9e", "Logic App Contributor", [
    "Microsoft.Authorization/*/read",
    "Microsoft.Insights/*/read",
    "Microsoft.Logic/*",
    "Microsoft.Resources/subscriptions/resourceGroups/read",
    "Microsoft.Resources/deployments/*",
    "Microsoft.Web/connections/*",
    "Microsoft.Web/connectionGateways/*",
  ]),
  role(
    "3913510d-42f4-4e42-8a64-420c390055eb",
    "Monitoring Metrics Publisher",
    [
      "Microsoft.Insights/Register/Action",
      "Microsoft.Support/*",
      "Microsoft.Resources/subscriptions/resourceGroups/read",
    ],
    [],
    ["Microsoft.Insights/Metrics/Write", "Microsoft.Insights/Telemetry/Write"],
  ),
  role("749f88d5-cbae-40b8-bcfc-e573ddc772fa", "Monitoring Contributor", [
    "*/read",
    "Microsoft.Insights/dataCollectionRules/*",
    "Microsoft.Insights/dataCollectionEndpoints/*",
    "Microsoft.Insights/dataCollectionRuleAssociations/*",
    "Microsoft.OperationalInsights/workspaces/search/action",
    "Microsoft.Resources/deployments/*",
  ]),
  role("73c42c96-874c-492b-b04d-ab87d138a893", "Log Analytics Reader", [
    "*/read",
    "Microsoft.OperationalInsights/workspaces/analytics/query/action",
    "Microsoft.OperationalInsights/workspaces/search/action",
  ]),
  role("92aaf0da-9dab-42b6-94a3-d43ce8d16293", "Log Analytics Contributor", [
    "*/read",
    "Microsoft.OperationalInsights/*",
    "Microsoft.Insights/diagnosticSettings/*",
    "Microsoft.Resources/deployments/*",
    "Microsoft.Resources/subscriptions/resourcegroups/deployments/*",
  ]),
];

const byGuid = new Map(BUILT_IN_ROLES.map((r) => [r.guid, r]));
const byName = new Map(BUILT_IN_ROLES.map((r) => [r.roleName.toLowerCase(), r]));

/** Accepts a GUID, a role name, or a full roleDefinitionId (`…/roleDefinitions/<guid>`). */
export function findRole(ref: string): RoleDefinition | undefined {
  const guid = ref.split("/").pop()!.toLowerCase();
  return byGuid.get(guid) ?? byName.get(ref.toLowerCase());
}

/** The GUID at the end of a roleDefinitionId, lower-cased. */
export function roleGuidOf(roleDefinitionId: string): string {
  return roleDefinitionId.split("/").pop()!.toLowerCase();
}

/** Azure matches actions case-insensitively with `*` as a wildcard for any characters. */
function matches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i");
  return re.test(action);
}

/** Whether a role grants `action` (control plane) or, with `data`, a data action. */
export function roleGrants(def: RoleDefinition, action: string, data = false): boolean {
  const allow = data ? def.dataActions : def.actions;
  const deny = data ? def.notDataActions : def.notActions;
  return allow.some((p) => matches(p, action)) && !deny.some((p) => matches(p, action));
}

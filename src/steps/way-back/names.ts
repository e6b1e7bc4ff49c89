/**
 * Deterministic names and markers of everything the way back creates (docs/contracts.md "Deterministic
 * names"), so that re-runs find their objects again and teardown removes only ours.
 */
import { createHash } from "node:crypto";
import type { ResolvedConfig } from "../../config/schema.js";

export const PACKAGE_NAME = "microsoft_sentinel";
export const POLICY_TEMPLATE = "microsoft_sentinel";
export const CEL_INPUT = `${POLICY_TEMPLATE}-cel`;
export const EVENTHUB_INPUT = `${POLICY_TEMPLATE}-azure-eventhub`;
export const INCIDENT_STREAM = "microsoft_sentinel.incident";
export const ALERT_STREAM = "microsoft_sentinel.alert";
export const EVENT_STREAM = "microsoft_sentinel.event";
export const INCIDENT_INDEX_PATTERN = "logs-microsoft_sentinel.incident-*";
/** The agent policy value that asks for an agentless deployment instead of an agent policy. */
export const AGENTLESS = "agentless";

/** Microsoft Sentinel Reader: read incidents, alerts, analytics rules (azure-facts.md §1.5). */
export const SENTINEL_READER_ROLE = "8d289c81-5878-46d4-8554-54e1e3d8b5cb";
/**
 * Roles that include everything Sentinel Reader grants at the workspace (`Microsoft.SecurityInsights/*\/read`):
 * Sentinel Responder and Contributor, and the generic Reader, Contributor and Owner.
 */
export const ROLES_INCLUDING_SENTINEL_READ = new Set([
  SENTINEL_READER_ROLE,
  "3e150937-b8fe-4cfb-8069-0eaf05ecd056", // Microsoft Sentinel Responder
  "ab8e14d6-4a74-4a29-9ba8-549422addade", // Microsoft Sentinel Contributor
  "acdd72a7-3385-48ef-bd42-f606fba81ae7", // Reader
  "b24988ac-6180-42a0-ab88-20f7382dd24c", // Contributor
  "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", // Owner
]);

/** The case-incident label and the analytics rule's display-name prefix (docs/contracts.md). */
export const CASE_LABEL = "elastic-case";
export const ALERT_TITLE_PREFIX = "Elastic Security alert: ";

export const packagePolicyName = (prefix: string) => `${prefix}-microsoft-sentinel`;
export const agentPolicyName = (prefix: string) => `${prefix}-agent-policy`;

/** Written into descriptions (role assignments cannot carry tags) and matched by teardown. */
export const managedMarker = (prefix: string) => `managed-by: sentinel-elastic; sentinel-elastic-instance: ${prefix}`;
export const isOurs = (description: string | undefined, prefix: string) =>
  (description ?? "").includes(managedMarker(prefix));

// ARM's guid(): a name-based (v5, SHA-1) UUID over the arguments joined with '-', namespace
// 11fb06fb-712d-4ddd-98c7-e71bbd588830 (Azure/bicep src/Bicep.Core/Emit/... GuidUtility, as used by the
// ARM template function `guid`), so the names equal what an ARM template would compute.
const ARM_GUID_NAMESPACE = Buffer.from("11fb06fb712d4ddd98c7e71bbd588830", "hex");

export function armGuid(...args: string[]): string {
  const h = createHash("sha1").update(ARM_GUID_NAMESPACE).update(args.join("-"), "utf8").digest().subarray(0, 16);
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export interface WorkspaceRef {
  subscriptionId: string;
  resourceGroup: string;
  workspaceName: string;
  /** ARM id, the role assignment's scope. */
  id: string;
}

/** The workspace the integration reads, from config; undefined parts are reported by the caller. */
export function workspaceRef(config: ResolvedConfig): Partial<WorkspaceRef> {
  const subscriptionId = config.azure.subscriptionId;
  const resourceGroup = config.sentinel.resourceGroup ?? config.azure.resourceGroup;
  const workspaceName = config.sentinel.workspaceName;
  const id =
    subscriptionId && resourceGroup && workspaceName
      ? `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${workspaceName}`
      : undefined;
  return { subscriptionId, resourceGroup, workspaceName, id };
}

/** Role assignment name: guid(workspace id, client id, role) — one per app registration and workspace. */
export const roleAssignmentName = (workspaceId: string, clientId: string) =>
  armGuid(workspaceId, clientId.toLowerCase(), SENTINEL_READER_ROLE);

/**
 * Name of our analytics rule in Sentinel: `guid(workspaceId, P, 'elastic-alerts-rule')` (docs/contracts.md).
 * Incidents it creates list `<workspace id>/providers/Microsoft.SecurityInsights/alertRules/<this>` in
 * relatedAnalyticRuleIds. Keep in step with the Azure side's rule step.
 */
export const analyticsRuleName = (workspaceId: string, prefix: string) =>
  armGuid(workspaceId, prefix, "elastic-alerts-rule");

export const analyticsRuleId = (workspaceId: string, prefix: string) =>
  `${workspaceId}/providers/Microsoft.SecurityInsights/alertRules/${analyticsRuleName(workspaceId, prefix)}`;

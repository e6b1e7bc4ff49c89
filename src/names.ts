/**
 * Every name we give or look for, in one place: Kibana ids and display names, Azure resource names and tags,
 * the way back's Fleet names and markers, the built-in role GUIDs, the workspace. Re-runs find their objects
 * again by these names (no state file) and teardown removes only what carries them (docs/contracts.md,
 * "Deterministic names").
 *
 * The instance prefix (the `naming.prefix` input) is read here and nowhere else: `resolveNames(config)` turns
 * it into `Names` once per configuration, and each step reads `ctx.names`.
 */
import { createHash } from "node:crypto";
import type { ResolvedConfig } from "./config/schema.js";

/** The input key of the instance prefix, for messages that tell where to change it. */
export const PREFIX_INPUT = "naming.prefix";

// --- Names that do not depend on the prefix --------------------------------------------------------------

/** The cases owner of Elastic Security (Kibana cases API `owner`). */
export const CASES_OWNER = "securitySolution";
/** The data stream the test document goes to; the detection rule searches it too. */
export const TEST_DATA_STREAM = "logs-sentinel_elastic.test-default";
/** The tag on our detection rule. */
export const RULE_TAG = "sentinel-elastic";

/** Azure tags: the `managed-by` value and the key of the instance tag (value: the prefix). */
export const MANAGED_BY = "sentinel-elastic";
export const INSTANCE_TAG = "sentinel-elastic-instance";

/** The Custom- stream of our data collection rule. */
export const ALERT_STREAM_NAME = "Custom-ElasticAlerts";

/**
 * Built-in Azure role definition ids, the same in every tenant
 * (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
 */
export const roles = {
  sentinelResponder: "3e150937-b8fe-4cfb-8069-0eaf05ecd056",
  sentinelReader: "8d289c81-5878-46d4-8554-54e1e3d8b5cb",
  sentinelContributor: "ab8e14d6-4a74-4a29-9ba8-549422addade",
  monitoringMetricsPublisher: "3913510d-42f4-4e42-8a64-420c390055eb",
  reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
} as const;

export const roleNames: Record<string, string> = {
  [roles.sentinelResponder]: "Microsoft Sentinel Responder",
  [roles.sentinelReader]: "Microsoft Sentinel Reader",
  [roles.monitoringMetricsPublisher]: "Monitoring Metrics Publisher",
};

/**
 * Roles that include everything Sentinel Reader grants at the workspace (`Microsoft.SecurityInsights/*\/read`):
 * Sentinel Responder and Contributor, and the generic Reader, Contributor and Owner.
 */
export const ROLES_INCLUDING_SENTINEL_READ = new Set<string>([
  roles.sentinelReader,
  roles.sentinelResponder,
  roles.sentinelContributor,
  roles.reader,
  roles.contributor,
  roles.owner,
]);

// The way back: the Fleet integration package and its inputs and streams.
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

/** The case-incident label and the analytics rule's display-name prefix (docs/contracts.md). */
export const CASE_LABEL = "elastic-case";
export const ALERT_TITLE_PREFIX = "Elastic Security alert: ";

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

// --- The workspace --------------------------------------------------------------------------------------

/** The Sentinel workspace: subscription, resource group (default: the Logic Apps' one) and name. */
export interface WorkspaceRef {
  subscriptionId: string;
  resourceGroup: string;
  workspaceName: string;
  /** ARM id, the role assignment's scope. */
  id: string;
}

/** The workspace from config; parts that are not set are undefined, and reported by the step that needs them. */
export function workspaceRef(config: Pick<ResolvedConfig, "azure" | "sentinel">): Partial<WorkspaceRef> {
  const subscriptionId = config.azure.subscriptionId;
  const resourceGroup = config.sentinel.resourceGroup ?? config.azure.resourceGroup;
  const workspaceName = config.sentinel.workspaceName;
  const id =
    subscriptionId && resourceGroup && workspaceName
      ? `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${workspaceName}`
      : undefined;
  return { subscriptionId, resourceGroup, workspaceName, id };
}

// --- Names of this instance -----------------------------------------------------------------------------
// The formulas take the prefix; steps read their results from `ctx.names` (below).

export const packagePolicyName = (prefix: string) => `${prefix}-microsoft-sentinel`;
export const agentPolicyName = (prefix: string) => `${prefix}-agent-policy`;

/** Written into descriptions (role assignments cannot carry tags) and matched by teardown. */
export const managedMarker = (prefix: string) => `managed-by: ${MANAGED_BY}; ${INSTANCE_TAG}: ${prefix}`;

/**
 * Name of our analytics rule in Sentinel: `guid(workspaceId, P, 'elastic-alerts-rule')` (docs/contracts.md).
 * Incidents it creates list `<workspace id>/providers/Microsoft.SecurityInsights/alertRules/<this>` in
 * relatedAnalyticRuleIds. Keep in step with the Azure side's rule step.
 */
export const analyticsRuleName = (workspaceId: string, prefix: string) =>
  armGuid(workspaceId, prefix, "elastic-alerts-rule");

export const analyticsRuleId = (workspaceId: string, prefix: string) =>
  `${workspaceId}/providers/Microsoft.SecurityInsights/alertRules/${analyticsRuleName(workspaceId, prefix)}`;

/** The way back's role assignment: guid(workspace id, client id, role), one per app registration and workspace. */
export const roleAssignmentName = (workspaceId: string, clientId: string) =>
  armGuid(workspaceId, clientId.toLowerCase(), roles.sentinelReader);

function namesFor(prefix: string, workspace: Partial<WorkspaceRef>) {
  const marker = managedMarker(prefix);
  return {
    prefix,
    workspace,
    kibana: {
      caseConnectorId: `${prefix}-cases-webhook`,
      caseConnectorName: `Microsoft Sentinel incidents (${prefix})`,
      alertConnectorId: `${prefix}-alert-webhook`,
      alertConnectorName: `Microsoft Sentinel alert ingest (${prefix})`,
      ruleId: `${prefix}-forward-rule`,
      /** The `rule_id` of verify's synthetic alert. */
      verifyRuleId: `${prefix}-verify`,
    },
    azure: {
      caseSync: `${prefix}-case-sync`,
      caseGet: `${prefix}-case-get`,
      alertIngest: `${prefix}-alert-ingest`,
      connection: `${prefix}-azuresentinel`,
      dataCollectionRule: `${prefix}-alerts-dcr`,
      stream: ALERT_STREAM_NAME,
      /** The analytics rule's display name (the alert-forwarding template's rule). */
      analyticsRuleDisplayName: `Elastic Security alerts (${prefix})`,
      deployments: { caseSync: `${prefix}-case-sync`, alertForwarding: `${prefix}-alert-forwarding` },
      /** Defender mode's case sync (templates/azure/case-sync-defender.json): cases table, its DCR and NRT rule. */
      defender: {
        table: "ElasticCases_CL",
        dataCollectionRule: `${prefix}-cases-dcr`,
        stream: "Custom-ElasticCases",
        ruleDisplayName: `Elastic Security cases (${prefix})`,
        ruleName: (workspaceId: string) => armGuid(workspaceId, prefix, "elastic-cases-rule"),
      },
      /** Nested deployments our templates make in the workspace's resource group (templates/azure/*.json). */
      nestedDeployments: [
        `${prefix}-alerts-table`,
        `${prefix}-alerts-rule-nrt`,
        `${prefix}-alerts-rule-scheduled`,
        `${prefix}-case-sync-roles`,
        `${prefix}-cases-table`,
        `${prefix}-cases-rule`,
      ],
      tags: { "managed-by": MANAGED_BY, [INSTANCE_TAG]: prefix } as Record<string, string>,
      /**
       * The Entra ID app registration the alert connector signs in with (alerts.webhookAuth oauth2): found again by
       * its display name; ours when it carries our tags (ownership/marker.ts appIsOurs).
       */
      alertApp: {
        displayName: `${prefix}-kibana-alert-connector`,
        tags: [`managed-by:${MANAGED_BY}`, `${INSTANCE_TAG}:${prefix}`],
        notes: marker,
      },
    },
    wayBack: {
      packagePolicy: packagePolicyName(prefix),
      agentPolicy: agentPolicyName(prefix),
      marker,
      isOurs: (description: string | undefined) => (description ?? "").includes(marker),
      analyticsRuleName: (workspaceId: string) => analyticsRuleName(workspaceId, prefix),
      analyticsRuleId: (workspaceId: string) => analyticsRuleId(workspaceId, prefix),
    },
  };
}

export type Names = ReturnType<typeof namesFor>;

const resolved = new WeakMap<object, Names>();

/** The names of the configured instance, worked out once per configuration object. */
export function resolveNames(config: Pick<ResolvedConfig, "naming" | "azure" | "sentinel">): Names {
  let names = resolved.get(config);
  if (!names) {
    names = namesFor(config.naming.prefix, workspaceRef(config));
    resolved.set(config, names);
  }
  return names;
}

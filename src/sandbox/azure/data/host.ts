/**
 * What the data plane needs from the Azure control plane's state. The control plane implements this over
 * its resource store; the data plane never reads ARM resources any other way. Resource shapes are the ARM
 * `properties` as stored (the same JSON a GET returns), so the host can hand them over without mapping.
 */
import type { SandboxClock } from "../../common/clock.js";

/**
 * Permissions the data plane checks, as Azure RBAC actions (the host matches them against role definitions).
 * Querying: `workspaces/query/read` (held through `*` or `*\/read`) or `workspaces/analytics/query/action`
 * (Log Analytics Reader, the Sentinel roles). Ingestion: the data action `Microsoft.Insights/Telemetry/Write`,
 * which Owner and Contributor do not have — only Monitoring Metrics Publisher among the built-ins
 * (learn.microsoft.com/azure/azure-monitor/logs/logs-ingestion-api-overview, "Permissions").
 */
export const QUERY_ACTIONS = [
  "Microsoft.OperationalInsights/workspaces/query/read",
  "Microsoft.OperationalInsights/workspaces/analytics/query/action",
] as const;
export const INGEST_DATA_ACTION = "Microsoft.Insights/Telemetry/Write";

export interface ColumnDecl {
  name: string;
  /** DCR stream types are lower case (`datetime`); table types use `dateTime`/`boolean` — both accepted. */
  type: string;
}

/** `properties` of a `Microsoft.Insights/dataCollectionRules` resource, as far as ingestion reads it. */
export interface DcrProperties {
  immutableId?: string;
  streamDeclarations?: Record<string, { columns: ColumnDecl[] }>;
  destinations?: { logAnalytics?: { name: string; workspaceResourceId: string }[] };
  dataFlows?: { streams: string[]; destinations: string[]; transformKql?: string; outputStream?: string }[];
}

export interface DcrView {
  /** ARM resource id of the DCR (the scope the role check runs against). */
  id: string;
  properties: DcrProperties;
}

/** A stored `Microsoft.OperationalInsights/workspaces` resource (as GET returns it). */
export interface WorkspaceView {
  /** ARM resource id. */
  id: string;
  /** `customerId` is the workspace id (GUID) used by the query API. */
  properties: { customerId?: string };
}

/** A stored `Microsoft.OperationalInsights/workspaces/tables` resource (as GET returns it). */
export interface TableView {
  name: string;
  properties: {
    schema?: {
      name?: string;
      columns?: ColumnDecl[];
      standardColumns?: ColumnDecl[];
      /**
       * Only `DataCollectionRuleBased` tables accept Logs Ingestion; `Classic` ones were created by the Data
       * Collector API (Tables.json 2025-07-01, TableSubTypeEnum). Missing → DataCollectionRuleBased (a table
       * created through the Tables API is DCR-based).
       */
      tableSubType?: string;
    };
  };
}

/** A stored `Microsoft.SecurityInsights/alertRules` resource. */
export interface AlertRuleView {
  /** ARM id of the rule; its last segment is the rule name. Used in `relatedAnalyticRuleIds`. */
  id: string;
  kind: string;
  properties: Record<string, unknown>;
}

/** What the analytics engine asks Sentinel to create. Shape follows Incidents.json 2025-09-01 properties. */
export interface IncidentDraft {
  title: string;
  description?: string;
  severity: "High" | "Medium" | "Low" | "Informational";
  status: "New";
  relatedAnalyticRuleIds: string[];
  labels?: { labelName: string; labelType: "User" | "AutoAssigned" }[];
  /** Not part of the incident body; lets the host keep the alert (`incidents/{id}/alerts`). */
  alerts: SentinelAlert[];
}

export interface SentinelAlert {
  systemAlertId: string;
  alertDisplayName: string;
  description: string;
  severity: IncidentDraft["severity"];
  timeGenerated: string;
  startTimeUtc: string;
  endTimeUtc: string;
  alertType: string;
  productName: "Azure Sentinel";
  /** Rule ARM id. */
  analyticRuleId: string;
  analyticRuleName: string;
  entities: { kind: string; properties: Record<string, unknown> }[];
  customDetails: Record<string, unknown[]>;
  tactics: string[];
  /** True for the 30th alert of an NRT run that summarises the rest. */
  isSummary?: boolean;
}

export interface DataPlaneHost {
  clock: SandboxClock;
  /** Delay between an accepted ingestion call and its rows being visible (sandbox ms). */
  ingestionLatencyMs: number;
  findDcrByImmutableId(immutableId: string): DcrView | undefined;
  /** By `properties.customerId` (the query API's path parameter). */
  findWorkspaceByCustomerId(customerId: string): WorkspaceView | undefined;
  /** By ARM resource id, case-insensitive (DCR destinations name the workspace this way). */
  findWorkspaceById(resourceId: string): WorkspaceView | undefined;
  /** A table's declared schema, or undefined when the workspace has no such table. Name is case-sensitive, as in KQL. */
  findTable(workspaceResourceId: string, tableName: string): TableView | undefined;
  /** Every workspace with Sentinel onboarded (the analytics engine runs their rules). */
  listSentinelWorkspaces(): WorkspaceView[];
  /** Alert rules of a workspace (all kinds, enabled or not; the engine filters). */
  listAlertRules(workspaceResourceId: string): AlertRuleView[];
  /**
   * True when a role assigned to `principalId` at `scope` or a parent scope grants `action` (a data action when
   * `kind` is "dataAction"), counting only assignments whose propagation delay has passed.
   */
  principalCan(principalId: string, scope: string, action: string, kind: "action" | "dataAction"): boolean;
  /** Create a Sentinel incident in the workspace; returns its ARM id, name and number. */
  createIncident(
    workspaceResourceId: string,
    draft: IncidentDraft,
  ):
    | { id: string; name: string; incidentNumber?: number }
    | Promise<{ id: string; name: string; incidentNumber?: number }>;
  /**
   * Optional: the workspace's incidents as GET returns them, so `SecurityIncident` shows incidents created through
   * the REST API (case sync) as well as those from analytics rules — one row per incident, in its current state.
   */
  listIncidents?(workspaceResourceId: string): { id: string; name: string; properties: Record<string, any> }[];
  /**
   * Optional: call `listener` when a table (or a whole workspace, `table` undefined) is deleted, so its rows go
   * with it — a table deleted and created again starts empty, as in Azure.
   */
  onTableDeleted?(listener: (workspaceResourceId: string, table?: string) => void): void;
  /**
   * Optional: whether the workspace is onboarded to the Defender portal (its SecurityIncident table then has no
   * Description column: https://learn.microsoft.com/azure/sentinel/automation/automation-in-defender).
   */
  defenderOnboarded?(workspaceResourceId: string): boolean;
  /** Optional: the system alert ids of an incident's alerts (SecurityIncident.AlertIds). */
  incidentAlertIds?(incidentId: string): string[];
  /** Optional: told about every alert (also those without an incident). */
  recordAlert?(workspaceResourceId: string, alert: SentinelAlert): void;
}

/**
 * Table schemas as the query engine sees them: a table's declared columns plus the standard ones Log Analytics
 * adds (`TenantId`, `Type`, `_TimeReceived`), and the built-in Sentinel tables the analytics engine writes.
 */
import type { DataPlaneHost, TableView, WorkspaceView } from "./host.js";
import type { KqlColumn, KqlTable, KqlType } from "./kql/index.js";
import { kqlTypeOf } from "./kql/values.js";
import type { RowStore, StoredRow } from "./row-store.js";

/** Sentinel's built-in tables (subset of columns) — https://learn.microsoft.com/azure/azure-monitor/reference/tables/securityalert, /securityincident. */
export const BUILT_IN_TABLES: Record<string, KqlColumn[]> = {
  SecurityAlert: cols({
    TenantId: "string",
    TimeGenerated: "datetime",
    DisplayName: "string",
    AlertName: "string",
    AlertSeverity: "string",
    Description: "string",
    ProviderName: "string",
    VendorName: "string",
    ProductName: "string",
    SystemAlertId: "string",
    AlertType: "string",
    StartTime: "datetime",
    EndTime: "datetime",
    Entities: "string",
    ExtendedProperties: "string",
    Tactics: "string",
    Status: "string",
    Type: "string",
  }),
  SecurityIncident: cols({
    TenantId: "string",
    TimeGenerated: "datetime",
    IncidentName: "string",
    Title: "string",
    Description: "string",
    Severity: "string",
    Status: "string",
    Classification: "string",
    IncidentNumber: "int",
    IncidentUrl: "string",
    ProviderName: "string",
    ProviderIncidentId: "string",
    Labels: "dynamic",
    AlertIds: "dynamic",
    RelatedAnalyticRuleIds: "dynamic",
    CreatedTime: "datetime",
    LastModifiedTime: "datetime",
    Type: "string",
  }),
};

function cols(spec: Record<string, KqlType>): KqlColumn[] {
  return Object.entries(spec).map(([name, type]) => ({ name, type }));
}

/**
 * Columns of a workspace table, in Log Analytics' order: TenantId, the declared columns, the other standard
 * columns (Type, _ResourceId), then `_TimeReceived`.
 */
export function tableColumns(table: TableView): KqlColumn[] {
  const schema = table.properties.schema ?? {};
  const standard = schema.standardColumns ?? [];
  const tenant = standard.find((c) => c.name === "TenantId") ?? { name: "TenantId", type: "string" };
  const ordered = [
    tenant,
    ...(schema.columns ?? []),
    ...standard.filter((c) => c.name !== "TenantId"),
    { name: "Type", type: "string" },
    { name: "_TimeReceived", type: "datetime" },
  ];
  const out: KqlColumn[] = [];
  for (const c of ordered)
    if (!out.some((o) => o.name === c.name)) out.push({ name: c.name, type: kqlTypeOf(c.type) ?? "string" });
  return out;
}

export function tableName(table: TableView): string {
  return table.properties.schema?.name ?? table.name;
}

/**
 * The rows of `name` in a workspace as a KQL table, or undefined when the workspace has no such table.
 * `filter` narrows the stored rows (a query's timespan, an NRT rule's ingestion window).
 */
export function workspaceTable(
  host: DataPlaneHost,
  rows: RowStore,
  ws: WorkspaceView,
  name: string,
  filter?: (row: StoredRow) => boolean,
): KqlTable | undefined {
  // ARM names are case-insensitive but KQL table names are not: `elasticalerts_cl` does not resolve.
  const found = host.findTable(ws.id, name);
  const def = found && tableName(found) === name ? found : undefined;
  let columns = def ? tableColumns(def) : BUILT_IN_TABLES[name];
  if (name === "SecurityIncident" && host.defenderOnboarded?.(ws.id))
    columns = columns?.filter((c) => c.name !== "Description");
  if (!columns) return undefined;
  const stored = name === "SecurityIncident" && host.listIncidents ? incidentRows(host, ws) : rows.list(ws.id, name);
  const selected = filter ? stored.filter(filter) : stored;
  return { columns, rows: selected.map((s) => s.values) };
}

/** SecurityIncident rows from the incidents Sentinel holds (current state of each; Sentinel adds a row per change). */
function incidentRows(host: DataPlaneHost, ws: WorkspaceView): StoredRow[] {
  const tenant = ws.properties.customerId ?? "";
  const date = (v: unknown) => (typeof v === "string" && !Number.isNaN(Date.parse(v)) ? new Date(v) : null);
  return (host.listIncidents?.(ws.id) ?? []).map((i) => {
    const p = i.properties;
    const modified = date(p.lastModifiedTimeUtc) ?? date(p.createdTimeUtc);
    return {
      seq: 0,
      ingestedAt: modified?.getTime() ?? 0,
      values: {
        TenantId: tenant,
        TimeGenerated: modified,
        IncidentName: i.name,
        Title: String(p.title ?? ""),
        ...(host.defenderOnboarded?.(ws.id) ? {} : { Description: String(p.description ?? "") }),
        Severity: String(p.severity ?? ""),
        Status: String(p.status ?? ""),
        Classification: String(p.classification ?? ""),
        IncidentNumber: typeof p.incidentNumber === "number" ? p.incidentNumber : null,
        IncidentUrl: String(p.incidentUrl ?? ""),
        ProviderName: String(p.providerName ?? ""),
        ProviderIncidentId: String(p.providerIncidentId ?? ""),
        Labels: Array.isArray(p.labels) ? p.labels : [],
        AlertIds: host.incidentAlertIds?.(i.id) ?? [],
        RelatedAnalyticRuleIds: Array.isArray(p.relatedAnalyticRuleIds)
          ? p.relatedAnalyticRuleIds.map((r: string) => String(r).split("/").pop())
          : [],
        CreatedTime: date(p.createdTimeUtc),
        LastModifiedTime: modified,
        Type: "SecurityIncident",
      },
    };
  });
}

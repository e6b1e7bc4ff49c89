/**
 * Turning analytics-rule results into Sentinel alerts: display name and description from
 * `alertDetailsOverride` format strings (`{{Column}}`), severity from `alertSeverityColumnName`, tactics from
 * `alertTacticsColumnName`, entities from `entityMappings`, and `customDetails`
 * (https://learn.microsoft.com/azure/sentinel/customize-alert-details, /map-data-fields-to-entities,
 * /surface-custom-details-in-alerts). Alerts are also written as SecurityAlert rows.
 */
import { randomUUID } from "node:crypto";
import type { AlertRuleView, IncidentDraft, SentinelAlert } from "./host.js";
import type { KqlRow } from "./kql/index.js";
import { formatDatetime, toKqlString } from "./kql/values.js";

const SEVERITIES = ["High", "Medium", "Low", "Informational"] as const;
type Severity = IncidentDraft["severity"];

interface RuleProps {
  displayName?: string;
  description?: string;
  severity?: string;
  tactics?: string[];
  alertDetailsOverride?: {
    alertDisplayNameFormat?: string;
    alertDescriptionFormat?: string;
    alertSeverityColumnName?: string;
    alertTacticsColumnName?: string;
  };
  entityMappings?: { entityType: string; fieldMappings: { identifier: string; columnName: string }[] }[];
  customDetails?: Record<string, string>;
}

function props(rule: AlertRuleView): RuleProps {
  return rule.properties as RuleProps;
}

/** `{{Column}}` → the row's value as a string; an unknown column stays as written [I]. */
export function applyFormat(format: string, row: KqlRow): string {
  return format.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (all, name: string) =>
    name in row ? toKqlString(row[name] ?? null) : all,
  );
}

function severityOf(value: unknown): Severity | undefined {
  const s = typeof value === "string" ? value.trim().toLowerCase() : "";
  return SEVERITIES.find((x) => x.toLowerCase() === s);
}

export function alertFromRow(rule: AlertRuleView, row: KqlRow, now: number): SentinelAlert {
  const p = props(rule);
  const o = p.alertDetailsOverride ?? {};
  const ruleSeverity = severityOf(p.severity) ?? "Medium";
  const severity = (o.alertSeverityColumnName && severityOf(row[o.alertSeverityColumnName])) || ruleSeverity;
  let tactics = p.tactics ?? [];
  if (o.alertTacticsColumnName) {
    const v = row[o.alertTacticsColumnName];
    const list = Array.isArray(v) ? v : typeof v === "string" && v ? v.split(",") : [];
    if (list.length) tactics = list.map((x) => String(x).trim());
  }
  const entities: SentinelAlert["entities"] = [];
  for (const m of p.entityMappings ?? []) {
    const properties: Record<string, unknown> = {};
    for (const f of m.fieldMappings ?? []) {
      const v = row[f.columnName];
      if (v !== null && v !== undefined && v !== "") properties[f.identifier] = toKqlString(v);
    }
    // An entity with no mapped value is left out, as Sentinel drops empty entities.
    if (Object.keys(properties).length) entities.push({ kind: m.entityType, properties });
  }
  const customDetails: Record<string, unknown[]> = {};
  for (const [key, column] of Object.entries(p.customDetails ?? {})) {
    const v = row[column];
    if (v !== null && v !== undefined && v !== "") customDetails[key] = [toKqlString(v)];
  }
  const when = row.TimeGenerated instanceof Date ? formatDatetime(row.TimeGenerated) : formatDatetime(new Date(now));
  return {
    systemAlertId: randomUUID(),
    alertDisplayName: o.alertDisplayNameFormat ? applyFormat(o.alertDisplayNameFormat, row) : (p.displayName ?? ""),
    description: o.alertDescriptionFormat ? applyFormat(o.alertDescriptionFormat, row) : (p.description ?? ""),
    severity,
    timeGenerated: formatDatetime(new Date(now)),
    startTimeUtc: when,
    endTimeUtc: when,
    alertType: `${rule.id.split("/").pop()}`,
    productName: "Azure Sentinel",
    analyticRuleId: rule.id,
    analyticRuleName: p.displayName ?? "",
    entities,
    customDetails,
    tactics,
  };
}

/**
 * NRT's 30th alert, standing for the results past the 29th. The docs say only that it "summarizes" them; its
 * name (the rule's display name), severity (the rule's) and description are the sandbox's choice [I].
 */
export function summaryAlert(rule: AlertRuleView, count: number, now: number, first?: KqlRow): SentinelAlert {
  const base = first ? alertFromRow(rule, first, now) : alertFromRow(rule, {}, now);
  const p = props(rule);
  return {
    ...base,
    alertDisplayName: p.displayName ?? base.alertDisplayName,
    description: `${count} events matched the rule '${p.displayName ?? ""}' in this run.`,
    severity: severityOf(p.severity) ?? "Medium",
    entities: [],
    customDetails: {},
    isSummary: true,
  };
}

/** The SecurityAlert row for an alert (https://learn.microsoft.com/azure/azure-monitor/reference/tables/securityalert). */
export function securityAlertRow(alert: SentinelAlert, tenantId: string, now: number): KqlRow {
  return {
    TenantId: tenantId,
    TimeGenerated: new Date(now),
    DisplayName: alert.alertDisplayName,
    AlertName: alert.alertDisplayName,
    AlertSeverity: alert.severity,
    Description: alert.description,
    ProviderName: "ASI Scheduled Alerts",
    VendorName: "Microsoft",
    ProductName: alert.productName,
    SystemAlertId: alert.systemAlertId,
    AlertType: alert.alertType,
    StartTime: new Date(alert.startTimeUtc),
    EndTime: new Date(alert.endTimeUtc),
    Entities: JSON.stringify(alert.entities.map((e) => ({ Type: e.kind.toLowerCase(), ...e.properties }))),
    ExtendedProperties: JSON.stringify({
      "Analytic Rule Ids": JSON.stringify([alert.analyticRuleId.split("/").pop()]),
      "Analytic Rule Name": alert.analyticRuleName,
      "Custom Details": JSON.stringify(alert.customDetails),
    }),
    Tactics: alert.tactics.join(","),
    Status: "New",
    Type: "SecurityAlert",
  };
}

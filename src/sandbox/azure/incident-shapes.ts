/**
 * Sentinel incident and comment bodies (specs stable/2025-09-01/Incidents.json, common/IncidentTypes.json):
 * required title/severity/status, the enums, and the read-only fields Sentinel fills in (incidentNumber,
 * incidentUrl, created/modified times, additionalData counts).
 */
import { badRequest } from "./errors.js";
import type { ArmResource } from "./state.js";

const INCIDENT_SEVERITIES = ["High", "Medium", "Low", "Informational"];
const INCIDENT_STATUSES = ["New", "Active", "Closed"];
const CLASSIFICATIONS = ["Undetermined", "TruePositive", "BenignPositive", "FalsePositive"];

export interface IncidentWriteOptions {
  /** Etag from the body or If-Match; a stale one gets 412. */
  etag?: string;
  relatedAnalyticRuleIds?: string[];
  alerts?: Record<string, unknown>[];
  providerName?: string;
}

export function checkIncidentInput(input: Record<string, any>): void {
  for (const f of ["title", "severity", "status"])
    if (input[f] === undefined || input[f] === null || input[f] === "")
      throw badRequest("BadRequest", `The ${f} field is required.`, `properties.${f}`);
  if (!INCIDENT_SEVERITIES.includes(input.severity))
    throw badRequest("BadRequest", `Invalid severity '${input.severity}'. Allowed: ${INCIDENT_SEVERITIES.join(", ")}.`);
  if (!INCIDENT_STATUSES.includes(input.status))
    throw badRequest("BadRequest", `Invalid status '${input.status}'. Allowed: ${INCIDENT_STATUSES.join(", ")}.`);
  if (input.classification !== undefined && !CLASSIFICATIONS.includes(input.classification))
    throw badRequest("BadRequest", `Invalid classification '${input.classification}'.`);
  // Sentinel refuses to close an incident without a classification [I: portal and API both require it].
  if (input.status === "Closed" && !input.classification)
    throw badRequest("BadRequest", "Classification is required when the incident status is Closed.");
}

export function checkCommentMessage(message: unknown): asserts message is string {
  if (typeof message !== "string" || message === "")
    throw badRequest("BadRequest", "The message field is required.", "properties.message");
  // https://learn.microsoft.com/rest/api/securityinsights/incident-comments/create-or-update: message max 30000 chars.
  if (message.length > 30000) throw badRequest("BadRequest", "The comment message exceeds 30000 characters.");
}

export function incidentResource(p: {
  id: string;
  name: string;
  etag: string;
  input: Record<string, any>;
  prev: Record<string, any>;
  now: string;
  number: number;
  portal: string;
  alerts: unknown[];
  commentsCount: number;
  opts: IncidentWriteOptions;
}): ArmResource {
  const { id, name, input, prev, now, number, alerts, opts } = p;
  const labels = (input.labels ?? []).map((l: any) => ({ labelName: l.labelName, labelType: l.labelType ?? "User" }));
  const resource: ArmResource = {
    id,
    name,
    etag: p.etag,
    type: "Microsoft.SecurityInsights/Incidents",
    properties: {
      title: input.title,
      description: input.description,
      severity: input.severity,
      status: input.status,
      classification: input.classification,
      classificationReason: input.classificationReason,
      classificationComment: input.classificationComment,
      owner: {
        objectId: input.owner?.objectId ?? null,
        email: input.owner?.email ?? null,
        assignedTo: input.owner?.assignedTo ?? null,
        userPrincipalName: input.owner?.userPrincipalName ?? null,
        ownerType: input.owner?.ownerType ?? "Unknown",
      },
      labels,
      firstActivityTimeUtc: input.firstActivityTimeUtc ?? prev.firstActivityTimeUtc,
      lastActivityTimeUtc: input.lastActivityTimeUtc ?? prev.lastActivityTimeUtc,
      createdTimeUtc: prev.createdTimeUtc ?? now,
      lastModifiedTimeUtc: now,
      incidentNumber: number,
      incidentUrl: `${p.portal}/#asset/Microsoft_Azure_Security_Insights/Incident${id}`,
      providerName: opts.providerName ?? prev.providerName ?? "Azure Sentinel",
      providerIncidentId: String(number),
      relatedAnalyticRuleIds: opts.relatedAnalyticRuleIds ?? prev.relatedAnalyticRuleIds ?? [],
      additionalData: {
        alertsCount: alerts.length,
        bookmarksCount: 0,
        commentsCount: p.commentsCount,
        alertProductNames: alerts.length ? ["Azure Sentinel"] : [],
        tactics: [],
      },
    },
  };
  for (const k of Object.keys(resource.properties))
    if (resource.properties[k] === undefined) delete resource.properties[k];
  return resource;
}

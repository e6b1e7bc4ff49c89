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
  /** Defender-synced incidents: the Defender incident id and link (move-to-defender, "Configure APIs"). */
  providerIncidentId?: string;
  providerIncidentUrl?: string;
  /** Drop the alerts held so far (an incident Defender merged away keeps none). */
  replaceAlerts?: boolean;
}

/**
 * IncidentProperties marked `readOnly` in stable/2025-09-01/Incidents.json (and `labelType` in common/IncidentTypes.json).
 * Resource Manager's API review asks a backend to ignore read-only values that arrive in a PUT, so a client may PUT
 * back what it read (github.com/Azure/oav/issues/986, the ARM RP API review's answer quoted there); the sandbox does
 * the same, and records each such write so a test can show a client sent them.
 */
export const READ_ONLY_INCIDENT_PROPERTIES = [
  "additionalData",
  "createdTimeUtc",
  "incidentNumber",
  "incidentUrl",
  "lastModifiedTimeUtc",
  "providerIncidentId",
  "providerName",
  "relatedAnalyticRuleIds",
] as const;

/** Top-level read-only members of an ARM resource (common-types Resource): id, name, type, systemData. */
const READ_ONLY_RESOURCE_MEMBERS = ["id", "name", "type", "systemData"];

/** The read-only paths a PUT body carries (`properties.incidentNumber`, `properties.labels[0].labelType`, `id`). */
export function readOnlyIncidentPaths(body: Record<string, any>): string[] {
  const found = READ_ONLY_RESOURCE_MEMBERS.filter((k) => body[k] !== undefined);
  const props = (body.properties ?? {}) as Record<string, any>;
  for (const k of Object.keys(props))
    if (READ_ONLY_INCIDENT_PROPERTIES.some((r) => r.toLowerCase() === k.toLowerCase()) && props[k] !== undefined)
      found.push(`properties.${k}`);
  if (Array.isArray(props.labels))
    props.labels.forEach((l: any, i: number) => {
      if (l && typeof l === "object" && l.labelType !== undefined) found.push(`properties.labels[${i}].labelType`);
    });
  return found;
}

/** The writable part of PUT properties: read-only members dropped, as the service ignores them. */
export function writableIncidentProperties(props: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(props))
    if (!READ_ONLY_INCIDENT_PROPERTIES.some((r) => r.toLowerCase() === k.toLowerCase())) out[k] = v;
  if (Array.isArray(out.labels))
    out.labels = out.labels.map((l: any) =>
      l && typeof l === "object" ? Object.fromEntries(Object.entries(l).filter(([k]) => k !== "labelType")) : l,
    );
  return out;
}

export function checkIncidentInput(input: Record<string, any>): void {
  for (const f of ["title", "severity", "status"])
    if (input[f] === undefined || input[f] === null || input[f] === "")
      throw badRequest("BadRequest", `The ${f} field is required.`, `properties.${f}`);
  if (!INCIDENT_SEVERITIES.includes(input.severity))
    throw badRequest("BadRequest", `Invalid severity '${input.severity}'. Allowed: ${INCIDENT_SEVERITIES.join(", ")}.`);
  if (!INCIDENT_STATUSES.includes(input.status))
    throw badRequest("BadRequest", `Invalid status '${input.status}'. Allowed: ${INCIDENT_STATUSES.join(", ")}.`);
  if (
    input.classification !== undefined &&
    input.classification !== null &&
    !CLASSIFICATIONS.includes(input.classification)
  )
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
  // labelType is read-only: a label a client writes is a User label; one the system assigned keeps its type.
  const before = (prev.labels ?? []) as { labelName: string; labelType?: string }[];
  const labels = (input.labels ?? []).map((l: any) => ({
    labelName: l.labelName,
    labelType: before.find((b) => b.labelName === l.labelName)?.labelType ?? "User",
  }));
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
      providerIncidentId: opts.providerIncidentId ?? prev.providerIncidentId ?? String(number),
      providerIncidentUrl: opts.providerIncidentUrl ?? prev.providerIncidentUrl,
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

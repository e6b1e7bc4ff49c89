/**
 * The `azuresentinel` managed connector's operations that the blog's and Sentinel's playbooks use, translated
 * into the Sentinel REST calls the connector makes (paths from https://learn.microsoft.com/connectors/azuresentinel/; REST from https://learn.microsoft.com/rest/api/securityinsights/, stable 2025-09-01):
 * - Create incident:  PUT  /Incidents/subscriptions/{sub}/resourceGroups/{rg}/workspaces/{ws}  {title, description, severity, status, owner?, tagsToAdd?}
 * - Update incident:  PUT  /Incidents          {incidentArmId, …fields to change}
 * - Add comment (V3): POST /Incidents/Comment  {incidentArmId, message}
 * - Get incident:     POST /Incidents          {incidentArmId}   (the blog's get-incident workflow)
 */
import { writableIncidentProperties } from "../../incident-shapes.js";
import { ActionError } from "../errors.js";
import { isObject, stringify } from "../expression/values.js";
import { type RetryPolicy, sendWithRetries } from "../http-call.js";
import type { HostHttpResponse, LogicHost } from "../types.js";

export const SENTINEL_API_VERSION = "2025-09-01";

interface Call {
  host: LogicHost;
  token: string;
  policy: RetryPolicy;
  retryHistory: { startTime: string; endTime: string; code: string }[];
}

async function arm(c: Call, method: string, armPath: string, body?: unknown, etag?: string): Promise<HostHttpResponse> {
  const url = `${c.host.resourceManager.replace(/\/$/, "")}${armPath}?api-version=${SENTINEL_API_VERSION}`;
  const headers: Record<string, string> = { Authorization: `Bearer ${c.token}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (etag) headers["If-Match"] = etag;
  const { res, retryHistory } = await sendWithRetries(
    c.host,
    { method, url, headers, body: body === undefined ? undefined : JSON.stringify(body) },
    c.policy,
  );
  c.retryHistory.push(...retryHistory);
  return res;
}

function incidentId(body: Record<string, unknown>): string {
  const id = body.incidentArmId;
  if (typeof id !== "string" || !/\/providers\/Microsoft\.SecurityInsights\/incidents\/[^/]+$/i.test(id))
    throw new ActionError(
      "BadRequest",
      `The 'incidentArmId' '${stringify(id)}' is not the ARM id of a Microsoft Sentinel incident.`,
    );
  return id;
}

/** Labels as a PUT takes them: `labelType` is read-only (common/IncidentTypes.json), so only the name is sent. */
function labels(tags: unknown): { labelName: string }[] {
  const list = isObject(tags) && Array.isArray(tags.TagsToAdd) ? tags.TagsToAdd : [];
  return list.map((t) => ({ labelName: stringify(isObject(t) ? t.Tag : t) }));
}

/** The connector's classification: "Undetermined" or {ClassificationAndReason: "FalsePositive - InaccurateData", ClassificationReasonText}. */
function classification(v: unknown): Record<string, unknown> {
  const text = isObject(v) ? v.ClassificationAndReason : v;
  if (text === undefined || text === null) return {};
  const [cls, reason] = String(text).split(/\s*-\s*/);
  return {
    classification: cls,
    ...(reason ? { classificationReason: reason } : {}),
    ...(isObject(v) && v.ClassificationReasonText
      ? { classificationComment: stringify(v.ClassificationReasonText) }
      : {}),
  };
}

const FIELDS = ["title", "description", "severity", "status"] as const;

export async function sentinelOperation(
  c: Call,
  method: string,
  path: string,
  body: unknown,
): Promise<HostHttpResponse> {
  const m = method.toLowerCase();
  const segs = path.split("/").filter(Boolean).map(decodeURIComponent);
  const b = isObject(body) ? body : {};
  if (m === "put" && segs.length === 7 && /^incidents$/i.test(segs[0]!) && /^subscriptions$/i.test(segs[1]!)) {
    const [, , sub, , rg, , ws] = segs;
    const props: Record<string, unknown> = {};
    for (const f of FIELDS) if (b[f] !== undefined) props[f] = b[f];
    if (b.owner !== undefined) props.owner = isObject(b.owner) ? b.owner : { objectId: b.owner };
    const l = labels(b.tagsToAdd);
    if (l.length) props.labels = l;
    const armPath = `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.OperationalInsights/workspaces/${ws}/providers/Microsoft.SecurityInsights/incidents/${crypto.randomUUID()}`;
    return arm(c, "PUT", armPath, { properties: props });
  }
  if (m === "put" && segs.length === 1 && /^incidents$/i.test(segs[0]!)) {
    const id = incidentId(b);
    const current = await arm(c, "GET", id);
    if (current.status >= 300) return current;
    const inc = JSON.parse(current.body) as { etag?: string; properties?: Record<string, unknown> };
    const props: Record<string, unknown> = writableIncidentProperties(inc.properties ?? {});
    for (const f of FIELDS) if (b[f] !== undefined && b[f] !== null && b[f] !== "") props[f] = b[f];
    Object.assign(props, classification(b.classification));
    const l = labels(b.tagsToAdd);
    if (l.length) {
      const have = (props.labels as { labelName: string }[] | undefined) ?? [];
      props.labels = [...have, ...l.filter((x) => !have.some((h) => h.labelName === x.labelName))];
    }
    return arm(c, "PUT", id, { etag: inc.etag, properties: props }, inc.etag);
  }
  if (m === "post" && segs.length === 2 && /^incidents$/i.test(segs[0]!) && /^comment$/i.test(segs[1]!)) {
    const id = incidentId(b);
    return arm(c, "PUT", `${id}/comments/${crypto.randomUUID()}`, { properties: { message: stringify(b.message) } });
  }
  if (m === "post" && segs.length === 1 && /^incidents$/i.test(segs[0]!)) return arm(c, "GET", incidentId(b));
  throw new ActionError(
    "OperationNotSupported",
    `The azuresentinel operation '${method.toUpperCase()} ${path}' is not supported by the sandbox runtime (supported: create, update, get incident and add comment).`,
  );
}

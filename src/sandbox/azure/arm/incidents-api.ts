/**
 * Sentinel incidents and comments (specs stable/2025-09-01/Incidents.json): PUT create/update with etag
 * (stale → 412), required title/severity/status, incidentNumber and incidentUrl; list with `$filter` on
 * `properties/createdTimeUtc` / `properties/lastModifiedTimeUtc` (and simple `eq` on other properties),
 * `$orderby`, `$top` (≤ 1000), `nextLink` with `$skipToken`; comments list/get/put/delete; POST …/alerts.
 */
import type { SandboxRequest, SandboxResponse } from "../../common/router.js";
import { AzureError, badRequest, notFound } from "../errors.js";
import { readOnlyIncidentPaths, writableIncidentProperties } from "../incident-shapes.js";
import {
  requireOnboarded,
  SECURITY_INSIGHTS_PREVIEW,
  SECURITY_INSIGHTS_STABLE,
  workspaceOfExtension,
} from "../resources/sentinel.js";
import type { ArmEnv } from "../resources/types.js";
import type { ArmResource } from "../state.js";
import { checkProviderApiVersion } from "./api-version.js";
import { authorize, type Caller } from "./authz.js";

const VERSIONS = [...SECURITY_INSIGHTS_STABLE, ...SECURITY_INSIGHTS_PREVIEW];
const INCIDENTS = "Microsoft.SecurityInsights/incidents";

function prop(r: ArmResource, path: string): unknown {
  return path
    .replace(/^properties\//i, "")
    .split("/")
    .reduce<any>(
      (o, k) => (o == null ? undefined : o[Object.keys(o).find((x) => x.toLowerCase() === k.toLowerCase()) ?? k]),
      r.properties,
    );
}

/** OData subset: `a op b [and …]` with op eq|ne|gt|ge|lt|le, values 'string', datetime, number. */
export function compileFilter(filter: string): (r: ArmResource) => boolean {
  const clauses = filter.replace(/^\s*\(|\)\s*$/g, "").split(/\s+and\s+/i);
  const tests = clauses.map((c) => {
    const m = /^\(?\s*([\w/]+)\s+(eq|ne|gt|ge|lt|le)\s+(.+?)\s*\)?$/i.exec(c.trim());
    if (!m) throw badRequest("BadRequest", `The $filter clause '${c}' is not supported.`);
    const [, path, op, raw] = m as unknown as [string, string, string, string];
    let value: unknown = raw;
    if (/^'.*'$/.test(raw)) value = raw.slice(1, -1).replace(/''/g, "'");
    else if (/^-?\d+(\.\d+)?$/.test(raw)) value = Number(raw);
    else if (/^\d{4}-\d{2}-\d{2}T/.test(raw) || /^datetime'/.test(raw)) value = raw.replace(/^datetime'|'$/g, "");
    const isTime = /TimeUtc$/i.test(path);
    return (r: ArmResource) => {
      let a = prop(r, path) as any;
      let b = value as any;
      if (isTime) {
        a = Date.parse(String(a));
        b = Date.parse(String(b));
      } else if (typeof a === "string" && typeof b === "string") {
        a = a.toLowerCase();
        b = b.toLowerCase();
      }
      switch (op.toLowerCase()) {
        case "eq":
          return a === b;
        case "ne":
          return a !== b;
        case "gt":
          return a > b;
        case "ge":
          return a >= b;
        case "lt":
          return a < b;
        default:
          return a <= b;
      }
    };
  });
  return (r) => tests.every((t) => t(r));
}

function page(req: SandboxRequest, items: ArmResource[], basePath: string, defaultTop = 50): SandboxResponse {
  const filter = req.query.get("$filter");
  let list = filter ? items.filter(compileFilter(filter)) : [...items];
  const orderby = req.query.get("$orderby");
  if (orderby) {
    const [path, dir] = orderby.trim().split(/\s+/) as [string, string | undefined];
    const sign = dir?.toLowerCase() === "desc" ? -1 : 1;
    list.sort((x, y) => {
      const a = prop(x, path) as any;
      const b = prop(y, path) as any;
      return (a < b ? -1 : a > b ? 1 : 0) * sign;
    });
  }
  const topRaw = req.query.get("$top");
  const top = topRaw === null ? defaultTop : Number(topRaw);
  if (!Number.isInteger(top) || top < 1 || top > 1000)
    throw badRequest("BadRequest", `The $top value '${topRaw}' is not valid: it must be an integer from 1 to 1000.`);
  const skip = Number(Buffer.from(req.query.get("$skipToken") ?? "MA", "base64url").toString() || 0);
  list = list.slice(skip);
  const body: Record<string, unknown> = { value: list.slice(0, top) };
  if (list.length > top) {
    const q = new URLSearchParams(req.query);
    q.set("$skipToken", Buffer.from(String(skip + top)).toString("base64url"));
    body.nextLink = `${basePath}?${q}`;
  }
  return { status: 200, body };
}

export function handleIncidents(
  env: ArmEnv,
  req: SandboxRequest,
  caller: Caller,
  m: { wsPath: string; incident?: string; sub?: string; subId?: string },
): SandboxResponse {
  const apiVersion = req.query.get("api-version") ?? "";
  checkProviderApiVersion(INCIDENTS, apiVersion, VERSIONS);
  const ws = workspaceOfExtension(env, m.wsPath);
  requireOnboarded(env, ws);
  const base = `${ws.id}/providers/Microsoft.SecurityInsights/incidents`;
  const collectionUrl = `${env.state.endpoints.resourceManager}${req.path}`;
  const { state } = env;
  if (!m.incident) {
    if (req.method !== "GET") throw new AzureError(405, "MethodNotAllowed", "The method is not allowed.");
    authorize(state, caller, `${INCIDENTS}/read`, base);
    return page(req, state.listIncidents(ws.id), collectionUrl);
  }
  const incidentId = `${base}/${m.incident}`;
  if (!m.sub) {
    switch (req.method) {
      case "GET": {
        authorize(state, caller, `${INCIDENTS}/read`, incidentId);
        const rec = state.getIncident(incidentId);
        if (!rec) throw notFound("NotFound", `Incident '${m.incident}' was not found.`);
        return { status: 200, body: rec.resource };
      }
      case "PUT": {
        authorize(state, caller, `${INCIDENTS}/write`, incidentId);
        const body = req.json() as Record<string, any> | undefined;
        if (!body || typeof body !== "object" || typeof body.properties !== "object")
          throw badRequest("BadRequest", "Invalid data model. [properties: The properties field is required.]");
        const etag = (req.headers["if-match"] as string | undefined) ?? body.etag;
        // Read-only members are ignored, as Resource Manager asks of a backend (see incident-shapes.ts), and recorded.
        const readOnly = readOnlyIncidentPaths(body);
        if (readOnly.length) state.readOnlyIncidentWrites.push({ incidentId, fields: readOnly, at: state.nowIso() });
        const { created, incident } = state.upsertIncident(
          ws.id,
          m.incident,
          writableIncidentProperties(body.properties),
          {
            etag,
            providerName: "Azure Sentinel",
          },
        );
        return { status: created ? 201 : 200, body: incident };
      }
      case "DELETE": {
        authorize(state, caller, `${INCIDENTS}/delete`, incidentId);
        return { status: state.deleteIncident(incidentId) ? 200 : 204 };
      }
    }
    throw new AzureError(405, "MethodNotAllowed", "The method is not allowed.");
  }
  const rec = state.getIncident(incidentId);
  if (m.sub.toLowerCase() === "alerts" && req.method === "POST") {
    authorize(state, caller, `${INCIDENTS}/read`, incidentId);
    if (!rec) throw notFound("NotFound", `Incident '${m.incident}' was not found.`);
    // Incidents_ListAlerts answers SecurityAlert resources: {id, name, type, kind, properties}.
    const value = rec.alerts.map((a, i) => {
      const name = String(a.systemAlertId ?? a.name ?? i);
      return {
        id: `${ws.id}/providers/Microsoft.SecurityInsights/entities/${name}`,
        name,
        type: "Microsoft.SecurityInsights/Entities",
        kind: "SecurityAlert",
        properties: a,
      };
    });
    return { status: 200, body: { value } };
  }
  if (m.sub.toLowerCase() !== "comments") throw notFound("NotFound", `The path '${req.path}' is not supported.`);
  const cAction = `${INCIDENTS}/comments`;
  if (!m.subId) {
    authorize(state, caller, `${cAction}/read`, incidentId);
    if (req.method !== "GET") throw new AzureError(405, "MethodNotAllowed", "The method is not allowed.");
    if (!rec) throw notFound("NotFound", `Incident '${m.incident}' was not found.`);
    return page(req, [...rec.comments.values()], collectionUrl);
  }
  const commentId = `${incidentId}/comments/${m.subId}`;
  switch (req.method) {
    case "GET": {
      authorize(state, caller, `${cAction}/read`, commentId);
      const c = rec?.comments.get(m.subId.toLowerCase());
      if (!c) throw notFound("NotFound", `Comment '${m.subId}' was not found.`);
      return { status: 200, body: c };
    }
    case "PUT": {
      authorize(state, caller, `${cAction}/write`, commentId);
      const body = req.json() as Record<string, any> | undefined;
      const principal = state.principals.get(caller.principalId);
      const { created, comment } = state.upsertComment(incidentId, m.subId, body?.properties?.message, {
        objectId: caller.principalId,
        name: principal?.displayName ?? caller.clientName,
        userPrincipalName: caller.claims?.upn,
        email: caller.claims?.upn,
      });
      return { status: created ? 201 : 200, body: comment };
    }
    case "DELETE": {
      authorize(state, caller, `${cAction}/delete`, commentId);
      const existed = rec?.comments.delete(m.subId.toLowerCase());
      if (rec) rec.resource.properties.additionalData.commentsCount = rec.comments.size;
      return { status: existed ? 200 : 204 };
    }
  }
  throw new AzureError(405, "MethodNotAllowed", "The method is not allowed.");
}

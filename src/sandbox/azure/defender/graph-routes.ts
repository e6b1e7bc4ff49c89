/**
 * Microsoft Graph security incidents (v1.0), the Defender incident queue as an API, and the app-role assignments
 * that let a managed identity use it:
 * - `GET /v1.0/security/incidents` (`$top` ≤ 50 by default page, `$filter` on `status`, `$expand=alerts`),
 *   `GET /v1.0/security/incidents/{id}` → https://learn.microsoft.com/graph/api/security-list-incidents,
 *   …/security-incident-get; application permission SecurityIncident.Read.All (or ReadWrite.All).
 * - `PATCH /v1.0/security/incidents/{id}`: `assignedTo`, `classification`, `determination`, `status`,
 *   `customTags` (https://learn.microsoft.com/graph/api/security-incident-update); SecurityIncident.ReadWrite.All.
 * - `POST /v1.0/security/incidents/{id}/comments` `{ "@odata.type": "microsoft.graph.security.alertComment",
 *   "comment": "…" }` → 200 with the incident's comments (https://learn.microsoft.com/graph/api/security-incident-post-comments).
 * - Users (delegated) need a security directory role (Security Reader to read; Security Operator or Security
 *   Administrator to change: same pages, "Important" note). Application tokens need the app role assigned to
 *   their service principal (app-roles.ts); the sandbox checks the assignment at call time [I: Entra puts roles in
 *   the token when it is issued].
 * Only workspaces onboarded to the Defender portal contribute incidents (world.ts).
 */
import type { Router, SandboxRequest, SandboxResponse } from "../../common/router.js";
import { graphError } from "../graph.js";
import type { AzureState } from "../state.js";
import type { TokenClaims, TokenIssuer } from "../tokens.js";
import {
  APP_ROLE_GRANTERS,
  type AppRoleStore,
  DIRECTORY_ROLE_TEMPLATES,
  GRAPH_APP_ROLES,
  MICROSOFT_GRAPH_APP_ID,
} from "./app-roles.js";
import type { DefenderIncident, DefenderWorld } from "./world.js";

const GRAPH_AUDIENCE = "https://graph.microsoft.com";
const READ_ROLES = [GRAPH_APP_ROLES["SecurityIncident.Read.All"], GRAPH_APP_ROLES["SecurityIncident.ReadWrite.All"]];
const WRITE_ROLES = [GRAPH_APP_ROLES["SecurityIncident.ReadWrite.All"]];
const READ_DIRECTORY_ROLES = ["Security Reader", "Security Operator", "Security Administrator", "Global Administrator"];
const WRITE_DIRECTORY_ROLES = ["Security Operator", "Security Administrator", "Global Administrator"];

const STATUSES = ["active", "resolved", "inProgress", "awaitingAction"];
const CLASSIFICATIONS = ["unknown", "falsePositive", "truePositive", "informationalExpectedActivity"];
// The values of the incident resource (security-incident.md, alertDetermination).
const DETERMINATIONS = [
  "unknown",
  "apt",
  "malware",
  "securityPersonnel",
  "securityTesting",
  "unwantedSoftware",
  "other",
  "multiStagedAttack",
  "compromisedUser",
  "phishing",
  "maliciousUserActivity",
  "clean",
  "insufficientData",
  "confirmedUserActivity",
  "lineOfBusinessApplication",
  "notMalicious",
  "notEnoughDataToValidate",
];
// The update's request-body table (security-incident-update.md).
const WRITABLE = ["assignedTo", "classification", "determination", "status", "customTags"];

export interface DefenderGraphDeps {
  state: AzureState;
  issuer: TokenIssuer;
  world: DefenderWorld;
  appRoles: AppRoleStore;
}

function alertEntity(world: DefenderWorld, i: DefenderIncident, a: DefenderIncident["alerts"][number]) {
  return {
    "@odata.type": "#microsoft.graph.security.alert",
    id: `sn${a.systemAlertId}`,
    providerAlertId: a.systemAlertId,
    incidentId: i.id,
    title: a.alertDisplayName,
    description: a.description,
    severity: a.severity.toLowerCase(),
    status: i.status === "resolved" ? "resolved" : "new",
    serviceSource: "microsoftSentinel",
    detectionSource: "microsoftSentinel",
    productName: "Microsoft Sentinel",
    detectorId: a.analyticRuleId.split("/").pop(),
    createdDateTime: a.timeGenerated,
    incidentWebUrl: world.webUrl(i),
    // Custom details of the alert are carried in additionalData (security-alert resource, "additionalData").
    additionalData: Object.fromEntries(Object.entries(a.customDetails).map(([k, v]) => [k, v])),
  };
}

export function incidentEntity(
  world: DefenderWorld,
  i: DefenderIncident,
  expandAlerts = false,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    "@odata.type": "#microsoft.graph.security.incident",
    id: i.id,
    tenantId: i.tenantId,
    status: i.status,
    incidentWebUrl: world.webUrl(i),
    redirectIncidentId: i.redirectIncidentId,
    displayName: i.displayName,
    description: i.description,
    createdDateTime: i.createdDateTime,
    lastUpdateDateTime: i.lastUpdateDateTime,
    lastModifiedBy: i.lastModifiedBy,
    assignedTo: i.assignedTo,
    classification: i.classification,
    determination: i.determination,
    severity: i.severity,
    customTags: [...i.customTags],
    systemTags: [...i.systemTags],
    resolvingComment: i.resolvingComment,
    comments: i.comments.map((c) => ({ "@odata.type": "microsoft.graph.security.alertComment", ...c })),
  };
  if (expandAlerts) body.alerts = i.alerts.map((a) => alertEntity(world, i, a));
  return body;
}

export function mountDefenderGraph(router: Router, deps: DefenderGraphDeps): void {
  const { state, issuer, world, appRoles } = deps;
  const graphSp = () => state.servicePrincipalByAppId(MICROSOFT_GRAPH_APP_ID);

  const caller = (req: SandboxRequest): TokenClaims | undefined => {
    const check = issuer.verify(req.headers.authorization, [GRAPH_AUDIENCE]);
    return check.ok ? check.claims : undefined;
  };
  const allowed = (req: SandboxRequest, write: boolean): SandboxResponse | TokenClaims => {
    const claims = caller(req);
    if (!claims) return graphError(401, "InvalidAuthenticationToken", "Access token validation failure.", req);
    const ok =
      claims.idtyp === "app"
        ? !!graphSp() && appRoles.holds(claims.oid, graphSp()!.id, write ? WRITE_ROLES : READ_ROLES)
        : appRoles.hasEntraRole(claims.oid, write ? WRITE_DIRECTORY_ROLES : READ_DIRECTORY_ROLES);
    if (ok) return claims;
    const need = write
      ? "SecurityIncident.ReadWrite.All"
      : "SecurityIncident.Read.All or SecurityIncident.ReadWrite.All";
    return graphError(403, "Forbidden", `Missing application roles. API required roles: ${need}.`, req);
  };
  const isResponse = (x: SandboxResponse | TokenClaims): x is SandboxResponse => "status" in x;
  /** The incident, or Graph's 404 (an incident of a workspace not onboarded to Defender is not in the queue). */
  const found = (id: string, req: SandboxRequest): { incident: DefenderIncident } | { error: SandboxResponse } => {
    const incident = world.incidents.get(id);
    return incident && world.isOnboarded(incident.workspaceId)
      ? { incident }
      : { error: graphError(404, "NotFound", `Incident ${id} was not found.`, req) };
  };
  const context = () => `${state.endpoints.graph || GRAPH_AUDIENCE}/v1.0/$metadata#security/incidents`;

  router.on("GET", "/v1.0/security/incidents", (req) => {
    const who = allowed(req, false);
    if (isResponse(who)) return who;
    const filter = req.query.get("$filter");
    let list = [...world.incidents.values()].filter((i) => world.isOnboarded(i.workspaceId));
    if (filter) {
      const m = /^\s*status\s+(eq|ne)\s+'([^']*)'\s*$/i.exec(filter);
      if (!m) return graphError(400, "BadRequest", `Invalid filter clause: ${filter}`, req);
      list = list.filter((i) => (m[1]!.toLowerCase() === "eq") === (i.status === m[2]));
    }
    list.sort((a, b) => b.createdDateTime.localeCompare(a.createdDateTime) || Number(b.id) - Number(a.id));
    const top = Number(req.query.get("$top") ?? 50);
    if (!Number.isInteger(top) || top < 1 || top > 50)
      return graphError(400, "BadRequest", "The $top value must be between 1 and 50.", req);
    const expand = /\balerts\b/.test(req.query.get("$expand") ?? "");
    return {
      status: 200,
      body: { "@odata.context": context(), value: list.slice(0, top).map((i) => incidentEntity(world, i, expand)) },
    };
  });

  router.on("GET", "/v1.0/security/incidents/:id", (req) => {
    const who = allowed(req, false);
    if (isResponse(who)) return who;
    const f = found(req.params.id!, req);
    if ("error" in f) return f.error;
    const expand = /\balerts\b/.test(req.query.get("$expand") ?? "");
    return {
      status: 200,
      body: { "@odata.context": `${context()}/$entity`, ...incidentEntity(world, f.incident, expand) },
    };
  });

  router.on("PATCH", "/v1.0/security/incidents/:id", (req) => {
    const who = allowed(req, true);
    if (isResponse(who)) return who;
    const f = found(req.params.id!, req);
    if ("error" in f) return f.error;
    const { incident } = f;
    const body = (req.json() ?? {}) as Record<string, unknown>;
    for (const k of Object.keys(body))
      if (!WRITABLE.includes(k) && !k.startsWith("@odata"))
        return graphError(400, "BadRequest", `Property '${k}' cannot be updated.`, req);
    if (incident.status === "redirected")
      return graphError(
        400,
        "BadRequest",
        `Incident ${incident.id} was merged into incident ${incident.redirectIncidentId}; update that one.`,
        req,
      );
    const bad = (k: string, allowedValues: string[]) =>
      body[k] !== undefined && !allowedValues.includes(String(body[k]))
        ? graphError(400, "BadRequest", `Invalid value '${String(body[k])}' for '${k}'.`, req)
        : undefined;
    const invalid =
      bad("status", STATUSES) ?? bad("classification", CLASSIFICATIONS) ?? bad("determination", DETERMINATIONS);
    if (invalid) return invalid;
    if (
      body.customTags !== undefined &&
      !(Array.isArray(body.customTags) && body.customTags.every((t) => typeof t === "string"))
    )
      return graphError(400, "BadRequest", "customTags must be a collection of strings.", req);
    if (typeof body.status === "string") incident.status = body.status as DefenderIncident["status"];
    if (typeof body.classification === "string") incident.classification = body.classification;
    if (typeof body.determination === "string") incident.determination = body.determination;
    if (Array.isArray(body.customTags)) incident.customTags = [...(body.customTags as string[])];
    if (body.assignedTo !== undefined) incident.assignedTo = body.assignedTo === null ? null : String(body.assignedTo);
    world.touch(incident, displayNameOf(state, who));
    world.changed(incident);
    return { status: 200, body: { "@odata.context": `${context()}/$entity`, ...incidentEntity(world, incident) } };
  });

  router.on("POST", "/v1.0/security/incidents/:id/comments", (req) => {
    const who = allowed(req, true);
    if (isResponse(who)) return who;
    const f = found(req.params.id!, req);
    if ("error" in f) return f.error;
    const { incident } = f;
    const body = (req.json() ?? {}) as Record<string, unknown>;
    if (typeof body.comment !== "string" || body.comment === "")
      return graphError(400, "BadRequest", "The comment property is required.", req);
    incident.comments.push({
      comment: body.comment,
      createdByDisplayName: displayNameOf(state, who),
      createdDateTime: state.clock.date().toISOString(),
    });
    world.touch(incident, displayNameOf(state, who));
    world.changed(incident);
    return {
      status: 200,
      body: {
        "@odata.context": `${state.endpoints.graph || GRAPH_AUDIENCE}/v1.0/$metadata#Collection(microsoft.graph.security.alertComment)`,
        value: incident.comments.map((c) => ({ "@odata.type": "microsoft.graph.security.alertComment", ...c })),
      },
    };
  });

  // App-role assignments of a resource service principal (Microsoft Graph's, for our purpose).
  router.on("GET", "/v1.0/servicePrincipals/:id/appRoleAssignedTo", (req) => {
    if (!caller(req)) return graphError(401, "InvalidAuthenticationToken", "Access token validation failure.", req);
    const sp = state.principals.get(req.params.id!);
    if (!sp) return graphError(404, "Request_ResourceNotFound", `Resource '${req.params.id}' does not exist.`, req);
    return { status: 200, body: { value: appRoles.of(sp.id).filter((a) => state.principals.has(a.principalId)) } };
  });

  // The signed-in user's directory roles (https://learn.microsoft.com/graph/api/user-list-memberof, with the
  // microsoft.graph.directoryRole cast); an application token has no "me": 400 as Graph answers it.
  router.on("GET", "/v1.0/me/memberOf/microsoft.graph.directoryRole", (req) => {
    const claims = caller(req);
    if (!claims) return graphError(401, "InvalidAuthenticationToken", "Access token validation failure.", req);
    if (claims.idtyp !== "user")
      return graphError(400, "BadRequest", "/me request is only valid with delegated authentication flow.", req);
    const roles = [...(appRoles.entraRoles.get(claims.oid) ?? [])];
    return {
      status: 200,
      body: {
        value: roles.map((displayName) => ({
          "@odata.type": "#microsoft.graph.directoryRole",
          id: DIRECTORY_ROLE_TEMPLATES[displayName] ?? displayName,
          displayName,
          roleTemplateId: DIRECTORY_ROLE_TEMPLATES[displayName] ?? null,
        })),
      },
    };
  });

  // App-role assignments granted to a principal (https://learn.microsoft.com/graph/api/serviceprincipal-list-approleassignments).
  router.on("GET", "/v1.0/servicePrincipals/:id/appRoleAssignments", (req) => {
    if (!caller(req)) return graphError(401, "InvalidAuthenticationToken", "Access token validation failure.", req);
    const sp = state.principals.get(req.params.id!);
    if (!sp) return graphError(404, "Request_ResourceNotFound", `Resource '${req.params.id}' does not exist.`, req);
    return { status: 200, body: { value: [...appRoles.assignments.values()].filter((a) => a.principalId === sp.id) } };
  });

  router.on("POST", "/v1.0/servicePrincipals/:id/appRoleAssignedTo", (req) => {
    const claims = caller(req);
    if (!claims) return graphError(401, "InvalidAuthenticationToken", "Access token validation failure.", req);
    if (!appRoles.hasEntraRole(claims.oid, APP_ROLE_GRANTERS))
      return graphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.", req);
    const resource = state.principals.get(req.params.id!);
    if (!resource)
      return graphError(404, "Request_ResourceNotFound", `Resource '${req.params.id}' does not exist.`, req);
    const body = (req.json() ?? {}) as Record<string, unknown>;
    const principal = typeof body.principalId === "string" ? state.principals.get(body.principalId) : undefined;
    if (!principal) return graphError(400, "Request_BadRequest", "Invalid or missing principalId.", req);
    if (body.resourceId !== resource.id)
      return graphError(400, "Request_BadRequest", "resourceId must be the service principal in the request URL.", req);
    const roleIds = resource.appId === MICROSOFT_GRAPH_APP_ID ? Object.values(GRAPH_APP_ROLES) : [];
    if (typeof body.appRoleId !== "string" || !(roleIds as string[]).includes(body.appRoleId))
      return graphError(400, "Request_BadRequest", "Permission being assigned was not found on application.", req);
    try {
      const a = appRoles.add({
        principalId: principal.id,
        principalDisplayName: principal.displayName,
        principalType: principal.type,
        resourceId: resource.id,
        resourceDisplayName: resource.displayName,
        appRoleId: body.appRoleId,
        createdDateTime: state.clock.date().toISOString(),
      });
      return { status: 201, body: a };
    } catch (e) {
      if ((e as { conflict?: boolean }).conflict)
        return graphError(400, "Request_BadRequest", "Permission being assigned already exists on the object", req);
      throw e;
    }
  });

  router.on("DELETE", "/v1.0/servicePrincipals/:id/appRoleAssignedTo/:assignment", (req) => {
    const claims = caller(req);
    if (!claims) return graphError(401, "InvalidAuthenticationToken", "Access token validation failure.", req);
    if (!appRoles.hasEntraRole(claims.oid, APP_ROLE_GRANTERS))
      return graphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.", req);
    const a = appRoles.assignments.get(req.params.assignment!);
    if (!a || a.resourceId !== req.params.id)
      return graphError(404, "Request_ResourceNotFound", `Resource '${req.params.assignment}' does not exist.`, req);
    appRoles.assignments.delete(a.id);
    return { status: 204 };
  });
}

function displayNameOf(state: AzureState, claims: TokenClaims): string {
  return state.principals.get(claims.oid)?.displayName ?? claims.oid;
}

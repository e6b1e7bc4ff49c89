/**
 * The Azure sandbox's in-memory state, shared by the control plane (Resource Manager), the Logic Apps
 * runtime (`./logic`) and the data plane (`./data`). Resources are stored exactly as Azure returns them
 * from a GET, keyed by the lower-cased ARM id (ARM ids are case-insensitive). Time comes from the sandbox
 * clock only.
 */
import { randomUUID } from "node:crypto";
import type { SandboxClock } from "../common/clock.js";
import { ApplicationStore } from "./applications.js";
import { AzureError, notFound } from "./errors.js";
import {
  checkCommentMessage,
  checkIncidentInput,
  type IncidentWriteOptions,
  incidentResource,
} from "./incident-shapes.js";
import { buildResourceId, idKey, parentId, parseId, scopeContains } from "./ids.js";
import { findRole, roleGrants, roleGuidOf } from "./roles.js";

/** A resource as Azure returns it from GET. */
export interface ArmResource {
  id: string;
  name: string;
  type: string;
  location?: string;
  kind?: string;
  tags?: Record<string, string>;
  etag?: string;
  sku?: unknown;
  identity?: { type: string; principalId?: string; tenantId?: string; userAssignedIdentities?: unknown };
  properties: Record<string, any>;
  [extra: string]: unknown;
}

export interface StoredResource {
  resource: ArmResource;
  /** api-version of the last write. */
  apiVersion: string;
  createdAt: number;
  updatedAt: number;
  /** Sandbox-only values never returned by GET (e.g. a workflow's access keys). */
  secrets: Record<string, string>;
}

export interface Principal {
  id: string;
  type: "User" | "ServicePrincipal";
  displayName: string;
  /** For a system-assigned managed identity: the resource it belongs to. */
  managedIdentityOf?: string;
  /** For an app registration's service principal: the application (client) id. */
  appId?: string;
}

/** An app registration with its service principal in the sandbox tenant (what Microsoft Graph serves). */
export interface AppRegistration {
  appId: string;
  displayName: string;
  /** The service principal's object id (what role assignments name); random when not given. */
  objectId?: string;
  /** A client secret the app may sign in with (kept apart from the principal, never served). */
  clientSecret?: string;
}

export interface RoleAssignment {
  /** Full ARM id: `<scope>/providers/Microsoft.Authorization/roleAssignments/<name>`. */
  id: string;
  name: string;
  scope: string;
  roleDefinitionId: string;
  principalId: string;
  principalType?: string;
  createdAt: number;
  /** Sandbox time from which the assignment is honoured (creation + propagation delay). */
  effectiveAt: number;
}

export interface IncidentRecord {
  workspaceId: string;
  resource: ArmResource;
  comments: Map<string, ArmResource>;
  /** Alerts (as SecurityAlert-shaped objects) grouped into the incident by the analytics engine. */
  alerts: Record<string, unknown>[];
}

export interface SandboxEndpoints {
  resourceManager: string;
  logAnalytics: string;
  logsIngestion: string;
  portal: string;
  logicApps: string;
  /** The sandbox login endpoint (the fake az's token source). */
  login: string;
  /** Microsoft Graph (service principals of app registrations). */
  graph: string;
}

export type StateEvent =
  | { kind: "resource-put"; id: string; resource: ArmResource }
  | { kind: "resource-deleted"; id: string; type: string }
  | { kind: "incident-put"; id: string; incident: ArmResource };

export type { IncidentWriteOptions } from "./incident-shapes.js";

export class AzureState {
  readonly resources = new Map<string, StoredResource>();
  readonly principals = new Map<string, Principal>();
  readonly roleAssignments: RoleAssignment[] = [];
  readonly incidents = new Map<string, IncidentRecord>();
  /** App registrations made through Microsoft Graph (applications.ts). */
  readonly applications = new ApplicationStore();
  /** Incident PUTs through the REST API that carried read-only members (ignored by the service, kept here for tests). */
  readonly readOnlyIncidentWrites: { incidentId: string; fields: string[]; at: string }[] = [];
  endpoints: SandboxEndpoints = {
    resourceManager: "",
    logAnalytics: "",
    logsIngestion: "",
    portal: "",
    logicApps: "",
    login: "",
    graph: "",
  };
  private incidentCounters = new Map<string, number>();
  private readonly appSecrets = new Map<string, string>();
  private listeners = new Set<(e: StateEvent) => void>();

  constructor(
    readonly tenantId: string,
    readonly subscriptionId: string,
    readonly clock: SandboxClock,
    public roleAssignmentDelayMs = 0,
  ) {}

  nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  newEtag(): string {
    return `"${randomUUID()}"`;
  }

  on(listener: (e: StateEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: StateEvent): void {
    for (const l of this.listeners) l(e);
  }

  // ---------- resources ----------

  get(id: string): StoredResource | undefined {
    return this.resources.get(idKey(id));
  }

  getResource(id: string): ArmResource | undefined {
    return this.get(id)?.resource;
  }

  /** Insert or replace a resource (its `id` decides the key). Returns the stored record. */
  put(resource: ArmResource, apiVersion: string, secrets?: Record<string, string>): StoredResource {
    const key = idKey(resource.id);
    const now = this.clock.now();
    const old = this.resources.get(key);
    const rec: StoredResource = {
      resource,
      apiVersion,
      createdAt: old?.createdAt ?? now,
      updatedAt: now,
      secrets: secrets ?? old?.secrets ?? {},
    };
    this.resources.set(key, rec);
    this.emit({ kind: "resource-put", id: resource.id, resource });
    return rec;
  }

  /** Delete a resource and everything under it (children and extension resources). */
  delete(id: string): boolean {
    const key = idKey(id);
    const existed = this.resources.get(key);
    if (!existed) return false;
    for (const k of [...this.resources.keys()]) if (k === key || k.startsWith(`${key}/`)) this.resources.delete(k);
    for (const k of [...this.incidents.keys()]) if (k.startsWith(`${key}/`)) this.incidents.delete(k);
    for (let i = this.roleAssignments.length - 1; i >= 0; i--)
      if (scopeContains(key, this.roleAssignments[i]!.scope)) this.roleAssignments.splice(i, 1);
    for (const p of [...this.principals.values()])
      if (p.managedIdentityOf && scopeContains(key, p.managedIdentityOf)) this.principals.delete(p.id);
    this.emit({ kind: "resource-deleted", id: existed.resource.id, type: existed.resource.type });
    return true;
  }

  /** Resources of a type (case-insensitive), optionally under a scope. */
  list(type?: string, under?: string): ArmResource[] {
    const out: ArmResource[] = [];
    for (const rec of this.resources.values()) {
      if (type && rec.resource.type.toLowerCase() !== type.toLowerCase()) continue;
      if (under && !scopeContains(under, rec.resource.id)) continue;
      out.push(rec.resource);
    }
    return out;
  }

  resourceGroupId(name: string): string {
    return `/subscriptions/${this.subscriptionId}/resourceGroups/${name}`;
  }

  resourceGroup(name: string): ArmResource | undefined {
    return this.getResource(this.resourceGroupId(name));
  }

  // ---------- Log Analytics / DCR helpers ----------

  workspaceId(resourceGroup: string, name: string): string {
    return buildResourceId(this.resourceGroupId(resourceGroup), "Microsoft.OperationalInsights/workspaces", [name]);
  }

  findWorkspaceByCustomerId(customerId: string): ArmResource | undefined {
    const c = customerId.toLowerCase();
    return this.list("Microsoft.OperationalInsights/workspaces").find(
      (w) => String(w.properties.customerId ?? "").toLowerCase() === c,
    );
  }

  findDcrByImmutableId(immutableId: string): ArmResource | undefined {
    return this.list("Microsoft.Insights/dataCollectionRules").find((d) => d.properties.immutableId === immutableId);
  }

  /** The workspace a workspace-scoped resource (table, alert rule, incident) belongs to. */
  workspaceOf(id: string): ArmResource | undefined {
    const m = /^(.*?\/providers\/microsoft\.operationalinsights\/workspaces\/[^/]+)/i.exec(id);
    return m ? this.getResource(m[1]!) : undefined;
  }

  getTable(workspaceId: string, tableName: string): ArmResource | undefined {
    return this.getResource(`${workspaceId}/tables/${tableName}`);
  }

  listTables(workspaceId: string): ArmResource[] {
    return this.list("Microsoft.OperationalInsights/workspaces/tables", workspaceId);
  }

  listAlertRules(workspaceId?: string): ArmResource[] {
    return this.list("Microsoft.SecurityInsights/alertRules", workspaceId);
  }

  isSentinelOnboarded(workspaceId: string): boolean {
    return !!this.getResource(`${workspaceId}/providers/Microsoft.SecurityInsights/onboardingStates/default`);
  }

  // ---------- principals and roles ----------

  addPrincipal(p: Principal): Principal {
    this.principals.set(p.id, p);
    return p;
  }

  /** Register an app registration and its service principal (usable in role assignments as ServicePrincipal). */
  addServicePrincipal(app: AppRegistration): Principal {
    if (this.servicePrincipalByAppId(app.appId))
      throw new Error(`An app registration with appId '${app.appId}' is already in the sandbox tenant.`);
    const p = this.addPrincipal({
      id: app.objectId ?? randomUUID(),
      type: "ServicePrincipal",
      displayName: app.displayName,
      appId: app.appId,
    });
    if (app.clientSecret) this.appSecrets.set(app.appId.toLowerCase(), app.clientSecret);
    return p;
  }

  /** The service principal of an app registration (appId compared case-insensitively, as Entra ID does). */
  servicePrincipalByAppId(appId: string): Principal | undefined {
    const key = appId.toLowerCase();
    for (const p of this.principals.values()) if (p.appId?.toLowerCase() === key) return p;
    return undefined;
  }

  /** Whether `secret` is the client secret of the app registration `appId`. */
  isClientSecretOf(appId: string, secret: string): boolean {
    const known = this.appSecrets.get(appId.toLowerCase());
    return known !== undefined && known === secret;
  }

  /** Create a role assignment; honoured after the propagation delay. Throws 409 RoleAssignmentExists. */
  addRoleAssignment(a: {
    scope: string;
    name: string;
    roleDefinitionId: string;
    principalId: string;
    principalType?: string;
    immediate?: boolean;
  }): RoleAssignment {
    const id = `${a.scope.replace(/\/+$/, "")}/providers/Microsoft.Authorization/roleAssignments/${a.name}`;
    const guid = roleGuidOf(a.roleDefinitionId);
    // Azure refuses a second assignment of the same principal + role + scope under another name:
    // "RoleAssignmentExists: The role assignment already exists."
    // https://learn.microsoft.com/azure/role-based-access-control/troubleshooting#symptom---role-assignment-already-exists
    const dup = this.roleAssignments.find(
      (r) =>
        r.principalId === a.principalId &&
        roleGuidOf(r.roleDefinitionId) === guid &&
        idKey(r.scope) === idKey(a.scope) &&
        r.name.toLowerCase() !== a.name.toLowerCase(),
    );
    if (dup) {
      const e = new AzureError(409, "RoleAssignmentExists", "The role assignment already exists.");
      throw e;
    }
    const now = this.clock.now();
    const existing = this.roleAssignments.findIndex((r) => idKey(r.id) === idKey(id));
    const ra: RoleAssignment = {
      id,
      name: a.name,
      scope: a.scope,
      roleDefinitionId: a.roleDefinitionId,
      principalId: a.principalId,
      principalType: a.principalType,
      createdAt: existing >= 0 ? this.roleAssignments[existing]!.createdAt : now,
      effectiveAt:
        existing >= 0
          ? this.roleAssignments[existing]!.effectiveAt
          : this.clock.due(a.immediate ? 0 : this.roleAssignmentDelayMs),
    };
    if (existing >= 0) this.roleAssignments[existing] = ra;
    else this.roleAssignments.push(ra);
    return ra;
  }

  removeRoleAssignment(id: string): boolean {
    const i = this.roleAssignments.findIndex((r) => idKey(r.id) === idKey(id));
    if (i < 0) return false;
    this.roleAssignments.splice(i, 1);
    return true;
  }

  /** Assignments honoured now (past their propagation delay) for a principal at or above `scopeId`. */
  effectiveAssignments(principalId: string, scopeId: string): RoleAssignment[] {
    const now = this.clock.now();
    return this.roleAssignments.filter(
      (r) => r.principalId === principalId && r.effectiveAt <= now && scopeContains(r.scope, scopeId),
    );
  }

  /** Does the principal hold this role (GUID, name or full id) at `scopeId` or a parent scope, effective now? */
  hasRole(principalId: string, roleDefinitionGuid: string, scopeId: string): boolean {
    const guid = findRole(roleDefinitionGuid)?.guid ?? roleGuidOf(roleDefinitionGuid);
    return this.effectiveAssignments(principalId, scopeId).some((r) => roleGuidOf(r.roleDefinitionId) === guid);
  }

  /** Is `action` (e.g. `Microsoft.SecurityInsights/incidents/write`) permitted at `scopeId`? `data` for dataActions. */
  canPerform(principalId: string, action: string, scopeId: string, data = false): boolean {
    return this.effectiveAssignments(principalId, scopeId).some((r) => {
      const def = findRole(r.roleDefinitionId);
      return def ? roleGrants(def, action, data) : false;
    });
  }

  // ---------- Sentinel incidents ----------

  incidentId(workspaceId: string, name: string): string {
    return `${workspaceId}/providers/Microsoft.SecurityInsights/incidents/${name}`;
  }

  getIncident(id: string): IncidentRecord | undefined {
    return this.incidents.get(idKey(id));
  }

  listIncidents(workspaceId: string): ArmResource[] {
    return [...this.incidents.values()]
      .filter((r) => idKey(r.workspaceId) === idKey(workspaceId))
      .map((r) => r.resource);
  }

  /**
   * Create or replace an incident (Sentinel `Incidents_CreateOrUpdate`, stable 2025-09-01): title, severity and
   * status are required; a stale etag gets 412. Returns whether it was created (201) or updated (200).
   */
  upsertIncident(
    workspaceId: string,
    name: string,
    input: Record<string, any>,
    opts: IncidentWriteOptions = {},
  ): { created: boolean; incident: ArmResource } {
    const ws = this.getResource(workspaceId);
    if (!ws) throw notFound("ResourceNotFound", `The workspace '${workspaceId}' was not found.`);
    const id = this.incidentId(ws.id, name);
    const existing = this.incidents.get(idKey(id));
    if (existing && opts.etag && opts.etag !== "*" && opts.etag !== existing.resource.etag)
      throw new AzureError(
        412,
        "PreconditionFailed",
        "The etag in the request does not match the current etag of the incident. Read the incident again and retry.",
      );
    checkIncidentInput(input);
    const now = this.nowIso();
    let number = existing?.resource.properties.incidentNumber as number | undefined;
    if (number === undefined) {
      number = (this.incidentCounters.get(idKey(ws.id)) ?? 0) + 1;
      this.incidentCounters.set(idKey(ws.id), number);
    }
    const alerts = opts.replaceAlerts ? [] : (existing?.alerts ?? []);
    if (opts.alerts) alerts.push(...opts.alerts);
    const comments = existing?.comments ?? new Map<string, ArmResource>();
    const resource = incidentResource({
      id,
      name,
      etag: this.newEtag(),
      input,
      prev: existing?.resource.properties ?? {},
      now,
      number,
      portal: this.endpoints.portal,
      alerts,
      commentsCount: comments.size,
      opts,
    });
    this.incidents.set(idKey(id), { workspaceId: ws.id, resource, comments, alerts });
    this.emit({ kind: "incident-put", id, incident: resource });
    return { created: !existing, incident: resource };
  }

  deleteIncident(id: string): boolean {
    return this.incidents.delete(idKey(id));
  }

  /** Add or replace a comment (`IncidentComments_CreateOrUpdate`): `message` required. */
  upsertComment(
    incidentId: string,
    name: string,
    message: unknown,
    author: { objectId?: string; name?: string; email?: string; userPrincipalName?: string } = {},
  ): { created: boolean; comment: ArmResource } {
    const rec = this.getIncident(incidentId);
    if (!rec) throw notFound("NotFound", `Incident '${incidentId.split("/").pop()}' was not found.`);
    checkCommentMessage(message);
    const key = name.toLowerCase();
    const old = rec.comments.get(key);
    const now = this.nowIso();
    const comment: ArmResource = {
      id: `${rec.resource.id}/comments/${name}`,
      name,
      type: "Microsoft.SecurityInsights/Incidents/Comments",
      etag: this.newEtag(),
      properties: {
        message,
        createdTimeUtc: old?.properties.createdTimeUtc ?? now,
        lastModifiedTimeUtc: now,
        author: {
          objectId: author.objectId ?? null,
          email: author.email ?? null,
          name: author.name ?? null,
          userPrincipalName: author.userPrincipalName ?? null,
        },
      },
    };
    rec.comments.set(key, comment);
    rec.resource.properties.additionalData.commentsCount = rec.comments.size;
    return { created: !old, comment };
  }

  /** Helper for callers that hold a child id: the parent id of a nested resource. */
  parentOf(id: string): string | undefined {
    return parentId(id);
  }

  /** Helper: parse an ARM id. */
  parse(id: string) {
    return parseId(id);
  }
}

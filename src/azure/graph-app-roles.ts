/**
 * The narrow Microsoft Graph client for application roles (v1.0): Microsoft Graph's own service principal, the
 * app-role assignments a principal holds, the sign-in's directory roles, and granting or revoking one assignment.
 * - GET /servicePrincipals(appId='…'): https://learn.microsoft.com/graph/api/serviceprincipal-get
 * - GET /servicePrincipals/{id}/appRoleAssignments: https://learn.microsoft.com/graph/api/serviceprincipal-list-approleassignments
 * - GET /me/memberOf/microsoft.graph.directoryRole: https://learn.microsoft.com/graph/api/user-list-memberof
 * - POST/DELETE /servicePrincipals/{resource}/appRoleAssignedTo: https://learn.microsoft.com/graph/api/serviceprincipal-post-approleassignedto
 */
import type { AzureClients } from "./client.js";
import { PreconditionError } from "../errors.js";

export const MICROSOFT_GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

export interface AppRoleAssignment {
  id: string;
  principalId: string;
  resourceId: string;
  appRoleId: string;
}

export interface DirectoryRole {
  roleTemplateId?: string;
  displayName?: string;
}

export interface GraphAppRolesApi {
  /** `https://graph…/v1.0`, for messages that tell a person which call to make. */
  readonly base: string;
  graphServicePrincipalId(): Promise<string>;
  /** The app-role assignments `principalId` holds; none when the principal is gone. */
  assignmentsOf(principalId: string): Promise<AppRoleAssignment[]>;
  /** The sign-in's active directory roles; undefined when Graph will not say (a service principal, no permission). */
  myDirectoryRoles(): Promise<DirectoryRole[] | undefined>;
  /** Grant an app role of `resourceId` to `principalId`. Not retried: a repeat would be a second grant. */
  grant(resourceId: string, principalId: string, appRoleId: string, what: string): Promise<void>;
  /** Remove one assignment (already gone is fine). */
  revoke(resourceId: string, assignmentId: string, what: string): Promise<void>;
}

export function graphAppRoles(az: AzureClients): GraphAppRolesApi {
  if (!az.graph || !az.cloud.graph)
    throw new PreconditionError("Defender mode needs Microsoft Graph, and no Graph endpoint is set", {
      code: "DEFENDER_GRAPH_MISSING",
      suggestion: "Set azure.endpoints.graph (--azure-graph-url).",
    });
  const http = az.graph;
  const base = `${az.cloud.graph}/v1.0`;
  return {
    base,
    async graphServicePrincipalId() {
      const res = await http.request<{ id: string }>(
        "GET",
        `${base}/servicePrincipals(appId='${MICROSOFT_GRAPH_APP_ID}')`,
        {
          query: { $select: "id" },
          what: "reading Microsoft Graph's service principal",
        },
      );
      return res.body.id;
    },
    async assignmentsOf(principalId) {
      const res = await http.request<{ value?: AppRoleAssignment[] }>(
        "GET",
        `${base}/servicePrincipals/${principalId}/appRoleAssignments`,
        { accept: [404], what: "listing the Graph app roles of a workflow identity" },
      );
      return res.status === 404 ? [] : (res.body.value ?? []);
    },
    async myDirectoryRoles() {
      const res = await http.request<{ value?: DirectoryRole[] }>(
        "GET",
        `${base}/me/memberOf/microsoft.graph.directoryRole`,
        { accept: [400, 403], what: "reading the sign-in's directory roles" },
      );
      return res.status >= 400 ? undefined : (res.body.value ?? []);
    },
    async grant(resourceId, principalId, appRoleId, what) {
      await http.request("POST", `${base}/servicePrincipals/${resourceId}/appRoleAssignedTo`, {
        body: { principalId, resourceId, appRoleId },
        accept: [400],
        what,
        noRetry: true,
      });
    },
    async revoke(resourceId, assignmentId, what) {
      await http.request("DELETE", `${base}/servicePrincipals/${resourceId}/appRoleAssignedTo/${assignmentId}`, {
        accept: [404],
        what,
        noRetry: true,
      });
    },
  };
}

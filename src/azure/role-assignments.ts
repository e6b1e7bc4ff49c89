/**
 * Role assignments for the way back (src/steps/way-back/azure-roles.ts states the interface): ARM
 * `Microsoft.Authorization/roleAssignments` 2022-04-01 and, to find an app registration's service principal,
 * Microsoft Graph `GET /v1.0/servicePrincipals(appId='{appId}')` (learn.microsoft.com/graph/api/serviceprincipal-get).
 */
import { RemoteError, SentinelElasticError } from "../errors.js";
import { apiVersions, type ArmApi } from "./arm.js";
import type { HttpClient } from "./pipeline.js";

export interface ServicePrincipal {
  id: string;
  appId: string;
  displayName?: string;
}

export interface RoleAssignmentInfo {
  id: string;
  name: string;
  scope: string;
  roleDefinitionId: string;
  principalId: string;
  description?: string;
}

export interface RoleAssignmentsApi {
  findServicePrincipalByAppId(appId: string): Promise<ServicePrincipal | undefined>;
  listRoleAssignments(scope: string, principalId: string): Promise<RoleAssignmentInfo[]>;
  getRoleAssignment(id: string): Promise<RoleAssignmentInfo | undefined>;
  createRoleAssignment(a: {
    scope: string;
    name: string;
    roleDefinitionId: string;
    principalId: string;
    principalType: "ServicePrincipal";
    description: string;
  }): Promise<RoleAssignmentInfo>;
  deleteRoleAssignment(id: string): Promise<void>;
  canWriteRoleAssignments(scope: string): Promise<boolean>;
}

interface ArmRoleAssignment {
  id: string;
  name: string;
  properties: { scope: string; roleDefinitionId: string; principalId: string; description?: string };
}

const toInfo = (a: ArmRoleAssignment): RoleAssignmentInfo => ({
  id: a.id,
  name: a.name,
  scope: a.properties.scope,
  roleDefinitionId: a.properties.roleDefinitionId,
  principalId: a.properties.principalId,
  description: a.properties.description,
});

const allows = (perms: { actions: string[]; notActions: string[] }[], action: string) => {
  const match = (p: string) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\/]/g, "\\$&").replace(/\*/g, ".*")}$`, "i").test(action);
  return perms.some((p) => p.actions.some(match) && !p.notActions.some(match));
};

export function createRoleAssignmentsApi(
  arm: ArmApi,
  armHttp: HttpClient,
  graphHttp: HttpClient | undefined,
  graphEndpoint: string | undefined,
): RoleAssignmentsApi {
  const q = { "api-version": apiVersions.authorization };
  return {
    async findServicePrincipalByAppId(appId) {
      if (!graphHttp || !graphEndpoint) {
        throw new SentinelElasticError("Microsoft Graph is not reachable from this environment (Resource Manager is overridden)", {
          code: "AZURE_GRAPH_UNAVAILABLE",
          suggestion: "Give the service principal's object id directly, or run against a standard Azure cloud.",
        });
      }
      const res = await graphHttp.request<ServicePrincipal>(
        "GET",
        `${graphEndpoint}/v1.0/servicePrincipals(appId='${encodeURIComponent(appId)}')`,
        { query: { $select: "id,appId,displayName" }, accept: [404], what: `finding the service principal of app ${appId}` },
      );
      return res.status === 404 ? undefined : res.body;
    },
    async listRoleAssignments(scope, principalId) {
      return (await arm.roleAssignments(scope, principalId)).map((a) => toInfo(a as ArmRoleAssignment));
    },
    async getRoleAssignment(id) {
      const res = await armHttp.request<ArmRoleAssignment>("GET", `${arm.baseUrl}${id}`, {
        query: q,
        accept: [404],
        what: "reading a role assignment",
      });
      return res.status === 404 ? undefined : toInfo(res.body);
    },
    async createRoleAssignment(a) {
      const res = await armHttp.request<ArmRoleAssignment>(
        "PUT",
        `${arm.baseUrl}${a.scope}/providers/Microsoft.Authorization/roleAssignments/${a.name}`,
        {
          query: q,
          body: {
            properties: {
              roleDefinitionId: a.roleDefinitionId,
              principalId: a.principalId,
              principalType: a.principalType,
              description: a.description,
            },
          },
          what: `assigning a role on ${a.scope}`,
        },
      );
      if (!res.body?.id) {
        throw new RemoteError("the role assignment was accepted but not returned", { code: "AZURE_BAD_RESPONSE", remote: "azure" });
      }
      return toInfo(res.body);
    },
    async deleteRoleAssignment(id) {
      await armHttp.request("DELETE", `${arm.baseUrl}${id}`, { query: q, accept: [204, 404], what: "removing a role assignment" });
    },
    async canWriteRoleAssignments(scope) {
      const perms = await arm.permissions(scope);
      return perms === undefined ? true : allows(perms, "Microsoft.Authorization/roleAssignments/write");
    },
  };
}

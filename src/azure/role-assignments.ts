/**
 * Role assignments and service-principal lookup: the Azure calls the way back needs (src/steps/way-back), as a
 * narrow interface this client implements and tests fake in memory.
 * - The app registration's service principal: Microsoft Graph `GET /v1.0/servicePrincipals(appId='{clientId}')`
 *   → `{id, appId, displayName, servicePrincipalType}`, 404 `Request_ResourceNotFound` when the app has none in
 *   this tenant (learn.microsoft.com/graph/api/serviceprincipal-get, "alternate key appId"). Token audience: the
 *   cloud's Graph (https://graph.microsoft.com), whichever endpoint answers.
 * - Role assignments (ARM `Microsoft.Authorization/roleAssignments`, api-version 2022-04-01):
 *   `GET {scope}/providers/Microsoft.Authorization/roleAssignments?$filter=principalId eq '{id}'` lists those at,
 *   above and below the scope; `PUT {scope}/providers/Microsoft.Authorization/roleAssignments/{name}` with
 *   `{properties: {roleDefinitionId, principalId, principalType, description}}`; `DELETE` the same URL.
 *   Role assignments take no tags, so ours say who made them in `description`.
 */
import { InputError, RemoteError } from "../errors.js";
import { apiVersions, type ArmApi } from "./arm.js";
import type { HttpClient } from "./pipeline.js";

export interface ServicePrincipal {
  /** Object id: what role assignments name as principalId. */
  id: string;
  appId: string;
  displayName?: string;
  /** `Application` for an app registration's, `ManagedIdentity`, … */
  servicePrincipalType?: string;
}

export interface RoleAssignmentInfo {
  id: string;
  name: string;
  scope: string;
  /** Full id `/subscriptions/…/providers/Microsoft.Authorization/roleDefinitions/<guid>`. */
  roleDefinitionId: string;
  principalId: string;
  description?: string;
}

export interface RoleAssignmentsApi {
  findServicePrincipalByAppId(appId: string): Promise<ServicePrincipal | undefined>;
  /** Assignments made at `scope` for `principalId`, or every assignment made at `scope` without it. */
  listRoleAssignments(scope: string, principalId?: string): Promise<RoleAssignmentInfo[]>;
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
  /**
   * Whether the caller may write role assignments at `scope`: ARM
   * `GET {scope}/providers/Microsoft.Authorization/permissions` (actions/notActions, with wildcards) contains
   * `Microsoft.Authorization/roleAssignments/write`. Optional for fakes: without it, a 403 on create says the same.
   */
  canWriteRoleAssignments?(scope: string): Promise<boolean>;
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

/** Does an ARM permission set (actions/notActions with `*` wildcards) allow `action`? */
export function permitted(perms: { actions: string[]; notActions: string[] }[], action: string): boolean {
  const match = (p: string) =>
    new RegExp(`^${p.replace(/[.+?^${}()|[\]\\/]/g, "\\$&").replace(/\*/g, ".*")}$`, "i").test(action);
  return perms.some((p) => p.actions.some(match) && !p.notActions.some(match));
}

export function createRoleAssignmentsApi(
  arm: ArmApi,
  armHttp: HttpClient,
  graphHttp: HttpClient | undefined,
  graphEndpoint: string | undefined,
): Required<RoleAssignmentsApi> {
  const q = { "api-version": apiVersions.authorization };
  return {
    async findServicePrincipalByAppId(appId) {
      if (!graphHttp || !graphEndpoint) {
        // Resource Manager is overridden (a proxy, the sandbox) and Graph is not: its tokens stay off the public Graph.
        throw new InputError(
          "Microsoft Graph is not called: Resource Manager is overridden and no Graph endpoint is set",
          {
            code: "AZURE_GRAPH_UNAVAILABLE",
            suggestion:
              "Set the Graph endpoint that belongs with this Resource Manager: --azure-graph-url, AZURE_GRAPH_URL or azure.endpoints.graph.",
            problems: [
              {
                key: "azure.endpoints.graph",
                message: "needed to find the app registration's service principal when Resource Manager is overridden",
                where: "--azure-graph-url, AZURE_GRAPH_URL or azure.endpoints.graph in the config file",
              },
            ],
          },
        );
      }
      const res = await graphHttp.request<ServicePrincipal>(
        "GET",
        `${graphEndpoint}/v1.0/servicePrincipals(appId='${encodeURIComponent(appId)}')`,
        {
          query: { $select: "id,appId,displayName,servicePrincipalType" },
          accept: [404],
          what: `finding the service principal of app ${appId}`,
        },
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
        throw new RemoteError("the role assignment was accepted but not returned", {
          code: "AZURE_BAD_RESPONSE",
          remote: "azure",
        });
      }
      return toInfo(res.body);
    },
    async deleteRoleAssignment(id) {
      await armHttp.request("DELETE", `${arm.baseUrl}${id}`, {
        query: q,
        accept: [204, 404],
        what: "removing a role assignment",
      });
    },
    async canWriteRoleAssignments(scope) {
      const perms = await arm.permissions(scope);
      return perms === undefined ? true : permitted(perms, "Microsoft.Authorization/roleAssignments/write");
    },
  };
}

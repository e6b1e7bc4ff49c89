/**
 * The Azure calls the way back needs, as a narrow interface the Azure client (src/azure, issue 6) implements
 * and tests fake in memory:
 * - the app registration's service principal: Microsoft Graph
 *   `GET /v1.0/servicePrincipals(appId='{clientId}')` → `{id, appId, displayName}`, 404 when the app has none
 *   in this tenant (learn.microsoft.com/graph/api/serviceprincipal-get, "alternate key appId");
 * - role assignments (ARM `Microsoft.Authorization/roleAssignments`, api-version 2022-04-01):
 *   `GET {scope}/providers/Microsoft.Authorization/roleAssignments?$filter=principalId eq '{id}'` lists those at,
 *   above and below the scope; `PUT {scope}/providers/Microsoft.Authorization/roleAssignments/{name}` with
 *   `{properties: {roleDefinitionId, principalId, principalType, description}}`; `DELETE` the same URL.
 *   Role assignments take no tags, so ours say who made them in `description`.
 */
import type { StepContext } from "../../engine/types.js";

export interface ServicePrincipal {
  /** Object id: what role assignments name as principalId. */
  id: string;
  appId: string;
  displayName?: string;
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
  /**
   * Whether the caller may write role assignments at `scope`: ARM
   * `GET {scope}/providers/Microsoft.Authorization/permissions` (actions/notActions, with wildcards) contains
   * `Microsoft.Authorization/roleAssignments/write`. Optional: without it, a 403 on create says the same.
   */
  canWriteRoleAssignments?(scope: string): Promise<boolean>;
}

/** The role-assignment side of the Azure client. Until issue 6 lands, the client is expected to expose it as `roleAssignments`. */
export async function roleAssignmentsApi(ctx: Pick<StepContext, "clients">): Promise<RoleAssignmentsApi> {
  const azure: { roleAssignments: RoleAssignmentsApi } = await ctx.clients.azure();
  return azure.roleAssignments;
}

export const roleGuidOf = (roleDefinitionId: string) => roleDefinitionId.split("/").pop()!.toLowerCase();

export const roleDefinitionIdFor = (subscriptionId: string, roleGuid: string) =>
  `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`;

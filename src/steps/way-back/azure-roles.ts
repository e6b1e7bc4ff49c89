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
import type { AzureClients } from "../../engine/clients.js";
import type { StepContext } from "../../engine/types.js";
import { SentinelElasticError } from "../../errors.js";

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

const NEEDED_FROM_AZURE_CLIENT =
  "the Azure client (src/azure, issue 6) does not offer this call yet: it needs a `roleAssignments` member " +
  "implementing RoleAssignmentsApi (src/steps/way-back/azure-roles.ts)";

/** Does an ARM permission set (actions/notActions with `*` wildcards) allow `action`? */
export function permitted(perms: { actions: string[]; notActions: string[] }[], action: string): boolean {
  const match = (pattern: string) =>
    new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i").test(action);
  return perms.some((p) => p.actions.some(match) && !p.notActions.some(match));
}

/**
 * The role-assignment side of the Azure client: its `roleAssignments` member when it has one; otherwise what
 * its ARM API already offers (listing assignments, reading our permissions) and a clear error for the rest.
 */
export async function roleAssignmentsApi(ctx: Pick<StepContext, "clients">): Promise<RoleAssignmentsApi> {
  const azure = (await ctx.clients.azure()) as AzureClients & { roleAssignments?: RoleAssignmentsApi };
  if (azure.roleAssignments) return azure.roleAssignments;
  const missing = (): never => {
    throw new SentinelElasticError(NEEDED_FROM_AZURE_CLIENT, { code: "NOT_IMPLEMENTED" });
  };
  return {
    findServicePrincipalByAppId: async () => missing(),
    async listRoleAssignments(scope, principalId) {
      return (await azure.arm.roleAssignments(scope, principalId)).map((a) => ({
        id: a.id,
        name: a.name,
        scope: a.properties.scope,
        roleDefinitionId: a.properties.roleDefinitionId,
        principalId: a.properties.principalId,
        description: (a.properties as { description?: string }).description,
      }));
    },
    getRoleAssignment: async () => missing(),
    createRoleAssignment: async () => missing(),
    deleteRoleAssignment: async () => missing(),
    async canWriteRoleAssignments(scope) {
      const perms = await azure.arm.permissions(scope);
      return perms === undefined ? true : permitted(perms, "Microsoft.Authorization/roleAssignments/write");
    },
  };
}

export const roleGuidOf = (roleDefinitionId: string) => roleDefinitionId.split("/").pop()!.toLowerCase();

export const roleDefinitionIdFor = (subscriptionId: string, roleGuid: string) =>
  `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`;

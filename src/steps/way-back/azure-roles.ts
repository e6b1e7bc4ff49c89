/**
 * The Azure side of the way back's role step: the Azure client's `roleAssignments` (RoleAssignmentsApi, defined
 * with the client in src/azure/role-assignments.ts, where the endpoints it calls are described), and the role
 * ids the step compares.
 */
import type { StepContext } from "../../engine/types.js";
import type { RoleAssignmentsApi } from "../../azure/role-assignments.js";

export type { RoleAssignmentInfo, RoleAssignmentsApi, ServicePrincipal } from "../../azure/role-assignments.js";

export async function roleAssignmentsApi(ctx: Pick<StepContext, "clients">): Promise<RoleAssignmentsApi> {
  return (await ctx.clients.azure()).roleAssignments;
}

export const roleGuidOf = (roleDefinitionId: string) => roleDefinitionId.split("/").pop()!.toLowerCase();

export const roleDefinitionIdFor = (subscriptionId: string, roleGuid: string) =>
  `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`;

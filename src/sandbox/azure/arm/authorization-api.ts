/**
 * Microsoft.Authorization reads at any scope:
 * - `GET {scope}/providers/Microsoft.Authorization/permissions`: the caller's own effective permissions, one
 *   entry per role assignment that covers the scope (Permissions_ListForResourceGroup / ListForResource,
 *   authorization 2022-04-01) — what a preflight uses to see whether it may write role assignments.
 * - `GET {scope}/providers/Microsoft.Authorization/roleAssignments[?$filter=atScope()|principalId eq '…']`:
 *   without a filter, assignments at, above and below the scope; `atScope()` at or above only; `principalId eq`
 *   that principal's at, above and below (RoleAssignments_ListForScope).
 */
import type { SandboxRequest, SandboxResponse } from "../../common/router.js";
import { badRequest } from "../errors.js";
import { scopeContains } from "../ids.js";
import type { ArmEnv } from "../resources/types.js";
import { findRole } from "../roles.js";
import type { RoleAssignment } from "../state.js";
import { checkProviderApiVersion } from "./api-version.js";
import { authorize, type Caller } from "./authz.js";
import { roleAssignmentsHandler } from "../resources/role-assignments.js";

export const AUTHORIZATION_PATH = /^(.*)\/providers\/Microsoft\.Authorization\/(permissions|roleAssignments)$/i;

function assignmentBody(a: RoleAssignment, env: ArmEnv) {
  const stored = env.state.getResource(a.id);
  if (stored) return stored;
  return {
    id: a.id,
    name: a.name,
    type: "Microsoft.Authorization/roleAssignments",
    properties: {
      roleDefinitionId: a.roleDefinitionId,
      principalId: a.principalId,
      principalType: a.principalType ?? env.state.principals.get(a.principalId)?.type ?? "User",
      scope: a.scope,
      createdOn: new Date(a.createdAt).toISOString(),
      updatedOn: new Date(a.createdAt).toISOString(),
    },
  };
}

export function handleAuthorization(
  env: ArmEnv,
  req: SandboxRequest,
  caller: Caller,
  scope: string,
  what: string,
): SandboxResponse {
  const apiVersion = req.query.get("api-version") ?? "";
  checkProviderApiVersion("Microsoft.Authorization/roleAssignments", apiVersion, roleAssignmentsHandler.apiVersions);
  const { state } = env;
  if (what.toLowerCase() === "permissions") {
    const value = state.effectiveAssignments(caller.principalId, scope).flatMap((a) => {
      const role = findRole(a.roleDefinitionId);
      return role
        ? [
            {
              actions: role.actions,
              notActions: role.notActions,
              dataActions: role.dataActions,
              notDataActions: role.notDataActions,
            },
          ]
        : [];
    });
    return { status: 200, body: { value } };
  }
  authorize(state, caller, "Microsoft.Authorization/roleAssignments/read", scope);
  const filter = req.query.get("$filter")?.trim();
  let list = state.roleAssignments;
  if (!filter) list = list.filter((a) => scopeContains(a.scope, scope) || scopeContains(scope, a.scope));
  else if (/^atScope\(\)$/i.test(filter)) list = list.filter((a) => scopeContains(a.scope, scope));
  else {
    const m = /^principalId\s+eq\s+'([^']+)'$/i.exec(filter);
    if (!m) throw badRequest("UnsupportedQuery", `The filter '${filter}' is not supported.`);
    list = list.filter(
      (a) => a.principalId === m[1] && (scopeContains(a.scope, scope) || scopeContains(scope, a.scope)),
    );
  }
  return { status: 200, body: { value: list.map((a) => assignmentBody(a, env)) } };
}

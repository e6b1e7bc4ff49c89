/**
 * Microsoft.Authorization/roleAssignments: an extension resource on any scope
 * (ARM schema 2022-04-01 Microsoft.Authorization.json: required principalId, roleDefinitionId; principalType
 * ∈ User|Group|ServicePrincipal|ForeignGroup|Device). Errors follow
 * https://learn.microsoft.com/azure/role-based-access-control/troubleshooting: InvalidRoleAssignmentId,
 * RoleDefinitionDoesNotExist, PrincipalNotFound (skipped when principalType is given, as Azure does for fresh
 * managed identities), RoleAssignmentExists (409), RoleAssignmentUpdateNotPermitted.
 */
import { AzureError, badRequest } from "../errors.js";
import { idKey } from "../ids.js";
import { findRole } from "../roles.js";
import type { ArmResource } from "../state.js";
import type { PutRequest, ResourceHandler } from "./types.js";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PRINCIPAL_TYPES = ["User", "Group", "ServicePrincipal", "ForeignGroup", "Device"];

export function scopeOfExtension(id: string): string {
  return id.replace(/\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]+$/i, "");
}

function putRoleAssignment(r: PutRequest) {
  const { body, env, existing } = r;
  const props = body.properties ?? {};
  if (!GUID.test(r.name))
    throw badRequest(
      "InvalidRoleAssignmentId",
      `The role assignment ID '${r.name}' is not valid. The role assignment ID must be a GUID.`,
    );
  if (!props.roleDefinitionId)
    throw badRequest(
      "InvalidRequestContent",
      "The request content is not valid: 'properties.roleDefinitionId' is required.",
    );
  if (!props.principalId)
    throw badRequest(
      "InvalidRequestContent",
      "The request content is not valid: 'properties.principalId' is required.",
    );
  const role = findRole(String(props.roleDefinitionId));
  if (!role || !/\/providers\/Microsoft\.Authorization\/roleDefinitions\/[^/]+$/i.test(props.roleDefinitionId))
    throw badRequest(
      "RoleDefinitionDoesNotExist",
      `The specified role definition with ID '${String(props.roleDefinitionId).split("/").pop()}' does not exist.`,
    );
  if (props.principalType !== undefined && !PRINCIPAL_TYPES.includes(props.principalType))
    throw badRequest("InvalidPrincipalType", `The principal type '${props.principalType}' is not valid.`);
  if (!props.principalType && !env.state.principals.has(props.principalId))
    throw badRequest(
      "PrincipalNotFound",
      `Principal ${String(props.principalId).replace(/-/g, "")} does not exist in the directory ${env.state.tenantId}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group. See https://aka.ms/docs-principaltype`,
    );
  const known = env.state.principals.get(props.principalId);
  if (
    known &&
    props.principalType &&
    (props.principalType === "User" || props.principalType === "ServicePrincipal") &&
    props.principalType !== known.type
  )
    throw badRequest(
      "UnmatchedPrincipalType",
      `The PrincipalId '${String(props.principalId).replace(/-/g, "")}' has type '${known.type}', which is different from specified PrincipalType '${props.principalType}'.`,
    );
  const scope = scopeOfExtension(r.id);
  if (existing) {
    const p = existing.resource.properties;
    if (p.principalId !== props.principalId || idKey(p.roleDefinitionId) !== idKey(props.roleDefinitionId))
      throw badRequest(
        "RoleAssignmentUpdateNotPermitted",
        "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.",
      );
  }
  const duplicate = env.state.roleAssignments.find(
    (a) =>
      a.principalId === props.principalId &&
      a.roleDefinitionId.split("/").pop()!.toLowerCase() === role.guid &&
      idKey(a.scope) === idKey(scope) &&
      a.name.toLowerCase() !== r.name.toLowerCase(),
  );
  if (duplicate) throw new AzureError(409, "RoleAssignmentExists", "The role assignment already exists.");
  const now = env.state.nowIso();
  const resource: ArmResource = {
    id: r.id,
    name: r.name,
    type: "Microsoft.Authorization/roleAssignments",
    properties: {
      roleDefinitionId: props.roleDefinitionId,
      principalId: props.principalId,
      principalType: props.principalType ?? env.state.principals.get(props.principalId)?.type ?? "User",
      scope,
      ...(props.description ? { description: props.description } : {}),
      condition: props.condition ?? null,
      conditionVersion: props.conditionVersion ?? null,
      createdOn: existing?.resource.properties.createdOn ?? now,
      updatedOn: now,
      createdBy: existing?.resource.properties.createdBy ?? r.principalId,
      updatedBy: r.principalId,
      delegatedManagedIdentityResourceId: null,
    },
  };
  return {
    resource,
    commit: () =>
      env.state.addRoleAssignment({
        scope,
        name: r.name,
        roleDefinitionId: props.roleDefinitionId,
        principalId: props.principalId,
        principalType: props.principalType,
      }),
  };
}

export const roleAssignmentsHandler: ResourceHandler = {
  type: "Microsoft.Authorization/roleAssignments",
  apiVersions: [
    "2015-07-01",
    "2017-05-01",
    "2018-01-01-preview",
    "2018-09-01-preview",
    "2020-03-01-preview",
    "2020-04-01-preview",
    "2020-08-01-preview",
    "2020-10-01-preview",
    "2022-01-01-preview",
    "2022-04-01",
  ],
  tracked: false,
  put: putRoleAssignment,
  onDelete: (env, res) => {
    env.state.removeRoleAssignment(res.id);
  },
};

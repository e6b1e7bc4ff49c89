/**
 * Step: the integration's app registration can read Sentinel.
 *
 * Permissions, plainly: the integration signs in as the app registration (client id + secret) and calls the
 * Azure management API `…/workspaces/<ws>/providers/Microsoft.SecurityInsights/incidents` (and each incident's
 * `/alerts`) — see the package's data_stream/{incident,alert}/agent/stream/cel.yml.hbs. Reading incidents and
 * their alerts is what **Microsoft Sentinel Reader** on the workspace grants (`Microsoft.SecurityInsights/*\/read`),
 * and nothing more: it cannot change incidents or rules. (The package README asks for Microsoft Graph
 * permissions `SecurityAlert.Read.All` and `User.Read`; the CEL programs do not call Graph — their token is for
 * `resource: https://management.azure.com/` — so we neither need nor grant them.) We assign that role to the app's service principal at the
 * workspace scope under a deterministic name, after checking that it does not already hold it (or a role that
 * includes it). Assigning needs `Microsoft.Authorization/roleAssignments/write` for whoever runs us (Owner,
 * User Access Administrator or Role Based Access Control Administrator on the workspace).
 */
import { INTEGRATION_HOLDER, roleAssignmentLabel } from "../azure/object-names.js";
import type { Change, Check, Step, StepContext } from "../../engine/types.js";
import { AuthError, PreconditionError } from "../../errors.js";
import { roleAssignmentsApi, roleDefinitionIdFor, roleGuidOf } from "./azure-roles.js";
import { wayBackInputs } from "./context.js";
import { ROLES_INCLUDING_SENTINEL_READ, roleAssignmentName, roles } from "../../names.js";
import { describeInstances, instancesInDescription } from "../../ownership/shared.js";
import { T_ROLE } from "./teardown-common.js";

export const ROLE_ASSIGNMENT_STEP = "way-back.role-assignment";

type Ctx = Pick<StepContext, "config" | "names" | "clients" | "shared">;

const grantCommand = (clientId: string, scope: string) =>
  `az role assignment create --assignee ${clientId} --role "Microsoft Sentinel Reader" --scope ${scope}`;

export interface RoleState {
  principalId: string;
  principalName?: string;
  /** An assignment that already lets it read Sentinel, if any. */
  existing?: { id: string; role: string };
}

export async function readRoleState(ctx: Ctx): Promise<RoleState> {
  const { clientId, workspace } = wayBackInputs(ctx);
  const api = await roleAssignmentsApi(ctx);
  const sp = await api.findServicePrincipalByAppId(clientId);
  if (!sp)
    throw new PreconditionError(`The app registration ${clientId} has no service principal in this tenant.`, {
      code: "SERVICE_PRINCIPAL_NOT_FOUND",
      suggestion:
        `Check --integration-client-id and --integration-tenant-id. If the app is registered in another tenant, ` +
        `create its service principal here: az ad sp create --id ${clientId}`,
    });
  const assignments = await api.listRoleAssignments(workspace.id, sp.id);
  const reading = assignments.find((a) => ROLES_INCLUDING_SENTINEL_READ.has(roleGuidOf(a.roleDefinitionId)));
  return {
    principalId: sp.id,
    principalName: sp.displayName,
    existing: reading ? { id: reading.id, role: roleGuidOf(reading.roleDefinitionId) } : undefined,
  };
}

/** What apply needs to write the assignment. */
interface AssignPayload {
  principalId: string;
  name: string;
  instances: string[];
}

async function plan(ctx: StepContext): Promise<Change<AssignPayload>[]> {
  const { clientId, workspace, prefix } = wayBackInputs(ctx);
  const state = await readRoleState(ctx);
  const name = roleAssignmentName(workspace.id, clientId);
  // Named as every command names it (its GUID is in the payload): role, holder, scope.
  const base = {
    step: ROLE_ASSIGNMENT_STEP,
    target: "azure" as const,
    ...roleAssignmentLabel("Microsoft Sentinel Reader", INTEGRATION_HOLDER, workspace.workspaceName),
  };
  // Ours (our deterministic name and marker) and shared: each instance that uses it is named in its description.
  const api0 = await roleAssignmentsApi(ctx);
  const ours = await api0.getRoleAssignment(
    `${workspace.id}/providers/Microsoft.Authorization/roleAssignments/${name}`,
  );
  const users = instancesInDescription(ours?.description);
  if (ours && users.length) {
    if (users.includes(prefix))
      return [
        {
          ...base,
          action: "no-op",
          reason: `ours, used by instance${users.length === 1 ? "" : "s"} ${users.join(", ")}`,
        },
      ];
    return [
      {
        ...base,
        action: "update",
        reason: `shared with instance${users.length === 1 ? "" : "s"} ${users.join(", ")}: records that this instance uses it too`,
        payload: { principalId: ours.principalId, name, instances: [...users, prefix] },
      },
    ];
  }
  if (state.existing)
    return [
      {
        ...base,
        action: "no-op",
        reason: `${state.principalName ?? clientId} can already read Sentinel (${state.existing.role === roles.sentinelReader ? "Microsoft Sentinel Reader" : `role ${state.existing.role}`})`,
      },
    ];
  const api = await roleAssignmentsApi(ctx);
  if (api.canWriteRoleAssignments && !(await api.canWriteRoleAssignments(workspace.id)))
    throw new AuthError(
      `The app registration ${clientId} has no role that can read Sentinel, and you may not assign one on ${workspace.workspaceName}.`,
      {
        code: "ROLE_ASSIGNMENT_NOT_PERMITTED",
        suggestion: `Ask an Owner or User Access Administrator of the workspace to run: ${grantCommand(clientId, workspace.id)}`,
      },
    );
  return [
    {
      ...base,
      action: "create",
      reason: `let ${state.principalName ?? clientId} list Sentinel incidents and alerts (read only)`,
      payload: { principalId: state.principalId, name, instances: [prefix] },
    },
  ];
}

async function apply(ctx: StepContext, changes: Change<AssignPayload>[]): Promise<void> {
  const { clientId, workspace } = wayBackInputs(ctx);
  const api = await roleAssignmentsApi(ctx);
  for (const c of changes) {
    if (c.action !== "create" && c.action !== "update") continue;
    const p = c.payload!;
    try {
      await api.createRoleAssignment({
        scope: workspace.id,
        name: p.name,
        roleDefinitionId: roleDefinitionIdFor(workspace.subscriptionId, roles.sentinelReader),
        principalId: p.principalId,
        // Avoids PrincipalNotFound for a freshly created principal (https://learn.microsoft.com/azure/role-based-access-control/role-assignments-template#new-service-principal).
        principalType: "ServicePrincipal",
        // The instances that use it (src/ownership/shared.ts): teardown deletes it only when the last one goes.
        description: describeInstances(p.instances),
      });
    } catch (e) {
      const status = (e as { status?: number }).status;
      if (status === 403 || e instanceof AuthError)
        throw new AuthError(`You may not assign roles on the workspace ${workspace.workspaceName} (403).`, {
          code: "ROLE_ASSIGNMENT_FORBIDDEN",
          cause: e,
          suggestion: `Ask an Owner or User Access Administrator of the workspace to run: ${grantCommand(clientId, workspace.id)}`,
        });
      throw e;
    }
  }
}

async function verify(ctx: StepContext): Promise<Check[]> {
  const started = ctx.now();
  const { clientId, workspace } = wayBackInputs(ctx);
  let state: RoleState;
  try {
    state = await readRoleState(ctx);
  } catch (e) {
    if (!(e instanceof PreconditionError)) throw e;
    return [
      {
        id: "way-back.role-assignment",
        title: "The integration's app registration can read Sentinel",
        status: "fail",
        durationMs: ctx.now() - started,
        cause: e.message,
        remedy: e.suggestion,
      },
    ];
  }
  return [
    {
      id: "way-back.role-assignment",
      title: "The integration's app registration can read Sentinel",
      status: state.existing ? "pass" : "fail",
      evidence: state.existing ? `${state.existing.id}` : undefined,
      durationMs: ctx.now() - started,
      ...(state.existing
        ? {}
        : {
            cause: `service principal ${state.principalId} has no Sentinel read role`,
            remedy: grantCommand(clientId, workspace.id),
          }),
    },
  ];
}

export const roleAssignmentStep: Step<AssignPayload> = {
  id: ROLE_ASSIGNMENT_STEP,
  title: "Azure: Microsoft Sentinel Reader for the integration's app registration",
  target: "azure",
  enabled: (config) => config.features.sentinelToElastic,
  plan,
  apply,
  verify,
};

/**
 * The way back's Microsoft Sentinel Reader assignment, found by the marker it carries (our `managed-by` and this
 * instance in its description) among the assignments made at the workspace, whatever the inputs say (no client
 * id needed). Shared by the instances that use the same app registration (src/ownership/shared.ts): while
 * another instance is named in it, teardown only takes this instance out of its description.
 */
async function ourReaderAssignments(ctx: StepContext) {
  const ws = ctx.names.workspace;
  if (!ws.id) return undefined;
  const api = await roleAssignmentsApi(ctx);
  const atWorkspace = await api.listRoleAssignments(ws.id);
  return atWorkspace.filter(
    (a) =>
      a.scope.toLowerCase() === ws.id!.toLowerCase() &&
      roleGuidOf(a.roleDefinitionId) === roles.sentinelReader &&
      instancesInDescription(a.description).includes(ctx.names.prefix),
  );
}

/** What teardown needs to delete the assignment, or to write it back without this instance. */
interface UnassignPayload {
  id: string;
  scope: string;
  name: string;
  principalId: string;
  roleDefinitionId: string;
  others: string[];
}

export const roleAssignmentTeardown: Step<UnassignPayload> = {
  id: T_ROLE,
  title: "Azure: remove the integration's Microsoft Sentinel Reader assignment",
  target: "azure",
  enabled: (config) => Boolean(config.azure.subscriptionId && config.sentinel.workspaceName),
  async plan(ctx: StepContext) {
    const label = roleAssignmentLabel(
      "Microsoft Sentinel Reader",
      INTEGRATION_HOLDER,
      ctx.names.workspace.workspaceName ?? "the workspace",
    );
    const base = { step: T_ROLE, target: "azure" as const, resource: label.resource };
    const found = await ourReaderAssignments(ctx);
    if (!found)
      return [
        { ...base, name: "(workspace not configured)", action: "no-op", reason: "no workspace in the configuration" },
      ];
    if (!found.length)
      return [{ ...base, name: "the way back's", action: "no-op", reason: "none of ours on the workspace" }];
    return found.map((a): Change<UnassignPayload> => {
      const others = instancesInDescription(a.description).filter((p) => p !== ctx.names.prefix);
      const payload = {
        id: a.id,
        scope: a.scope,
        name: a.name,
        principalId: a.principalId,
        roleDefinitionId: a.roleDefinitionId,
        others,
      };
      return others.length
        ? {
            ...base,
            name: label.name,
            action: "update",
            reason: `kept: instance${others.length === 1 ? "" : "s"} ${others.join(", ")} still use${others.length === 1 ? "s" : ""} it; this instance is taken out of its description`,
            payload,
          }
        : {
            ...base,
            name: label.name,
            action: "delete",
            reason: "ours (our marker in its description), no other instance uses it",
            destructive: true,
            payload,
          };
    });
  },
  async apply(ctx, changes) {
    const api = await roleAssignmentsApi(ctx);
    for (const c of changes) {
      const p = c.payload!;
      if (c.action === "delete") await api.deleteRoleAssignment(p.id);
      if (c.action === "update")
        await api.createRoleAssignment({
          scope: p.scope,
          name: p.name,
          roleDefinitionId: p.roleDefinitionId,
          principalId: p.principalId,
          principalType: "ServicePrincipal",
          description: describeInstances(p.others),
        });
    }
  },
  // The final check looks for what this instance owns (its marker), not for what the inputs describe.
  async verify(ctx) {
    const left = (await this.plan(ctx)).filter((c) => c.action !== "no-op");
    return [
      {
        id: "teardown.way-back.role-assignment",
        title: "The way back's role assignment of ours removed",
        status: left.length === 0 ? "pass" : "fail",
        evidence: left.length === 0 ? "none of ours left on the workspace" : left.map((c) => c.name).join(", "),
        remedy: left.length === 0 ? undefined : "Run `sentinel-elastic teardown` again.",
      },
    ];
  },
};

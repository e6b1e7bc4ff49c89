/**
 * Teardown of the way back, in reverse order: the package policy, then our agent policy (only the one we
 * created: our name and marker, and no other integration on it), then the role assignment (our deterministic
 * name and marker). The package stays installed unless `uninstallPackages` (`--uninstall-packages`): other
 * policies may use it, and its dashboards and data streams are the user's data.
 */
import type { Change, Step, StepContext, TeardownStep } from "../../engine/types.js";
import { deleteAgentPolicy, findAgentPolicyByName, getAgentPolicy } from "../../fleet/agent-policies.js";
import { deletePackagePolicy, findPackagePolicyByName } from "../../fleet/package-policies.js";
import { getPackageInfo, installedVersion, uninstallPackage } from "../../fleet/packages.js";
import { getFleetStatus } from "../../fleet/setup.js";
import type { AgentPolicy } from "../../fleet/types.js";
import { AuthError } from "../../errors.js";
import { describeInstances, instancesInDescription } from "../../ownership/shared.js";
import { roleAssignmentsApi, roleGuidOf } from "./azure-roles.js";
import { fleetHttp } from "./clients.js";
import { PACKAGE_NAME, roles } from "../../names.js";

export interface WayBackTeardownOptions {
  uninstallPackages?: boolean;
}

/** Package policies of an agent policy: objects on current Fleet, bare ids on older ones. */
function packagePolicyIdsOf(p: AgentPolicy): string[] {
  return ((p.package_policies ?? []) as ({ id: string } | string)[]).map((x) => (typeof x === "string" ? x : x.id));
}

/**
 * Fleet teardown runs whatever `features.sentinelToElastic` says now (it may have been on when setup ran), so
 * a stack without Fleet, or, with the feature off, credentials without Fleet privileges, mean "nothing of
 * ours there" rather than a failure.
 */
async function fleetUnavailable(
  ctx: StepContext,
  base: Omit<Change, "action" | "reason">,
): Promise<Change[] | undefined> {
  try {
    if (await getFleetStatus(await fleetHttp(ctx))) return undefined;
    return [{ ...base, action: "no-op", reason: "Fleet is not available in this Kibana" }];
  } catch (e) {
    if (e instanceof AuthError && !ctx.config.features.sentinelToElastic)
      return [{ ...base, action: "no-op", reason: `skipped: cannot read Fleet (${e.message})` }];
    throw e;
  }
}

const T_PACKAGE_POLICY = "way-back.teardown.package-policy";
const T_AGENT_POLICY = "way-back.teardown.agent-policy";
const T_ROLE = "way-back.teardown.role-assignment";
const T_PACKAGE = "way-back.teardown.package";

const packagePolicyTeardown: TeardownStep = {
  id: T_PACKAGE_POLICY,
  title: "Fleet: remove the microsoft_sentinel package policy",
  target: "fleet",
  enabled: () => true,
  async plan(ctx) {
    const n = ctx.names.wayBack;
    const name = n.packagePolicy;
    const base = {
      step: T_PACKAGE_POLICY,
      target: "fleet" as const,
      resource: "package policy (microsoft_sentinel)",
      name,
    };
    const unavailable = await fleetUnavailable(ctx, base);
    if (unavailable) return unavailable;
    const http = await fleetHttp(ctx);
    const found = await findPackagePolicyByName(http, name);
    if (!found) return [{ ...base, action: "no-op", reason: "not found" }];
    if (!n.isOurs(found.description))
      return [{ ...base, action: "no-op", reason: `${found.id} lacks our marker (${n.marker}): left alone` }];
    const changes: Change[] = [
      {
        ...base,
        action: "delete",
        reason: `created by setup (${found.id})`,
        destructive: true,
        payload: { id: found.id },
      },
    ];
    // Agentless: Fleet made an agent policy for this package policy alone; it goes with it.
    if (found.supports_agentless)
      for (const id of found.policy_ids) {
        const ap = await getAgentPolicy(http, id);
        if (ap?.supports_agentless && packagePolicyIdsOf(ap).every((x) => x === found.id))
          changes.push({
            step: T_PACKAGE_POLICY,
            target: "fleet",
            resource: "agent policy (agentless)",
            name: ap.name,
            action: "delete",
            reason: "the agentless policy Fleet created for our package policy",
            destructive: true,
            payload: { agentPolicyId: ap.id },
          });
      }
    return changes;
  },
  async apply(ctx, changes) {
    const http = await fleetHttp(ctx);
    for (const c of changes.filter((c) => c.action === "delete")) {
      const p = c.payload as { id?: string; agentPolicyId?: string };
      if (p.id) await deletePackagePolicy(http, p.id);
    }
    for (const c of changes.filter((c) => c.action === "delete")) {
      const p = c.payload as { id?: string; agentPolicyId?: string };
      if (p.agentPolicyId && (await getAgentPolicy(http, p.agentPolicyId)))
        await deleteAgentPolicy(http, p.agentPolicyId);
    }
  },
};

const agentPolicyTeardown: TeardownStep = {
  id: T_AGENT_POLICY,
  title: "Fleet: remove the agent policy setup created",
  target: "fleet",
  after: [T_PACKAGE_POLICY],
  enabled: () => true,
  async plan(ctx) {
    const n = ctx.names.wayBack;
    const name = n.agentPolicy;
    const base = { step: T_AGENT_POLICY, target: "fleet" as const, resource: "agent policy", name };
    const unavailable = await fleetUnavailable(ctx, base);
    if (unavailable) return unavailable;
    const found = await findAgentPolicyByName(await fleetHttp(ctx), name);
    if (!found) return [{ ...base, action: "no-op", reason: "not found" }];
    if (!n.isOurs(found.description))
      return [{ ...base, action: "no-op", reason: `${found.id} lacks our marker: left alone` }];
    // Our package policy goes in the step before; anything else on the policy keeps it alive.
    const ours = await findPackagePolicyByName(await fleetHttp(ctx), n.packagePolicy);
    const oursId = ours && n.isOurs(ours.description) ? ours.id : undefined;
    // The list omits package policies unless asked (`full`); a single GET includes them.
    const full = (await getAgentPolicy(await fleetHttp(ctx), found.id)) ?? found;
    const others = packagePolicyIdsOf(full).filter((id) => id !== oursId);
    if (others.length)
      return [{ ...base, action: "no-op", reason: `kept: it also runs ${others.length} other integration(s)` }];
    const agents = found.agents ?? 0;
    return [
      {
        ...base,
        action: "delete",
        reason: agents
          ? `created by setup; ${agents} enrolled agent(s) must be unenrolled or moved first`
          : "created by setup",
        destructive: true,
        payload: { id: found.id },
      },
    ];
  },
  async apply(ctx, changes) {
    const http = await fleetHttp(ctx);
    for (const c of changes) {
      if (c.action !== "delete") continue;
      const id = (c.payload as { id: string }).id;
      // Fleet deletes the package policies of a deleted agent policy: only delete it once it is empty.
      const now = await getAgentPolicy(http, id);
      if (now && packagePolicyIdsOf(now).length === 0) await deleteAgentPolicy(http, id);
    }
  },
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

const roleAssignmentTeardown: Step = {
  id: T_ROLE,
  title: "Azure: remove the integration's Microsoft Sentinel Reader assignment",
  target: "azure",
  enabled: (config) => Boolean(config.azure.subscriptionId && config.sentinel.workspaceName),
  async plan(ctx: StepContext) {
    const base = { step: T_ROLE, target: "azure" as const, resource: "role assignment (Microsoft Sentinel Reader)" };
    const found = await ourReaderAssignments(ctx);
    if (!found)
      return [
        { ...base, name: "(workspace not configured)", action: "no-op", reason: "no workspace in the configuration" },
      ];
    if (!found.length)
      return [{ ...base, name: "the way back's", action: "no-op", reason: "none of ours on the workspace" }];
    return found.map((a): Change => {
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
            name: a.name,
            action: "update",
            reason: `kept: instance${others.length === 1 ? "" : "s"} ${others.join(", ")} still use${others.length === 1 ? "s" : ""} it; this instance is taken out of its description`,
            payload,
          }
        : {
            ...base,
            name: a.name,
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
      const p = c.payload as {
        id: string;
        scope: string;
        name: string;
        principalId: string;
        roleDefinitionId: string;
        others: string[];
      };
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

const packageTeardown: TeardownStep = {
  id: T_PACKAGE,
  title: "Fleet: uninstall the microsoft_sentinel package",
  target: "fleet",
  after: [T_PACKAGE_POLICY, T_AGENT_POLICY],
  enabled: () => true,
  async plan(ctx) {
    const base = { step: T_PACKAGE, target: "fleet" as const, resource: "integration package", name: PACKAGE_NAME };
    const unavailable = await fleetUnavailable(ctx, base);
    if (unavailable) return unavailable;
    const version = installedVersion(await getPackageInfo(await fleetHttp(ctx), PACKAGE_NAME));
    if (!version) return [{ ...base, action: "no-op", reason: "not installed" }];
    return [
      {
        ...base,
        action: "delete",
        reason: `uninstall ${version} (--uninstall-packages); its data streams and data stay`,
        destructive: true,
        payload: { version },
      },
    ];
  },
  async apply(ctx, changes) {
    const http = await fleetHttp(ctx);
    for (const c of changes)
      if (c.action === "delete") await uninstallPackage(http, PACKAGE_NAME, (c.payload as { version: string }).version);
  },
};

export function createWayBackTeardownSteps(options: WayBackTeardownOptions = {}): (TeardownStep | Step)[] {
  return [
    packagePolicyTeardown,
    agentPolicyTeardown,
    roleAssignmentTeardown,
    ...(options.uninstallPackages ? [packageTeardown] : []),
  ];
}

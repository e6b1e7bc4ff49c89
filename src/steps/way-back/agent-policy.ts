/**
 * Step: where the integration runs. One of
 * - an agent policy the user names (`--agent-policy-id`): must exist; we never change or delete it;
 * - `agentless` (where the package offers it, `policy_templates[].deployment_modes.agentless.enabled`): Fleet
 *   creates and runs the agent policy itself when the package policy has `supports_agentless: true`;
 * - by default our own agent policy, found again by its deterministic name and marked in its description.
 */
import type { Change, Step, StepContext, TeardownStep } from "../../engine/types.js";
import { PreconditionError } from "../../errors.js";
import type { AgentPolicy } from "../../fleet/types.js";
import { fleetApi } from "./clients.js";
import { wayBackInputs } from "./context.js";
import { choosePackageVersion } from "./fleet-package.js";
import { agentPolicyName, managedMarker, POLICY_TEMPLATE } from "../../names.js";
import { fleetUnavailable, packagePolicyIdsOf, T_AGENT_POLICY, T_PACKAGE_POLICY } from "./teardown-common.js";

export const AGENT_POLICY_STEP = "way-back.agent-policy";

type Ctx = Pick<StepContext, "config" | "names" | "clients" | "shared">;

/** The agent policy the package policy belongs on; undefined for agentless, or ours before it is created. */
export async function resolveAgentPolicy(ctx: Ctx): Promise<AgentPolicy | undefined> {
  const { agentPolicy, prefix } = wayBackInputs(ctx);
  const fleet = await fleetApi(ctx);
  if (agentPolicy.kind === "agentless") return undefined;
  if (agentPolicy.kind === "existing") {
    const found = await fleet.getAgentPolicy(agentPolicy.id);
    if (!found)
      throw new PreconditionError(`Fleet has no agent policy with id ${agentPolicy.id}.`, {
        code: "AGENT_POLICY_NOT_FOUND",
        suggestion:
          "Copy the id from Fleet → Agent policies, pass --agent-policy-id agentless for an agentless deployment, or leave it empty to let us create one.",
      });
    return found;
  }
  return fleet.findAgentPolicyByName(agentPolicyName(prefix));
}

async function plan(ctx: StepContext): Promise<Change[]> {
  const { agentPolicy, prefix } = wayBackInputs(ctx);
  const base = { step: AGENT_POLICY_STEP, target: "fleet" as const, resource: "agent policy" };
  if (agentPolicy.kind === "agentless") {
    const { info, version } = await choosePackageVersion(ctx);
    const template = info.policy_templates?.find((t) => t.name === POLICY_TEMPLATE);
    if (!template?.deployment_modes?.agentless?.enabled)
      throw new PreconditionError(`microsoft_sentinel ${version} cannot run agentless on this stack.`, {
        code: "AGENTLESS_NOT_OFFERED",
        suggestion: "Pass --agent-policy-id with an agent policy id, or leave it empty to let us create one.",
      });
    return [
      { ...base, name: "agentless", action: "no-op", reason: "agentless: Fleet creates and runs the agent policy" },
    ];
  }
  const found = await resolveAgentPolicy(ctx);
  if (agentPolicy.kind === "existing")
    return [
      {
        ...base,
        name: found!.name,
        action: "no-op",
        reason: `use the existing agent policy ${found!.id} (never changed by us)`,
      },
    ];
  const name = agentPolicyName(prefix);
  if (found) return [{ ...base, name, action: "no-op", reason: `agent policy ${found.id} exists` }];
  return [
    {
      ...base,
      name,
      action: "create",
      reason: "no agent policy was given: create one for the integration",
      payload: { name },
    },
  ];
}

async function apply(ctx: StepContext, changes: Change[]): Promise<void> {
  const { prefix } = wayBackInputs(ctx);
  const fleet = await fleetApi(ctx);
  for (const c of changes) {
    if (c.action !== "create") continue;
    // Re-check: a concurrent or interrupted run may have created it already.
    if (await fleet.findAgentPolicyByName(agentPolicyName(prefix))) continue;
    await fleet.createAgentPolicy({
      name: agentPolicyName(prefix),
      namespace: "default",
      description: `${managedMarker(prefix)}. Runs the microsoft_sentinel integration; teardown deletes it.`,
    });
  }
}

export const agentPolicyStep: Step = {
  id: AGENT_POLICY_STEP,
  title: "Fleet: agent policy for the integration",
  target: "fleet",
  enabled: (config) => config.features.sentinelToElastic,
  plan,
  apply,
};

/** Teardown: only the agent policy we created (our name and marker), once no other integration is on it. */
export const agentPolicyTeardown: TeardownStep<{ id: string }> = {
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
    const found = await (await fleetApi(ctx)).findAgentPolicyByName(name);
    if (!found) return [{ ...base, action: "no-op", reason: "not found" }];
    if (!n.isOurs(found.description))
      return [{ ...base, action: "no-op", reason: `${found.id} lacks our marker: left alone` }];
    // Our package policy goes in the step before; anything else on the policy keeps it alive.
    const ours = await (await fleetApi(ctx)).findPackagePolicyByName(n.packagePolicy);
    const oursId = ours && n.isOurs(ours.description) ? ours.id : undefined;
    // The list omits package policies unless asked (`full`); a single GET includes them.
    const full = (await (await fleetApi(ctx)).getAgentPolicy(found.id)) ?? found;
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
    const fleet = await fleetApi(ctx);
    for (const c of changes) {
      if (c.action !== "delete") continue;
      const id = c.payload!.id;
      // Fleet deletes the package policies of a deleted agent policy: only delete it once it is empty.
      const now = await fleet.getAgentPolicy(id);
      if (now && packagePolicyIdsOf(now).length === 0) await fleet.deleteAgentPolicy(id);
    }
  },
};

/**
 * Step: where the integration runs. One of
 * - an agent policy the user names (`--agent-policy-id`): must exist; we never change or delete it;
 * - `agentless` (where the package offers it, `policy_templates[].deployment_modes.agentless.enabled`): Fleet
 *   creates and runs the agent policy itself when the package policy has `supports_agentless: true`;
 * - by default our own agent policy, found again by its deterministic name and marked in its description.
 */
import type { Change, Step, StepContext } from "../../engine/types.js";
import { PreconditionError } from "../../errors.js";
import { createAgentPolicy, findAgentPolicyByName, getAgentPolicy } from "../../fleet/agent-policies.js";
import type { AgentPolicy } from "../../fleet/types.js";
import { fleetHttp } from "./clients.js";
import { wayBackInputs } from "./context.js";
import { choosePackageVersion } from "./fleet-package.js";
import { agentPolicyName, managedMarker, POLICY_TEMPLATE } from "../../names.js";

export const AGENT_POLICY_STEP = "way-back.agent-policy";

type Ctx = Pick<StepContext, "config" | "names" | "clients" | "shared">;

/** The agent policy the package policy belongs on; undefined for agentless, or ours before it is created. */
export async function resolveAgentPolicy(ctx: Ctx): Promise<AgentPolicy | undefined> {
  const { agentPolicy, prefix } = wayBackInputs(ctx);
  const http = await fleetHttp(ctx);
  if (agentPolicy.kind === "agentless") return undefined;
  if (agentPolicy.kind === "existing") {
    const found = await getAgentPolicy(http, agentPolicy.id);
    if (!found)
      throw new PreconditionError(`Fleet has no agent policy with id ${agentPolicy.id}.`, {
        code: "AGENT_POLICY_NOT_FOUND",
        suggestion:
          "Copy the id from Fleet → Agent policies, pass --agent-policy-id agentless for an agentless deployment, or leave it empty to let us create one.",
      });
    return found;
  }
  return findAgentPolicyByName(http, agentPolicyName(prefix));
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
  const http = await fleetHttp(ctx);
  for (const c of changes) {
    if (c.action !== "create") continue;
    // Re-check: a concurrent or interrupted run may have created it already.
    if (await findAgentPolicyByName(http, agentPolicyName(prefix))) continue;
    await createAgentPolicy(http, {
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

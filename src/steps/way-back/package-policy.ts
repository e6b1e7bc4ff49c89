/**
 * Step: the `microsoft_sentinel` package policy (`<prefix>-microsoft-sentinel`), in the simplified format:
 * the `cel` input's alert and incident streams with the workspace and app registration, our echo filter in
 * each stream's `processors`, the Event Hub input only when its inputs are given. Placed on the agent policy
 * from the agent-policy step, or agentless.
 */
import type { Change, Check, Step, StepContext, TeardownStep } from "../../engine/types.js";
import type { SimplifiedPackagePolicy } from "../../fleet/types.js";
import { versionAtLeast } from "../../kibana/version.js";
import { AGENT_POLICY_STEP, resolveAgentPolicy } from "./agent-policy.js";
import { fleetApi } from "./clients.js";
import { kibanaVersion, wayBackInputs } from "./context.js";
import { choosePackageVersion, FLEET_PACKAGE_STEP } from "./fleet-package.js";
import { packagePolicyName } from "../../names.js";
import { desiredPackagePolicy, diffPackagePolicy, type Placement, policyValuesFrom } from "./policy-body.js";
import { ROLE_ASSIGNMENT_STEP } from "./role-assignment.js";
import { verifyPackagePolicy } from "./verify-policy.js";
import { fleetUnavailable, packagePolicyIdsOf, T_PACKAGE_POLICY } from "./teardown-common.js";

export const PACKAGE_POLICY_STEP = "way-back.package-policy";

type Ctx = Pick<StepContext, "config" | "names" | "clients" | "shared">;

async function desired(ctx: Ctx): Promise<{ body: SimplifiedPackagePolicy; placement: Placement }> {
  const inputs = wayBackInputs(ctx);
  const { version } = await choosePackageVersion(ctx);
  const values = policyValuesFrom(ctx.config, inputs.workspace, version, inputs.tenantId)!;
  const agentPolicy = await resolveAgentPolicy(ctx);
  const placement: Placement = { agentless: inputs.agentPolicy.kind === "agentless", agentPolicyId: agentPolicy?.id };
  return { body: desiredPackagePolicy(values), placement };
}

/** Fleet before 8.15 knows only `policy_id`; later ones take `policy_ids` (several agent policies per integration). */
async function placed(ctx: Ctx, body: SimplifiedPackagePolicy, placement: Placement): Promise<SimplifiedPackagePolicy> {
  if (placement.agentless) return { ...body, supports_agentless: true };
  const ids = placement.agentPolicyId ? [placement.agentPolicyId] : [];
  return versionAtLeast(await kibanaVersion(ctx), "8.15.0")
    ? { ...body, policy_ids: ids }
    : { ...body, policy_id: placement.agentPolicyId ?? null };
}

async function plan(ctx: StepContext): Promise<Change[]> {
  const { prefix } = wayBackInputs(ctx);
  const name = packagePolicyName(prefix);
  const base = {
    step: PACKAGE_POLICY_STEP,
    target: "fleet" as const,
    resource: "package policy (microsoft_sentinel)",
    name,
  };
  const { body, placement } = await desired(ctx);
  const existing = await (await fleetApi(ctx)).findPackagePolicyByName(name);
  if (!existing)
    return [
      {
        ...base,
        action: "create",
        reason: `collect Sentinel alerts and incidents${body.inputs["microsoft_sentinel-azure-eventhub"]?.enabled ? " and events" : ""} into Elastic`,
      },
    ];
  const diff = diffPackagePolicy(body, existing, placement);
  if (diff.length === 0) return [{ ...base, action: "no-op", reason: `package policy ${existing.id} is up to date` }];
  return [
    {
      ...base,
      action: "update",
      reason: `${diff.length} setting(s) differ`,
      diff,
      payload: { id: existing.id },
    },
  ];
}

async function apply(ctx: StepContext, changes: Change[]): Promise<void> {
  const fleet = await fleetApi(ctx);
  for (const c of changes) {
    if (c.action !== "create" && c.action !== "update") continue;
    // Rebuilt here rather than carried in the change: the body holds secrets, and the agent policy may only
    // now exist (created by the agent-policy step).
    const { body, placement } = await desired(ctx);
    const full = await placed(ctx, body, placement);
    const existing = await fleet.findPackagePolicyByName(body.name);
    if (existing) await fleet.updatePackagePolicy(existing.id, full);
    else await fleet.createPackagePolicy(full);
  }
}

export const packagePolicyStep: Step = {
  id: PACKAGE_POLICY_STEP,
  title: "Fleet: microsoft_sentinel package policy",
  target: "fleet",
  after: [FLEET_PACKAGE_STEP, AGENT_POLICY_STEP, ROLE_ASSIGNMENT_STEP],
  enabled: (config) => config.features.sentinelToElastic,
  plan,
  apply,
  verify: (ctx: StepContext): Promise<Check[]> => verifyPackagePolicy(ctx),
};

/** Teardown: first of the way back (it holds the app registration's secret), with the agentless policy Fleet made for it. */
export const packagePolicyTeardown: TeardownStep<{ id?: string; agentPolicyId?: string }> = {
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
    const fleet = await fleetApi(ctx);
    const found = await fleet.findPackagePolicyByName(name);
    if (!found) return [{ ...base, action: "no-op", reason: "not found" }];
    if (!n.isOurs(found.description))
      return [{ ...base, action: "no-op", reason: `${found.id} lacks our marker (${n.marker}): left alone` }];
    const changes: Change<{ id?: string; agentPolicyId?: string }>[] = [
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
        const ap = await fleet.getAgentPolicy(id);
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
    const fleet = await fleetApi(ctx);
    for (const c of changes.filter((c) => c.action === "delete")) {
      const p = c.payload!;
      if (p.id) await fleet.deletePackagePolicy(p.id);
    }
    for (const c of changes.filter((c) => c.action === "delete")) {
      const p = c.payload!;
      if (p.agentPolicyId && (await fleet.getAgentPolicy(p.agentPolicyId)))
        await fleet.deleteAgentPolicy(p.agentPolicyId);
    }
  },
};

/**
 * What the way back's teardown steps share: their ids (here, so that `after` needs no import between the
 * object modules), Fleet's availability, the package policies of an agent policy.
 */
import type { Change, StepContext } from "../../engine/types.js";
import { AuthError } from "../../errors.js";
import type { AgentPolicy } from "../../fleet/types.js";
import { fleetApi } from "./clients.js";

export const T_PACKAGE_POLICY = "way-back.teardown.package-policy";
export const T_AGENT_POLICY = "way-back.teardown.agent-policy";
export const T_ROLE = "way-back.teardown.role-assignment";
export const T_PACKAGE = "way-back.teardown.package";

/** Package policies of an agent policy: objects on current Fleet, bare ids on older ones. */
export function packagePolicyIdsOf(p: AgentPolicy): string[] {
  return ((p.package_policies ?? []) as ({ id: string } | string)[]).map((x) => (typeof x === "string" ? x : x.id));
}

/**
 * Fleet teardown runs whatever `features.sentinelToElastic` says now (it may have been on when setup ran), so
 * a stack without Fleet, or, with the feature off, credentials without Fleet privileges, mean "nothing of
 * ours there" rather than a failure.
 */
export async function fleetUnavailable(
  ctx: StepContext,
  base: Omit<Change, "action" | "reason" | "payload">,
): Promise<Change<never>[] | undefined> {
  try {
    if (await (await fleetApi(ctx)).getFleetStatus()) return undefined;
    return [{ ...base, action: "no-op", reason: "Fleet is not available in this Kibana" }];
  } catch (e) {
    if (e instanceof AuthError && !ctx.config.features.sentinelToElastic)
      return [{ ...base, action: "no-op", reason: `skipped: cannot read Fleet (${e.message})` }];
    throw e;
  }
}

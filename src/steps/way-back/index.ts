/**
 * The way back: Sentinel alerts and incidents into Elastic through the `microsoft_sentinel` Fleet
 * integration. Setup order: package (with Fleet's readiness), role assignment, agent policy,
 * then the package policy that needs all three.
 */
import type { Step, TeardownStep } from "../../engine/types.js";
import { agentPolicyStep, agentPolicyTeardown } from "./agent-policy.js";
import { fleetPackageStep, packageTeardown } from "./fleet-package.js";
import { packagePolicyStep, packagePolicyTeardown } from "./package-policy.js";
import { roleAssignmentStep, roleAssignmentTeardown } from "./role-assignment.js";

export const wayBackSteps: Step[] = [fleetPackageStep, roleAssignmentStep, agentPolicyStep, packagePolicyStep];

export interface WayBackTeardownOptions {
  uninstallPackages?: boolean;
}

/**
 * Teardown, in reverse: the package policy, then our agent policy, then the role assignment; the package
 * only with `uninstallPackages` (`--uninstall-packages`).
 */
export function createWayBackTeardownSteps(options: WayBackTeardownOptions = {}): (TeardownStep | Step)[] {
  return [
    packagePolicyTeardown,
    agentPolicyTeardown,
    roleAssignmentTeardown,
    ...(options.uninstallPackages ? [packageTeardown] : []),
  ];
}

/** Teardown without `--uninstall-packages`; use createWayBackTeardownSteps({uninstallPackages: true}) for it. */
export const wayBackTeardownSteps = createWayBackTeardownSteps();

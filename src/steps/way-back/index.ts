/**
 * The way back: Sentinel alerts and incidents into Elastic through the `microsoft_sentinel` Fleet
 * integration (issue 10). Setup order: package (with Fleet's readiness), role assignment, agent policy,
 * then the package policy that needs all three.
 */
import type { Step, TeardownStep } from "../../engine/types.js";
import { agentPolicyStep } from "./agent-policy.js";
import { fleetPackageStep } from "./fleet-package.js";
import { packagePolicyStep } from "./package-policy.js";
import { roleAssignmentStep } from "./role-assignment.js";
import { createWayBackTeardownSteps } from "./teardown.js";

export const wayBackSteps: Step[] = [fleetPackageStep, roleAssignmentStep, agentPolicyStep, packagePolicyStep];

/** Teardown without `--uninstall-packages`; use createWayBackTeardownSteps({uninstallPackages: true}) for it. */
export const wayBackTeardownSteps: TeardownStep[] = createWayBackTeardownSteps();

export { createWayBackTeardownSteps, type WayBackTeardownOptions } from "./teardown.js";

/**
 * The way back's steps, as listed in src/steps/index.ts: Sentinel alerts and incidents into Elastic through the
 * `microsoft_sentinel` Fleet integration. Setup order: package (with Fleet's readiness), role assignment, agent
 * policy, then the package policy that needs all three. Teardown in reverse; the package only with
 * `uninstallPackages` (`--uninstall-packages`).
 */
import { setupStepsOf, type TeardownOptions, teardownStepsOf } from "../index.js";

export const wayBackSteps = setupStepsOf("way-back");

export const createWayBackTeardownSteps = (options: TeardownOptions = {}) => teardownStepsOf("way-back", options);

/** Teardown without `--uninstall-packages`; use createWayBackTeardownSteps({uninstallPackages: true}) for it. */
export const wayBackTeardownSteps = createWayBackTeardownSteps();

/** The order of `teardown`: the Kibana side first (rule before its connector, settings before theirs), then Azure. */
import type { Step } from "../engine/types.js";
import { createWayBackTeardownSteps } from "../steps/way-back/index.js";
import { azureTeardown } from "./azure.js";
import { kibanaTeardownSteps } from "../steps/kibana/index.js";

export { TEARDOWN_OPTIONS, type TeardownOptions } from "./azure.js";

export function teardownSteps(options: { uninstallPackages?: boolean } = {}): Step[] {
  // The way back first: its package policy holds the app registration's secret; its role assignment is Azure's.
  return [...createWayBackTeardownSteps(options), ...kibanaTeardownSteps, azureTeardown];
}

/** The order of `teardown`: the Kibana side first (rule before its connector, settings before theirs), then Azure. */
import type { Step } from "../engine/types.js";
import { azureTeardown } from "./azure.js";
import { kibanaTeardownSteps } from "./kibana.js";

export { TEARDOWN_OPTIONS, type TeardownOptions } from "./azure.js";

export function teardownSteps(): Step[] {
  return [...kibanaTeardownSteps, azureTeardown];
}

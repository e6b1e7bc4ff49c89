/**
 * Both orders, in one place.
 *
 * `setup`: every preflight before any change (questions and checks before slow work), then the Azure side
 * (which yields the Logic Apps' callback URLs), then the Kibana side that points at them, then the way back
 * (the microsoft_sentinel integration) when it is enabled.
 *
 * `teardown`: the way back first (its package policy holds the app registration's secret; its role assignment
 * is Azure's), then the Kibana side (rule before its connector, settings before theirs), then Azure.
 */
import type { Step } from "../engine/types.js";
import { azurePreflightSteps, azureSteps, azureTeardownSteps } from "./azure/index.js";
import type { AzureTeardownOptions } from "./azure/deploy-teardown.js";
import { kibanaPreflightSteps, kibanaSteps, kibanaTeardownSteps } from "./kibana/index.js";
import { createWayBackTeardownSteps, type WayBackTeardownOptions, wayBackSteps } from "./way-back/index.js";

export function setupSteps(): Step[] {
  // The way back (Sentinel → Elastic, off by default) needs neither side's objects, so it comes last.
  return [...kibanaPreflightSteps, ...azurePreflightSteps, ...azureSteps, ...kibanaSteps, ...wayBackSteps];
}

/** What `teardown` removes beyond what setup made for this prefix (each off by default). */
export type TeardownOptions = AzureTeardownOptions & WayBackTeardownOptions;

export function teardownSteps(options: TeardownOptions = {}): Step[] {
  return [...createWayBackTeardownSteps(options), ...kibanaTeardownSteps, ...azureTeardownSteps(options)];
}

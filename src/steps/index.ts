/**
 * The order of `setup`: every preflight before any change (questions and checks before slow work), then
 * the Azure side (which yields the Logic Apps' callback URLs), then the Kibana side that points at them, then
 * the way back (the microsoft_sentinel integration) when it is enabled.
 */
import type { Step } from "../engine/types.js";
import { azurePreflightSteps, azureSteps } from "./azure/index.js";
import { kibanaPreflightSteps, kibanaSteps } from "./kibana/index.js";
import { wayBackSteps } from "./way-back/index.js";

export function setupSteps(): Step[] {
  // The way back (Sentinel → Elastic, off by default) needs neither side's objects, so it comes last.
  return [...kibanaPreflightSteps, ...azurePreflightSteps, ...azureSteps, ...kibanaSteps, ...wayBackSteps];
}

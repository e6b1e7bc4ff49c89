/**
 * The order of `setup`: every preflight before any change (questions and checks before slow work), then
 * the Azure side (which yields the Logic Apps' callback URLs), then the Kibana side that points at them.
 */
import type { Step } from "../engine/types.js";
import { azurePreflightSteps, azureSteps } from "./azure/index.js";
import { kibanaPreflightSteps, kibanaSteps } from "./kibana/index.js";

export function setupSteps(): Step[] {
  return [...kibanaPreflightSteps, ...azurePreflightSteps, ...azureSteps, ...kibanaSteps];
}

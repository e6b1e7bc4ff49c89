/**
 * The Kibana side's steps, as listed in src/steps/index.ts (one line per managed object): preflight first
 * (before any change), the rest after the Azure side. Teardown never leaves a broken reference (bulk rule
 * actions fail when a rule points at a deleted connector, elastic/kibana#239606): the rule before the alert
 * connector, the case settings before the case connector. Only objects with our deterministic ids and our
 * marker (src/ownership/marker.ts) are touched; a look-alike is listed as someone else's and left alone.
 */
import { setupStepsOf, teardownStepsOf } from "../index.js";

export const kibanaPreflightSteps = setupStepsOf("kibana", true);
export const kibanaSteps = setupStepsOf("kibana", false);
export const kibanaTeardownSteps = teardownStepsOf("kibana");

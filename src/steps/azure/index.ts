/**
 * The Azure side's steps, as listed in src/steps/index.ts (one line per managed object): preflight (no
 * changes), then deploy → callback URLs → the Logic Apps' authorizations (Sentinel; Logs Ingestion), which
 * wait until Azure has made the new roles effective. Teardown: the Logic Apps' keys first (access-keys.ts),
 * the Graph app roles before the workflows that hold them, then everything the deployments made.
 */
import type { TeardownOptions } from "../index.js";
import { setupStepsOf, teardownStepsOf } from "../index.js";

export const azurePreflightSteps = setupStepsOf("azure", true);
export const azureSteps = setupStepsOf("azure", false);
export const azureTeardownSteps = (options: TeardownOptions = {}) => teardownStepsOf("azure", options);

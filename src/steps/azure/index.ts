/**
 * The azure steps of setup, in order: preflight (no changes), then deploy → callback URLs → the Logic Apps'
 * authorizations (Sentinel; Logs Ingestion), which wait until Azure has made the new roles effective.
 */
import type { Step } from "../../engine/types.js";
import { azureRotateKeys, azureTeardownRotateKeys } from "./access-keys.js";
import { azureCallbackUrls } from "./callback-urls.js";
import { azureDeploy } from "./deploy.js";
import { azureDefenderAppRoles, azureDefenderAppRolesTeardown } from "./defender-case-sync/app-roles.js";
import { type AzureTeardownOptions, createAzureTeardown } from "./deploy-teardown.js";
import { azureIngestionAuthorization } from "./ingestion-authorization.js";
import { azurePreflight } from "./preflight.js";
import { azureSentinelAuthorization } from "./sentinel-authorization.js";

export const azurePreflightSteps: Step[] = [azurePreflight];
export const azureSteps: Step[] = [
  azureDeploy,
  azureDefenderAppRoles,
  azureRotateKeys,
  azureCallbackUrls,
  azureSentinelAuthorization,
  azureIngestionAuthorization,
];

/** Teardown: everything the deployments made, in one step (the order within it: deploy-teardown.ts). */
// The Logic Apps' keys are regenerated early (access-keys.ts): the callback URLs Kibana holds die even if teardown
// stops before it deletes the workflows. The Graph app roles go before the workflows that hold them.
export const azureTeardownSteps = (options: AzureTeardownOptions = {}): Step[] => {
  const azure = createAzureTeardown(options);
  return [
    azureTeardownRotateKeys,
    azureDefenderAppRolesTeardown,
    { ...azure, after: [...(azure.after ?? []), azureDefenderAppRolesTeardown.id] },
  ];
};

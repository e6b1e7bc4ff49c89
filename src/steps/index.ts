/**
 * Every managed object, in one list: one line each, in setup order, naming the object's setup step and, when
 * setup leaves something behind, its teardown step. `teardown` runs the teardown steps in the reverse order.
 * Adding a managed object is one module in src/steps/<side>/ and one line here (docs/architecture.md).
 *
 * `setup`: every preflight before any change (questions and checks before slow work), then the Azure side
 * (which yields the Logic Apps' callback URLs), then the Kibana side that points at them, then the way back
 * (the microsoft_sentinel integration) when it is enabled.
 * `teardown`, so in reverse: the way back first (its package policy holds the app registration's secret; its
 * role assignment is Azure's), then the Kibana side (rule before its connector, settings before theirs), then
 * Azure (keys regenerated first, so the callback URLs Kibana holds die even if teardown stops early).
 * Within a run the engine follows each step's `after`; the list order is the order plans are shown in.
 */
import type { Step } from "../engine/types.js";
import { verifyCasesTeardown } from "../verify/leftovers.js";
import { azureRetireAlertSig, azureRotateKeys, azureTeardownRotateKeys } from "./azure/access-keys.js";
import { alertAppTeardown, azureAlertApp, azureRetireAlertApp } from "./azure/alert-app.js";
import { azureCallbackUrls } from "./azure/callback-urls.js";
import { azureDefenderAppRoles, azureDefenderAppRolesTeardown } from "./azure/defender-case-sync/app-roles.js";
import { azureDeploy } from "./azure/deploy.js";
import { type AzureTeardownOptions, createAzureTeardown } from "./azure/deploy-teardown.js";
import { azureIngestionAuthorization } from "./azure/ingestion-authorization.js";
import { azurePreflight } from "./azure/preflight.js";
import { azureSentinelAuthorization } from "./azure/sentinel-authorization.js";
import { alertConnectorStep, alertConnectorTeardown } from "./kibana/alert-connector.js";
import { caseConnectorStep, caseConnectorTeardown } from "./kibana/case-connector.js";
import { caseSettingsStep, caseSettingsTeardown } from "./kibana/case-settings.js";
import { detectionRuleStep, detectionRuleTeardown } from "./kibana/detection-rule.js";
import { kibanaPreflightStep } from "./kibana/preflight.js";
import { testDocumentStep } from "./kibana/test-document.js";
import { agentPolicyStep, agentPolicyTeardown } from "./way-back/agent-policy.js";
import { fleetPackageStep, packageTeardown } from "./way-back/fleet-package.js";
import { packagePolicyStep, packagePolicyTeardown } from "./way-back/package-policy.js";
import { roleAssignmentStep, roleAssignmentTeardown } from "./way-back/role-assignment.js";

/** What `teardown` removes beyond what setup made for this prefix (each off by default). */
export interface TeardownOptions extends AzureTeardownOptions {
  /** --uninstall-packages: also uninstall the microsoft_sentinel Fleet package. */
  uninstallPackages?: boolean;
}

export type Side = "kibana" | "azure" | "way-back";

export interface ManagedObject {
  side: Side;
  /** A preflight: checks and questions before any change; runs first. */
  preflight?: true;
  /** Its setup step (plan / apply / verify); none for what only teardown removes. */
  setup?: Step;
  /** Its teardown step, given the teardown options (undefined: nothing to remove with these options). */
  teardown?: Step | ((options: TeardownOptions) => Step | undefined);
}

export const managedObjects: readonly ManagedObject[] = [
  { side: "kibana", preflight: true, setup: kibanaPreflightStep },
  { side: "azure", preflight: true, setup: azurePreflight },
  { side: "azure", setup: azureAlertApp, teardown: alertAppTeardown },
  { side: "azure", setup: azureDeploy, teardown: createAzureTeardown },
  { side: "azure", setup: azureDefenderAppRoles, teardown: azureDefenderAppRolesTeardown },
  { side: "azure", setup: azureRotateKeys, teardown: azureTeardownRotateKeys },
  { side: "azure", setup: azureCallbackUrls },
  { side: "azure", setup: azureSentinelAuthorization },
  { side: "azure", setup: azureIngestionAuthorization },
  { side: "kibana", setup: caseConnectorStep, teardown: caseConnectorTeardown },
  { side: "kibana", teardown: verifyCasesTeardown },
  { side: "kibana", setup: caseSettingsStep, teardown: caseSettingsTeardown },
  { side: "kibana", setup: alertConnectorStep, teardown: alertConnectorTeardown },
  // Kibana's side: it follows the alert connector (the Azure key it regenerates is the one the connector dropped).
  { side: "kibana", setup: azureRetireAlertSig },
  // Likewise: the app registration goes once the alert connector no longer signs in with it (alerts.webhookAuth sas).
  { side: "kibana", setup: azureRetireAlertApp },
  { side: "kibana", setup: testDocumentStep },
  { side: "kibana", setup: detectionRuleStep, teardown: detectionRuleTeardown },
  { side: "way-back", setup: fleetPackageStep, teardown: (o) => (o.uninstallPackages ? packageTeardown : undefined) },
  { side: "way-back", setup: roleAssignmentStep, teardown: roleAssignmentTeardown },
  { side: "way-back", setup: agentPolicyStep, teardown: agentPolicyTeardown },
  { side: "way-back", setup: packagePolicyStep, teardown: packagePolicyTeardown },
];

const ofSide = (side?: Side) => managedObjects.filter((o) => !side || o.side === side);

/** The setup steps in order (of one side, or all); `preflight` picks the preflights or the rest. */
export function setupStepsOf(side?: Side, preflight?: boolean): Step[] {
  return ofSide(side)
    .filter((o) => preflight === undefined || Boolean(o.preflight) === preflight)
    .flatMap((o) => (o.setup ? [o.setup] : []));
}

/** The teardown steps in order (of one side, or all): the reverse of setup. */
export function teardownStepsOf(side: Side | undefined, options: TeardownOptions = {}): Step[] {
  return ofSide(side)
    .toReversed()
    .flatMap((o) => {
      const step = typeof o.teardown === "function" ? o.teardown(options) : o.teardown;
      return step ? [step] : [];
    });
}

export function setupSteps(): Step[] {
  return setupStepsOf();
}

export function teardownSteps(options: TeardownOptions = {}): Step[] {
  return teardownStepsOf(undefined, options);
}

/**
 * The Kibana steps, in order. Setup: preflight first (before any change), the rest after the Azure side.
 * Teardown: never a broken reference (bulk rule actions fail when a rule points at a deleted connector,
 * elastic/kibana#239606): the rule before the alert connector, the case settings before the case connector.
 * Only objects with our deterministic ids and our marker (src/ownership/marker.ts) are touched; a look-alike
 * is listed as someone else's and left alone.
 */
import type { Step } from "../../engine/types.js";
import { alertConnectorStep, alertConnectorTeardown } from "./alert-connector.js";
import { caseConnectorStep, caseConnectorTeardown } from "./case-connector.js";
import { caseSettingsStep, caseSettingsTeardown } from "./case-settings.js";
import { detectionRuleStep, detectionRuleTeardown } from "./detection-rule.js";
import { kibanaPreflightStep } from "./preflight.js";
import { testDocumentStep } from "./test-document.js";
import { verifyCasesTeardown } from "../../verify/leftovers.js";

export const kibanaPreflightSteps: Step[] = [kibanaPreflightStep];
export const kibanaSteps: Step[] = [
  caseConnectorStep,
  caseSettingsStep,
  alertConnectorStep,
  testDocumentStep,
  detectionRuleStep,
];

export const kibanaTeardownSteps: Step[] = [
  detectionRuleTeardown,
  alertConnectorTeardown,
  caseSettingsTeardown,
  verifyCasesTeardown,
  caseConnectorTeardown,
];

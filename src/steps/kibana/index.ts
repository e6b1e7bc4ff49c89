/** The kibana steps of setup, in order: preflight first (before any change), the rest after the Azure side. */
import type { Step } from "../../engine/types.js";
import { alertConnectorStep } from "./alert-connector.js";
import { caseConnectorStep } from "./case-connector.js";
import { caseSettingsStep } from "./case-settings.js";
import { detectionRuleStep } from "./detection-rule.js";
import { kibanaPreflightStep } from "./preflight.js";
import { testDocumentStep } from "./test-document.js";

export const kibanaPreflightSteps: Step[] = [kibanaPreflightStep];
export const kibanaSteps: Step[] = [
  caseConnectorStep,
  caseSettingsStep,
  alertConnectorStep,
  detectionRuleStep,
  testDocumentStep,
];

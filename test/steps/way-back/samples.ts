/** Sample Sentinel incidents and alerts (the API shape, as in the integration's pipeline test data). */
import { analyticsRuleId, analyticsRuleName } from "../../../src/names.js";
import { WORKSPACE_ID } from "./helpers.js";

const PREFIX = "elastic-sentinel";
export const OUR_RULE_ID = analyticsRuleId(WORKSPACE_ID, PREFIX);
const OTHER_RULE_ID = `${WORKSPACE_ID}/providers/Microsoft.SecurityInsights/alertRules/fab3d2d4-747f-46a7-8ef0-9c0be8112bf7`;

function incident(name: string, p: Record<string, unknown>) {
  return {
    id: `${WORKSPACE_ID}/providers/Microsoft.SecurityInsights/incidents/${name}`,
    name,
    type: "Microsoft.SecurityInsights/incidents",
    etag: '"bbbbbbbb-0000-0000-0000-5c37296e0000"',
    properties: {
      title: "My incident",
      description: "This is a demo incident",
      severity: "High",
      status: "New",
      labels: [],
      relatedAnalyticRuleIds: [],
      incidentNumber: 3177,
      createdTimeUtc: "2026-01-01T10:00:00Z",
      lastModifiedTimeUtc: "2026-01-01T10:05:00Z",
      providerName: "Azure Sentinel",
      additionalData: { alertsCount: 1, bookmarksCount: 0, commentsCount: 0, alertProductNames: [], tactics: [] },
      ...p,
    },
  };
}

export const ourIncidents = {
  "case incident (label elastic-case)": incident("c1", {
    title: "Suspicious login on web-01",
    description: "https://kibana.example.com/s/soc/app/security/cases/3f1c… Opened from Elastic",
    labels: [{ labelName: "elastic-case", labelType: "User" }],
  }),
  "case incident with more labels": incident("c2", {
    labels: [
      { labelName: "triage", labelType: "User" },
      { labelName: "elastic-case", labelType: "User" },
    ],
  }),
  "alert incident (our analytics rule)": incident("a1", {
    title: "Elastic Security alert: Malware & <dropper> detected",
    relatedAnalyticRuleIds: [OUR_RULE_ID],
  }),
  "alert incident, rule id in other letter case": incident("a2", {
    title: "Renamed by an analyst",
    relatedAnalyticRuleIds: [OUR_RULE_ID.replace("alertRules", "AlertRules").toUpperCase()],
  }),
  "alert incident retitled but keeping our prefix": incident("a3", {
    title: "Elastic Security alert: x",
    relatedAnalyticRuleIds: [OTHER_RULE_ID],
  }),
};

export const otherIncidents = {
  "plain Sentinel incident": incident("o1", { relatedAnalyticRuleIds: [OTHER_RULE_ID] }),
  "similar label elastic-cases": incident("o2", { labels: [{ labelName: "elastic-cases", labelType: "User" }] }),
  "label with our label as a suffix": incident("o3", {
    labels: [{ labelName: "not-elastic-case", labelType: "User" }],
  }),
  "our label only in the description": incident("o4", { description: 'tagged "elastic-case" in Elastic? no' }),
  "our prefix not at the start of the title": incident("o5", { title: "Re: Elastic Security alert: lateral movement" }),
  "our title prefix inside the description": incident("o6", { description: '"title":"Elastic Security alert: spoof' }),
  "another rule of ours in another instance": incident("o7", {
    relatedAnalyticRuleIds: [analyticsRuleId(WORKSPACE_ID, "other-prefix")],
  }),
};

function alert(p: Record<string, unknown>) {
  return {
    id: `${WORKSPACE_ID}/providers/Microsoft.SecurityInsights/entities/e1`,
    name: "e1",
    kind: "SecurityAlert",
    properties: {
      alertDisplayName: "Suspicious process",
      productName: "Azure Sentinel",
      severity: "Medium",
      status: "New",
      friendlyName: "Suspicious process",
      additionalData: {},
      ...p,
    },
  };
}

export const ourAlerts = {
  "alert from our rule (rule name in alertType)": alert({
    alertDisplayName: "Elastic Security alert: Malware",
    alertType: `0fe6aa9e-0000-0000-0000-000000000000_${analyticsRuleName(WORKSPACE_ID, PREFIX)}`,
  }),
  "alert with our display-name prefix": alert({ alertDisplayName: "Elastic Security alert: Brute force" }),
};

export const otherAlerts = {
  "Defender alert": alert({ alertDisplayName: "Impossible travel", productName: "Microsoft Defender for Cloud Apps" }),
  "alert from another rule": alert({
    alertType: "0fe6aa9e-0000-0000-0000-000000000000_fab3d2d4-747f-46a7-8ef0-9c0be8112bf7",
  }),
};

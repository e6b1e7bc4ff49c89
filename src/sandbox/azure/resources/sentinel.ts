/**
 * Microsoft.SecurityInsights extension resources on a workspace: onboardingStates and alertRules.
 * - NRT rules exist only in preview api-versions; stable 2025-09-01 AlertRuleKindEnum is
 *   Scheduled|MicrosoftSecurityIncidentCreation|Fusion (specs stable/2025-09-01/AlertRules.json; facts §0.2).
 * - Required properties: NrtAlertRuleProperties (ARM schema 2025-07-01-preview) displayName, enabled, query,
 *   severity, suppressionDuration, suppressionEnabled; Scheduled adds queryFrequency, queryPeriod,
 *   triggerOperator, triggerThreshold.
 * - At most 50 NRT rules per workspace (https://learn.microsoft.com/azure/sentinel/near-real-time-rules#limitations).
 */
import { badRequest, notFound } from "../errors.js";
import { parseKql } from "../data/index.js";
import type { ArmResource } from "../state.js";
import type { ArmEnv, PutRequest, ResourceHandler } from "./types.js";

export const SECURITY_INSIGHTS_STABLE = [
  "2020-01-01",
  "2021-10-01",
  "2022-08-01",
  "2022-11-01",
  "2023-02-01",
  "2023-11-01",
  "2024-03-01",
  "2024-09-01",
  "2025-03-01",
  "2025-06-01",
  "2025-09-01",
];
export const SECURITY_INSIGHTS_PREVIEW = [
  "2019-01-01-preview",
  "2021-03-01-preview",
  "2021-09-01-preview",
  "2021-10-01-preview",
  "2022-01-01-preview",
  "2022-04-01-preview",
  "2022-05-01-preview",
  "2022-06-01-preview",
  "2022-07-01-preview",
  "2022-08-01-preview",
  "2022-09-01-preview",
  "2022-10-01-preview",
  "2022-11-01-preview",
  "2022-12-01-preview",
  "2023-02-01-preview",
  "2023-03-01-preview",
  "2023-04-01-preview",
  "2023-05-01-preview",
  "2023-06-01-preview",
  "2023-07-01-preview",
  "2023-08-01-preview",
  "2023-09-01-preview",
  "2023-10-01-preview",
  "2023-12-01-preview",
  "2024-01-01-preview",
  "2024-04-01-preview",
  "2024-10-01-preview",
  "2025-01-01-preview",
  "2025-04-01-preview",
  "2025-07-01-preview",
  "2025-10-01-preview",
];
const ALL_VERSIONS = [...SECURITY_INSIGHTS_STABLE, ...SECURITY_INSIGHTS_PREVIEW];

const SEVERITIES = ["High", "Medium", "Low", "Informational"];
const TRIGGER_OPERATORS = ["GreaterThan", "LessThan", "Equal", "NotEqual"];
const STABLE_KINDS = ["Scheduled", "MicrosoftSecurityIncidentCreation", "Fusion"];
const PREVIEW_KINDS = [...STABLE_KINDS, "NRT", "MLBehaviorAnalytics", "ThreatIntelligence"];
const SUPPORTED_KINDS = ["Scheduled", "NRT"];
export const MAX_NRT_RULES = 50;
/** Tables Sentinel itself provides, which rule queries may name without a table resource. */
const BUILT_IN_TABLES = ["SecurityAlert", "SecurityIncident", "SecurityEvent", "CommonSecurityLog", "Syslog"];

/** ISO-8601 duration (PnDTnHnMnS) in ms, or undefined. */
export function isoDurationMs(s: unknown): number | undefined {
  if (typeof s !== "string") return undefined;
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(s);
  if (!m || s === "P" || s.endsWith("T")) return undefined;
  return ((Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 60_000 + Number(m[4] ?? 0) * 1000;
}

export function workspaceOfExtension(env: ArmEnv, id: string): ArmResource {
  const ws = env.state.workspaceOf(id);
  if (!ws)
    throw notFound(
      "ResourceNotFound",
      `The Resource 'Microsoft.OperationalInsights/workspaces' for '${id}' was not found.`,
    );
  return ws;
}

export function requireOnboarded(env: ArmEnv, ws: ArmResource): void {
  if (!env.state.isSentinelOnboarded(ws.id))
    throw badRequest(
      "BadRequest",
      `Workspace '${ws.name}' is not onboarded to Microsoft Sentinel. Onboard it first (Microsoft.SecurityInsights/onboardingStates/default).`,
    );
}

function putOnboarding(r: PutRequest) {
  if (r.name !== "default")
    throw badRequest("BadRequest", `The onboarding state name '${r.name}' is not valid: it must be 'default'.`);
  const ws = workspaceOfExtension(r.env, r.id);
  const props = r.body.properties ?? {};
  if (props.customerManagedKey !== undefined && typeof props.customerManagedKey !== "boolean")
    throw badRequest("BadRequest", "'properties.customerManagedKey' must be a boolean.");
  void ws;
  const resource: ArmResource = {
    id: r.id,
    name: "default",
    type: "Microsoft.SecurityInsights/onboardingStates",
    etag: r.env.state.newEtag(),
    properties: { ...(props.customerManagedKey !== undefined ? { customerManagedKey: props.customerManagedKey } : {}) },
  };
  return { resource };
}

function required(props: Record<string, unknown>, names: string[], kind: string) {
  for (const n of names)
    if (props[n] === undefined || props[n] === null || props[n] === "")
      throw badRequest(
        "BadRequest",
        `Invalid data model. [properties.${n}: The ${n} field is required for ${kind} alert rules.]`,
      );
}

function putAlertRule(r: PutRequest) {
  const { body, env, apiVersion, existing } = r;
  const ws = workspaceOfExtension(env, r.id);
  requireOnboarded(env, ws);
  const kind = body.kind;
  const preview = apiVersion.endsWith("-preview");
  const allowed = preview ? PREVIEW_KINDS : STABLE_KINDS;
  if (typeof kind !== "string" || !allowed.includes(kind))
    throw badRequest(
      "BadRequest",
      kind === "NRT" && !preview
        ? `The alert rule kind 'NRT' is not supported by api-version '${apiVersion}': NRT rules exist only in preview api-versions (for example 2025-07-01-preview).`
        : `The alert rule kind '${kind}' is not valid for api-version '${apiVersion}'. Allowed kinds: ${allowed.join(", ")}.`,
    );
  if (!SUPPORTED_KINDS.includes(kind))
    throw badRequest("BadRequest", `The alert rule kind '${kind}' is not supported by the sandbox.`);
  const props = (body.properties ?? {}) as Record<string, any>;
  const common = ["displayName", "enabled", "query", "severity", "suppressionDuration", "suppressionEnabled"];
  required(
    props,
    kind === "Scheduled" ? [...common, "queryFrequency", "queryPeriod", "triggerOperator", "triggerThreshold"] : common,
    kind,
  );
  if (!SEVERITIES.includes(props.severity))
    throw badRequest(
      "BadRequest",
      `Invalid data model. [properties.severity: '${props.severity}' is not one of ${SEVERITIES.join(", ")}.]`,
    );
  if (typeof props.enabled !== "boolean" || typeof props.suppressionEnabled !== "boolean")
    throw badRequest(
      "BadRequest",
      "Invalid data model. [properties.enabled and properties.suppressionEnabled must be booleans.]",
    );
  if (isoDurationMs(props.suppressionDuration) === undefined)
    throw badRequest(
      "BadRequest",
      `Invalid data model. [properties.suppressionDuration: '${props.suppressionDuration}' is not an ISO 8601 duration.]`,
    );
  if (String(props.query).length > 10000) throw badRequest("BadRequest", "The query exceeds 10000 characters.");
  if (kind === "Scheduled") {
    const freq = isoDurationMs(props.queryFrequency);
    const period = isoDurationMs(props.queryPeriod);
    // https://learn.microsoft.com/azure/sentinel/detect-threats-custom#schedule-and-scope-the-query: 5 minutes to 14 days.
    if (freq === undefined || freq < 5 * 60_000 || freq > 14 * 86_400_000)
      throw badRequest(
        "BadRequest",
        `Invalid data model. [properties.queryFrequency: '${props.queryFrequency}' must be between PT5M and P14D.]`,
      );
    if (period === undefined || period < 5 * 60_000 || period > 14 * 86_400_000)
      throw badRequest(
        "BadRequest",
        `Invalid data model. [properties.queryPeriod: '${props.queryPeriod}' must be between PT5M and P14D.]`,
      );
    if (period < freq)
      throw badRequest("BadRequest", "The query period must be greater than or equal to the query frequency.");
    if (!TRIGGER_OPERATORS.includes(props.triggerOperator))
      throw badRequest(
        "BadRequest",
        `Invalid data model. [properties.triggerOperator: '${props.triggerOperator}' is not valid.]`,
      );
    if (!Number.isInteger(props.triggerThreshold) || props.triggerThreshold < 0 || props.triggerThreshold > 10000)
      throw badRequest(
        "BadRequest",
        "Invalid data model. [properties.triggerThreshold must be an integer from 0 to 10000.]",
      );
  }
  if (kind === "NRT" && !existing) {
    const nrt = env.state.listAlertRules(ws.id).filter((x) => x.kind === "NRT").length;
    if (nrt >= MAX_NRT_RULES)
      throw badRequest("BadRequest", `The workspace already has the maximum of ${MAX_NRT_RULES} NRT analytics rules.`);
  }
  const ic = props.incidentConfiguration;
  if (ic !== undefined) {
    if (typeof ic.createIncident !== "boolean")
      throw badRequest(
        "BadRequest",
        "Invalid data model. [properties.incidentConfiguration.createIncident is required.]",
      );
    const g = ic.groupingConfiguration;
    if (g !== undefined) {
      for (const f of ["enabled", "reopenClosedIncident", "lookbackDuration", "matchingMethod"])
        if (g[f] === undefined)
          throw badRequest(
            "BadRequest",
            `Invalid data model. [properties.incidentConfiguration.groupingConfiguration.${f} is required.]`,
          );
      if (!["AllEntities", "AnyAlert", "Selected"].includes(g.matchingMethod))
        throw badRequest("BadRequest", `Invalid matchingMethod '${g.matchingMethod}'.`);
    }
  }
  // The rule's query must run: parse it with the sandbox's KQL subset and require its table.
  let table: string;
  try {
    table = parseKql(String(props.query)).source;
  } catch (e) {
    throw badRequest("BadRequest", `Failed to run the analytics rule query: ${(e as Error).message}`);
  }
  if (!BUILT_IN_TABLES.includes(table) && !env.state.getTable(ws.id, table))
    throw badRequest(
      "BadRequest",
      `Failed to run the analytics rule query. One of the tables does not exist: '${table}'.`,
    );
  const resource: ArmResource = {
    id: r.id,
    name: r.name,
    type: "Microsoft.SecurityInsights/alertRules",
    kind,
    etag: env.state.newEtag(),
    properties: { ...props, lastModifiedUtc: env.state.nowIso() },
  };
  return { resource };
}

export const onboardingStatesHandler: ResourceHandler = {
  type: "Microsoft.SecurityInsights/onboardingStates",
  apiVersions: ALL_VERSIONS,
  tracked: false,
  put: putOnboarding,
};

export const alertRulesHandler: ResourceHandler = {
  type: "Microsoft.SecurityInsights/alertRules",
  apiVersions: ALL_VERSIONS,
  tracked: false,
  put: putAlertRule,
};

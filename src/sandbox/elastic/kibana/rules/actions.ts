/**
 * Firing a rule's actions after an execution that produced alerts.
 * - Variables (security-docs "Alert notification placeholders"; SECSOL/.../schedule_notification_actions.ts
 *   formatAlertsForNotificationActions): context.alerts (alert docs, dotted keys expanded), context.rule.*,
 *   context.results_link, date, kibanaBaseUrl, rule.{id,name,spaceId,tags,type}, state.signals_count;
 *   summary actions also get alerts.new.count / alerts.all.count; per-alert actions (summary:false) get
 *   alert.{id,uuid,actionGroup,actionGroupName,actionSubgroup,flapping} and run once per alert.
 * - `.webhook` params.body renders with renderMustacheString(…,'json') (webhook/index.ts
 *   renderParameterTemplates).
 * - Retry: the task manager runs an action task up to 3 attempts when the executor returns `retry`
 *   (xpack.actions maxAttempts default 3; kibana PR #143224). The sandbox retries at once instead of
 *   after task-manager backoff, so tests stay deterministic.
 */
import type { SandboxContext, SpaceData } from "../../context.js";
import { expandDots } from "../../es/fields.js";
import { renderJson } from "../../mustache.js";
import { parseDuration } from "../../time.js";
import { executeConnector, type ExecutorResult, licenseError } from "../connectors/execute.js";
import type { RuleAction, StoredRule } from "./model.js";

export const MAX_ATTEMPTS = 3;

/**
 * The legacy `signal.*` view added to each alert in context.alerts so pre-8.0 templates keep working
 * (formatAlertsForNotificationActions + convertToLegacyAlert over
 * SECSOL/server/lib/detection_engine/routes/index/signal_aad_mapping.json; the main fields only).
 */
const LEGACY_FIELDS: [string, string][] = [
  ...[
    "id:uuid",
    "rule_id",
    "name",
    "description",
    "severity",
    "risk_score",
    "type",
    "interval",
    "from",
    "to",
    "tags",
    "version",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "enabled",
  ].map((f): [string, string] => {
    const [legacy, aad] = f.includes(":") ? (f.split(":") as [string, string]) : [f, f];
    return [`signal.rule.${legacy}`, `kibana.alert.rule.${aad}`];
  }),
  ["signal.status", "kibana.alert.workflow_status"],
  ["signal.original_time", "kibana.alert.original_time"],
  ["signal.reason", "kibana.alert.reason"],
  ["signal.depth", "kibana.alert.depth"],
  ["signal.ancestors", "kibana.alert.ancestors"],
];

function legacySignalFields(source: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [legacy, aad] of LEGACY_FIELDS) if (source[aad] != null) out[legacy] = source[aad];
  for (const [k, v] of Object.entries(source))
    if (k.startsWith("kibana.alert.original_event.") && v != null) out[`signal.original_event.${k.slice(28)}`] = v;
  return out;
}

export interface ActionRun {
  actionUuid: string;
  connectorId: string;
  attempts: number;
  result: ExecutorResult;
}

function ruleContext(rule: StoredRule) {
  return { ...rule.body, id: rule.id, rule_id: rule.rule_id };
}

function renderParams(action: RuleAction, vars: Record<string, unknown>): Record<string, unknown> {
  if (action.action_type_id === ".webhook" && typeof action.params.body === "string")
    return { ...action.params, body: renderJson(action.params.body, vars) };
  return action.params;
}

async function runWithRetry(
  ctx: SandboxContext,
  space: SpaceData,
  action: RuleAction,
  params: Record<string, unknown>,
): Promise<ActionRun> {
  const connector = space.connectors.get(action.id);
  if (!connector) {
    return {
      actionUuid: action.uuid,
      connectorId: action.id,
      attempts: 0,
      result: { status: "error", actionId: action.id, message: `Saved object [action/${action.id}] not found` },
    };
  }
  const licence = licenseError(ctx, connector.connector_type_id);
  if (licence)
    return {
      actionUuid: action.uuid,
      connectorId: action.id,
      attempts: 0,
      result: { status: "error", actionId: action.id, message: licence },
    };
  let attempts = 0;
  let result: ExecutorResult;
  do {
    attempts++;
    result = await executeConnector(ctx, connector, params);
  } while (result.status === "error" && result.retry && attempts < MAX_ATTEMPTS);
  return { actionUuid: action.uuid, connectorId: action.id, attempts, result };
}

export async function fireActions(
  ctx: SandboxContext,
  space: SpaceData,
  rule: StoredRule,
  alerts: { id: string; source: Record<string, unknown> }[],
  now: number,
): Promise<ActionRun[]> {
  if (alerts.length === 0 || rule.actions.length === 0) return [];
  const runs: ActionRun[] = [];
  const kibanaBaseUrl = ctx.kibanaUrl;
  const spacePrefix = space.id === "default" ? "" : `/s/${space.id}`;
  const expanded = alerts.map((a) => ({
    ...expandDots(legacySignalFields(a.source)),
    _id: a.id,
    ...expandDots(a.source),
  }));
  const base = {
    date: new Date(now).toISOString(),
    kibanaBaseUrl,
    rule: {
      id: rule.id,
      name: rule.body.name,
      spaceId: space.id,
      tags: rule.body.tags,
      type: "siem.queryRule",
      params: ruleContext(rule),
    },
    state: { signals_count: alerts.length },
  };
  for (const action of rule.actions) {
    const freq = action.frequency ?? { summary: true, notifyWhen: "onActiveAlert", throttle: null };
    if (freq.notifyWhen === "onThrottleInterval") {
      const window = parseDuration(freq.throttle ?? "") ?? 0;
      const last = rule.lastActionAt[action.uuid];
      if (last !== undefined && now - last < window) continue;
    }
    rule.lastActionAt[action.uuid] = now;
    const resultsLink = `${kibanaBaseUrl}${spacePrefix}/app/security/detections/rules/id/${rule.id}`;
    if (freq.summary) {
      const vars = {
        ...base,
        context: { alerts: expanded, results_link: resultsLink, rule: ruleContext(rule) },
        alerts: {
          new: { count: alerts.length, data: expanded },
          ongoing: { count: 0, data: [] },
          recovered: { count: 0, data: [] },
          all: { count: alerts.length, data: expanded },
        },
      };
      runs.push(await runWithRetry(ctx, space, action, renderParams(action, vars)));
    } else {
      for (const [i, alert] of alerts.entries()) {
        const vars = {
          ...base,
          context: { alerts: [expanded[i]], results_link: resultsLink, rule: ruleContext(rule) },
          alert: {
            id: alert.id,
            uuid: alert.id,
            actionGroup: "default",
            actionGroupName: "Default",
            actionSubgroup: undefined,
            flapping: false,
            consecutiveMatches: 1,
          },
        };
        runs.push(await runWithRetry(ctx, space, action, renderParams(action, vars)));
      }
    }
  }
  return runs;
}

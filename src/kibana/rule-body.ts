/** The detection rule we manage, built from templates/kibana/detection-rule.json and the rule.* inputs. */
import type { ResolvedConfig } from "../config/schema.js";
import { resolveNames, TEST_DATA_STREAM } from "../names.js";
import { ruleInstanceTag } from "../ownership/marker.js";
import type { QueryRuleBody, RuleAction } from "./rules.js";
import { type AlertActionBodyTemplate, type DetectionRuleTemplate, loadKibanaTemplate } from "./templates.js";

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Look back one interval plus a minute, as Kibana's rule form does (default 5m → now-6m), so runs overlap. */
export function lookbackFrom(interval: string): string {
  const m = /^(\d+)([smhd])$/.exec(interval);
  if (!m) return "now-6m";
  const seconds = Number(m[1]) * UNIT_SECONDS[m[2]!]! + 60;
  return seconds % 60 === 0 ? `now-${seconds / 60}m` : `now-${seconds}s`;
}

/**
 * Default indices: Kibana's default `securitySolution:defaultIndex` (DEFAULT_INDEX_PATTERN in
 * security_solution common/constants.ts) plus our test data stream, so the test document is always searched.
 */
export function ruleIndices(config: Pick<ResolvedConfig, "rule">): string[] {
  if (config.rule.index?.length) return [...config.rule.index];
  const t = loadKibanaTemplate<DetectionRuleTemplate>("detection-rule.json");
  return [...t.defaultIndex, TEST_DATA_STREAM];
}

export function alertActionBody(kind: ResolvedConfig["alerts"]["action"]): string {
  return loadKibanaTemplate<AlertActionBodyTemplate>("alert-action-body.json")[kind];
}

export function buildRuleBody(
  config: Pick<ResolvedConfig, "rule" | "alerts" | "naming" | "azure" | "sentinel">,
): QueryRuleBody {
  const t = loadKibanaTemplate<DetectionRuleTemplate>("detection-rule.json");
  const { prefix, kibana: n } = resolveNames(config);
  const summary = config.alerts.action === "summary";
  const action: RuleAction = {
    group: "default",
    id: n.alertConnectorId,
    action_type_id: ".webhook",
    params: { body: alertActionBody(config.alerts.action) },
    // Per-action frequency (8.8+): summary = once per run over all new alerts; per-alert = "For each alert".
    frequency: { summary, notifyWhen: "onActiveAlert", throttle: null },
  };
  return {
    rule_id: n.ruleId,
    type: t.type,
    language: t.language,
    name: t.name.replace("__PREFIX__", prefix),
    description: t.description.replace("__PREFIX__", prefix),
    query: config.rule.query,
    index: ruleIndices(config),
    interval: config.rule.interval,
    from: lookbackFrom(config.rule.interval),
    risk_score: config.rule.riskScore,
    severity: config.rule.severity,
    // Our ownership marker (src/ownership/marker.ts): a rule without it is someone else's.
    tags: [...t.tags, ruleInstanceTag(prefix)],
    enabled: t.enabled,
    max_signals: t.max_signals,
    actions: [action],
  };
}

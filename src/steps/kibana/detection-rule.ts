/**
 * The custom query rule whose alerts are forwarded: found by our deterministic rule_id and updated in place
 * (PUT replaces it), never created twice. One action on the alert connector, summary or per alert.
 */
import type { Change, Check, Step } from "../../engine/types.js";
import { PreconditionError, type SentinelElasticError } from "../../errors.js";
import { buildRuleBody } from "../../kibana/rule-body.js";
import {
  adoptReason,
  conflictChange,
  isAdopted,
  ownershipOf,
  ruleInstanceTag,
  ruleIsOurs,
} from "../../ownership/marker.js";
import type { QueryRuleBody, Rule, RuleAction } from "../../kibana/rules.js";
import { ownedObjectTeardown } from "../teardown-common.js";
import { KIBANA_ALERT_CONNECTOR } from "./alert-connector.js";
import { KIBANA_TEST_DOCUMENT } from "./test-document.js";
import { diffFields, type KibanaStepContext } from "./stack.js";
import { PREFIX_INPUT } from "../../names.js";

export const KIBANA_DETECTION_RULE = "kibana-detection-rule";
const RESOURCE = "detection rule (query)";

/** The parts of an action we manage; Kibana adds `uuid` and may add defaults. */
function normaliseActions(actions: RuleAction[] | undefined) {
  return (actions ?? []).map((a) => ({
    group: a.group,
    id: a.id,
    action_type_id: a.action_type_id,
    params: a.params,
    frequency: a.frequency
      ? { summary: a.frequency.summary, notifyWhen: a.frequency.notifyWhen, throttle: a.frequency.throttle ?? null }
      : undefined,
  }));
}

export function ruleDiff(existing: Rule, desired: QueryRuleBody) {
  const { actions, rule_id: _ruleId, ...fields } = desired;
  const current = existing as unknown as Record<string, unknown>;
  const diff = diffFields(current, fields);
  const a = diffFields({ actions: normaliseActions(existing.actions) }, { actions: normaliseActions(actions) });
  // The action body is long; say that it changed rather than printing it twice.
  return [...diff, ...a.map((d) => ({ field: d.field, from: "(previous action)", to: "(our action)" }))];
}

export async function planDetectionRule(ctx: KibanaStepContext): Promise<Change[]> {
  const kibana = await ctx.clients.kibana();
  const desired = buildRuleBody(ctx.config);
  const existing = await kibana.getRuleByRuleId(desired.rule_id);
  const base = { step: KIBANA_DETECTION_RULE, target: "kibana" as const, resource: RESOURCE, name: desired.rule_id };
  const owner = ownershipOf(Boolean(existing), ruleIsOurs(existing, ctx.names.prefix), ctx.shared, desired.rule_id);
  if (owner === "conflict") return [conflictChange(base, `detection rule ${desired.rule_id}`)];
  if (!existing)
    return [{ ...base, action: "create", reason: "not found", diff: [{ field: "query", to: desired.query }] }];
  const diff = ruleDiff(existing, desired);
  if (owner === "adopt")
    return [
      { ...base, action: "update", reason: adoptReason(`detection rule ${desired.rule_id}`), destructive: true, diff },
    ];
  if (!diff.length) return [{ ...base, action: "no-op", reason: "up to date" }];
  return [{ ...base, action: "update", reason: `${diff.length} field(s) differ; updated in place`, diff }];
}

export async function applyDetectionRule(ctx: KibanaStepContext, changes: Change[]): Promise<void> {
  if (!changes.some((c) => c.step === KIBANA_DETECTION_RULE && c.action !== "no-op")) return;
  const kibana = await ctx.clients.kibana();
  const desired = buildRuleBody(ctx.config);
  const existing = await kibana.getRuleByRuleId(desired.rule_id);
  if (!existing) {
    try {
      await kibana.createRule(desired);
      return;
    } catch (e) {
      if ((e as SentinelElasticError).code !== "KIBANA_CONFLICT") throw e;
    }
  } else if (!ruleIsOurs(existing, ctx.names.prefix) && !isAdopted(ctx.shared, desired.rule_id)) {
    throw new PreconditionError(
      `Detection rule ${desired.rule_id} has our rule_id but not our tag: it is someone else's; left alone.`,
      {
        code: "OWNERSHIP_CONFLICT",
        suggestion: `Choose another ${PREFIX_INPUT} (--prefix), or take it over with --adopt ${desired.rule_id}.`,
      },
    );
  } else if (!ruleDiff(existing, desired).length) {
    return;
  }
  await kibana.updateRule(desired);
}

export async function verifyDetectionRule(ctx: KibanaStepContext): Promise<Check[]> {
  const kibana = await ctx.clients.kibana();
  const ruleId = ctx.names.kibana.ruleId;
  const rule = await kibana.getRuleByRuleId(ruleId);
  const id = `${KIBANA_DETECTION_RULE}.config`;
  const title = "Detection rule configured and enabled";
  if (!rule)
    return [
      { id, title, status: "fail", cause: `rule ${ruleId} not found`, remedy: "Re-run `sentinel-elastic setup`." },
    ];
  if (!ruleIsOurs(rule, ctx.names.prefix))
    return [
      {
        id,
        title,
        status: "fail",
        cause: `rule ${ruleId} has our rule_id but not our tag (someone else's)`,
        remedy: `Choose another ${PREFIX_INPUT}, or re-run setup with --adopt ${ruleId}.`,
      },
    ];
  const diff = ruleDiff(rule, buildRuleBody(ctx.config));
  const checks: Check[] = [
    diff.length
      ? {
          id,
          title,
          status: "fail",
          cause: `differs in ${diff.map((d) => d.field).join(", ")}`,
          remedy: "Re-run `sentinel-elastic setup`.",
        }
      : { id, title, status: "pass", evidence: `rule_id ${ruleId}, id ${rule.id}` },
  ];
  const last = rule.execution_summary?.last_execution;
  if (last) {
    // "partial failure" is Kibana's warning status (the rule ran; e.g. no index matched yet on its first run,
    // before the test document existed): worth showing, not a failed setup.
    const failed = last.status === "failed";
    const warned = last.status === "partial failure";
    checks.push({
      id: `${KIBANA_DETECTION_RULE}.execution`,
      title: "Detection rule's last run",
      status: failed ? "fail" : warned ? "warn" : "pass",
      evidence: `${last.status} at ${last.date}`,
      ...(failed || warned
        ? { cause: last.message, remedy: "Check the rule's index patterns and the rule's API key owner's privileges." }
        : {}),
    });
  }
  return checks;
}

export const detectionRuleStep: Step = {
  id: KIBANA_DETECTION_RULE,
  title: "Kibana detection rule (alerts to forward)",
  target: "kibana",
  after: [KIBANA_ALERT_CONNECTOR, KIBANA_TEST_DOCUMENT],
  enabled: (config) => config.features.alertForwarding,
  plan: planDetectionRule,
  apply: applyDetectionRule,
  verify: verifyDetectionRule,
};

/** Teardown: the rule goes before the alert connector it points at. */
export const KIBANA_RULE_TEARDOWN = "teardown-kibana-rule";

export const detectionRuleTeardown: Step = ownedObjectTeardown({
  id: KIBANA_RULE_TEARDOWN,
  title: "Kibana detection rule",
  target: "kibana",
  resource: "detection rule",
  what: "our rule_id",
  name: (ctx) => ctx.names.kibana.ruleId,
  find: async (ctx, ruleId) => (await ctx.clients.kibana()).getRuleByRuleId(ruleId),
  isOurs: (ctx, rule) => ruleIsOurs(rule, ctx.names.prefix),
  marker: (ctx) => `tag ${ruleInstanceTag(ctx.names.prefix)}`,
  remove: async (ctx, ruleId) => (await ctx.clients.kibana()).deleteRule(ruleId),
});

/**
 * The detection-engine scheduler on the sandbox clock. An enabled rule runs soon after it is created or
 * enabled (the next `clock.advance`), then every `interval`. A run:
 *  1. resolves the rule's index patterns (`-pattern` excludes) with the privileges of whoever last
 *     saved the rule (rules run with that user's API key: https://www.elastic.co/docs/explore-analyze/alerting/alerts/alerting-setup);
 *  2. selects documents whose timestamp (`timestamp_override` or `@timestamp`) is in [from, to]
 *     (date math from the run time) and that match the KQL query;
 *  3. writes at most `max_signals` new alerts (a document alerts once per rule);
 *  4. records execution_summary.last_execution (statuses and status_order from
 *     SECSOL/common/api/detection_engine/rule_monitoring/model/execution_status.gen.ts; the success
 *     message of SECSOL/.../rule_types/create_security_rule_type_wrapper.ts);
 *  5. fires the actions.
 */
import { hasIndexPrivilege } from "../../auth.js";
import type { SandboxContext, SpaceData } from "../../context.js";
import { leafValues } from "../../es/fields.js";
import { compileKql } from "../../kql/evaluate.js";
import { KqlSyntaxError } from "../../kql/parse.js";
import { parseDateMath, parseDuration } from "../../time.js";
import { fireActions } from "./actions.js";
import { alertId, buildAlert, newExecutionUuid } from "./alerts.js";
import type { ExecutionSummary, StoredRule } from "./model.js";
import type { RuleRunResult, RuleScheduler } from "./scheduler.js";

const STATUS_ORDER = { succeeded: 0, "going to run": 10, running: 15, "partial failure": 20, failed: 30 } as const;

function summary(
  ctx: SandboxContext,
  status: RuleRunResult["status"],
  message: string,
  searchMs = 0,
): ExecutionSummary {
  return {
    last_execution: {
      date: ctx.clock.date().toISOString(),
      status,
      status_order: STATUS_ORDER[status],
      message,
      metrics: { total_search_duration_ms: searchMs, total_indexing_duration_ms: 0, execution_gap_duration_s: 0 },
    },
  };
}

export function createRuleScheduler(ctx: SandboxContext): RuleScheduler {
  async function runRule(space: SpaceData, rule: StoredRule): Promise<RuleRunResult> {
    const now = ctx.clock.now();
    const b = rule.body;
    const done = (
      status: RuleRunResult["status"],
      message: string,
      alerts = 0,
      actions: RuleRunResult["actions"] = [],
    ): RuleRunResult => {
      rule.execution_summary = summary(ctx, status, message);
      rule.lastRunAt = now;
      return { ruleId: rule.rule_id, space: space.id, status, alerts, message, actions };
    };
    if (!ctx.encryptionKey)
      return done(
        "failed",
        "Alerting is disabled: xpack.encryptedSavedObjects.encryptionKey is not set (has_permanent_encryption_key: false)",
      );
    if (rule.apiKeyId && !ctx.realm.isApiKeyValid(rule.apiKeyId))
      return done(
        "failed",
        `Rule failed to execute because the API key it runs with (id ${rule.apiKeyId}) has been invalidated.`,
      );
    if (b.language === "lucene")
      return done(
        "failed",
        "An error occurred during rule execution: the sandbox evaluates only KQL (language: kuery) queries",
      );
    let predicate: (d: Record<string, unknown>) => boolean;
    try {
      predicate = compileKql(String(b.query ?? ""), now);
    } catch (e) {
      if (e instanceof KqlSyntaxError)
        return done("failed", `An error occurred during rule execution: message: "${e.message}"`);
      throw e;
    }
    const patterns = (b.index as string[] | undefined) ?? ["logs-*"];
    const include = patterns.filter((p) => !p.startsWith("-"));
    const runAs = rule.runAs;
    const unreadable = runAs ? include.filter((p) => !hasIndexPrivilege(runAs, p, "read")) : [];
    const readable = [...include.filter((p) => !unreadable.includes(p)), ...patterns.filter((p) => p.startsWith("-"))];
    const warnings: string[] = [];
    if (unreadable.length)
      warnings.push(
        `This rule may not have the required read privileges to the following index patterns: ${JSON.stringify(unreadable)}`,
      );
    const indices = readable.some((p) => !p.startsWith("-"))
      ? ctx.store.resolve(readable.join(","), { allowMissing: true })
      : [];
    if (indices.length === 0 && unreadable.length === 0)
      warnings.push(
        `This rule is attempting to query data from Elasticsearch indices listed in the "Index patterns" section of the rule definition, however no index matching: ${JSON.stringify(include)} was found. This warning will continue to appear until a matching index is created or this rule is disabled.`,
      );
    const from = parseDateMath(String(b.from ?? "now-6m"), now) ?? now - 6 * 60_000;
    const to = parseDateMath(String(b.to ?? "now"), now, true) ?? now;
    const tsField = (b.timestamp_override as string | undefined) ?? "@timestamp";
    const alertsIndex = ctx.store.alertsIndex(space.id);
    const maxSignals = Number(b.max_signals ?? 100);
    const executionUuid = newExecutionUuid();
    const created: { id: string; source: Record<string, unknown> }[] = [];
    let truncated = false;
    outer: for (const index of indices) {
      for (const doc of index.docs.values()) {
        const ts = leafValues(doc._source, tsField)[0];
        const t = typeof ts === "number" ? ts : typeof ts === "string" ? Date.parse(ts) : Number.NaN;
        if (!(t >= from && t <= to)) continue;
        if (!predicate(doc._source)) continue;
        if (alertsIndex.docs.has(alertId(index.name, doc._id, rule.id))) continue;
        if (created.length >= maxSignals) {
          truncated = true;
          break outer;
        }
        created.push(
          buildAlert({
            rule,
            spaceId: space.id,
            index: index.name,
            doc,
            now: new Date(now).toISOString(),
            executionUuid,
            version: ctx.version,
          }),
        );
      }
    }
    for (const a of created) ctx.store.index(alertsIndex.name, a.source, { id: a.id, opType: "create" });
    if (truncated)
      warnings.push("This rule reached the maximum alert limit for the rule execution. Some alerts were not created.");
    // Status is settled before actions run: in Kibana actions are separate tasks, and their failures
    // show in the event log, not in the rule's execution_summary.
    const status = warnings.length
      ? done("partial failure", warnings.join(" "), created.length)
      : done("succeeded", "Rule execution completed successfully", created.length);
    const runs = await fireActions(ctx, space, rule, created, now);
    status.actions = runs.map((r) => ({
      actionUuid: r.actionUuid,
      connectorId: r.connectorId,
      status: r.result.status,
      attempts: r.attempts,
      ...(r.result.message !== undefined ? { message: r.result.message } : {}),
      ...(r.result.serviceMessage !== undefined ? { serviceMessage: r.result.serviceMessage } : {}),
    }));
    return status;
  }

  const live = new Set<StoredRule>();
  const scheduler = {
    runRule,
    async runAll() {
      const results: RuleRunResult[] = [];
      for (const space of ctx.spaces.values())
        for (const rule of space.rules.values()) if (rule.enabled) results.push(await runRule(space, rule));
      return results;
    },
    schedule(space: SpaceData, rule: StoredRule) {
      rule.timer?.cancel();
      rule.timer = undefined;
      if (!rule.enabled) return;
      live.add(rule);
      const interval = parseDuration(String(rule.body.interval ?? "5m")) ?? 300_000;
      const tick = async () => {
        if (!rule.enabled || !space.rules.has(rule.id)) return;
        rule.timer = ctx.clock.after(interval, tick);
        await runRule(space, rule);
      };
      // first run right away (the next clock step), as a newly enabled rule's task is due now
      rule.timer = ctx.clock.after(0, tick);
    },
    unschedule(rule: StoredRule) {
      rule.timer?.cancel();
      rule.timer = undefined;
      live.delete(rule);
    },
    stop() {
      for (const r of live) r.timer?.cancel();
      live.clear();
    },
  };
  return scheduler;
}

/**
 * Detection rules CRUD by `rule_id` or `id`, `_find` and `_bulk_action` (enable/disable/delete).
 * SECSOL/server/lib/detection_engine/rule_management/api/rules/{create_rule,read_rule,update_rule,
 * patch_rule,delete_rule,find_rules,bulk_actions}/route.ts. Errors: `{message, status_code}`
 * ("rule_id: \"x\" already exists" 409, "rule_id: \"x\" not found" 404).
 */
import { randomUUID } from "node:crypto";
import type { Router, SandboxRequest, SandboxResponse } from "../../../common/router.js";
import type { SandboxContext, SpaceData } from "../../context.js";
import { compileKql } from "../../kql/evaluate.js";
import { KibanaError, kbnError } from "../http.js";
import { infoOf, requireFeature, spaceOf, username } from "../request-context.js";
import type { StoredRule } from "./model.js";
import type { RuleScheduler } from "./scheduler.js";
import { normalizeRuleBody, RuleValidationError, siemErrorBody } from "./schema.js";
import { ruleResponse } from "./view.js";

const RULES = "/api/detection_engine/rules";

function locate(space: SpaceData, by: { id?: string | null; rule_id?: string | null }): StoredRule | undefined {
  if (by.id) return space.rules.get(by.id);
  if (by.rule_id) return [...space.rules.values()].find((r) => r.rule_id === by.rule_id);
  return undefined;
}

function notFoundMessage(by: { id?: string | null; rule_id?: string | null }): string {
  return by.id ? `id: "${by.id}" not found` : `rule_id: "${by.rule_id}" not found`;
}

export function registerRuleRoutes(router: Router, ctx: SandboxContext, scheduler: RuleScheduler): void {
  const guard =
    (level: "read" | "all", what: string, fn: (req: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>) =>
    async (req: SandboxRequest) => {
      requireFeature(req, "siem", level, what);
      try {
        return await fn(req);
      } catch (e) {
        if (e instanceof RuleValidationError)
          return e.kind === "request"
            ? kbnError(e.status, `[request body]: ${e.message}`)
            : siemErrorBody(e.status, e.message);
        if (e instanceof KibanaError && e.status !== 403) return siemErrorBody(e.status, e.message);
        throw e;
      }
    };

  /** Rule actions must point at existing connectors of a type usable in rules (alerting validateActions). */
  const checkActionConnectors = (space: SpaceData, actions: StoredRule["actions"]) => {
    const missing = actions.filter((a) => !space.connectors.has(a.id)).map((a) => a.id);
    if (missing.length)
      throw new RuleValidationError(
        400,
        `Failed to validate actions due to the following error: Invalid connectors: ${missing.join(", ")}`,
      );
    for (const a of actions) {
      const c = space.connectors.get(a.id)!;
      if (c.connector_type_id !== a.action_type_id)
        throw new RuleValidationError(
          400,
          `action_type_id "${a.action_type_id}" does not match connector ${a.id} of type ${c.connector_type_id}`,
        );
      if (c.connector_type_id === ".cases-webhook")
        throw new RuleValidationError(
          400,
          `Action type .cases-webhook is not available in rule actions (its feature is Cases only)`,
        );
    }
  };

  const principalKey = (req: SandboxRequest) => infoOf(req).principal?.apiKeyId;

  router.on(
    "POST",
    RULES,
    guard("all", "create a rule", (req) => {
      const space = spaceOf(ctx, req);
      const n = normalizeRuleBody(ctx.version, req.json());
      if ([...space.rules.values()].some((r) => r.rule_id === n.ruleId))
        return siemErrorBody(409, `rule_id: "${n.ruleId}" already exists`);
      checkActionConnectors(space, n.actions);
      const now = ctx.clock.date().toISOString();
      const rule: StoredRule = {
        id: randomUUID(),
        rule_id: n.ruleId,
        body: n.body,
        actions: n.actions,
        enabled: n.enabled,
        revision: 0,
        created_at: now,
        created_by: username(req),
        updated_at: now,
        updated_by: username(req),
        lastActionAt: {},
        apiKeyId: principalKey(req),
        runAs: infoOf(req).principal,
      };
      space.rules.set(rule.id, rule);
      scheduler.schedule(space, rule);
      return { status: 200, body: ruleResponse(rule) };
    }),
  );

  router.on(
    "GET",
    RULES,
    guard("read", "read a rule", (req) => {
      const by = { id: req.query.get("id"), rule_id: req.query.get("rule_id") };
      if (!by.id && !by.rule_id) return siemErrorBody(400, 'either "id" or "rule_id" must be set');
      const rule = locate(spaceOf(ctx, req), by);
      if (!rule) return siemErrorBody(404, notFoundMessage(by));
      return { status: 200, body: ruleResponse(rule) };
    }),
  );

  const replaceOrPatch = (mode: "put" | "patch") =>
    guard("all", "update a rule", (req) => {
      const space = spaceOf(ctx, req);
      const input = (req.json() ?? {}) as Record<string, unknown>;
      const by = { id: input.id as string | undefined, rule_id: input.rule_id as string | undefined };
      if (!by.id && !by.rule_id) return siemErrorBody(400, 'either "id" or "rule_id" must be set');
      const rule = locate(space, by);
      if (!rule) return siemErrorBody(404, notFoundMessage(by));
      const merged: Record<string, unknown> =
        mode === "put"
          ? { ...input, rule_id: rule.rule_id }
          : { ...rule.body, actions: rule.actions, enabled: rule.enabled, ...input, rule_id: rule.rule_id };
      delete merged.id;
      const n = normalizeRuleBody(ctx.version, merged);
      checkActionConnectors(space, n.actions);
      Object.assign(rule, {
        body: n.body,
        actions: n.actions,
        enabled: n.enabled,
        revision: rule.revision + 1,
        updated_at: ctx.clock.date().toISOString(),
        updated_by: username(req),
        apiKeyId: principalKey(req),
        runAs: infoOf(req).principal,
      });
      scheduler.schedule(space, rule);
      return { status: 200, body: ruleResponse(rule) };
    });
  router.on("PUT", RULES, replaceOrPatch("put"));
  router.on("PATCH", RULES, replaceOrPatch("patch"));

  router.on(
    "DELETE",
    RULES,
    guard("all", "delete a rule", (req) => {
      const space = spaceOf(ctx, req);
      const by = { id: req.query.get("id"), rule_id: req.query.get("rule_id") };
      if (!by.id && !by.rule_id) return siemErrorBody(400, 'either "id" or "rule_id" must be set');
      const rule = locate(space, by);
      if (!rule) return siemErrorBody(404, notFoundMessage(by));
      space.rules.delete(rule.id);
      scheduler.unschedule(rule);
      return { status: 200, body: ruleResponse(rule) };
    }),
  );

  const filterRules = (space: SpaceData, filter: string | null): StoredRule[] => {
    const all = [...space.rules.values()];
    if (!filter) return all;
    // _find filters are KQL over saved-object attributes: alert.attributes.name, .tags, .enabled, …
    const pred = compileKql(filter.replace(/alert\.attributes\.(params\.)?/g, ""), ctx.clock.now());
    return all.filter((r) => pred({ ...r.body, ...ruleResponse(r) }));
  };

  router.on(
    "GET",
    `${RULES}/_find`,
    guard("read", "find rules", (req) => {
      const space = spaceOf(ctx, req);
      const q = req.query;
      let rules = filterRules(space, q.get("filter"));
      const field = q.get("sort_field");
      if (field) {
        const dir = q.get("sort_order") === "desc" ? -1 : 1;
        rules = rules.sort((a, b) => {
          const av = String((ruleResponse(a) as Record<string, unknown>)[field] ?? "");
          const bv = String((ruleResponse(b) as Record<string, unknown>)[field] ?? "");
          return av < bv ? -dir : av > bv ? dir : 0;
        });
      }
      const page = Number(q.get("page") ?? 1);
      const perPage = Number(q.get("per_page") ?? 20);
      return {
        status: 200,
        body: {
          page,
          perPage,
          total: rules.length,
          data: rules.slice((page - 1) * perPage, page * perPage).map(ruleResponse),
        },
      };
    }),
  );

  router.on(
    "POST",
    `${RULES}/_bulk_action`,
    guard("all", "bulk edit rules", (req) => {
      const space = spaceOf(ctx, req);
      const body = (req.json() ?? {}) as { action?: string; ids?: string[]; query?: string };
      if (!["enable", "disable", "delete"].includes(body.action ?? ""))
        return siemErrorBody(400, `action: the sandbox supports enable, disable and delete, received '${body.action}'`);
      const targets = body.ids
        ? body.ids.map((id) => space.rules.get(id)).filter((r): r is StoredRule => !!r)
        : filterRules(space, body.query ?? null);
      const results = { updated: [] as unknown[], created: [], deleted: [] as unknown[], skipped: [] };
      for (const r of targets) {
        if (body.action === "delete") {
          space.rules.delete(r.id);
          scheduler.unschedule(r);
          results.deleted.push(ruleResponse(r));
        } else {
          r.enabled = body.action === "enable";
          scheduler.schedule(space, r);
          results.updated.push(ruleResponse(r));
        }
      }
      return {
        status: 200,
        body: {
          success: true,
          rules_count: targets.length,
          attributes: { results, summary: { failed: 0, skipped: 0, succeeded: targets.length, total: targets.length } },
        },
      };
    }),
  );
}

import type { StoredRule } from "./model.js";

export function ruleResponse(r: StoredRule) {
  return { ...r.body, id: r.id, rule_id: r.rule_id, enabled: r.enabled, actions: r.actions };
}

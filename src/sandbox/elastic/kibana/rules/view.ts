/** A rule as GET/_find return it (SECSOL/common/api/detection_engine/model/rule_schema/rule_schemas). */
import type { StoredRule } from "./model.js";

export function ruleResponse(r: StoredRule) {
  return {
    id: r.id,
    rule_id: r.rule_id,
    ...r.body,
    type: r.body.type,
    enabled: r.enabled,
    actions: r.actions,
    immutable: false,
    rule_source: { type: "internal" },
    revision: r.revision,
    created_at: r.created_at,
    created_by: r.created_by,
    updated_at: r.updated_at,
    updated_by: r.updated_by,
    output_index: "",
    ...(r.execution_summary ? { execution_summary: r.execution_summary } : {}),
  };
}

import type { SandboxContext } from "../../context.js";
import type { RuleScheduler } from "./scheduler.js";
export function createRuleScheduler(_ctx: SandboxContext): RuleScheduler {
  return {
    runAll: async () => [],
    runRule: async (space, rule) => ({ ruleId: rule.rule_id, space: space.id, status: "succeeded", alerts: 0, message: "" }),
    stop() {},
  };
}

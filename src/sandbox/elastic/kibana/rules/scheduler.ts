import type { SpaceData } from "../../context.js";
import type { StoredRule } from "./model.js";

export interface RuleRunResult {
  ruleId: string;
  space: string;
  status: "succeeded" | "failed" | "partial failure";
  alerts: number;
  message: string;
}

export interface RuleScheduler {
  runAll(): Promise<RuleRunResult[]>;
  runRule(space: SpaceData, rule: StoredRule): Promise<RuleRunResult>;
  stop(): void;
}

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
  /** (Re)schedule an enabled rule on the sandbox clock; a disabled rule is unscheduled. */
  schedule(space: SpaceData, rule: StoredRule): void;
  unschedule(rule: StoredRule): void;
  stop(): void;
}

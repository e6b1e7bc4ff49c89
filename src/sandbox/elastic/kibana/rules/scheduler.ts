import type { SpaceData } from "../../context.js";
import type { StoredRule } from "./model.js";

/** One action fired after a rule run (its own task in Kibana: it does not change the rule's status). */
export interface ActionRunSummary {
  actionUuid: string;
  connectorId: string;
  status: "ok" | "error";
  attempts: number;
  message?: string;
  serviceMessage?: string;
}

export interface RuleRunResult {
  ruleId: string;
  space: string;
  status: "succeeded" | "failed" | "partial failure";
  alerts: number;
  message: string;
  actions: ActionRunSummary[];
}

export interface RuleScheduler {
  runAll(): Promise<RuleRunResult[]>;
  runRule(space: SpaceData, rule: StoredRule): Promise<RuleRunResult>;
  /** (Re)schedule an enabled rule on the sandbox clock; a disabled rule is unscheduled. */
  schedule(space: SpaceData, rule: StoredRule): void;
  unschedule(rule: StoredRule): void;
  stop(): void;
}

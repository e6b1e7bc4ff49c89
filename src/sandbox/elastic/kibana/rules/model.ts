/**
 * Detection rules as stored by the emulator and returned by the API
 * (SECSOL/common/api/detection_engine/model/rule_schema).
 */
import type { ClockTimer } from "../../../common/clock.js";
import type { Principal } from "../../auth.js";

export interface RuleActionFrequency {
  summary: boolean;
  notifyWhen: "onActiveAlert" | "onThrottleInterval" | "onActionGroupChange";
  throttle: string | null;
}

export interface RuleAction {
  group: string;
  id: string;
  action_type_id: string;
  params: Record<string, unknown>;
  uuid: string;
  frequency?: RuleActionFrequency;
  alerts_filter?: unknown;
}

export interface ExecutionSummary {
  last_execution: {
    date: string;
    status: "going to run" | "running" | "partial failure" | "failed" | "succeeded";
    status_order: number;
    message: string;
    metrics: {
      total_search_duration_ms?: number;
      total_indexing_duration_ms?: number;
      execution_gap_duration_s?: number;
    };
  };
}

export interface StoredRule {
  id: string;
  rule_id: string;
  /** Every other field of the rule body as validated (name, query, index, interval, …). */
  body: Record<string, unknown>;
  actions: RuleAction[];
  enabled: boolean;
  revision: number;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  execution_summary?: ExecutionSummary;
  /** Sandbox time of the last run, for the from/interval window and throttling. */
  lastRunAt?: number;
  /** Per action uuid: sandbox time of the last throttled send. */
  lastActionAt: Record<string, number>;
  /** API key id the rule runs as, when created with one. */
  apiKeyId?: string;
  /** The principal that last created/updated the rule: rules run with its privileges. */
  runAs?: Principal;
  /** The pending scheduler timer, if the rule is enabled. */
  timer?: ClockTimer;
}

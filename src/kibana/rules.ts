/** Detection engine rules (`/api/detection_engine/rules`, https://www.elastic.co/docs/api/doc/kibana/group/endpoint-security-detections-api). Space-scoped. */
import type { KibanaHttp } from "./http.js";

const PRIVILEGE = "Security → Rules: All (feature siem / siemV2 …)";

export interface RuleAction {
  group: string;
  id: string;
  action_type_id: string;
  params: Record<string, unknown>;
  frequency?: { summary: boolean; notifyWhen: string; throttle: string | null };
  uuid?: string;
}

export interface QueryRuleBody {
  rule_id: string;
  type: "query";
  language: "kuery" | "lucene";
  name: string;
  description: string;
  query: string;
  index: string[];
  interval: string;
  from: string;
  risk_score: number;
  severity: "low" | "medium" | "high" | "critical";
  tags: string[];
  enabled: boolean;
  max_signals?: number;
  actions: RuleAction[];
}

export interface Rule extends QueryRuleBody {
  id: string;
  execution_summary?: {
    last_execution?: { date: string; status: string; message?: string };
  };
  [key: string]: unknown;
}

export async function getRuleByRuleId(http: KibanaHttp, ruleId: string): Promise<Rule | undefined> {
  return (
    await http.request<Rule>({
      method: "GET",
      path: "/api/detection_engine/rules",
      query: { rule_id: ruleId },
      allow404: true,
      privilege: PRIVILEGE,
    })
  )?.body;
}

/** POST with our deterministic rule_id: a repeat gets 409 instead of a second rule, so it is safe to retry. */
export async function createRule(http: KibanaHttp, body: QueryRuleBody): Promise<Rule> {
  return (
    await http.request<Rule>({
      method: "POST",
      path: "/api/detection_engine/rules",
      body,
      idempotent: true,
      privilege: PRIVILEGE,
    })
  ).body;
}

/** PUT replaces the whole rule found by rule_id. */
export async function updateRule(http: KibanaHttp, body: QueryRuleBody): Promise<Rule> {
  return (await http.request<Rule>({ method: "PUT", path: "/api/detection_engine/rules", body, privilege: PRIVILEGE }))
    .body;
}

export async function deleteRule(http: KibanaHttp, ruleId: string): Promise<boolean> {
  const res = await http.request<unknown>({
    method: "DELETE",
    path: "/api/detection_engine/rules",
    query: { rule_id: ruleId },
    allow404: true,
    privilege: PRIVILEGE,
  });
  return res !== undefined;
}

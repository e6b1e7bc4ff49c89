/**
 * Custom query rule bodies: required fields, defaults and action normalisation.
 * - Fields and defaults: security-docs rules-api-create; DEFAULT_FROM/TO/INTERVAL ("now-6m", "now", "5m")
 *   in SECSOL/server/lib/detection_engine/rule_management/normalization/rule_converters.ts; enabled
 *   defaults to true, max_signals to 100.
 * - Actions: per-action `frequency` (8.8+); without it the rule-level `throttle` is converted
 *   (SECSOL/.../normalization/rule_actions.ts transformToActionFrequency): "rule"/undefined →
 *   {summary:true, notifyWhen:'onActiveAlert', throttle:null}; "1h" → onThrottleInterval.
 * - Unknown keys: the io-ts schemas of 8.11 reject them (`invalid keys "…"`, as seen in
 *   elastic/detection-rules#2986); from 8.12 the zod schemas strip them silently (kibana PR #170861
 *   "Make rule schema forward-compatible", Nov 2023, after the zod migration PR #167999).
 * Body errors are route-validation 400s; rules-client errors use `{message, status_code}` (buildSiemResponse).
 */
import { randomUUID } from "node:crypto";
import { atLeast } from "../../version.js";
import { parseDuration } from "../../time.js";
import type { RuleAction, RuleActionFrequency } from "./model.js";

/**
 * `request`: the body failed route validation, answered by core as `{statusCode, error, message}` with
 * a `[request body]: ` prefix (as in elastic/detection-rules#2986); `handler`: a rules-client error,
 * answered by buildSiemResponse as `{message, status_code}`.
 */
export class RuleValidationError extends Error {
  constructor(
    public status: number,
    message: string,
    public kind: "request" | "handler" = "handler",
  ) {
    super(message);
  }
}

const KNOWN = new Set([
  "id",
  "rule_id",
  "name",
  "description",
  "risk_score",
  "severity",
  "type",
  "query",
  "language",
  "index",
  "data_view_id",
  "filters",
  "interval",
  "from",
  "to",
  "enabled",
  "max_signals",
  "tags",
  "references",
  "author",
  "license",
  "note",
  "setup",
  "threat",
  "false_positives",
  "version",
  "exceptions_list",
  "risk_score_mapping",
  "severity_mapping",
  "rule_name_override",
  "timestamp_override",
  "timestamp_override_fallback_disabled",
  "alert_suppression",
  "investigation_fields",
  "actions",
  "throttle",
  "meta",
  "output_index",
  "namespace",
  "building_block_type",
  "related_integrations",
  "required_fields",
  "response_actions",
  "saved_id",
  "timeline_id",
  "timeline_title",
  "outcome",
  "alias_target_id",
  "alias_purpose",
  "rule_source",
  "immutable",
]);

const SEVERITIES = ["low", "medium", "high", "critical"];
const fail = (msg: string): never => {
  throw new RuleValidationError(400, msg, "request");
};

function checkActions(actions: unknown, throttle: unknown): RuleAction[] {
  if (actions === undefined) return [];
  if (!Array.isArray(actions)) return fail("actions: Expected array, received " + typeof actions);
  return actions.map((a, i) => {
    if (!a || typeof a !== "object") return fail(`actions.${i}: Expected object`);
    const x = a as Record<string, unknown>;
    for (const k of ["group", "id", "action_type_id"])
      if (typeof x[k] !== "string") fail(`actions.${i}.${k}: Required`);
    if (!x.params || typeof x.params !== "object") fail(`actions.${i}.params: Required`);
    for (const k of Object.keys(x))
      if (!["group", "id", "action_type_id", "params", "uuid", "frequency", "alerts_filter"].includes(k))
        fail(`actions.${i}: Unrecognized key(s) in object: '${k}'`);
    let frequency: RuleActionFrequency | undefined;
    if (x.frequency !== undefined) {
      const f = x.frequency as Record<string, unknown>;
      if (typeof f.summary !== "boolean") fail(`actions.${i}.frequency.summary: Required`);
      if (!["onActiveAlert", "onThrottleInterval", "onActionGroupChange"].includes(f.notifyWhen as string))
        fail(
          `actions.${i}.frequency.notifyWhen: Invalid enum value. Expected 'onActiveAlert' | 'onThrottleInterval' | 'onActionGroupChange', received '${f.notifyWhen}'`,
        );
      if (f.throttle !== null && typeof f.throttle !== "string") fail(`actions.${i}.frequency.throttle: Required`);
      if (f.notifyWhen === "onThrottleInterval" && (typeof f.throttle !== "string" || !parseDuration(f.throttle)))
        fail(`Action frequency throttle is required when notifyWhen is onThrottleInterval (action ${i})`);
      frequency = {
        summary: f.summary as boolean,
        notifyWhen: f.notifyWhen as RuleActionFrequency["notifyWhen"],
        throttle: (f.throttle as string | null) ?? null,
      };
    } else if (typeof throttle === "string" && throttle !== "rule" && throttle !== "no_actions") {
      frequency = { summary: true, notifyWhen: "onThrottleInterval", throttle };
    } else {
      frequency = { summary: true, notifyWhen: "onActiveAlert", throttle: null };
    }
    return {
      group: x.group as string,
      id: x.id as string,
      action_type_id: x.action_type_id as string,
      params: x.params as Record<string, unknown>,
      uuid: (x.uuid as string) ?? randomUUID(),
      frequency,
      ...(x.alerts_filter !== undefined ? { alerts_filter: x.alerts_filter } : {}),
    };
  });
}

export interface NormalizedRule {
  body: Record<string, unknown>;
  actions: RuleAction[];
  enabled: boolean;
  ruleId: string;
}

/** Validate a create/PUT body (full rule) and apply defaults. */
export function normalizeRuleBody(version: string, input: unknown): NormalizedRule {
  if (!input || typeof input !== "object" || Array.isArray(input))
    return fail("Expected object, received " + typeof input);
  const raw = { ...(input as Record<string, unknown>) };
  const unknown = Object.keys(raw).filter((k) => !KNOWN.has(k));
  if (unknown.length && !atLeast(version, "8.12.0")) fail(`invalid keys "${unknown.join(",")}"`);
  for (const k of unknown) delete raw[k];
  const missing = ["name", "description", "risk_score", "severity", "type"].filter((k) => raw[k] === undefined);
  if (missing.length) fail(missing.map((k) => `${k}: Required`).join(", "));
  if (typeof raw.name !== "string" || raw.name.trim() === "") fail("name: String must contain at least 1 character(s)");
  if (typeof raw.description !== "string" || raw.description.trim() === "")
    fail("description: String must contain at least 1 character(s)");
  if (
    typeof raw.risk_score !== "number" ||
    !Number.isInteger(raw.risk_score) ||
    raw.risk_score < 0 ||
    raw.risk_score > 100
  )
    fail("risk_score: Number must be an integer between 0 and 100");
  if (!SEVERITIES.includes(raw.severity as string))
    fail(`severity: Invalid enum value. Expected 'low' | 'medium' | 'high' | 'critical', received '${raw.severity}'`);
  if (raw.type !== "query")
    fail(`type: the sandbox supports only custom query rules (type "query"), received '${raw.type}'`);
  if (raw.query !== undefined && typeof raw.query !== "string") fail("query: Expected string");
  if (raw.language !== undefined && raw.language !== "kuery" && raw.language !== "lucene")
    fail(`language: Invalid enum value. Expected 'kuery' | 'lucene', received '${raw.language}'`);
  if (raw.index !== undefined && (!Array.isArray(raw.index) || raw.index.some((i) => typeof i !== "string")))
    fail("index: Expected array of strings");
  for (const k of ["interval"])
    if (raw[k] !== undefined && (typeof raw[k] !== "string" || !parseDuration(raw[k] as string)))
      fail(`${k}: Invalid duration '${raw[k]}'`);
  if (raw.max_signals !== undefined && (typeof raw.max_signals !== "number" || raw.max_signals < 1))
    fail("max_signals: Number must be greater than or equal to 1");
  if (raw.enabled !== undefined && typeof raw.enabled !== "boolean") fail("enabled: Expected boolean");
  const actions = checkActions(raw.actions, raw.throttle);
  const ruleId = (raw.rule_id as string | undefined) ?? randomUUID();
  const body: Record<string, unknown> = {
    query: "",
    language: "kuery",
    interval: "5m",
    from: "now-6m",
    to: "now",
    max_signals: 100,
    tags: [],
    references: [],
    author: [],
    false_positives: [],
    threat: [],
    exceptions_list: [],
    risk_score_mapping: [],
    severity_mapping: [],
    related_integrations: [],
    required_fields: [],
    setup: "",
    filters: [],
    version: 1,
    ...raw,
  };
  for (const k of ["id", "rule_id", "actions", "enabled", "throttle", "immutable", "rule_source"]) delete body[k];
  return { body, actions, enabled: raw.enabled === undefined ? true : (raw.enabled as boolean), ruleId };
}

export function siemErrorBody(status: number, message: string) {
  return { status, body: { message, status_code: status } };
}

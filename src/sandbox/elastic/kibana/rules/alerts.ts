/**
 * Alert documents written to `.alerts-security.alerts-<space>`: the source event's fields plus the
 * `kibana.alert.*` fields of a security alert (SECSOL/common/field_maps/field_names.ts,
 * server/lib/detection_engine/rule_types/factories/utils/build_alert.ts). The source `event.*` is copied
 * to `kibana.alert.original_event.*` and `event.kind` becomes `signal`; the alert id is a hash of index, document and rule, so a document
 * alerts at most once per rule (build_alert.ts uses a similar deterministic id for dedup).
 */
import { createHash, randomUUID } from "node:crypto";
import type { StoredDoc } from "../../es/store.js";
import type { StoredRule } from "./model.js";

export function alertId(index: string, docId: string, ruleUuid: string): string {
  return createHash("sha256").update(`${index}:${docId}:${ruleUuid}`).digest("hex");
}

export function buildAlert(opts: {
  rule: StoredRule;
  spaceId: string;
  index: string;
  doc: StoredDoc;
  now: string;
  executionUuid: string;
  version: string;
}): { id: string; source: Record<string, unknown> } {
  const { rule, spaceId, index, doc, now, executionUuid, version } = opts;
  const b = rule.body;
  const id = alertId(index, doc._id, rule.id);
  const src = doc._source;
  const originalEvent: Record<string, unknown> = {};
  const event = src.event;
  if (event && typeof event === "object")
    for (const [k, v] of Object.entries(event)) originalEvent[`kibana.alert.original_event.${k}`] = v;
  for (const [k, v] of Object.entries(src))
    if (k.startsWith("event.")) originalEvent[`kibana.alert.original_event.${k.slice(6)}`] = v;
  const hostName = (src.host as { name?: string } | undefined)?.name ?? src["host.name"];
  const userName = (src.user as { name?: string } | undefined)?.name ?? src["user.name"];
  const reason = `event${hostName ? ` on ${hostName}` : ""}${userName ? ` by ${userName}` : ""} created ${b.severity} alert ${b.name}.`;
  const source: Record<string, unknown> = {
    ...src,
    "@timestamp": now,
    ...originalEvent,
    // the event keeps its fields; only event.kind becomes "signal" (original kept in original_event)
    event: { ...(event && typeof event === "object" ? event : {}), kind: "signal" },
    "kibana.alert.uuid": id,
    "kibana.alert.status": "active",
    "kibana.alert.workflow_status": "open",
    "kibana.alert.depth": 1,
    "kibana.alert.reason": reason,
    "kibana.alert.severity": b.severity,
    "kibana.alert.risk_score": b.risk_score,
    "kibana.alert.original_time": src["@timestamp"],
    "kibana.alert.start": now,
    "kibana.alert.last_detected": now,
    "kibana.alert.ancestors": [{ id: doc._id, type: "event", index, depth: 0 }],
    "kibana.alert.rule.uuid": rule.id,
    "kibana.alert.rule.rule_id": rule.rule_id,
    "kibana.alert.rule.name": b.name,
    "kibana.alert.rule.description": b.description,
    "kibana.alert.rule.severity": b.severity,
    "kibana.alert.rule.risk_score": b.risk_score,
    "kibana.alert.rule.type": "query",
    "kibana.alert.rule.rule_type_id": "siem.queryRule",
    "kibana.alert.rule.category": "Custom Query Rule",
    "kibana.alert.rule.consumer": "siem",
    "kibana.alert.rule.producer": "siem",
    "kibana.alert.rule.interval": b.interval,
    "kibana.alert.rule.from": b.from,
    "kibana.alert.rule.to": b.to,
    "kibana.alert.rule.tags": b.tags,
    "kibana.alert.rule.version": b.version,
    "kibana.alert.rule.enabled": rule.enabled,
    "kibana.alert.rule.created_at": rule.created_at,
    "kibana.alert.rule.created_by": rule.created_by,
    "kibana.alert.rule.updated_at": rule.updated_at,
    "kibana.alert.rule.updated_by": rule.updated_by,
    "kibana.alert.rule.revision": rule.revision,
    "kibana.alert.rule.execution.uuid": executionUuid,
    "kibana.alert.rule.parameters": { ...b, rule_id: rule.rule_id },
    "kibana.alert.rule.actions": [],
    "kibana.space_ids": [spaceId],
    "kibana.version": version,
  };
  delete source["event.kind"];
  return { id, source };
}

export const newExecutionUuid = () => randomUUID();

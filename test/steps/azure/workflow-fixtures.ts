/**
 * The JSON our Kibana templates produce (templates/kibana, docs/contracts.md), rendered the way Kibana renders
 * them (the Elastic sandbox's Mustache renderers), so the workflows are exercised with exactly those bodies.
 */
import {
  loadKibanaTemplate,
  type AlertActionBodyTemplate,
  type CasesWebhookTemplate,
} from "../../../src/kibana/templates.js";
import { renderJson, renderNoEscape } from "../../../src/sandbox/elastic/mustache.js";

const cases = () => loadKibanaTemplate<CasesWebhookTemplate>("cases-webhook.json");
const alertBodies = () => loadKibanaTemplate<AlertActionBodyTemplate>("alert-action-body.json");

export interface CaseFields {
  id: string;
  title: string;
  description: string;
  severity: string;
  status: string;
  tags: string[];
}

/** `.cases-webhook` stringifies every case.* value before rendering (stringifyObjValues). */
const caseVars = (c: Partial<CaseFields> & { comment?: string }) => ({
  case: Object.fromEntries(Object.entries(c).map(([k, v]) => [k, JSON.stringify(v)])),
});
const withBase = (t: string, base: string) => t.replace("__ELASTIC_URL_BASE__", JSON.stringify(base).slice(1, -1));

export function createIncidentBody(c: CaseFields, urlBase: string): unknown {
  return JSON.parse(renderNoEscape(withBase(cases().createIncidentJson, urlBase), caseVars(c)));
}

export function updateIncidentBody(c: CaseFields, incidentId: string, urlBase: string): unknown {
  return JSON.parse(
    renderNoEscape(withBase(cases().updateIncidentJson, urlBase), {
      ...caseVars(c),
      external: { system: { id: JSON.stringify(incidentId) } },
    }),
  );
}

export function commentBody(comment: string, incidentId: string, urlBase = ""): unknown {
  return JSON.parse(
    renderNoEscape(withBase(cases().createCommentJson, urlBase), {
      ...caseVars({ comment }),
      external: { system: { id: JSON.stringify(incidentId) } },
    }),
  );
}

/** The get-incident query parameter, as Kibana renders it into the URL (URL-encoded id). */
export function getIncidentQuery(incidentId: string): Record<string, string> {
  const suffix = renderNoEscape(cases().getIncidentUrlSuffix, {
    external: { system: { id: encodeURIComponent(incidentId) } },
  });
  const [k, v] = suffix.split("=");
  return { [k!]: decodeURIComponent(v!) };
}

export interface AlertDoc {
  [key: string]: unknown;
}

/** Alert documents as the rule executor hands them to actions: dotted field names expanded to objects. */
function expandDots(doc: Record<string, unknown>): AlertDoc {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) {
    const parts = key.split(".");
    let cur = out;
    for (const p of parts.slice(0, -1)) {
      if (!cur[p]) cur[p] = {};
      cur = cur[p] as Record<string, unknown>;
    }
    cur[parts.at(-1)!] = value;
  }
  return out;
}

/**
 * A detection alert stamped `i` seconds before `at` (epoch ms). Callers pass their sandbox clock's now, so the row
 * lands inside the look-back windows the sandbox measures from that same clock, whatever date the suite runs on.
 */
export function securityAlert(i: number, at: number, overrides: Record<string, unknown> = {}): AlertDoc {
  return expandDots({
    _id: `alert-${i}`,
    "@timestamp": new Date(at - i * 1000).toISOString(),
    "kibana.alert.uuid": `5f0c${String(i).padStart(4, "0")}-1111-4222-8333-944445555666`,
    "kibana.alert.rule.name": "Malware detected",
    "kibana.alert.rule.rule_id": "elastic-sentinel-forward-rule",
    "kibana.alert.severity": i % 2 ? "critical" : "medium",
    "kibana.alert.risk_score": i % 2 ? 99 : 47,
    "kibana.alert.reason": `malware event on host-${i} created medium alert Malware detected.`,
    "kibana.alert.rule.threat": [
      {
        framework: "MITRE ATT&CK",
        tactic: { id: "TA0002", name: "Execution", reference: "https://attack.mitre.org/tactics/TA0002/" },
        technique: [{ id: "T1204", name: "User Execution", reference: "https://attack.mitre.org/techniques/T1204/" }],
      },
      {
        framework: "MITRE ATT&CK",
        tactic: { id: "TA0005", name: "Defense Evasion", reference: "https://attack.mitre.org/tactics/TA0005/" },
        technique: [
          { id: "T1027", name: "Obfuscated Files or Information" },
          { id: "T1036", name: "Masquerading" },
        ],
      },
    ],
    "host.name": `host-${i}`,
    "user.name": `user-${i}`,
    "source.ip": `10.0.0.${i}`,
    "destination.ip": "192.0.2.10",
    message: "malware",
    ...overrides,
  });
}

export interface RuleVars {
  kibanaBaseUrl: string;
  spaceId: string;
  ruleId: string;
  name: string;
  severity: string;
  riskScore: number | string;
}

export function alertActionBody(
  kind: "summary" | "per-alert",
  rule: RuleVars,
  alerts: AlertDoc[],
  alertId?: string,
): unknown {
  const template = alertBodies()[kind];
  return JSON.parse(
    renderJson(template, {
      kibanaBaseUrl: rule.kibanaBaseUrl,
      rule: { spaceId: rule.spaceId, id: rule.ruleId },
      context: {
        rule: {
          rule_id: "elastic-sentinel-forward-rule",
          name: rule.name,
          severity: rule.severity,
          risk_score: rule.riskScore,
        },
        alerts,
      },
      alert: { id: alertId ?? "" },
    }),
  );
}

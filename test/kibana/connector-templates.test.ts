import { describe, expect, it } from "vitest";
import { z } from "zod";
import { buildAlertConnectorBody, buildCaseConnectorBody } from "../../src/kibana/connector-bodies.js";
import { alertActionBody } from "../../src/kibana/rule-body.js";
import { renderActionJson, renderCaseJson, renderCaseUrl } from "./kibana-mustache.js";

const SIG = "CANARYsig0000000000000000000000009";
const SYNC = `https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?api-version=2016-10-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${SIG}`;
const GET = SYNC.replace("/abc/", "/def/");
const workspace = { subscriptionId: "00000000-1111-2222-3333-444444444444", resourceGroup: "rg", workspaceName: "ws" };

const nasty = [
  "plain",
  'quote " and \\ backslash and \\" escaped quote',
  "new\nline\r\ncarriage\ttab \u2028 \u2029 \u0000 \u001f",
  "unicode ünïcödé 日本語 🚀👩‍💻 \ud83d",
  "{{{case.title}}} {{#a}}section{{/a}} {{! comment}} {{=<% %>=}} <script>alert(1)</script> &amp;",
  `long ${'"\\\n'.repeat(3000)}${"y".repeat(30_000 - 9005)}`,
];

const severity = z.enum(["low", "medium", "high", "critical"]).or(z.literal(""));
const status = z.enum(["open", "in-progress", "closed"]).or(z.literal(""));
const caseFields = {
  case_id: z.string(),
  case_title: z.string(),
  case_description: z.string(),
  case_severity: severity,
  case_status: status,
  case_tags: z.array(z.string()),
  elastic_url_base: z.string(),
};
// The request shapes of docs/contracts.md, strict: no field more, none missing.
const createShape = z.strictObject({ action: z.literal("create-incident"), ...caseFields });
const updateShape = z.strictObject({
  action: z.literal("update-incident"),
  sentinel_incident_id: z.string(),
  ...caseFields,
});
const commentShape = z.strictObject({
  action: z.literal("add-comment-to-incident"),
  case_comment: z.string(),
  sentinel_incident_id: z.string(),
  elastic_url_base: z.string(),
});

for (const version of ["8.11.4", "8.17.0", "9.2.0"]) {
  describe(`case connector templates for Kibana ${version}`, () => {
    const body = buildCaseConnectorBody({
      name: "n",
      version,
      kibanaUrl: 'https://kb.example.com:5601/base"path',
      space: "soc",
      portal: "https://portal.azure.us",
      workspace,
      caseSyncUrl: SYNC,
      caseGetUrl: GET,
    });
    const cfg = body.config as Record<string, string>;

    it("every case template renders adversarial case data into valid JSON of the contract's shape", () => {
      for (const text of nasty) {
        const incident = {
          title: text,
          description: text,
          tags: [text, "b"],
          id: text,
          severity: "critical",
          status: "in-progress",
        };
        const create = createShape.parse(JSON.parse(renderCaseJson(cfg.createIncidentJson!, incident)));
        expect(create).toEqual({
          action: "create-incident",
          case_id: text,
          case_title: text,
          case_description: text,
          case_severity: "critical",
          case_status: "in-progress",
          case_tags: [text, "b"],
          elastic_url_base: 'https://kb.example.com:5601/base"path/s/soc/app/security/cases/',
        });
        const update = updateShape.parse(JSON.parse(renderCaseJson(cfg.updateIncidentJson!, incident, text)));
        expect(update.sentinel_incident_id).toBe(text);
        expect(update.case_description).toBe(text);
        const comment = commentShape.parse(JSON.parse(renderCaseJson(cfg.createCommentJson!, incident, text, text)));
        expect(comment).toEqual({
          action: "add-comment-to-incident",
          case_comment: text,
          sentinel_incident_id: text,
          elastic_url_base: 'https://kb.example.com:5601/base"path/s/soc/app/security/cases/',
        });
      }
    });

    it("values the stack leaves out render as empty strings and an empty tag list, still valid", () => {
      const create = createShape.parse(JSON.parse(renderCaseJson(cfg.createIncidentJson!, { title: "t" })));
      expect(create).toMatchObject({
        case_id: "",
        case_description: "",
        case_severity: "",
        case_status: "",
        case_tags: [],
      });
    });

    it("the get URL carries the incident id URL-encoded after the callback URL's own query, sig intact", () => {
      const id = 'a&b=c/../"x" 🚀';
      const url = new URL(renderCaseUrl(cfg.getIncidentUrl!, id));
      expect(url.searchParams.get("sentinel_incident_id")).toBe(id);
      expect(url.searchParams.get("sig")).toBe(SIG);
      expect(url.searchParams.get("api-version")).toBe("2016-10-01");
    });

    it("the view URL is the incident in the configured cloud's portal", () => {
      expect(renderCaseUrl(cfg.viewIncidentUrl!, "6f0c-1")).toBe(
        "https://portal.azure.us/#asset/Microsoft_Azure_Security_Insights/Incident/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/ws/providers/Microsoft.SecurityInsights/Incidents/6f0c-1",
      );
    });

    it("sends only fields the stack knows, with header-only auth and JSON content type", () => {
      expect(cfg.createIncidentUrl).toBe(SYNC);
      expect(cfg.updateIncidentUrl).toBe(SYNC);
      expect(cfg.createCommentUrl).toBe(SYNC);
      expect(body.config.hasAuth).toBe(false);
      expect(body.config.headers).toEqual({ "Content-Type": "application/json" });
      expect("authType" in body.config).toBe(false);
      expect("getIncidentMethod" in body.config).toBe(version !== "8.11.4");
      expect(body.secrets).toEqual({});
    });
  });
}

describe("alert action body", () => {
  const alerts = nasty.map((text, i) => ({
    _id: `id-${i}`,
    "kibana.alert.uuid": `uuid-${i}`,
    "kibana.alert.rule.name": text,
    "kibana.alert.reason": text,
    "host.name": text,
    message: text,
    threat: [{ framework: "MITRE ATT&CK", tactic: { name: text } }],
  }));
  const ruleName = 'Forward "to" Sentinel \\ {{x}}\n';
  const variables = (list: unknown[]) => ({
    kibanaBaseUrl: "https://kb.example.com",
    rule: { id: "uuid-rule", spaceId: "default", name: ruleName },
    context: {
      rule: { rule_id: "elastic-sentinel-forward-rule", name: ruleName, severity: "high", risk_score: 73 },
      alerts: list,
    },
    alert: { id: 'alert "1"' },
  });
  const shape = z.strictObject({
    source: z.literal("sentinel-elastic"),
    kind: z.enum(["summary", "per-alert"]),
    alert_id: z.string().optional(),
    kibana_url: z.string(),
    space: z.string(),
    rule: z.strictObject({
      id: z.string(),
      rule_id: z.string(),
      name: z.string(),
      severity: z.string(),
      risk_score: z.string(),
    }),
    alerts: z.array(z.record(z.string(), z.unknown())),
  });

  for (const kind of ["summary", "per-alert"] as const) {
    it(`${kind}: renders adversarial alert content into valid JSON with every alert intact`, () => {
      const parsed = shape.parse(JSON.parse(renderActionJson(alertActionBody(kind), variables(alerts))));
      expect(parsed.kind).toBe(kind);
      expect(parsed.rule).toEqual({
        id: "uuid-rule",
        rule_id: "elastic-sentinel-forward-rule",
        name: ruleName,
        severity: "high",
        risk_score: "73",
      });
      expect(parsed.alerts).toHaveLength(alerts.length);
      parsed.alerts.forEach((a, i) => {
        expect((a.kibana as { alert: { uuid: string } }).alert.uuid).toBe(`uuid-${i}`);
        expect((a.host as { name: string }).name).toBe(nasty[i]);
        expect(a.message).toBe(nasty[i]);
      });
      if (kind === "per-alert") expect(parsed.alert_id).toBe('alert "1"');
    });
  }

  it("stays valid JSON with no alerts and empty rule fields", () => {
    const parsed = shape.parse(
      JSON.parse(renderActionJson(alertActionBody("summary"), { context: { rule: {}, alerts: [] }, rule: {} })),
    );
    expect(parsed.alerts).toEqual([]);
    expect(parsed.rule.risk_score).toBe("");
  });

  it("the alert connector posts JSON to the alert-ingest URL with no auth", () => {
    const body = buildAlertConnectorBody({ name: "n", version: "8.11.4", alertIngestUrl: SYNC });
    expect(body.config).toEqual({
      url: SYNC,
      method: "post",
      headers: { "Content-Type": "application/json" },
      hasAuth: false,
    });
    expect(body.secrets).toEqual({});
  });
});

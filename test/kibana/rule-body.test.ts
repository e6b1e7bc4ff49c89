import { describe, expect, it } from "vitest";
import { buildAlertConnectorBody, buildCaseConnectorBody } from "../../src/kibana/connector-bodies.js";
import { buildRuleBody, lookbackFrom } from "../../src/kibana/rule-body.js";
import { TEST_DATA_STREAM } from "../../src/names.js";
import { makeConfig } from "../steps/kibana/helpers.js";

describe("detection rule body", () => {
  it("looks back one interval plus a minute, so consecutive runs overlap", () => {
    expect(lookbackFrom("5m")).toBe("now-6m");
    expect(lookbackFrom("1h")).toBe("now-61m");
    expect(lookbackFrom("30s")).toBe("now-90s");
    expect(lookbackFrom("1d")).toBe("now-1441m");
  });

  it("defaults to the security default indices plus the test data stream", () => {
    const body = buildRuleBody(makeConfig());
    expect(body.index).toContain("logs-*");
    expect(body.index).toContain("-*elastic-cloud-logs-*");
    expect(body.index.at(-1)).toBe(TEST_DATA_STREAM);
    expect(buildRuleBody(makeConfig({ rule: { index: ["my-logs-*"] } })).index).toEqual(["my-logs-*"]);
  });

  it("is a custom query rule with our rule_id, tag, inputs and one action on the alert connector", () => {
    const body = buildRuleBody(
      makeConfig({
        rule: { query: "event.code:4625", severity: "medium", riskScore: 47, interval: "1m" },
        naming: { prefix: "acme-soc" },
      }),
    );
    expect(body).toMatchObject({
      rule_id: "acme-soc-forward-rule",
      type: "query",
      language: "kuery",
      query: "event.code:4625",
      interval: "1m",
      from: "now-2m",
      severity: "medium",
      risk_score: 47,
      tags: ["sentinel-elastic", "sentinel-elastic-instance:acme-soc"],
      enabled: true,
    });
    expect(body.actions).toHaveLength(1);
    expect(body.actions[0]).toMatchObject({
      id: "acme-soc-alert-webhook",
      action_type_id: ".webhook",
      group: "default",
      frequency: { summary: true, notifyWhen: "onActiveAlert", throttle: null },
    });
    expect(String(body.actions[0]!.params.body)).toContain('"alerts":{{{context.alerts.asJSON}}}');
    const perAlert = buildRuleBody(makeConfig({ alerts: { action: "per-alert" } }));
    expect(perAlert.actions[0]!.frequency!.summary).toBe(false);
    expect(String(perAlert.actions[0]!.params.body)).toContain('"alert_id":"{{alert.id}}"');
  });
});

describe("secret headers", () => {
  const base = {
    name: "n",
    kibanaUrl: "https://kb",
    space: "default",
    portal: "https://portal.azure.com",
    workspace: { subscriptionId: "s", resourceGroup: "r", workspaceName: "w" },
    caseSyncUrl: "https://x/a?sig=1",
    caseGetUrl: "https://x/b?sig=2",
    secretHeaders: { "x-api-key": "s3cr3t-value" },
  };

  it("go into secrets.secretHeaders on 9.2+, never into plain config", () => {
    const body = buildCaseConnectorBody({ ...base, version: "9.2.0" });
    expect(body.secrets).toEqual({ secretHeaders: { "x-api-key": "s3cr3t-value" } });
    expect(JSON.stringify(body.config)).not.toContain("s3cr3t-value");
    const alert = buildAlertConnectorBody({
      name: "n",
      version: "9.2.0",
      alertIngestUrl: "https://x",
      secretHeaders: base.secretHeaders,
    });
    expect(alert.secrets).toEqual({ secretHeaders: { "x-api-key": "s3cr3t-value" } });
  });

  it("are refused before 9.2 rather than sent as plain headers", () => {
    expect(() => buildCaseConnectorBody({ ...base, version: "9.1.3" })).toThrow(/9\.2/);
  });
});

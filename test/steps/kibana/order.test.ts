import { describe, expect, it } from "vitest";
import { setupSteps } from "../../../src/steps/index.js";
import { kibanaPreflightSteps, kibanaSteps } from "../../../src/steps/kibana/index.js";

describe("Kibana step order", () => {
  const all = setupSteps();
  const ids = new Set(all.map((s) => s.id));

  it("every step the Kibana steps wait for exists in setup", () => {
    for (const s of [...kibanaPreflightSteps, ...kibanaSteps])
      for (const d of s.after ?? []) expect(ids, `${s.id} after ${d}`).toContain(d);
  });

  it("the connectors wait for the Azure callback URLs; settings, rule and document wait for what they point at", () => {
    const deps = (id: string) => all.find((s) => s.id === id)!.after ?? [];
    expect(deps("kibana-case-connector")).toEqual(["kibana-preflight", "azure-callback-urls"]);
    // …and for the app registration it signs in with (alerts.webhookAuth oauth2).
    expect(deps("kibana-alert-connector")).toEqual(["kibana-preflight", "azure-callback-urls", "azure-alert-app"]);
    expect(deps("kibana-case-settings")).toEqual(["kibana-case-connector"]);
    // The test document before the rule, so the rule's first run finds it (no "no index matching" partial failure).
    expect(deps("kibana-detection-rule")).toEqual(["kibana-alert-connector", "kibana-test-document"]);
    expect(deps("kibana-test-document")).toEqual(["kibana-preflight"]);
  });

  it("only the steps of enabled features take part", () => {
    const enabled = (caseSync: boolean, alertForwarding: boolean) =>
      kibanaSteps
        .filter((s) =>
          s.enabled({
            features: { caseSync, alertForwarding, sentinelToElastic: false },
            alerts: { webhookAuth: "auto" },
          } as never),
        )
        .map((s) => s.id);
    expect(enabled(true, false)).toEqual(["kibana-case-connector", "kibana-case-settings"]);
    // The alert-ingest key is regenerated after the alert connector drops its sig (OAuth2): on the Kibana side's list.
    expect(enabled(false, true)).toEqual([
      "kibana-alert-connector",
      "azure-retire-alert-sig",
      "kibana-test-document",
      "kibana-detection-rule",
    ]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClock } from "../../../src/sandbox/common/clock.js";
import { type ElasticSandbox, startElasticSandbox } from "../../../src/sandbox/elastic/index.js";
import { changed, makeContext, type Receiver, runSetup, sandboxConfig, startReceiver } from "./helpers.js";

for (const version of ["8.11.4", "8.17.0", "9.2.0"]) {
  describe(`setup against Kibana ${version}`, () => {
    let sb: ElasticSandbox;
    let rx: Receiver;
    beforeAll(async () => {
      sb = await startElasticSandbox({
        kibanaVersion: version,
        clock: createClock({ mode: "manual", start: Date.parse("2026-03-02T09:00:00Z") }),
        allowedHosts: ["127.0.0.1", "portal.azure.com"],
      });
      rx = await startReceiver();
    });
    afterAll(async () => {
      await sb?.stop();
      await rx?.stop();
    });

    it("a first run plans connectors, case settings and rule as creates, then creates them", async () => {
      const ctx = makeContext(sandboxConfig(sb));
      const { plan, checks } = await runSetup(ctx, { between: (c) => Object.assign(c.shared.callbackUrls, rx.urls) });
      expect(plan.map((c) => [c.step, c.action])).toEqual([
        ["kibana-case-connector", "create"],
        ["kibana-case-settings", "create"],
        ["kibana-alert-connector", "create"],
        ["kibana-test-document", "create"],
        ["kibana-detection-rule", "create"],
      ]);
      // Callback URLs were unknown at plan time (Azure not deployed yet): the plan says so.
      expect(plan[0]!.reason).toContain("known after the Azure deployment");
      const connectors = sb.state.connectors();
      expect(connectors.map((c) => c.id).sort()).toEqual([
        "elastic-sentinel-alert-webhook",
        "elastic-sentinel-cases-webhook",
      ]);
      expect(sb.state.caseConfigurations()[0]!.connector.id).toBe("elastic-sentinel-cases-webhook");
      expect(sb.state.rules().map((r) => r.rule_id)).toEqual(["elastic-sentinel-forward-rule"]);
      expect(sb.state.documents("logs-sentinel_elastic.test-default")).toHaveLength(1);
      expect(checks.filter((c) => c.status === "fail")).toEqual([]);
    });

    it("a second run changes nothing", async () => {
      const ctx = makeContext(sandboxConfig(sb));
      Object.assign(ctx.shared.callbackUrls, rx.urls);
      const { plan } = await runSetup(ctx, { dryRun: true });
      expect(changed(plan)).toEqual([]);
      expect(plan).toHaveLength(5);
    });

    it("another query and another callback URL update the rule and connectors in place", async () => {
      const ctx = makeContext(sandboxConfig(sb, { rule: { query: "message:ransomware" } }));
      Object.assign(ctx.shared.callbackUrls, rx.rotatedUrls);
      const before = sb.state.rules()[0]!.id;
      const { plan } = await runSetup(ctx);
      expect(changed(plan).map((c) => [c.step, c.action])).toEqual([
        ["kibana-case-connector", "update"],
        ["kibana-alert-connector", "update"],
        ["kibana-detection-rule", "update"],
      ]);
      const ruleChange = plan.find((c) => c.step === "kibana-detection-rule")!;
      expect(ruleChange.diff).toContainEqual({ field: "query", from: "message:malware", to: "message:ransomware" });
      // The plan never shows the callback URL's signature.
      expect(JSON.stringify(plan)).not.toContain("CANARYsig");
      expect(sb.state.rules()).toHaveLength(1);
      expect(sb.state.rules()[0]!.id).toBe(before);
      expect((sb.state.rules()[0] as unknown as { query: string }).query).toBe("message:ransomware");
      const cw = sb.state.connectors().find((c) => c.id === "elastic-sentinel-cases-webhook")!;
      expect(cw.config.createIncidentUrl).toBe(rx.rotatedUrls.caseSync);
      const again = await runSetup(makeContext(ctx.config, { shared: ctx.shared }), { dryRun: true });
      expect(changed(again.plan)).toEqual([]);
    });
  });
}

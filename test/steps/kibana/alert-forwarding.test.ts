import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ElasticSandbox, startElasticSandbox } from "../../../src/sandbox/elastic/index.js";
import { type TestDocumentState, testDocument } from "../../../src/steps/kibana/test-document.js";
import { changed, makeContext, type Receiver, runSetup, sandboxConfig, startReceiver } from "./helpers.js";

interface AlertBody {
  source: string;
  kind: string;
  alert_id?: string;
  rule: { rule_id: string; risk_score: string };
  alerts: { labels?: { sentinel_elastic_marker?: string }; kibana?: { alert?: { uuid?: string } } }[];
}

const ingests = (rx: Receiver) =>
  rx.requests.filter((r) => r.path.includes("alert-ingest")).map((r) => r.body as AlertBody);

for (const version of ["8.11.4", "9.2.0"]) {
  describe(`alert forwarding on Kibana ${version}`, () => {
    let sb: ElasticSandbox;
    let rx: Receiver;
    beforeAll(async () => {
      sb = await startElasticSandbox({ kibanaVersion: version });
      rx = await startReceiver();
    });
    afterAll(async () => {
      await sb?.stop();
      await rx?.stop();
    });
    const context = (over = {}) =>
      makeContext(sandboxConfig(sb, { features: { caseSync: false }, ...over }), { now: () => sb.clock.now() });

    it("the test document raises an alert whose summary action reaches alert-ingest with the marker", async () => {
      const ctx = context();
      await runSetup(ctx, { between: (c) => Object.assign(c.shared.callbackUrls, rx.urls) });
      const { marker } = ctx.shared.testDocument as TestDocumentState;
      expect(marker).toMatch(/^sentinel-elastic-test-/);
      await sb.state.runRulesNow();
      const [body] = ingests(rx);
      expect(body).toMatchObject({
        source: "sentinel-elastic",
        kind: "summary",
        rule: { rule_id: "elastic-sentinel-forward-rule", risk_score: "73" },
      });
      expect(body!.alerts.map((a) => a.labels?.sentinel_elastic_marker)).toEqual([marker]);
    });

    it("a re-run reuses the recent test document's marker instead of adding another", async () => {
      const ctx = context();
      Object.assign(ctx.shared.callbackUrls, rx.urls);
      const { plan } = await runSetup(ctx);
      expect(changed(plan)).toEqual([]);
      expect(sb.state.documents("logs-sentinel_elastic.test-default")).toHaveLength(1);
      expect((ctx.shared.testDocument as TestDocumentState).marker).toMatch(/^sentinel-elastic-test-/);
    });

    it("per-alert updates the same rule to one action call per alert, with the alert id", async () => {
      const ctx = context({ alerts: { action: "per-alert" } });
      Object.assign(ctx.shared.callbackUrls, rx.urls);
      const { plan } = await runSetup(ctx);
      expect(changed(plan).map((c) => [c.step, c.action])).toEqual([["kibana-detection-rule", "update"]]);
      const rules = sb.state.rules();
      expect(rules).toHaveLength(1);
      expect(rules[0]!.actions[0]!.frequency).toMatchObject({ summary: false, notifyWhen: "onActiveAlert" });
      rx.requests.length = 0;
      sb.state.indexDocument(
        "logs-sentinel_elastic.test-default",
        testDocument("m-1", new Date(sb.clock.now()).toISOString()),
      );
      sb.state.indexDocument(
        "logs-sentinel_elastic.test-default",
        testDocument("m-2", new Date(sb.clock.now()).toISOString()),
      );
      await sb.state.runRulesNow();
      const bodies = ingests(rx);
      expect(bodies).toHaveLength(2);
      for (const b of bodies) {
        expect(b.kind).toBe("per-alert");
        expect(b.alerts).toHaveLength(1);
        expect(b.alert_id).toBeTruthy();
      }
      expect(bodies.map((b) => b.alerts[0]!.labels?.sentinel_elastic_marker).sort()).toEqual(["m-1", "m-2"]);
    });
  });
}

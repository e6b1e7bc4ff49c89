import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ElasticSandbox, startElasticSandbox } from "../../../src/sandbox/elastic/index.js";
import { makeContext, type Receiver, runSetup, sandboxConfig, startReceiver } from "./helpers.js";

const TITLE = 'Quote " back\\slash {{{case.title}}} </script> 🚀 ünïcödé \u2028 end';
const DESCRIPTION = 'Line 1\nLine "2"\t\\tab\r\n{{#x}}mustache{{/x}} & <b>html</b> 😀 \u0000 nul';
const TAGS = ['tag "quoted"', "back\\slash", "日本語"];
const COMMENT = `start "${"é\\\n".repeat(1000)}" ${"x".repeat(30_000 - 3010 - 20)} end`;

for (const version of ["8.11.4", "8.17.0", "9.2.0"]) {
  describe(`a case pushed through our connector on Kibana ${version}`, () => {
    let sb: ElasticSandbox;
    let rx: Receiver;
    beforeAll(async () => {
      sb = await startElasticSandbox({ kibanaVersion: version, allowedHosts: ["127.0.0.1", "portal.azure.com"] });
      rx = await startReceiver();
      const ctx = makeContext(sandboxConfig(sb, { features: { alertForwarding: false } }));
      await runSetup(ctx, { between: (c) => Object.assign(c.shared.callbackUrls, rx.urls) });
    });
    afterAll(async () => {
      await sb?.stop();
      await rx?.stop();
    });

    it("reaches the case-sync workflow with every field intact, then update and comment follow", async () => {
      const kibana = await makeContext(sandboxConfig(sb)).clients.kibana();
      const created = await kibana.createCase({
        title: TITLE,
        description: DESCRIPTION,
        tags: TAGS,
        severity: "critical",
        connector: { id: "elastic-sentinel-cases-webhook", name: "x", type: ".cases-webhook", fields: null },
      });
      const pushed = await kibana.pushCase(created.id, "elastic-sentinel-cases-webhook");

      const create = rx.requests.find((r) => (r.body as { action?: string })?.action === "create-incident")!;
      expect(create.method).toBe("POST");
      expect(create.query.get("sig")).toBe("CANARYsig0000000000000000000000001");
      expect(create.headers["content-type"]).toContain("application/json");
      expect(create.body).toEqual({
        action: "create-incident",
        case_id: created.id,
        case_title: TITLE,
        case_description: DESCRIPTION,
        case_severity: "critical",
        case_status: "open",
        case_tags: TAGS,
        elastic_url_base: `${sb.kibanaUrl}/app/security/cases/`,
      });
      // Kibana always reads the incident back after creating it (elastic/kibana stack_connectors server/connector_types/cases_webhook/service.ts).
      const get = rx.requests.find((r) => r.path.includes("case-get"))!;
      expect(get.method).toBe("GET");
      expect(get.query.get("sentinel_incident_id")).toBe("incident-1");
      expect(pushed.external_service?.external_id).toBe("incident-1");
      expect(pushed.external_service?.external_title).toBe(TITLE);
      expect(pushed.external_service?.external_url).toBe(
        "https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-sentinel/providers/Microsoft.OperationalInsights/workspaces/ws-sentinel/providers/Microsoft.SecurityInsights/Incidents/incident-1",
      );

      await kibana.addCaseComment(created.id, COMMENT);
      rx.requests.length = 0;
      await kibana.pushCase(created.id, "elastic-sentinel-cases-webhook");
      const update = rx.requests.find((r) => (r.body as { action?: string })?.action === "update-incident")!;
      expect(update.body).toMatchObject({
        action: "update-incident",
        sentinel_incident_id: "incident-1",
        case_id: created.id,
        case_title: TITLE,
        case_description: DESCRIPTION,
        case_tags: TAGS,
      });
      const comment = rx.requests.find((r) => (r.body as { action?: string })?.action === "add-comment-to-incident")!;
      const body = comment.body as { case_comment: string; sentinel_incident_id: string };
      expect(body.sentinel_incident_id).toBe("incident-1");
      // Cases appends "Added by <user>." to each pushed comment.
      expect(body.case_comment.startsWith(COMMENT)).toBe(true);
      expect(Object.keys(comment.body as object).sort()).toEqual([
        "action",
        "case_comment",
        "elastic_url_base",
        "sentinel_incident_id",
      ]);
    });
  });
}

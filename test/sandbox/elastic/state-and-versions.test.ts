/**
 * The `state` handle and version/space/licence switches: per-space rules and alerts, the encryption
 * key gate of alerting (alerting _health docs), licence changes, rule body strictness by version
 * (io-ts "invalid keys" in 8.11; zod strips from 8.12), and _bulk_action.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createClock } from "../../../src/sandbox/common/clock.js";
import type { ElasticSandbox, ElasticSandboxOptions } from "../../../src/sandbox/elastic/index.js";
import { kibana, receiver, sandbox } from "./helpers.js";

const T0 = Date.parse("2026-05-01T08:00:00Z");
const rule = (extra: Record<string, unknown> = {}) => ({
  rule_id: "r1",
  type: "query",
  name: "R",
  description: "d",
  risk_score: 10,
  severity: "low",
  query: "event.outcome:failure",
  index: ["logs-*"],
  ...extra,
});

describe("state, spaces, versions", () => {
  let sb: ElasticSandbox;
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await sb.stop();
    for (const c of closers.splice(0)) await c();
  });
  const start = async (o: ElasticSandboxOptions = {}) => {
    sb = await sandbox({ clock: createClock({ start: T0 }), ...o });
    return sb;
  };
  const doc = () => ({ "@timestamp": new Date(sb.clock.now() - 60_000).toISOString(), event: { outcome: "failure" } });

  it("a rule in a space writes alerts to .alerts-security.alerts-<space> and its actions see rule.spaceId", async () => {
    await start({ spaces: ["default", "soc"] });
    const rx = await receiver();
    closers.push(rx.close);
    const soc = kibana(sb, "soc");
    const c = await soc.post("/api/actions/connector", {
      name: "wh",
      connector_type_id: ".webhook",
      config: { url: `${rx.url}/h`, hasAuth: false },
    });
    sb.state.indexDocument("logs-x-default", doc());
    const created = await soc.post(
      "/api/detection_engine/rules",
      rule({
        actions: [
          {
            group: "default",
            id: c.data.id,
            action_type_id: ".webhook",
            params: { body: '{"space":"{{rule.spaceId}}","link":"{{{context.results_link}}}"}' },
          },
        ],
      }),
    );
    expect(created.status, JSON.stringify(created.data)).toBe(200);
    await sb.state.runRule("r1", "soc");
    expect(sb.state.alerts("soc")).toHaveLength(1);
    expect(sb.state.alerts("default")).toHaveLength(0);
    const body = JSON.parse(rx.received[0]!.body);
    expect(body.space).toBe("soc");
    expect(body.link).toContain("/s/soc/app/security");
    expect((await kibana(sb).post("/api/detection_engine/signals/search", {})).data.hits.hits).toHaveLength(0);
    expect((await soc.post("/api/detection_engine/signals/search", {})).data.hits.hits).toHaveLength(1);
  });

  it("without an encryption key, connectors with secrets cannot be saved and rules fail", async () => {
    await start({ encryptionKey: false });
    const res = await kibana(sb).post("/api/actions/connector", {
      name: "wh",
      connector_type_id: ".webhook",
      config: { url: "http://127.0.0.1:9/h" },
      secrets: { user: "u", password: "p" },
    });
    expect(res.status).toBe(400);
    expect(res.data.message).toContain("encryption key");
    await kibana(sb).post("/api/detection_engine/rules", rule());
    const [run] = await sb.state.runRulesNow();
    expect(run!.status).toBe("failed");
  });

  it("a licence downgrade makes rule actions fail with the licence message", async () => {
    await start();
    const rx = await receiver();
    closers.push(rx.close);
    const c = await kibana(sb).post("/api/actions/connector", {
      name: "wh",
      connector_type_id: ".webhook",
      config: { url: `${rx.url}/h`, hasAuth: false },
    });
    await kibana(sb).post(
      "/api/detection_engine/rules",
      rule({ actions: [{ group: "default", id: c.data.id, action_type_id: ".webhook", params: { body: "{}" } }] }),
    );
    sb.state.indexDocument("logs-x-default", doc());
    sb.state.setLicense("basic");
    const [run] = await sb.state.runRulesNow();
    expect(run!.actions[0]!.status).toBe("error");
    expect(run!.actions[0]!.message).toContain("license does not support it");
    expect(rx.received).toHaveLength(0);
    expect((await kibana(sb).get("/api/licensing/info")).data.license.type).toBe("basic");
  });

  it("disableRule stops scheduled runs and enableRule resumes them", async () => {
    await start();
    await kibana(sb).post("/api/detection_engine/rules", rule({ interval: "1m" }));
    sb.state.disableRule("r1");
    sb.state.indexDocument("logs-x-default", doc());
    await sb.clock.advance(10 * 60_000);
    expect(sb.state.alerts()).toHaveLength(0);
    sb.state.enableRule("r1"); // the first document is now outside the rule's now-6m window
    sb.state.indexDocument("logs-x-default", doc());
    await sb.clock.advance(60_000);
    expect(sb.state.alerts()).toHaveLength(1);
    expect(sb.state.rules()[0]!.execution_summary?.last_execution.status).toBe("succeeded");
  });

  it("8.11 rejects unknown rule keys with invalid keys; 9.2 strips them", async () => {
    await start({ kibanaVersion: "8.11.4" });
    const old = await kibana(sb).post("/api/detection_engine/rules", rule({ bogus: 1 }));
    expect(old.status).toBe(400);
    expect(old.data).toEqual({
      statusCode: 400,
      error: "Bad Request",
      message: '[request body]: invalid keys "bogus"',
    });
    sb.state.setVersion("9.2.0");
    const now = await kibana(sb).post("/api/detection_engine/rules", rule({ bogus: 1 }));
    expect(now.status).toBe(200);
    expect(now.data.bogus).toBeUndefined();
  });

  it("_bulk_action disable and delete act on the given ids", async () => {
    await start();
    const a = await kibana(sb).post("/api/detection_engine/rules", rule());
    const b = await kibana(sb).post("/api/detection_engine/rules", rule({ rule_id: "r2" }));
    const dis = await kibana(sb).post("/api/detection_engine/rules/_bulk_action", {
      action: "disable",
      ids: [a.data.id],
    });
    expect(dis.data.attributes.summary).toMatchObject({ succeeded: 1, total: 1 });
    expect((await kibana(sb).get("/api/detection_engine/rules?rule_id=r1")).data.enabled).toBe(false);
    await kibana(sb).post("/api/detection_engine/rules/_bulk_action", { action: "delete", ids: [b.data.id] });
    expect(sb.state.rules().map((r) => r.rule_id)).toEqual(["r1"]);
  });

  it("state.documents, indexDocuments and docCount see what the ES API sees", async () => {
    await start();
    sb.state.indexDocuments("logs-y-default", [doc(), doc(), { ...doc(), event: { outcome: "success" } }]);
    expect(sb.state.docCount).toBe(3);
    expect(sb.state.documents("logs-y-*", { term: { "event.outcome": "success" } })).toHaveLength(1);
    expect(() => sb.state.addSpace("Bad Space")).toThrow(/invalid space id/);
  });
});

/**
 * Detection engine rules and the scheduler: SECSOL rule_management routes, rule_actions.ts
 * (frequency), schedule_notification_actions.ts (action variables), webhook renderParameterTemplates
 * ('json' escape), actions retry (PR #143224), execution_summary (security_solution common/api/detection_engine/rule_monitoring).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createClock } from "../../../src/sandbox/common/clock.js";
import type { ElasticSandbox } from "../../../src/sandbox/elastic/index.js";
import { kibana, type Received, type Reply, receiver, sandbox } from "./helpers.js";

const T0 = Date.parse("2026-03-01T12:00:00Z");

describe("detection rules", () => {
  let sb: ElasticSandbox;
  let rx: Awaited<ReturnType<typeof receiver>>;
  let reply: (r: Received) => Reply;
  beforeEach(async () => {
    sb = await sandbox({ clock: createClock({ start: T0 }) });
    reply = () => ({ body: {} });
    rx = await receiver((r) => reply(r));
  });
  afterEach(async () => {
    await sb.stop();
    await rx.close();
  });

  const k = () => kibana(sb);
  const event = (minutesAgo: number, extra: Record<string, unknown> = {}) => ({
    "@timestamp": new Date(sb.clock.now() - minutesAgo * 60_000).toISOString(),
    event: { category: "authentication", outcome: "failure" },
    host: { name: "web-01" },
    user: { name: "alice" },
    message: 'failed login for "alice"',
    ...extra,
  });
  const webhook = async () =>
    (
      await k().post("/api/actions/connector", {
        name: "wh",
        connector_type_id: ".webhook",
        config: { url: `${rx.url}/hook`, hasAuth: false },
      })
    ).data.id as string;
  const rule = (extra: Record<string, unknown> = {}) => ({
    rule_id: "r1",
    type: "query",
    language: "kuery",
    name: 'Failed "logins"',
    description: "d",
    risk_score: 47,
    severity: "medium",
    query: "event.category:authentication and event.outcome:failure",
    index: ["logs-*"],
    interval: "5m",
    from: "now-6m",
    ...extra,
  });

  describe("CRUD by rule_id", () => {
    it("POST creates with defaults; a second POST with the same rule_id is 409", async () => {
      const res = await k().post("/api/detection_engine/rules", rule());
      expect(res.status, JSON.stringify(res.data)).toBe(200);
      expect(res.data).toMatchObject({ rule_id: "r1", enabled: true, max_signals: 100, to: "now", immutable: false });
      const dup = await k().post("/api/detection_engine/rules", rule());
      expect(dup.status).toBe(409);
      expect(dup.data).toEqual({ message: 'rule_id: "r1" already exists', status_code: 409 });
    });

    it("required fields are enforced with a 400", async () => {
      const { name: _n, risk_score: _r, ...body } = rule();
      const res = await k().post("/api/detection_engine/rules", body);
      expect(res.status).toBe(400);
      expect(res.data.message).toContain("name: Required");
      expect(res.data.message).toContain("risk_score: Required");
    });

    it("GET, PUT (full replace), PATCH (partial), DELETE and _find work by rule_id", async () => {
      await k().post("/api/detection_engine/rules", rule({ tags: ["a"] }));
      expect((await k().get("/api/detection_engine/rules?rule_id=r1")).data.name).toBe('Failed "logins"');
      const put = await k().put("/api/detection_engine/rules", rule({ name: "Replaced" }));
      expect(put.data).toMatchObject({ name: "Replaced", tags: [], revision: 1 });
      const patch = await k().patch("/api/detection_engine/rules", { rule_id: "r1", severity: "high" });
      expect(patch.data).toMatchObject({ name: "Replaced", severity: "high", revision: 2 });
      const found = await k().get(
        `/api/detection_engine/rules/_find?filter=${encodeURIComponent('alert.attributes.name:"Replaced"')}`,
      );
      expect(found.data.total).toBe(1);
      expect((await k().delete("/api/detection_engine/rules?rule_id=r1")).status).toBe(200);
      const gone = await k().get("/api/detection_engine/rules?rule_id=r1");
      expect(gone.status).toBe(404);
      expect(gone.data.message).toBe('rule_id: "r1" not found');
    });

    it("an action without frequency gets the default summary/onActiveAlert frequency; throttle 1h converts to onThrottleInterval", async () => {
      const id = await webhook();
      const res = await k().post(
        "/api/detection_engine/rules",
        rule({ actions: [{ group: "default", id, action_type_id: ".webhook", params: { body: "{}" } }] }),
      );
      expect(res.data.actions[0].frequency).toEqual({ summary: true, notifyWhen: "onActiveAlert", throttle: null });
      expect(res.data.actions[0].uuid).toEqual(expect.any(String));
      const res2 = await k().post(
        "/api/detection_engine/rules",
        rule({
          rule_id: "r2",
          throttle: "1h",
          actions: [{ group: "default", id, action_type_id: ".webhook", params: {} }],
        }),
      );
      expect(res2.data.actions[0].frequency).toEqual({
        summary: true,
        notifyWhen: "onThrottleInterval",
        throttle: "1h",
      });
    });

    it("an action pointing at a missing connector is refused", async () => {
      const res = await k().post(
        "/api/detection_engine/rules",
        rule({ actions: [{ group: "default", id: "nope", action_type_id: ".webhook", params: {} }] }),
      );
      expect(res.status).toBe(400);
      expect(res.data.message).toContain("Invalid connectors: nope");
    });
  });

  describe("scheduler", () => {
    it("an enabled rule runs on the sandbox clock, alerts on matching documents inside its from window, and records execution_summary", async () => {
      sb.state.indexDocument("logs-auth-default", event(1));
      sb.state.indexDocument("logs-auth-default", event(10)); // outside now-6m
      sb.state.indexDocument(
        "logs-auth-default",
        event(2, { event: { category: "authentication", outcome: "success" } }),
      );
      await k().post("/api/detection_engine/rules", rule());
      expect(sb.state.alerts()).toHaveLength(0);
      await sb.clock.advance(0);
      const alerts = sb.state.alerts();
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({
        "kibana.alert.rule.rule_id": "r1",
        "kibana.alert.rule.name": 'Failed "logins"',
        "kibana.alert.workflow_status": "open",
        "kibana.alert.severity": "medium",
        "kibana.alert.risk_score": 47,
        "kibana.space_ids": ["default"],
        host: { name: "web-01" },
      });
      const got = await k().get("/api/detection_engine/rules?rule_id=r1");
      expect(got.data.execution_summary.last_execution).toMatchObject({ status: "succeeded", status_order: 0 });
      // the same document does not alert twice; a new one in the next window does
      sb.state.indexDocument("logs-auth-default", event(-4));
      await sb.clock.advance(5 * 60_000);
      expect(sb.state.alerts()).toHaveLength(2);
    });

    it("a disabled rule does not run", async () => {
      sb.state.indexDocument("logs-auth-default", event(1));
      await k().post("/api/detection_engine/rules", rule({ enabled: false }));
      await sb.clock.advance(10 * 60_000);
      expect(sb.state.alerts()).toHaveLength(0);
    });

    it("unsupported KQL fails the execution with a clear message", async () => {
      await k().post("/api/detection_engine/rules", rule({ query: "user:{ name: alice }" }));
      const [result] = await sb.state.runRulesNow();
      expect(result!.status).toBe("failed");
      const got = await k().get("/api/detection_engine/rules?rule_id=r1");
      expect(got.data.execution_summary.last_execution.status).toBe("failed");
      expect(got.data.execution_summary.last_execution.message).toContain("nested field queries");
    });

    it("no index matching the patterns is a partial failure with Kibana's warning", async () => {
      await k().post("/api/detection_engine/rules", rule({ index: ["nothing-*"] }));
      const [result] = await sb.state.runRulesNow();
      expect(result!.status).toBe("partial failure");
      expect(result!.message).toContain('no index matching: ["nothing-*"] was found');
    });

    it("max_signals caps the alerts of one execution", async () => {
      for (let i = 0; i < 5; i++) sb.state.indexDocument("logs-auth-default", event(1));
      await k().post("/api/detection_engine/rules", rule({ max_signals: 3 }));
      const [result] = await sb.state.runRulesNow();
      expect(result!.alerts).toBe(3);
      expect(result!.status).toBe("partial failure");
    });

    it("a rule runs with the privileges of whoever saved it: unreadable index patterns are reported", async () => {
      sb.state.indexDocument("logs-auth-default", event(1));
      const limited = sb.state.createApiKey({
        privileges: {
          indices: [{ names: ["other-*"], privileges: ["read"] }],
          applications: [{ application: "kibana-.kibana", privileges: ["all"], resources: ["*"] }],
        },
      });
      const res = await kibana(sb, undefined, { Authorization: `ApiKey ${limited.encoded}` }).post(
        "/api/detection_engine/rules",
        rule(),
      );
      expect(res.status).toBe(200);
      const [result] = await sb.state.runRulesNow();
      expect(result!.status).toBe("partial failure");
      expect(result!.message).toContain('required read privileges to the following index patterns: ["logs-*"]');
      expect(sb.state.alerts()).toHaveLength(0);
      sb.state.invalidateApiKey(limited.id);
      const [again] = await sb.state.runRulesNow();
      expect(again!.status).toBe("failed");
    });
  });

  describe("actions", () => {
    const withAction = async (body: string, frequency?: Record<string, unknown>) => {
      const id = await webhook();
      const res = await k().post(
        "/api/detection_engine/rules",
        rule({
          actions: [
            { group: "default", id, action_type_id: ".webhook", params: { body }, ...(frequency ? { frequency } : {}) },
          ],
        }),
      );
      expect(res.status, JSON.stringify(res.data)).toBe(200);
    };

    it("a summary action renders {{var}} JSON-escaped without quotes and {{{context.alerts.asJSON}}} as a JSON array", async () => {
      sb.state.indexDocument("logs-auth-default", event(1));
      sb.state.indexDocument("logs-auth-default", event(2, { host: { name: "web-02" } }));
      await withAction(
        '{"rule":"{{context.rule.name}}","space":"{{rule.spaceId}}","count":{{state.signals_count}},"alerts":{{{context.alerts.asJSON}}}}',
      );
      await sb.state.runRulesNow();
      expect(rx.received).toHaveLength(1);
      const body = JSON.parse(rx.received[0]!.body);
      expect(body.rule).toBe('Failed "logins"');
      expect(body.space).toBe("default");
      expect(body.count).toBe(2);
      expect(body.alerts).toHaveLength(2);
      expect(body.alerts.map((a: { host: { name: string } }) => a.host.name).sort()).toEqual(["web-01", "web-02"]);
      expect(body.alerts[0].kibana.alert.rule.name).toBe('Failed "logins"');
      // the legacy signal.* view rides along (formatAlertsForNotificationActions)
      expect(body.alerts[0].signal.rule).toMatchObject({ rule_id: "r1", name: 'Failed "logins"' });
      expect(body.alerts[0].signal.original_event).toEqual({ category: "authentication", outcome: "failure" });
    });

    it("{{{var}}} is raw: quotes inside it break the JSON (kibana#137114)", async () => {
      sb.state.indexDocument("logs-auth-default", event(1));
      await withAction('{"rule":"{{{context.rule.name}}}"}');
      await sb.state.runRulesNow();
      expect(rx.received[0]!.body).toBe('{"rule":"Failed "logins""}');
      // no content-type configured: axios sends the string as a form body, as Kibana's webhook does
      expect(rx.received[0]!.headers["content-type"]).toContain("application/x-www-form-urlencoded");
    });

    it("with a JSON content-type, axios re-encodes a body that is not valid JSON as one JSON string", async () => {
      sb.state.indexDocument("logs-auth-default", event(1));
      const id = (
        await k().post("/api/actions/connector", {
          name: "wh-json",
          connector_type_id: ".webhook",
          config: { url: `${rx.url}/hook`, hasAuth: false, headers: { "Content-Type": "application/json" } },
        })
      ).data.id as string;
      await k().post(
        "/api/detection_engine/rules",
        rule({
          actions: [
            {
              group: "default",
              id,
              action_type_id: ".webhook",
              params: { body: '{"rule":"{{{context.rule.name}}}"}' },
            },
          ],
        }),
      );
      await sb.state.runRulesNow();
      expect(JSON.parse(rx.received[0]!.body)).toBe('{"rule":"Failed "logins""}');
    });

    it("alert.* variables exist only for per-alert actions, which run once per alert", async () => {
      sb.state.indexDocument("logs-auth-default", event(1));
      sb.state.indexDocument("logs-auth-default", event(2));
      await withAction('{"alert":"{{alert.id}}","n":{{{context.alerts.asJSON}}}}', {
        summary: false,
        notifyWhen: "onActiveAlert",
        throttle: null,
      });
      await sb.state.runRulesNow();
      expect(rx.received).toHaveLength(2);
      const ids = rx.received.map((r) => JSON.parse(r.body).alert);
      expect(ids.every((id) => typeof id === "string" && id.length > 0)).toBe(true);
      expect(new Set(ids).size).toBe(2);
      expect(JSON.parse(rx.received[0]!.body).n).toHaveLength(1);

      rx.received.length = 0;
      await k().delete("/api/detection_engine/rules?rule_id=r1");
      sb.state.indexDocument("logs-auth-default", event(1));
      await withAction('{"alert":"{{alert.id}}"}');
      await sb.state.runRulesNow();
      expect(JSON.parse(rx.received[0]!.body).alert).toBe("");
    });

    it("no alerts, no action", async () => {
      await withAction("{}");
      await sb.state.runRulesNow();
      expect(rx.received).toHaveLength(0);
    });

    it("a 5xx from the receiver is retried, at most 3 attempts in all", async () => {
      reply = () => ({ status: 503, body: { message: "busy" } });
      sb.state.indexDocument("logs-auth-default", event(1));
      await withAction('{"a":1}');
      const [result] = await sb.state.runRulesNow();
      expect(rx.received).toHaveLength(3);
      expect(result!.actions).toEqual([
        expect.objectContaining({ status: "error", attempts: 3, serviceMessage: "[503] Service Unavailable: busy" }),
      ]);
      // actions are their own tasks in Kibana: their failure does not change the rule's status
      expect(result!.status).toBe("succeeded");
    });

    it("a 429 is retried and succeeds on the second attempt; a 400 is not retried", async () => {
      let n = 0;
      reply = () => (n++ === 0 ? { status: 429, body: {} } : { body: {} });
      sb.state.indexDocument("logs-auth-default", event(1));
      await withAction('{"a":1}');
      const [ok] = await sb.state.runRulesNow();
      expect(rx.received).toHaveLength(2);
      expect(ok!.status).toBe("succeeded");

      rx.received.length = 0;
      reply = () => ({ status: 400, body: {} });
      sb.state.indexDocument("logs-auth-default", event(1));
      await sb.state.runRulesNow();
      expect(rx.received).toHaveLength(1);
    });

    it("onThrottleInterval sends at most once per throttle window", async () => {
      await withAction('{"a":1}', { summary: true, notifyWhen: "onThrottleInterval", throttle: "1h" });
      sb.state.indexDocument("logs-auth-default", event(1));
      await sb.state.runRulesNow();
      sb.state.indexDocument("logs-auth-default", event(0));
      await sb.state.runRulesNow();
      expect(rx.received).toHaveLength(1);
      await sb.clock.advance(61 * 60_000);
      sb.state.indexDocument("logs-auth-default", event(1));
      await sb.state.runRulesNow();
      expect(rx.received.length).toBeGreaterThanOrEqual(2);
    });
  });

  it("POST /api/detection_engine/signals/search searches the space's alerts index", async () => {
    sb.state.indexDocument("logs-auth-default", event(1));
    await k().post("/api/detection_engine/rules", rule());
    await sb.state.runRulesNow();
    const res = await k().post("/api/detection_engine/signals/search", {
      query: { bool: { filter: [{ term: { "kibana.alert.rule.rule_id": "r1" } }] } },
      size: 10,
    });
    expect(res.status).toBe(200);
    expect(res.data.hits.total.value).toBe(1);
    expect(res.data.hits.hits[0]._index).toBe(".internal.alerts-security.alerts-default-000001");
    const bad = await k().post("/api/detection_engine/signals/search", { size: -1 });
    expect(bad.status).toBe(400);
  });
});

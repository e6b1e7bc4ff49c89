/**
 * Cases rules: CASES/server/client/{configure/client.ts, cases/push.ts, cases/utils.ts},
 * decodeWithExcessOrThrow for excess keys (elastic/kibana x-pack/platform/plugins/shared/cases/server/routes/api).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ElasticSandbox } from "../../../src/sandbox/elastic/index.js";
import { casesWebhookConfig, kibana, type Received, type Reply, receiver, sandbox } from "./helpers.js";

const NONE = { id: "none", name: "none", type: ".none", fields: null };

describe("cases", () => {
  let sb: ElasticSandbox;
  let rx: Awaited<ReturnType<typeof receiver>>;
  let reply: (r: Received) => Reply;
  beforeEach(async () => {
    sb = await sandbox({ kibanaVersion: "9.2.0" });
    reply = (r) =>
      r.method === "POST" && r.url === "/incidents" ? { body: { id: "INC-1" } } : { body: { title: "remote" } };
    rx = await receiver((r) => reply(r));
  });
  afterEach(async () => {
    await sb.stop();
    await rx.close();
  });

  const k = () => kibana(sb);
  const connector = async () =>
    (
      await k().post("/api/actions/connector", {
        name: "cw",
        connector_type_id: ".cases-webhook",
        config: casesWebhookConfig(rx.url),
        secrets: {},
      })
    ).data as {
      id: string;
      name: string;
    };
  const newCase = async (title = "Case 1") => {
    const res = await k().post("/api/cases", {
      title,
      description: "desc",
      tags: ["x"],
      connector: NONE,
      settings: { syncAlerts: false },
      owner: "securitySolution",
    });
    expect(res.status, JSON.stringify(res.data)).toBe(200);
    return res.data;
  };

  describe("configure", () => {
    it("POST /api/cases/configure replaces the configuration and its id changes", async () => {
      const c = await connector();
      const body = {
        owner: "securitySolution",
        closure_type: "close-by-user",
        connector: { id: c.id, name: c.name, type: ".cases-webhook", fields: null },
      };
      const first = await k().post("/api/cases/configure", body);
      expect(first.status).toBe(200);
      const second = await k().post("/api/cases/configure", { ...body, closure_type: "close-by-pushing" });
      expect(second.status).toBe(200);
      expect(second.data.id).not.toBe(first.data.id);
      const list = await k().get("/api/cases/configure?owner=securitySolution");
      expect(list.data).toHaveLength(1);
      expect(list.data[0]).toMatchObject({
        id: second.data.id,
        closure_type: "close-by-pushing",
        connector: { id: c.id },
      });
    });

    it("a .cases-webhook connector in the configuration must have fields: null", async () => {
      const res = await k().post("/api/cases/configure", {
        owner: "securitySolution",
        closure_type: "close-by-user",
        connector: { id: "x", name: "x", type: ".cases-webhook", fields: {} },
      });
      expect(res.status).toBe(400);
    });

    it("excess keys in the configuration are rejected with 400", async () => {
      const res = await k().post("/api/cases/configure", {
        owner: "securitySolution",
        closure_type: "close-by-user",
        connector: NONE,
        extra: 1,
      });
      expect(res.status).toBe(400);
      expect(res.data.message).toContain('invalid keys "extra"');
    });

    it("PATCH /api/cases/configure/{id} requires version and refuses a stale one with 409", async () => {
      const created = await k().post("/api/cases/configure", {
        owner: "securitySolution",
        closure_type: "close-by-user",
        connector: NONE,
      });
      const noVersion = await k().patch(`/api/cases/configure/${created.data.id}`, {
        closure_type: "close-by-pushing",
      });
      expect(noVersion.status).toBe(400);
      const ok = await k().patch(`/api/cases/configure/${created.data.id}`, {
        version: created.data.version,
        closure_type: "close-by-pushing",
      });
      expect(ok.status).toBe(200);
      expect(ok.data.closure_type).toBe("close-by-pushing");
      expect(ok.data.version).not.toBe(created.data.version);
      const stale = await k().patch(`/api/cases/configure/${created.data.id}`, {
        version: created.data.version,
        closure_type: "close-by-user",
      });
      expect(stale.status).toBe(409);
    });
  });

  describe("create, get, comment, update, delete, find", () => {
    it("POST /api/cases requires the documented fields and rejects excess keys", async () => {
      const missing = await k().post("/api/cases", { title: "t", description: "d", owner: "securitySolution" });
      expect(missing.status).toBe(400);
      const excess = await k().post("/api/cases", {
        title: "t",
        description: "d",
        tags: [],
        connector: NONE,
        settings: { syncAlerts: false },
        owner: "securitySolution",
        foo: 1,
      });
      expect(excess.status).toBe(400);
      const created = await newCase();
      expect(created).toMatchObject({ status: "open", severity: "low", external_service: null, totalComment: 0 });
    });

    it("a user comment is added and GET /api/cases/{id} returns it", async () => {
      const c = await newCase();
      const res = await k().post(`/api/cases/${c.id}/comments`, {
        type: "user",
        comment: "hello",
        owner: "securitySolution",
      });
      expect(res.status).toBe(200);
      const got = await k().get(`/api/cases/${c.id}`);
      expect(got.data.comments.map((x: { comment: string }) => x.comment)).toEqual(["hello"]);
      expect(got.data.totalComment).toBe(1);
    });

    it("PATCH /api/cases closes a case with version checking", async () => {
      const c = await newCase();
      const res = await k().patch("/api/cases", { cases: [{ id: c.id, version: c.version, status: "closed" }] });
      expect(res.status).toBe(200);
      expect(res.data[0]).toMatchObject({ status: "closed", closed_by: { username: "elastic" } });
      const stale = await k().patch("/api/cases", { cases: [{ id: c.id, version: c.version, title: "x" }] });
      expect(stale.status).toBe(409);
    });

    it("DELETE /api/cases?ids=[…] deletes and _find counts by status", async () => {
      const a = await newCase("A");
      await newCase("B");
      const found = await k().get("/api/cases/_find?owner=securitySolution");
      expect(found.data).toMatchObject({ total: 2, count_open_cases: 2 });
      expect((await k().delete(`/api/cases?ids=${encodeURIComponent(JSON.stringify([a.id]))}`)).status).toBe(204);
      expect((await k().get(`/api/cases/${a.id}`)).status).toBe(404);
      expect((await k().get("/api/cases/_find?search=B")).data.total).toBe(1);
    });
  });

  describe("push", () => {
    it("push creates the incident, sets external_service and marks comments pushed; the next push updates and sends only new comments", async () => {
      const c = await connector();
      const theCase = await newCase("Pushed");
      await k().post(`/api/cases/${theCase.id}/comments`, { type: "user", comment: "one", owner: "securitySolution" });
      const first = await k().post(`/api/cases/${theCase.id}/connector/${c.id}/_push`, {});
      expect(first.status, JSON.stringify(first.data)).toBe(200);
      expect(first.data.external_service).toMatchObject({
        connector_id: c.id,
        external_id: "INC-1",
        external_title: "remote",
        external_url: `${rx.url}/view/INC-1`,
      });
      expect(rx.received.map((r) => `${r.method} ${r.url}`)).toEqual([
        "POST /incidents",
        "GET /incidents/INC-1",
        "POST /incidents/INC-1/comments",
      ]);
      expect(JSON.parse(rx.received[2]!.body).comment).toBe("one\n\nAdded by elastic.");
      const created = JSON.parse(rx.received[0]!.body);
      expect(created).toEqual({ title: "Pushed", description: "desc", tags: ["x"] });

      rx.received.length = 0;
      await k().post(`/api/cases/${theCase.id}/comments`, { type: "user", comment: "two", owner: "securitySolution" });
      const second = await k().post(`/api/cases/${theCase.id}/connector/${c.id}/_push`);
      expect(second.status).toBe(200);
      expect(rx.received.map((r) => `${r.method} ${r.url}`)).toEqual([
        "PUT /incidents/INC-1",
        "GET /incidents/INC-1",
        "POST /incidents/INC-1/comments",
      ]);
      expect(JSON.parse(rx.received[2]!.body).comment).toBe("two\n\nAdded by elastic.");
    });

    it("case.id, case.severity and case.status reach the template (8.11+)", async () => {
      const res = await k().post("/api/actions/connector", {
        name: "cw",
        connector_type_id: ".cases-webhook",
        config: casesWebhookConfig(rx.url, {
          createIncidentJson: '{"id": {{{case.id}}}, "sev": {{{case.severity}}}, "st": {{{case.status}}}}',
        }),
        secrets: {},
      });
      const theCase = await newCase();
      await k().post(`/api/cases/${theCase.id}/connector/${res.data.id}/_push`);
      expect(JSON.parse(rx.received[0]!.body)).toEqual({ id: theCase.id, sev: "low", st: "open" });
    });

    it("pushing a closed case is 409", async () => {
      const c = await connector();
      const theCase = await newCase("Closed one");
      await k().patch("/api/cases", { cases: [{ id: theCase.id, version: theCase.version, status: "closed" }] });
      const res = await k().post(`/api/cases/${theCase.id}/connector/${c.id}/_push`);
      expect(res.status).toBe(409);
      expect(res.data.message).toBe("The Closed one case is closed. Pushing a closed case is not allowed.");
      expect(rx.received).toHaveLength(0);
    });

    it("a connector failure makes the push 424 with the connector's message", async () => {
      reply = () => ({ status: 503, body: { message: "down" } });
      const c = await connector();
      const theCase = await newCase();
      const res = await k().post(`/api/cases/${theCase.id}/connector/${c.id}/_push`);
      expect(res.status).toBe(424);
      expect(res.data.message).toContain("[Action][Webhook - Case Management]: Unable to create case.");
      expect((await k().get(`/api/cases/${theCase.id}`)).data.external_service).toBeNull();
    });

    it("closure_type close-by-pushing closes the case after a successful push", async () => {
      const c = await connector();
      await k().post("/api/cases/configure", {
        owner: "securitySolution",
        closure_type: "close-by-pushing",
        connector: { id: c.id, name: c.name, type: ".cases-webhook", fields: null },
      });
      const theCase = await newCase();
      const res = await k().post(`/api/cases/${theCase.id}/connector/${c.id}/_push`);
      expect(res.data.status).toBe("closed");
    });

    it("unpushed alert attachments add one 'Elastic Alerts attached to the case' comment", async () => {
      const c = await connector();
      const theCase = await newCase();
      await k().post(`/api/cases/${theCase.id}/comments`, {
        type: "alert",
        alertId: "a1",
        index: ".alerts-security.alerts-default",
        rule: { id: "r", name: "R" },
        owner: "securitySolution",
      });
      await k().post(`/api/cases/${theCase.id}/connector/${c.id}/_push`);
      expect(JSON.parse(rx.received[2]!.body).comment).toBe("Elastic Alerts attached to the case: 1");
      // a later alert: the message counts every alert of the case, not only the new one
      rx.received.length = 0;
      await k().post(`/api/cases/${theCase.id}/comments`, {
        type: "alert",
        alertId: ["a2", "a3"],
        index: [".alerts-security.alerts-default", ".alerts-security.alerts-default"],
        rule: { id: "r", name: "R" },
        owner: "securitySolution",
      });
      await k().post(`/api/cases/${theCase.id}/connector/${c.id}/_push`);
      expect(JSON.parse(rx.received[2]!.body).comment).toBe("Elastic Alerts attached to the case: 3");
      rx.received.length = 0;
      await k().post(`/api/cases/${theCase.id}/connector/${c.id}/_push`);
      expect(rx.received.map((r) => r.method)).toEqual(["PUT", "GET"]);
    });
  });

  it("cases are per space", async () => {
    sb.state.addSpace("soc");
    const created = await kibana(sb, "soc").post("/api/cases", {
      title: "t",
      description: "d",
      tags: [],
      connector: NONE,
      settings: { syncAlerts: false },
      owner: "securitySolution",
    });
    expect(created.status).toBe(200);
    expect((await k().get(`/api/cases/${created.data.id}`)).status).toBe(404);
    expect(sb.state.cases("soc")).toHaveLength(1);
  });
});

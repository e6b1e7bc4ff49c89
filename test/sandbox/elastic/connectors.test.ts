/**
 * Connector API rules: ACT/server/routes/connector/*, the `.webhook` / `.cases-webhook` schemas and
 * validators in stack_connectors, version gates from the elastic/kibana PRs that added each field.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { ElasticSandbox, ElasticSandboxOptions } from "../../../src/sandbox/elastic/index.js";
import { casesWebhookConfig, kibana, sandbox } from "./helpers.js";

const BASE = "http://127.0.0.1:9";

describe("connectors", () => {
  let sb: ElasticSandbox | undefined;
  afterEach(async () => {
    await sb?.stop();
    sb = undefined;
  });
  const start = async (o: ElasticSandboxOptions = {}) => {
    sb = await sandbox(o);
    return kibana(sb);
  };
  const casesWebhook = (config: Record<string, unknown>, secrets: Record<string, unknown> = {}) => ({
    name: "cw",
    connector_type_id: ".cases-webhook",
    config,
    secrets,
  });

  it("POST /api/actions/connector works with and without a caller-chosen id; a duplicate id is 409", async () => {
    const k = await start();
    const a = await k.post("/api/actions/connector", casesWebhook(casesWebhookConfig(BASE)));
    expect(a.status).toBe(200);
    expect(a.data.id).toMatch(/^[0-9a-f-]{36}$/);
    const b = await k.post("/api/actions/connector/my-id", casesWebhook(casesWebhookConfig(BASE)));
    expect(b.status).toBe(200);
    expect(b.data.id).toBe("my-id");
    const c = await k.post("/api/actions/connector/my-id", casesWebhook(casesWebhookConfig(BASE)));
    expect(c.status).toBe(409);
  });

  it("secrets are stored but never returned by create, get or list", async () => {
    const k = await start();
    const created = await k.post("/api/actions/connector", {
      name: "wh",
      connector_type_id: ".webhook",
      config: { url: `${BASE}/hook` },
      secrets: { user: "u", password: "hunter2" },
    });
    expect(created.status).toBe(200);
    const got = await k.get(`/api/actions/connector/${created.data.id}`);
    const all = await k.get("/api/actions/connectors");
    for (const body of [created.data, got.data, all.data]) {
      expect(JSON.stringify(body)).not.toContain("hunter2");
      expect(JSON.stringify(body)).not.toContain('"secrets"');
    }
    expect(sb!.state.connectors()[0]!.secrets.password).toBe("hunter2");
    expect(got.data).toMatchObject({
      id: created.data.id,
      connector_type_id: ".webhook",
      is_preconfigured: false,
      is_missing_secrets: false,
    });
    expect(all.data[0].referenced_by_count).toBe(0);
  });

  it("an empty or whitespace string anywhere in config or secrets is rejected: value '' is not valid", async () => {
    const k = await start();
    const res = await k.post(
      "/api/actions/connector",
      casesWebhook({ ...casesWebhookConfig(BASE), headers: { "x-a": " " } }),
    );
    expect(res.status).toBe(400);
    expect(res.data.message).toBe("[request body.config.headers]: value '' is not valid");
    const res2 = await k.post("/api/actions/connector", casesWebhook(casesWebhookConfig(BASE), { user: "" }));
    expect(res2.status).toBe(400);
  });

  it("unknown config keys are rejected with 400 (definition for this key is missing)", async () => {
    const k = await start();
    const res = await k.post("/api/actions/connector", casesWebhook({ ...casesWebhookConfig(BASE), foo: "bar" }));
    expect(res.status).toBe(400);
    expect(res.data).toMatchObject({ statusCode: 400, error: "Bad Request" });
    expect(res.data.message).toBe("error validating action type config: [foo]: definition for this key is missing");
  });

  it("a missing required field is rejected with the config-schema message", async () => {
    const k = await start();
    const { createIncidentJson: _, ...config } = casesWebhookConfig(BASE);
    const res = await k.post("/api/actions/connector", casesWebhook(config));
    expect(res.status).toBe(400);
    expect(res.data.message).toBe(
      "error validating action type config: [createIncidentJson]: expected value of type [string] but got [undefined]",
    );
  });

  it("createIncidentMethod accepts only post and put (patch is listed by the docs but refused)", async () => {
    const k = await start();
    const res = await k.post(
      "/api/actions/connector",
      casesWebhook(casesWebhookConfig(BASE, { createIncidentMethod: "patch" })),
    );
    expect(res.status).toBe(400);
    expect(res.data.message).toContain("[createIncidentMethod]: types that failed validation");
    expect(res.data.message).toContain("expected value to equal [post]");
  });

  it("getIncidentMethod exists from 8.17: rejected on 8.16, accepted on 8.17", async () => {
    let k = await start({ kibanaVersion: "8.16.0" });
    let res = await k.post(
      "/api/actions/connector",
      casesWebhook(casesWebhookConfig(BASE, { getIncidentMethod: "get" })),
    );
    expect(res.status).toBe(400);
    expect(res.data.message).toContain("[getIncidentMethod]: definition for this key is missing");
    await sb!.stop();
    k = await start({ kibanaVersion: "8.17.0" });
    res = await k.post("/api/actions/connector", casesWebhook(casesWebhookConfig(BASE, { getIncidentMethod: "get" })));
    expect(res.status).toBe(200);
    expect(res.data.config.getIncidentJson).toBeNull();
  });

  it("authType exists for .cases-webhook from 8.15: rejected on 8.14", async () => {
    const k = await start({ kibanaVersion: "8.14.3" });
    const res = await k.post("/api/actions/connector", casesWebhook(casesWebhookConfig(BASE, { authType: null })));
    expect(res.status).toBe(400);
    expect(res.data.message).toContain("[authType]: definition for this key is missing");
  });

  it("secretHeaders exist from 9.2: rejected on 9.1, accepted on 9.2", async () => {
    let k = await start({ kibanaVersion: "9.1.0" });
    const body = casesWebhook(casesWebhookConfig(BASE, { hasAuth: false }), { secretHeaders: { "x-key": "v" } });
    let res = await k.post("/api/actions/connector", body);
    expect(res.status).toBe(400);
    expect(res.data.message).toContain(
      "error validating action type secrets: [secretHeaders]: definition for this key is missing",
    );
    await sb!.stop();
    k = await start({ kibanaVersion: "9.2.0" });
    res = await k.post("/api/actions/connector", body);
    expect(res.status).toBe(200);
  });

  it("hasAuth defaults to true: 9.x refuses to save without secrets, 8.x saves and fails at execution", async () => {
    let k = await start({ kibanaVersion: "9.0.0" });
    const { hasAuth: _, ...config } = casesWebhookConfig(BASE);
    let res = await k.post("/api/actions/connector", casesWebhook(config));
    expect(res.status).toBe(400);
    expect(res.data.message).toBe("error validating action type connector: must specify a secrets configuration");
    await sb!.stop();
    k = await start({ kibanaVersion: "8.17.0" });
    res = await k.post("/api/actions/connector", casesWebhook(config));
    expect(res.status).toBe(200);
    expect(res.data.config.hasAuth).toBe(true);
    const exec = await k.post(`/api/actions/connector/${res.data.id}/_execute`, {
      params: { subAction: "pushToService", subActionParams: { incident: { title: "t" }, comments: [] } },
    });
    expect(exec.status).toBe(200);
    expect(exec.data.status).toBe("error");
    expect(exec.data.service_message).toBe("[Action]Webhook - Case Management: Wrong configuration.");
  });

  it(".cases-webhook rejects OAuth2 (9.2+ enum value)", async () => {
    const k = await start({ kibanaVersion: "9.2.0" });
    const res = await k.post(
      "/api/actions/connector",
      casesWebhook(casesWebhookConfig(BASE, { hasAuth: true, authType: "webhook-oauth2-client-credentials" }), {
        clientSecret: "s",
      }),
    );
    expect(res.status).toBe(400);
    expect(res.data.message).toContain("OAuth2 authentication is not supported for cases webhook connector");
  });

  it("secrets must be one of the allowed combinations (user without password fails)", async () => {
    const k = await start();
    const res = await k.post("/api/actions/connector", casesWebhook(casesWebhookConfig(BASE), { user: "u" }));
    expect(res.status).toBe(400);
    expect(res.data.message).toContain(
      "error validating action type secrets: must specify one of the following schemas",
    );
  });

  it(".webhook: authType must be null or undefined when hasAuth is false", async () => {
    const k = await start();
    const res = await k.post("/api/actions/connector", {
      name: "wh",
      connector_type_id: ".webhook",
      config: { url: `${BASE}/x`, hasAuth: false, authType: "webhook-authentication-basic" },
    });
    expect(res.status).toBe(400);
    expect(res.data.message).toContain("authType must be null or undefined if hasAuth is false");
  });

  it(".webhook method: post/put before 9.3, patch accepted from 9.3", async () => {
    let k = await start({ kibanaVersion: "9.2.0" });
    const body = { name: "wh", connector_type_id: ".webhook", config: { url: `${BASE}/x`, method: "patch" } };
    expect((await k.post("/api/actions/connector", body)).status).toBe(400);
    await sb!.stop();
    k = await start({ kibanaVersion: "9.3.0" });
    expect((await k.post("/api/actions/connector", body)).status).toBe(200);
  });

  it("an unparsable URL is refused with the cases webhook configuration error", async () => {
    const k = await start();
    const res = await k.post(
      "/api/actions/connector",
      casesWebhook(casesWebhookConfig(BASE, { viewIncidentUrl: "not a url" })),
    );
    expect(res.status).toBe(400);
    expect(res.data.message).toContain("error configuring cases webhook action: unable to parse not a url");
  });

  it(".webhook and .cases-webhook need a gold licence: basic gets 403 and enabled_in_license false", async () => {
    const k = await start({ license: "basic" });
    const res = await k.post("/api/actions/connector", casesWebhook(casesWebhookConfig(BASE)));
    expect(res.status).toBe(403);
    expect(res.data.message).toBe(
      "Action type .cases-webhook is disabled because your basic license does not support it. Please upgrade your license.",
    );
    const types = await k.get("/api/actions/connector_types");
    const cw = types.data.find((t: { id: string }) => t.id === ".cases-webhook");
    expect(cw).toMatchObject({
      enabled_in_license: false,
      minimum_license_required: "gold",
      supported_feature_ids: ["cases"],
    });
    sb!.state.setLicense("gold");
    expect((await k.post("/api/actions/connector", casesWebhook(casesWebhookConfig(BASE)))).status).toBe(200);
    const types2 = await k.get("/api/actions/connector_types?feature_id=cases");
    expect(types2.data.map((t: { id: string }) => t.id)).toEqual([".cases-webhook"]);
    expect(types2.data[0].enabled_in_license).toBe(true);
  });

  it("PUT /api/actions/connector/{id} takes no connector_type_id and replaces config and secrets", async () => {
    const k = await start();
    const created = await k.post("/api/actions/connector", casesWebhook(casesWebhookConfig(BASE)));
    const bad = await k.put(`/api/actions/connector/${created.data.id}`, {
      name: "x",
      connector_type_id: ".cases-webhook",
      config: casesWebhookConfig(BASE),
    });
    expect(bad.status).toBe(400);
    expect(bad.data.message).toBe("[request body.connector_type_id]: definition for this key is missing");
    const ok = await k.put(`/api/actions/connector/${created.data.id}`, {
      name: "renamed",
      config: casesWebhookConfig(BASE, { createIncidentMethod: "put" }),
    });
    expect(ok.status).toBe(200);
    expect(ok.data).toMatchObject({ name: "renamed", config: { createIncidentMethod: "put" } });
  });

  it("DELETE answers 204 and the connector is gone (404 with the saved-object message)", async () => {
    const k = await start();
    const created = await k.post("/api/actions/connector", casesWebhook(casesWebhookConfig(BASE)));
    expect((await k.delete(`/api/actions/connector/${created.data.id}`)).status).toBe(204);
    const res = await k.get(`/api/actions/connector/${created.data.id}`);
    expect(res.status).toBe(404);
    expect(res.data.message).toBe(`Saved object [action/${created.data.id}] not found`);
  });

  it("_execute validates params: a missing incident.title is a status:error result, not a 400", async () => {
    const k = await start();
    const created = await k.post("/api/actions/connector", casesWebhook(casesWebhookConfig(BASE)));
    const res = await k.post(`/api/actions/connector/${created.data.id}/_execute`, {
      params: { subAction: "pushToService", subActionParams: { incident: {} } },
    });
    expect(res.status).toBe(200);
    expect(res.data.status).toBe("error");
    expect(res.data.message).toContain(
      "error validating action params: [subActionParams.incident.title]: expected value of type [string] but got [undefined]",
    );
    const extra = await k.post(`/api/actions/connector/${created.data.id}/_execute`, { params: {}, other: 1 });
    expect(extra.status).toBe(400);
  });

  it("connectors live in their space", async () => {
    const k = await start({ spaces: ["default", "soc"] });
    await kibana(sb!, "soc").post("/api/actions/connector/in-soc", casesWebhook(casesWebhookConfig(BASE)));
    expect((await kibana(sb!, "soc").get("/api/actions/connector/in-soc")).status).toBe(200);
    expect((await k.get("/api/actions/connector/in-soc")).status).toBe(404);
  });
});

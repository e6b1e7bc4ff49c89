/**
 * `.webhook` OAuth2 client credentials (Kibana 9.2+, elastic/kibana PR #218442): the config is version-gated and
 * validated (accessTokenUrl against allowedHosts, additionalFields a non-empty JSON object), the token is fetched
 * with the client-credentials grant from accessTokenUrl, cached until it expires, dropped when the connector is
 * updated, and sent as `Authorization: Bearer …`.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { ElasticSandbox, ElasticSandboxOptions } from "../../../src/sandbox/elastic/index.js";
import { kibana, type Received, type Reply, receiver, sandbox } from "./helpers.js";

const OAUTH2 = "webhook-oauth2-client-credentials";

describe(".webhook with OAuth2 client credentials", () => {
  let sb: ElasticSandbox | undefined;
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await sb?.stop();
    sb = undefined;
    for (const c of closers.splice(0)) await c();
  });
  const start = async (o: ElasticSandboxOptions = {}) => {
    sb = await sandbox(o);
    return kibana(sb);
  };
  const rx = async (reply?: (r: Received) => Reply) => {
    const r = await receiver(reply);
    closers.push(r.close);
    return r;
  };
  /** A token endpoint handing out numbered tokens that live `expiresIn` seconds. */
  const tokenEndpoint = async (expiresIn = 3600) => {
    let n = 0;
    return rx(() => ({ body: { token_type: "Bearer", expires_in: expiresIn, access_token: `tok-${++n}` } }));
  };
  const config = (target: string, tokenUrl: string, extra: Record<string, unknown> = {}) => ({
    url: `${target}/hook`,
    hasAuth: true,
    authType: OAUTH2,
    accessTokenUrl: `${tokenUrl}/tenant/oauth2/v2.0/token`,
    clientId: "client-1",
    scope: "api://client-1/.default",
    ...extra,
  });
  const create = (cfg: Record<string, unknown>, secrets: Record<string, unknown> = { clientSecret: "s3cret-value" }) =>
    kibana(sb!).post("/api/actions/connector", { name: "wh", connector_type_id: ".webhook", config: cfg, secrets });

  it("fetches a token with the client-credentials grant and sends it as a Bearer header", async () => {
    const k = await start();
    const token = await tokenEndpoint();
    const target = await rx();
    const res = await create(config(target.url, token.url, { additionalFields: '{"resource":"x"}' }));
    expect(res.status, JSON.stringify(res.data)).toBe(200);
    const exec = await k.post(`/api/actions/connector/${res.data.id}/_execute`, { params: { body: "{}" } });
    expect(exec.data.status).toBe("ok");
    const form = new URLSearchParams(token.received[0]!.body);
    expect(token.received[0]!.headers["content-type"]).toContain("application/x-www-form-urlencoded");
    expect(Object.fromEntries(form)).toEqual({
      grant_type: "client_credentials",
      client_id: "client-1",
      client_secret: "s3cret-value",
      scope: "api://client-1/.default",
      resource: "x",
    });
    expect(target.received[0]!.headers.authorization).toBe("Bearer tok-1");
  });

  it("keeps the token until it expires, and drops it when the connector is updated", async () => {
    const k = await start();
    const token = await tokenEndpoint(600);
    const target = await rx();
    const cfg = config(target.url, token.url);
    const { data } = await create(cfg);
    const run = () => k.post(`/api/actions/connector/${data.id}/_execute`, { params: { body: "{}" } });
    await run();
    await run();
    expect(token.received).toHaveLength(1);
    sb!.clock.advance(601_000);
    await run();
    expect(token.received).toHaveLength(2);
    expect(target.received[2]!.headers.authorization).toBe("Bearer tok-2");
    const put = await k.put(`/api/actions/connector/${data.id}`, {
      name: "wh",
      config: cfg,
      secrets: { clientSecret: "another-secret" },
    });
    expect(put.status).toBe(200);
    await run();
    expect(token.received).toHaveLength(3);
    expect(new URLSearchParams(token.received[2]!.body).get("client_secret")).toBe("another-secret");
  });

  it("a refused token request is an error result, and the target is never called", async () => {
    const k = await start();
    const token = await rx(() => ({
      status: 401,
      body: { error: "invalid_client", error_description: "AADSTS7000215: Invalid client secret provided." },
    }));
    const target = await rx();
    const { data } = await create(config(target.url, token.url));
    const exec = await k.post(`/api/actions/connector/${data.id}/_execute`, { params: { body: "{}" } });
    expect(exec.data).toMatchObject({
      status: "error",
      message: "error calling webhook, unable to get an access token",
    });
    expect(exec.data.service_message).toContain("AADSTS7000215");
    expect(target.received).toHaveLength(0);
  });

  it("is refused before 9.2, with an accessTokenUrl outside allowedHosts, and with bad additionalFields", async () => {
    const k = await start({ kibanaVersion: "9.1.0" });
    const old = await create(config("http://127.0.0.1:1", "http://127.0.0.1:2"));
    expect(old.status).toBe(400);
    expect(old.data.message).toMatch(/authType|accessTokenUrl|definition for this key is missing/);
    await sb!.stop();
    sb = await sandbox({ allowedHosts: ["127.0.0.1"] });
    const outside = await create(config("http://127.0.0.1:1", "https://login.example.com"));
    expect(outside.status).toBe(400);
    expect(outside.data.message).toContain("xpack.actions.allowedHosts");
    for (const additionalFields of ["[1]", "{}", "not json"]) {
      const bad = await create(config("http://127.0.0.1:1", "http://127.0.0.1:2", { additionalFields }));
      expect(bad.status, additionalFields).toBe(400);
      expect(bad.data.message).toContain("additionalFields must be a non-empty JSON object");
    }
    const noClient = await create({ ...config("http://127.0.0.1:1", "http://127.0.0.1:2"), clientId: null });
    expect(noClient.status).toBe(400);
    void k;
  });
});

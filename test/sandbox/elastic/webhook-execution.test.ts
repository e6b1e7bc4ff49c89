/**
 * `.webhook` execution (stack_connectors webhook/index.ts): `_execute` returns the body that was sent,
 * 5xx/429 are retryable errors, GET/DELETE send no body (9.3+), and outgoing HTTPS trusts the CAs given
 * in `extraCaCerts` (ACT get_custom_agents.ts: the connector's own `ca` / verificationMode also apply).
 */
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { generateCerts } from "../../../src/sandbox/azure/certs.js";
import type { ElasticSandbox, ElasticSandboxOptions } from "../../../src/sandbox/elastic/index.js";
import { kibana, type Received, type Reply, receiver, sandbox } from "./helpers.js";

describe(".webhook execution", () => {
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
  const create = async (config: Record<string, unknown>, secrets: Record<string, unknown> = {}) => {
    const res = await kibana(sb!).post("/api/actions/connector", {
      name: "wh",
      connector_type_id: ".webhook",
      config,
      secrets,
    });
    expect(res.status, JSON.stringify(res.data)).toBe(200);
    return res.data.id as string;
  };

  it("_execute sends the body and returns it as data (not the remote response)", async () => {
    const k = await start();
    const r = await rx(() => ({ body: { remote: true } }));
    const id = await create({ url: `${r.url}/hook`, hasAuth: false, headers: { "x-h": "1" } });
    const res = await k.post(`/api/actions/connector/${id}/_execute`, { params: { body: '{"a":1}' } });
    expect(res.data).toEqual({ connector_id: id, status: "ok", data: '{"a":1}' });
    expect(r.received[0]).toMatchObject({ method: "POST", url: "/hook", body: '{"a":1}' });
    expect(r.received[0]!.headers["x-h"]).toBe("1");
  });

  it("a 5xx is an error result with retry:true and the status in service_message; a 4xx has no retry", async () => {
    const k = await start();
    let status = 502;
    const r = await rx(() => ({ status, body: { message: "bad gateway" } }));
    const id = await create({ url: `${r.url}/hook`, hasAuth: false });
    const res = await k.post(`/api/actions/connector/${id}/_execute`, { params: { body: "{}" } });
    expect(res.data).toMatchObject({
      status: "error",
      retry: true,
      message: "error calling webhook, retry later",
      service_message: "[502] Bad Gateway: bad gateway",
    });
    status = 404;
    const res2 = await k.post(`/api/actions/connector/${id}/_execute`, { params: { body: "{}" } });
    expect(res2.data).toMatchObject({ status: "error", message: "error calling webhook, invalid response" });
    expect(res2.data.retry).toBeUndefined();
  });

  it("a 429 with Retry-After is retried at that time", async () => {
    const k = await start();
    const r = await rx(() => ({ status: 429, headers: { "retry-after": "30" }, body: {} }));
    const id = await create({ url: `${r.url}/hook`, hasAuth: false });
    const res = await k.post(`/api/actions/connector/${id}/_execute`, { params: { body: "{}" } });
    expect(res.data.retry).toBe(new Date(sb!.clock.now() + 30_000).toISOString());
  });

  it("a GET webhook (9.3+) sends no body", async () => {
    const k = await start({ kibanaVersion: "9.3.0" });
    const r = await rx();
    const id = await create({ url: `${r.url}/hook`, hasAuth: false, method: "get" });
    await k.post(`/api/actions/connector/${id}/_execute`, { params: { body: '{"a":1}' } });
    expect(r.received[0]).toMatchObject({ method: "GET", body: "" });
  });

  it("with allowedHosts widened to *, a non-loopback target still never leaves the machine", async () => {
    const k = await start({ allowedHosts: ["*"] });
    const id = await create({ url: "https://example.invalid/hook", hasAuth: false });
    const res = await k.post(`/api/actions/connector/${id}/_execute`, { params: { body: "{}" } });
    expect(res.data).toMatchObject({ status: "error", message: "error calling webhook, request failed" });
    expect(res.data.service_message).toContain("ENOTFOUND");
  });

  it("basic auth secrets become an Authorization header", async () => {
    const k = await start();
    const r = await rx();
    const id = await create({ url: `${r.url}/hook` }, { user: "u", password: "p" });
    await k.post(`/api/actions/connector/${id}/_execute`, { params: { body: "{}" } });
    expect(r.received[0]!.headers.authorization).toBe(`Basic ${Buffer.from("u:p").toString("base64")}`);
  });

  it("outgoing HTTPS trusts a CA only when it is in extraCaCerts (or the connector's own ca)", async () => {
    const certs = await generateCerts();
    const server = createServer({ cert: certs.cert, key: certs.key }, (req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end("{}");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    closers.push(() => new Promise<void>((r) => server.close(() => r())));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;

    let k = await start();
    let id = await create({ url, hasAuth: false });
    const untrusted = await k.post(`/api/actions/connector/${id}/_execute`, { params: { body: "{}" } });
    expect(untrusted.data.status).toBe("error");
    expect(untrusted.data.message).toBe("error calling webhook, request failed");
    const withCa = await create({ url, hasAuth: false, ca: Buffer.from(certs.caCert).toString("base64") });
    expect((await k.post(`/api/actions/connector/${withCa}/_execute`, { params: { body: "{}" } })).data.status).toBe(
      "ok",
    );
    const noVerify = await create({ url, hasAuth: false, verificationMode: "none" });
    expect((await k.post(`/api/actions/connector/${noVerify}/_execute`, { params: { body: "{}" } })).data.status).toBe(
      "ok",
    );
    await sb!.stop();

    k = await start({ extraCaCerts: [certs.caCert] });
    id = await create({ url, hasAuth: false });
    expect((await k.post(`/api/actions/connector/${id}/_execute`, { params: { body: "{}" } })).data.status).toBe("ok");
  });
});

describe("Fleet routes on the Kibana emulator", () => {
  it("are served behind the same authentication", async () => {
    const sb = await sandbox();
    try {
      const res = await kibana(sb).get("/api/fleet/agents/setup");
      expect(res.status).toBe(200);
      expect(res.data.isReady).toBe(true);
      expect(sb.fleet.state.agentPolicies.size).toBe(0);
      const anon = await kibana(sb, undefined, { Authorization: "" }).get("/api/fleet/agents/setup");
      expect(anon.status).toBe(401);
    } finally {
      await sb.stop();
    }
  });
});

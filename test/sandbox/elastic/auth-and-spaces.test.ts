/**
 * Authentication, xsrf, spaces and privileges as Kibana and Elasticsearch enforce them:
 * 401 bodies (Kibana `{statusCode,error,message}`, ES `security_exception` with WWW-Authenticate),
 * `kbn-xsrf` on writes (core lifecycle_handlers.ts), `/s/<space>` prefix, `_has_privileges`.
 */
import { Client, errors } from "@elastic/elasticsearch";
import axios from "axios";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ElasticSandbox } from "../../../src/sandbox/elastic/index.js";
import { es, kibana, sandbox } from "./helpers.js";

describe("auth, xsrf, spaces, privileges", () => {
  let sb: ElasticSandbox;
  beforeAll(async () => {
    sb = await sandbox({ spaces: ["default", "soc"] });
  });
  afterAll(() => sb.stop());
  const raw = axios.create({ validateStatus: () => true });

  it("Kibana answers a request without credentials with 401 {statusCode, error, message}", async () => {
    const res = await raw.get(`${sb.kibanaUrl}/api/status`);
    expect(res.status).toBe(401);
    expect(res.data).toEqual({ statusCode: 401, error: "Unauthorized", message: "Unauthorized" });
  });

  it("Kibana answers a wrong API key with 401 and the security_exception text", async () => {
    const res = await raw.get(`${sb.kibanaUrl}/api/status`, {
      headers: { Authorization: `ApiKey ${Buffer.from("x:y").toString("base64")}` },
    });
    expect(res.status).toBe(401);
    expect(res.data.message).toContain("security_exception");
  });

  it("Elasticsearch answers without credentials with 401 security_exception and a WWW-Authenticate challenge", async () => {
    const res = await raw.get(`${sb.elasticsearchUrl}/_search`);
    expect(res.status).toBe(401);
    expect(res.data.error.type).toBe("security_exception");
    expect(res.data.error.reason).toBe("missing authentication credentials for REST request [/_search]");
    expect(res.headers["www-authenticate"]).toContain("Basic");
    expect(res.data.status).toBe(401);
  });

  it("Elasticsearch names the user in a failed basic login and Kibana relays it", async () => {
    const auth = { username: "elastic", password: "wrong" };
    const esRes = await raw.get(`${sb.elasticsearchUrl}/_search`, { auth });
    expect(esRes.status).toBe(401);
    expect(esRes.data.error.reason).toBe("unable to authenticate user [elastic] for REST request [/_search]");
    const kbRes = await raw.get(`${sb.kibanaUrl}/api/status`, { auth });
    expect(kbRes.status).toBe(401);
    expect(kbRes.data.message).toContain("unable to authenticate user [elastic]");
  });

  it("the official client raises ResponseError 401 for a bad password", async () => {
    const client = new Client({ node: sb.elasticsearchUrl, auth: { username: "elastic", password: "wrong" } });
    await expect(client.info()).rejects.toBeInstanceOf(errors.ResponseError);
    await client.close();
  });

  it("writes without kbn-xsrf are refused with 400; reads do not need it", async () => {
    const headers = { Authorization: `ApiKey ${sb.apiKey}` };
    const res = await raw.post(`${sb.kibanaUrl}/api/cases`, {}, { headers });
    expect(res.status).toBe(400);
    expect(res.data.message).toBe("Request must contain a kbn-xsrf header.");
    expect((await raw.get(`${sb.kibanaUrl}/api/status`, { headers })).status).toBe(200);
  });

  it("elastic-api-version: 2023-10-31 is accepted; a malformed or unknown version is a 400 on versioned routes", async () => {
    const get = (v: string) => kibana(sb, undefined, { "elastic-api-version": v }).get("/api/actions/connectors");
    expect((await get("2023-10-31")).status).toBe(200);
    const bad = await get("v1");
    expect(bad.status).toBe(400);
    expect(bad.data.message).toBe(
      'Invalid version. Received "v1", expected a valid date string formatted as YYYY-MM-DD.',
    );
    const unknown = await get("2099-01-01");
    expect(unknown.status).toBe(400);
    expect(unknown.data.message).toContain('No version "2099-01-01" available');
    expect((await kibana(sb, undefined, { "elastic-api-version": "v1" }).get("/api/status")).status).toBe(200);
  });

  it("/s/<space>/api/... addresses a space; an unknown space is 404", async () => {
    expect((await kibana(sb, "soc").get("/api/actions/connectors")).status).toBe(200);
    expect((await kibana(sb, "nope").get("/api/actions/connectors")).status).toBe(404);
  });

  it("_has_privileges reports what a limited API key may do", async () => {
    const key = sb.state.createApiKey({
      privileges: {
        cluster: ["monitor"],
        indices: [{ names: ["logs-*"], privileges: ["read"] }],
        applications: [
          { application: "kibana-.kibana", privileges: ["feature_actions.read"], resources: ["space:default"] },
        ],
      },
    });
    const res = await raw.post(
      `${sb.elasticsearchUrl}/_security/user/_has_privileges`,
      {
        cluster: ["monitor", "manage_security"],
        index: [{ names: ["logs-*", ".alerts-security.alerts-default"], privileges: ["read"] }],
        application: [
          {
            application: "kibana-.kibana",
            resources: ["space:default"],
            privileges: ["feature_actions.read", "feature_actions.all"],
          },
        ],
      },
      { headers: { Authorization: `ApiKey ${key.encoded}` } },
    );
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({
      has_all_requested: false,
      cluster: { monitor: true, manage_security: false },
      index: { "logs-*": { read: true }, ".alerts-security.alerts-default": { read: false } },
      application: {
        "kibana-.kibana": { "space:default": { "feature_actions.read": true, "feature_actions.all": false } },
      },
    });
  });

  it("Elasticsearch enforces index privileges: create_doc may create but not overwrite or search", async () => {
    const key = sb.state.createApiKey({
      privileges: { indices: [{ names: ["logs-t-*"], privileges: ["create_doc"] }] },
    });
    const headers = { Authorization: `ApiKey ${key.encoded}` };
    const doc = { "@timestamp": "2026-01-01T00:00:00Z" };
    expect((await raw.post(`${sb.elasticsearchUrl}/logs-t-default/_doc?op_type=create`, doc, { headers })).status).toBe(
      201,
    );
    expect((await raw.put(`${sb.elasticsearchUrl}/other/_doc/1`, doc, { headers })).status).toBe(403);
    const search = await raw.post(`${sb.elasticsearchUrl}/logs-t-default/_search`, {}, { headers });
    expect(search.status).toBe(403);
    expect(search.data.error.type).toBe("security_exception");
  });

  it("the superuser key has all requested privileges", async () => {
    const res = await es(sb).post("/_security/user/_has_privileges", {
      cluster: ["all"],
      index: [{ names: ["*"], privileges: ["all"] }],
    });
    expect(res.data.has_all_requested).toBe(true);
  });

  it("a user without the Kibana feature privilege gets 403 from the Kibana API", async () => {
    sb.state.addUser({
      username: "reader",
      password: "pw-reader",
      privileges: {
        applications: [{ application: "kibana-.kibana", privileges: ["feature_actions.read"], resources: ["*"] }],
      },
    });
    const auth = { username: "reader", password: "pw-reader" };
    expect((await raw.get(`${sb.kibanaUrl}/api/actions/connectors`, { auth })).status).toBe(200);
    const res = await raw.post(`${sb.kibanaUrl}/api/cases`, {}, { auth, headers: { "kbn-xsrf": "1" } });
    expect(res.status).toBe(403);
    expect(res.data.error).toBe("Forbidden");
  });

  it("an invalidated API key stops authenticating", async () => {
    const key = sb.state.createApiKey({ name: "temp" });
    const headers = { Authorization: `ApiKey ${key.encoded}` };
    expect((await raw.get(`${sb.elasticsearchUrl}/`, { headers })).status).toBe(200);
    sb.state.invalidateApiKey(key.id);
    expect((await raw.get(`${sb.elasticsearchUrl}/`, { headers })).status).toBe(401);
  });

  it("/api/alerting/_health reports has_permanent_encryption_key", async () => {
    const res = await kibana(sb).get("/api/alerting/_health");
    expect(res.data).toMatchObject({
      is_sufficiently_secure: true,
      has_permanent_encryption_key: true,
      alerting_framework_health: { execution_health: { status: "ok" } },
    });
    sb.state.setEncryptionKey(false);
    expect((await kibana(sb).get("/api/alerting/_health")).data.has_permanent_encryption_key).toBe(false);
    sb.state.setEncryptionKey(true);
  });

  it("setVersion changes what /api/status and GET / report", async () => {
    sb.state.setVersion("8.11.4");
    expect((await kibana(sb).get("/api/status")).data.version.number).toBe("8.11.4");
    expect((await es(sb).get("/")).data.version.number).toBe("8.11.4");
    sb.state.setVersion("9.2.0");
  });
});

import { Client, errors } from "@elastic/elasticsearch";
import axios from "axios";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ElasticSandbox } from "../../../src/sandbox/elastic/index.js";
import { es, kibana, sandbox } from "./helpers.js";

describe("startElasticSandbox", () => {
  let sb: ElasticSandbox;
  beforeAll(async () => {
    sb = await sandbox({ kibanaVersion: "8.17.0", license: "gold" });
  });
  afterAll(() => sb.stop());

  it("binds both servers to 127.0.0.1 ephemeral ports", () => {
    expect(sb.kibanaUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sb.elasticsearchUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sb.kibanaUrl).not.toBe(sb.elasticsearchUrl);
  });

  it("GET /api/status reports version.number and build_flavor", async () => {
    const res = await kibana(sb).get("/api/status");
    expect(res.status).toBe(200);
    expect(res.data.version.number).toBe("8.17.0");
    expect(res.data.version.build_flavor).toBe("traditional");
  });

  it("the official @elastic/elasticsearch 9 client works against an 8.x server once it sends 8.x compatibility headers", async () => {
    const compat8 = "application/vnd.elasticsearch+json; compatible-with=8";
    const client = new Client({
      node: sb.elasticsearchUrl,
      auth: { apiKey: sb.apiKey },
      headers: { accept: compat8, "content-type": compat8 },
    });
    const info = await client.info();
    expect(info.version.number).toBe("8.17.0");
    await client.index({
      index: "logs-test-default",
      document: { "@timestamp": new Date().toISOString(), message: "hi" },
      refresh: true,
    });
    const res = await client.search({ index: "logs-*", query: { match: { message: "hi" } } });
    expect(res.hits.hits).toHaveLength(1);
    await client.close();
  });

  it("an 8.x server refuses the v9 client's default compatible-with=9 headers (elasticsearch-js#2909)", async () => {
    const client = new Client({ node: sb.elasticsearchUrl, auth: { apiKey: sb.apiKey } });
    const err = await client.info().catch((e: unknown) => e as errors.ResponseError);
    expect(err).toBeInstanceOf(errors.ResponseError);
    expect((err as errors.ResponseError).statusCode).toBe(400);
    expect(JSON.stringify((err as errors.ResponseError).body)).toContain(
      "Accept version must be either version 8 or 7, but found 9",
    );
    await client.close();
  });

  it("esCompatibilityHeaders: lenient lets the v9 client through on 8.x (a stop-gap, not Elasticsearch's behaviour)", async () => {
    const lenient = await sandbox({ kibanaVersion: "8.17.0", esCompatibilityHeaders: "lenient" });
    try {
      const client = new Client({ node: lenient.elasticsearchUrl, auth: { apiKey: lenient.apiKey } });
      expect((await client.info()).version.number).toBe("8.17.0");
      await client.close();
    } finally {
      await lenient.stop();
    }
  });

  it("a 9.x server accepts the v9 client as it comes, product check included", async () => {
    const sb9 = await sandbox({ kibanaVersion: "9.2.0" });
    try {
      const client = new Client({ node: sb9.elasticsearchUrl, auth: { apiKey: sb9.apiKey } });
      expect((await client.info()).version.number).toBe("9.2.0");
      await client.index({ index: "idx", id: "1", document: { a: 1 } });
      expect((await client.get({ index: "idx", id: "1" }))._source).toEqual({ a: 1 });
      await client.close();
    } finally {
      await sb9.stop();
    }
  });

  it("basic auth with the sandbox superuser works on both servers", async () => {
    const auth = { username: sb.username, password: sb.password };
    expect((await axios.get(`${sb.elasticsearchUrl}/_license`, { auth })).data.license.type).toBe("gold");
    expect((await axios.get(`${sb.kibanaUrl}/api/licensing/info`, { auth })).data.license.type).toBe("gold");
  });

  it("plain axios calls work against Elasticsearch", async () => {
    const res = await es(sb).get("/");
    expect(res.status).toBe(200);
    expect(res.headers["x-elastic-product"]).toBe("Elasticsearch");
  });
});

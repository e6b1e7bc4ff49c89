/**
 * Elasticsearch document APIs: index/get/search/count/delete_by_query/bulk, `logs-*-*` data streams
 * (op_type create, @timestamp required), the alerts alias, and the query DSL subset.
 */
import { Client } from "@elastic/elasticsearch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ElasticSandbox } from "../../../src/sandbox/elastic/index.js";
import { es, sandbox } from "./helpers.js";

describe("Elasticsearch emulator", () => {
  let sb: ElasticSandbox;
  let client: Client;
  beforeAll(async () => {
    sb = await sandbox();
    client = new Client({ node: sb.elasticsearchUrl, auth: { apiKey: sb.apiKey } });
    const docs = [
      {
        "@timestamp": "2026-01-01T00:00:01Z",
        host: { name: "a" },
        port: 22,
        message: "ssh login failed",
        tags: ["x", "y"],
      },
      { "@timestamp": "2026-01-01T00:00:03Z", host: { name: "b" }, port: 443, message: "tls ok" },
      { "@timestamp": "2026-01-01T00:00:02Z", "host.name": "c", port: 80, message: "http login ok", user: null },
    ];
    for (const [i, d] of docs.entries()) await client.index({ index: "events", id: String(i + 1), document: d });
  });
  afterAll(async () => {
    await client.close();
    await sb.stop();
  });

  const ids = async (query: unknown, extra: Record<string, unknown> = {}) =>
    (await client.search({ index: "events", query: query as never, ...extra })).hits.hits.map((h) => h._id);

  it("index and get a document by id; a missing one is 404 found:false", async () => {
    const got = await client.get({ index: "events", id: "1" });
    expect(got._source).toMatchObject({ port: 22 });
    const res = await es(sb).get("/events/_doc/nope");
    expect(res.status).toBe(404);
    expect(res.data.found).toBe(false);
  });

  it("match, term, terms, range, exists and bool select the right documents", async () => {
    expect((await ids({ match: { message: "login" } })).sort()).toEqual(["1", "3"]);
    expect(await ids({ term: { "host.name": "c" } })).toEqual(["3"]);
    expect((await ids({ terms: { port: [22, 443] } })).sort()).toEqual(["1", "2"]);
    expect((await ids({ range: { port: { gte: 20, lt: 443 } } })).sort()).toEqual(["1", "3"]);
    expect(await ids({ range: { "@timestamp": { gt: "2026-01-01T00:00:02Z" } } })).toEqual(["2"]);
    expect(await ids({ exists: { field: "tags" } })).toEqual(["1"]);
    expect(await ids({ exists: { field: "user" } })).toEqual([]);
    expect(
      await ids({ bool: { must: [{ match: { message: "login" } }], must_not: [{ term: { port: 22 } }] } }),
    ).toEqual(["3"]);
    expect((await ids({ bool: { should: [{ term: { port: 22 } }, { term: { port: 80 } }] } })).sort()).toEqual([
      "1",
      "3",
    ]);
  });

  it("sort and size order and limit the hits; total counts all matches", async () => {
    const res = await client.search({ index: "events", sort: [{ "@timestamp": { order: "desc" } }], size: 2 });
    expect(res.hits.hits.map((h) => h._id)).toEqual(["2", "3"]);
    expect(res.hits.total).toEqual({ value: 3, relation: "eq" });
    expect(res.hits.hits[0]!.sort).toEqual(["2026-01-01T00:00:03Z"]);
  });

  it("an unknown query type is a 400 parsing_exception", async () => {
    const res = await es(sb).post("/events/_search", { query: { fuzzy: { message: "x" } } });
    expect(res.status).toBe(400);
    expect(res.data.error.type).toBe("parsing_exception");
  });

  it("_count counts and a missing index is 404 index_not_found_exception", async () => {
    expect((await client.count({ index: "events", query: { match: { message: "login" } } })).count).toBe(2);
    const res = await es(sb).post("/missing/_search", {});
    expect(res.status).toBe(404);
    expect(res.data.error.type).toBe("index_not_found_exception");
    expect((await es(sb).post("/missing-*/_search", {})).data.hits.total.value).toBe(0);
  });

  it("a logs-*-* name becomes a data stream: @timestamp required, writes with an id need op_type=create", async () => {
    const noTs = await es(sb).post("/logs-app-default/_doc", { message: "x" });
    expect(noTs.status).toBe(400);
    expect(noTs.data.error.reason).toContain("data stream timestamp field [@timestamp] is missing");
    const ok = await es(sb).post("/logs-app-default/_doc", { "@timestamp": "2026-01-01T00:00:00Z", message: "x" });
    expect(ok.status).toBe(201);
    expect(ok.data._index).toMatch(/^\.ds-logs-app-default-\d{4}\.\d{2}\.\d{2}-000001$/);
    const put = await es(sb).put("/logs-app-default/_doc/1", { "@timestamp": "2026-01-01T00:00:00Z" });
    expect(put.status).toBe(400);
    expect(put.data.error.reason).toContain("only write ops with an op_type of create are allowed in data streams");
    expect((await es(sb).put("/logs-app-default/_create/1", { "@timestamp": "2026-01-01T00:00:00Z" })).status).toBe(
      201,
    );
    const ds = await es(sb).get("/_data_stream/logs-app-default");
    expect(ds.data.data_streams[0].name).toBe("logs-app-default");
    expect((await client.search({ index: "logs-*" })).hits.total).toEqual({ value: 2, relation: "eq" });
  });

  it("wildcards skip hidden dot-indices; the alerts alias resolves to the backing index", async () => {
    sb.state.indexDocument(
      ".alerts-security.alerts-default",
      { "@timestamp": "2026-01-01T00:00:00Z", "kibana.alert.uuid": "u1" },
      "u1",
    );
    const viaAlias = await client.search({ index: ".alerts-security.alerts-default" });
    expect(viaAlias.hits.hits[0]!._index).toBe(".internal.alerts-security.alerts-default-000001");
    const all = await client.search({ index: "*", size: 100 });
    expect(all.hits.hits.some((h) => h._index.startsWith(".internal"))).toBe(false);
  });

  it("_bulk indexes NDJSON and reports per-item errors", async () => {
    const res = await client.bulk({
      operations: [
        { index: { _index: "bulk-idx", _id: "b1" } },
        { v: 1 },
        { create: { _index: "bulk-idx", _id: "b1" } },
        { v: 2 },
      ],
    });
    expect(res.errors).toBe(true);
    expect(res.items[0]!.index!.status).toBe(201);
    expect(res.items[1]!.create!.status).toBe(409);
  });

  it("_delete_by_query removes the matching documents", async () => {
    await client.index({ index: "tmp", document: { k: 1 } });
    await client.index({ index: "tmp", document: { k: 2 } });
    const res = await client.deleteByQuery({ index: "tmp", query: { term: { k: 1 } } });
    expect(res.deleted).toBe(1);
    expect((await client.count({ index: "tmp" })).count).toBe(1);
  });

  it("terms and metric aggregations answer in the ES shape; an unsupported type is a 400", async () => {
    const res = await client.search({
      index: "events",
      size: 0,
      aggs: {
        by_port: { terms: { field: "port", size: 2 }, aggs: { hosts: { cardinality: { field: "host.name" } } } },
        top: { max: { field: "port" } },
      },
    });
    const byPort = res.aggregations!.by_port as {
      buckets: { key: number; doc_count: number; hosts: { value: number } }[];
      sum_other_doc_count: number;
    };
    expect(byPort.buckets).toHaveLength(2);
    expect(byPort.sum_other_doc_count).toBe(1);
    expect(byPort.buckets[0]!.hosts.value).toBe(1);
    expect((res.aggregations!.top as { value: number }).value).toBe(443);
    const bad = await es(sb).post("/events/_search", { aggs: { h: { date_histogram: { field: "@timestamp" } } } });
    expect(bad.status).toBe(400);
    expect(bad.data.error.reason).toContain("not supported by the sandbox");
  });

  it("_license reports the licence set through state", async () => {
    sb.state.setLicense("basic");
    expect((await client.license.get()).license.type).toBe("basic");
    sb.state.setLicense("platinum");
  });
});

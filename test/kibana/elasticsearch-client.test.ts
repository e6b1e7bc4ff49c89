import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createElasticsearchClient } from "../../src/elastic/client.js";
import { exitCodeOf, type SentinelElasticError } from "../../src/errors.js";
import { makeConfig } from "../steps/kibana/helpers.js";

const fixture = (f: string) => readFileSync(new URL(`../steps/kibana/fixtures/${f}`, import.meta.url), "utf8");

describe("Elasticsearch client", () => {
  let server: Server;
  let url: string;
  const seen: { accept?: string; authorization?: string; userAgent?: string }[] = [];
  beforeAll(async () => {
    server = createServer({ cert: fixture("localhost.pem"), key: fixture("localhost.key") }, (req, res) => {
      seen.push({
        accept: req.headers.accept,
        authorization: req.headers.authorization,
        userAgent: req.headers["user-agent"],
      });
      res.writeHead(200, { "content-type": "application/json", "x-elastic-product": "Elasticsearch" });
      res.end(JSON.stringify({ username: "elastic", authentication_type: "realm" }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  const config = () =>
    makeConfig({
      elastic: {
        kibanaUrl: "https://kb.invalid",
        elasticsearchUrl: url,
        username: "elastic",
        password: "pw-123456",
        space: "default",
      },
    });

  it("trusts a private CA only when it is given; then sends plain JSON media types, basic auth and our user agent", async () => {
    const untrusted = await createElasticsearchClient(config());
    const e = (await untrusted.authenticate().catch((x) => x)) as SentinelElasticError;
    expect(e.code).toBe("ELASTICSEARCH_TLS");
    expect(exitCodeOf(e)).toBe(3);
    await untrusted.close();

    const es = await createElasticsearchClient(config(), { elasticCaCerts: [fixture("ca.pem")] });
    expect(await es.authenticate()).toEqual({ username: "elastic", authenticationType: "realm" });
    await es.close();
    const last = seen.at(-1)!;
    // Plain JSON, not `compatible-with=9`, so 8.x clusters answer (elastic/elasticsearch-js#2909).
    expect(last.accept).toBe("application/json");
    expect(last.authorization).toBe(`Basic ${Buffer.from("elastic:pw-123456").toString("base64")}`);
    expect(last.userAgent).toMatch(/^sentinel-elastic\//);
  });
});

describe("Elasticsearch client: a stalled read", () => {
  let server: import("node:http").Server;
  let url: string;
  let requests = 0;
  let stalls = 0;
  beforeAll(async () => {
    const { createServer: createHttpServer } = await import("node:http");
    server = createHttpServer((req, res) => {
      requests++;
      req.resume();
      if (stalls > 0) {
        stalls--;
        return; // never answers: the client's request timeout ends it
      }
      res.writeHead(200, { "content-type": "application/json", "x-elastic-product": "Elasticsearch" });
      res.end(JSON.stringify({ version: { number: "9.2.0" }, cluster_name: "stand-in" }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  const client = () =>
    createElasticsearchClient(
      makeConfig({
        elastic: { kibanaUrl: "https://kb.invalid", elasticsearchUrl: url, apiKey: "a2V5OnZhbHVl", space: "default" },
      }),
      {},
      { requestTimeoutMs: 150, sleep: async () => {} },
    );

  it("a GET that stalls once is asked again and succeeds", async () => {
    requests = 0;
    stalls = 1;
    const es = await client();
    expect(await es.info()).toEqual({ version: "9.2.0", clusterName: "stand-in" });
    expect(requests).toBe(2);
    await es.close();
  });

  it("a GET that keeps stalling fails after a bounded number of attempts, saying a re-run continues", async () => {
    requests = 0;
    stalls = 100;
    const es = await client();
    const e = (await es.info().catch((x) => x)) as SentinelElasticError;
    expect(e.code).toBe("ELASTICSEARCH_TIMEOUT");
    expect(e.message).toMatch(/2 attempts/);
    expect(e.suggestion).toMatch(/re-run: it continues/);
    expect(exitCodeOf(e)).toBe(1);
    expect(requests).toBe(2);
    await es.close();
  });
});

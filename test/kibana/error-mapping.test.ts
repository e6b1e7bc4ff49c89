/**
 * Error mapping for three inputs users get wrong (bad input and the Kibana preflight: each
 * failure its own message): https:// to a plain-HTTP Kibana, an Elasticsearch URL that points at Kibana, and a
 * Kibana URL copied from the browser.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createElasticsearchClient } from "../../src/elastic/client.js";
import { mapElasticsearchError } from "../../src/elastic/errors.js";
import { exitCodeOf, type InputError, type SentinelElasticError } from "../../src/errors.js";
import { browserUrlHint } from "../../src/kibana/base-url.js";
import { resolveUrls } from "../../src/elastic/connection.js";
import { createKibanaHttp } from "../../src/kibana/http.js";
import { type KibanaErrorContext, mapKibanaNetworkError, mapKibanaStatus } from "../../src/kibana/http-errors.js";
import { getStatus } from "../../src/kibana/status.js";
import { makeConfig } from "../steps/kibana/helpers.js";

const API_KEY = "c29tZS1pZDpzb21lLWtleQ==";

const servers: Server[] = [];
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer((req, res) => {
    req.resume();
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function failure(p: Promise<unknown> | (() => unknown)): Promise<SentinelElasticError> {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    return e as SentinelElasticError;
  }
  throw new Error("expected a failure");
}

const ctx = (baseUrl: string): KibanaErrorContext => ({
  method: "GET",
  path: "/api/status",
  baseUrl,
  space: "default",
});

describe("https:// to a plain-HTTP Kibana", () => {
  it("the OpenSSL 'wrong version number' EPROTO says http:// versus https://, not a CA file (exit 3)", () => {
    const e = mapKibanaNetworkError(
      {
        code: "EPROTO",
        message:
          "write EPROTO 40E8A1B2:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/ssl/record/ssl3_record.c:354:",
      },
      ctx("https://127.0.0.1:5601"),
      30_000,
    );
    expect(e.code).toBe("KIBANA_PROTOCOL");
    expect(e.message).toContain("Kibana at https://127.0.0.1:5601");
    expect(e.suggestion).toContain("http:// versus https://");
    expect(e.suggestion).not.toMatch(/CA|ca-cert/);
    expect(exitCodeOf(e)).toBe(3);
    expect((e as InputError).problems[0]?.key).toBe("elastic.kibanaUrl");
  });

  it.each([
    ["packet length too long", { message: "SSL routines:ssl3_get_record:packet length too long" }],
    ["a server's 'http request to an https server'", { message: "400 http request to an https server" }],
  ])("%s is a protocol mismatch too", (_name, err) => {
    expect(mapKibanaNetworkError(err, ctx("https://kb.example.com"), 30_000).code).toBe("KIBANA_PROTOCOL");
  });

  it.each([
    ["a self-signed certificate", { code: "DEPTH_ZERO_SELF_SIGNED_CERT", message: "self-signed certificate" }],
    [
      "an unverifiable chain",
      { code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE", message: "unable to verify the first certificate" },
    ],
    [
      "a host name mismatch",
      { code: "ERR_TLS_CERT_ALTNAME_INVALID", message: "Hostname/IP does not match certificate's altnames" },
    ],
    [
      "an EPROTO handshake alert",
      { code: "EPROTO", message: "SSL routines:ssl3_read_bytes:sslv3 alert handshake failure" },
    ],
  ])("%s stays on the CA-file advice", (_name, err) => {
    const e = mapKibanaNetworkError(err, ctx("https://kb.example.com"), 30_000);
    expect(e.code).toBe("KIBANA_TLS");
    expect(e.suggestion).toContain("--elastic-ca-cert");
  });

  it("a real https:// request to a plain-HTTP server ends as KIBANA_PROTOCOL", async () => {
    const url = await serve((_req, res) => res.end("{}"));
    const http = createKibanaHttp({
      baseUrl: url.replace("http:", "https:"),
      space: "default",
      auth: { kind: "apiKey", apiKey: API_KEY },
      retry: { maxAttempts: 1 },
    });
    const e = await failure(getStatus(http));
    expect(e.code).toBe("KIBANA_PROTOCOL");
    expect(exitCodeOf(e)).toBe(3);
  });
});

describe("an Elasticsearch URL that points at Kibana", () => {
  const esConfig = (elasticsearchUrl: string) =>
    makeConfig({ elastic: { kibanaUrl: "http://127.0.0.1:9", elasticsearchUrl, apiKey: API_KEY, space: "default" } });

  it("Kibana's 404 without x-elastic-product is ELASTICSEARCH_NOT_ELASTICSEARCH naming elastic.elasticsearchUrl (exit 3)", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(404, { "content-type": "application/json", "kbn-name": "kibana" });
      res.end(JSON.stringify({ statusCode: 404, error: "Not Found", message: "Not Found" }));
    });
    const es = await createElasticsearchClient(esConfig(url));
    const e = (await failure(es.authenticate())) as InputError;
    await es.close();
    expect(e.code).toBe("ELASTICSEARCH_NOT_ELASTICSEARCH");
    expect(exitCodeOf(e)).toBe(3);
    expect(e.message).toContain("answers, but it is not Elasticsearch");
    expect(e.message).toContain("looks like Kibana");
    expect(e.suggestion).toContain("not the Kibana URL");
    expect(e.problems[0]).toMatchObject({ key: "elastic.elasticsearchUrl" });
    expect(e.problems[0]?.where).toMatch(/--elasticsearch-url.*ELASTICSEARCH_URL.*elastic\.elasticsearchUrl/);
  });

  it("a 200 without x-elastic-product is not Elasticsearch either", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true }));
    });
    const es = await createElasticsearchClient(esConfig(url));
    const e = await failure(es.authenticate());
    await es.close();
    expect(e.code).toBe("ELASTICSEARCH_NOT_ELASTICSEARCH");
  });

  it("Elasticsearch's own 404 (with the product header) stays a request failure", () => {
    const e = mapElasticsearchError(
      {
        name: "ResponseError",
        message: "index_not_found_exception",
        meta: {
          statusCode: 404,
          headers: { "x-elastic-product": "Elasticsearch" },
          body: { error: { type: "index_not_found_exception", reason: "no such index [x]" } },
        },
      },
      "https://es.example.com",
      "search x",
    );
    expect(e.code).toBe("ELASTICSEARCH_REQUEST_FAILED");
  });

  it("a 401 without the header (a proxy in front) stays an authentication error", () => {
    const e = mapElasticsearchError(
      { name: "ResponseError", message: "unauthorized", meta: { statusCode: 401, headers: {}, body: "" } },
      "https://es.example.com",
      "authenticate",
    );
    expect(e.code).toBe("ELASTICSEARCH_UNAUTHORIZED");
    expect(exitCodeOf(e)).toBe(4);
  });

  it("https:// to a plain-HTTP Elasticsearch says http:// versus https://", () => {
    const e = mapElasticsearchError(
      { name: "ConnectionError", message: "SSL routines:ssl3_get_record:wrong version number" },
      "https://es.example.com",
      "authenticate",
    );
    expect(e.code).toBe("ELASTICSEARCH_PROTOCOL");
    expect(e.suggestion).toContain("http:// versus https://");
  });
});

describe("a Kibana URL copied from the browser", () => {
  const resolve = (kibanaUrl: string) => () =>
    resolveUrls({ kibanaUrl, elasticsearchUrl: "https://es.example.com", space: "default" });

  it("an /app/… path is refused before any request, suggesting the base URL (exit 3)", async () => {
    const e = (await failure(resolve("https://kb.example.com/app/security/alerts?_g=()"))) as InputError;
    expect(e.code).toBe("KIBANA_URL_NOT_BASE");
    expect(exitCodeOf(e)).toBe(3);
    expect(e.problems[0]?.key).toBe("elastic.kibanaUrl");
    expect(e.problems[0]?.where).toContain("--kibana-url");
    expect(e.suggestion).toContain("base URL");
    expect(e.suggestion).toContain("https://kb.example.com (");
  });

  it("a /s/<space>/app/… path suggests the base URL and elastic.space instead", async () => {
    const e = await failure(resolve("https://kb.example.com/kibana/s/secops/app/security/cases"));
    expect(e.code).toBe("KIBANA_URL_NOT_BASE");
    expect(e.suggestion).toContain("https://kb.example.com/kibana (");
    expect(e.suggestion).toMatch(/set elastic\.space to secops/);
    expect(e.suggestion).toContain("--space");
  });

  it("the hint keeps a base path and finds the space", () => {
    expect(browserUrlHint("https://kb.example.com/kibana/app/discover#/view/1")).toEqual({
      baseUrl: "https://kb.example.com/kibana",
      space: undefined,
    });
    expect(browserUrlHint("https://kb.example.com/s/soc")).toEqual({ baseUrl: "https://kb.example.com", space: "soc" });
    expect(browserUrlHint("https://kb.example.com")).toBeUndefined();
    expect(browserUrlHint("https://kb.example.com/kibana")).toBeUndefined();
    expect(browserUrlHint("https://kb.example.com/app")).toBeUndefined();
  });

  it("a base path is accepted at input time", () => {
    expect(resolve("https://kb.example.com/kibana/")()).toMatchObject({ kibanaUrl: "https://kb.example.com/kibana" });
  });

  const kibana404 = () =>
    serve((req, res) => {
      res.writeHead(404, { "content-type": "application/json", "kbn-name": "kibana" });
      res.end(JSON.stringify({ statusCode: 404, error: "Not Found", message: `${req.url} not found` }));
    });
  const http = (baseUrl: string) =>
    createKibanaHttp({ baseUrl, space: "default", auth: { kind: "apiKey", apiKey: API_KEY } });

  it("a 404 on GET <url>/api/status for a URL with a path asks for the base URL (exit 3)", async () => {
    const url = await kibana404();
    const e = (await failure(getStatus(http(`${url}/wrong/base`)))) as InputError;
    expect(e.code).toBe("KIBANA_URL_NOT_BASE");
    expect(exitCodeOf(e)).toBe(3);
    expect(e.message).toContain("/api/status answered 404");
    expect(e.problems[0]?.key).toBe("elastic.kibanaUrl");
    expect(e.suggestion).toContain(`e.g. ${url}`);
  });

  it("a 404 on GET /api/status at a bare origin is not blamed on the path", async () => {
    const url = await kibana404();
    const e = await failure(getStatus(http(url)));
    expect(e.code).not.toBe("KIBANA_URL_NOT_BASE");
  });
});

describe("throttling that outlasts the retries", () => {
  it("a 429 after the retries is KIBANA_THROTTLED with a wait-and-re-run suggestion, not an unknown-version guess", () => {
    const e = mapKibanaStatus(
      {
        status: 429,
        body: { statusCode: 429, error: "Too Many Requests" },
        contentType: "application/json",
        isKibana: true,
        isElasticsearch: false,
      },
      { method: "GET", path: "/api/actions/connector_types", baseUrl: "http://kb.local", space: "default" },
    );
    expect(e.code).toBe("KIBANA_THROTTLED");
    expect(e.suggestion).toMatch(/wait a minute and re-run/);
    expect(e.suggestion).not.toMatch(/version we do not know/);
  });
});

describe("a conflict from a concurrent run", () => {
  it("a 409 on a saved object is KIBANA_CONFLICT: another run changed it, re-run; not an unknown-version guess", () => {
    const e = mapKibanaStatus(
      {
        status: 409,
        body: { statusCode: 409, error: "Conflict", message: "Saved object [cases-configure/abc] conflict" },
        contentType: "application/json",
        isKibana: true,
        isElasticsearch: false,
      },
      { method: "PATCH", path: "/api/cases/configure/abc", baseUrl: "http://kb.local", space: "default" },
    );
    expect(e.code).toBe("KIBANA_CONFLICT");
    expect(e.message).toMatch(/409 \(conflict\).*Another run/);
    expect(e.suggestion).toMatch(/another setup or teardown may be running.*re-run/i);
    expect(`${e.message} ${e.suggestion}`).not.toMatch(/version we do not know/);
  });
});

import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { exitCodeOf, type SentinelElasticError } from "../../../src/errors.js";
import { createKibanaClient } from "../../../src/kibana/client.js";
import { type ElasticSandbox, startElasticSandbox } from "../../../src/sandbox/elastic/index.js";
import { kibanaPreflightStep } from "../../../src/steps/kibana/preflight.js";
import { checkKibanaVersion } from "../../../src/steps/kibana/preflight-checks.js";
import { makeConfig, makeContext, sandboxConfig, testIo } from "./helpers.js";

async function failure(p: Promise<unknown>): Promise<SentinelElasticError> {
  try {
    await p;
  } catch (e) {
    return e as SentinelElasticError;
  }
  throw new Error("expected a failure");
}

const servers: Server[] = [];
async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return (server.address() as AddressInfo).port;
}
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

const plan = (config = makeConfig()) => kibanaPreflightStep.plan(makeContext(config));
const urls = (kibanaUrl: string, elasticsearchUrl = "http://127.0.0.1:9") => ({
  elastic: { kibanaUrl, elasticsearchUrl, apiKey: "c29tZS1pZDpzb21lLWtleQ==", space: "default" },
});

describe("preflight: reaching Kibana", () => {
  it("a URL where nothing listens says the connection was refused (exit 1)", async () => {
    const port = await listen(createHttpServer());
    servers.pop()!.close();
    const e = await failure(plan(makeConfig(urls(`http://127.0.0.1:${port}`))));
    expect(e.code).toBe("KIBANA_UNREACHABLE");
    expect(e.message).toContain("connection refused");
    expect(exitCodeOf(e)).toBe(1);
  });

  it("a server that is not Kibana is named as such (exit 3)", async () => {
    const port = await listen(
      createHttpServer((_req, res) => {
        res.writeHead(200, { "content-type": "text/html" });
        res.end("<html><head><title>Welcome to nginx!</title></head><body>hello</body></html>");
      }),
    );
    const e = await failure(plan(makeConfig(urls(`http://127.0.0.1:${port}`))));
    expect(e.code).toBe("KIBANA_NOT_KIBANA");
    expect(e.message).toContain("does not look like Kibana");
    expect(exitCodeOf(e)).toBe(3);
  });

  it("an HTML error page is summarised to its status and first line", async () => {
    const port = await listen(
      createHttpServer((_req, res) => {
        res.writeHead(502, { "content-type": "text/html" });
        res.end(
          "<html><head><title>502 Bad Gateway</title></head><body><pre>upstream secret stack</pre></body></html>",
        );
      }),
    );
    const kibana = await createKibanaClient(
      makeConfig(urls(`http://127.0.0.1:${port}`)),
      {},
      { retry: { maxAttempts: 1 } },
    );
    const e = await failure(kibana.getStatus());
    expect(e.message).toContain("502");
    expect(e.message).toContain("502 Bad Gateway");
    expect(e.message).not.toContain("upstream secret stack");
  });

  it("a certificate we do not trust is a TLS error naming the CA option (exit 3); with the CA it connects", async () => {
    const fixture = (f: string) => readFileSync(new URL(`./fixtures/${f}`, import.meta.url), "utf8");
    const certs = { cert: fixture("localhost.pem"), key: fixture("localhost.key"), caCert: fixture("ca.pem") };
    const port = await listen(
      createHttpsServer({ cert: certs.cert, key: certs.key }, (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({ name: "kb", version: { number: "8.10.4" }, status: { overall: { level: "available" } } }),
        );
      }) as unknown as Server,
    );
    const config = makeConfig(urls(`https://127.0.0.1:${port}`));
    const e = await failure(plan(config));
    expect(e.code).toBe("KIBANA_TLS");
    expect(e.suggestion).toContain("--elastic-ca-cert");
    expect(exitCodeOf(e)).toBe(3);
    const trusted = await createKibanaClient(config, { elasticCaCerts: [certs.caCert] });
    const old = await failure(checkKibanaVersion(trusted));
    expect(old.code).toBe("KIBANA_VERSION_UNSUPPORTED");
  });

  it("http:// to a port that speaks HTTPS says to check the scheme", async () => {
    const fixture = (f: string) => readFileSync(new URL(`./fixtures/${f}`, import.meta.url), "utf8");
    const port = await listen(
      createHttpsServer(
        { cert: fixture("localhost.pem"), key: fixture("localhost.key") },
        () => {},
      ) as unknown as Server,
    );
    const kibana = await createKibanaClient(
      makeConfig(urls(`http://127.0.0.1:${port}`)),
      {},
      { sleep: async () => {} },
    );
    const e = await failure(checkKibanaVersion(kibana));
    // Node's TLS server drops a plain-HTTP request (a reset); the message points at the scheme.
    expect(e.code).toBe("KIBANA_CONNECTION_RESET");
    expect(e.suggestion).toContain("https://");
  });

  it("a Kibana that never answers times out with its own message", async () => {
    const port = await listen(createHttpServer(() => {}));
    const kibana = await createKibanaClient(makeConfig(urls(`http://127.0.0.1:${port}`)), {}, { timeoutMs: 200 });
    const e = await failure(checkKibanaVersion(kibana));
    expect(e.code).toBe("KIBANA_TIMEOUT");
    expect(e.message).toContain("did not answer");
  });
});

describe("preflight against the sandbox", () => {
  let sb: ElasticSandbox;
  beforeAll(async () => {
    sb = await startElasticSandbox({ kibanaVersion: "8.17.0" });
  });
  afterAll(() => sb?.stop());
  afterEach(() => {
    sb.state.setVersion("8.17.0");
    sb.state.setLicense("platinum");
    sb.state.setEncryptionKey(true);
  });

  it("passes with a superuser key and records the version for the other steps", async () => {
    const ctx = makeContext(sandboxConfig(sb));
    expect(await kibanaPreflightStep.plan(ctx)).toEqual([]);
    expect(ctx.shared.kibana?.version).toBe("8.17.0");
  });

  it("a username and password work as well as an API key", async () => {
    const ctx = makeContext(
      sandboxConfig(sb, { elastic: { apiKey: undefined, username: sb.username, password: sb.password } }),
    );
    expect(await kibanaPreflightStep.plan(ctx)).toEqual([]);
  });

  it("a rule query that cannot be KQL is refused before any change, naming the input (exit 3)", async () => {
    const e = await failure(plan(sandboxConfig(sb, { rule: { query: 'message:"malware' } })));
    expect(e.code).toBe("RULE_QUERY_INVALID");
    expect(e.suggestion).toContain("--rule-query");
    expect(exitCodeOf(e)).toBe(3);
    expect(sb.state.rules()).toEqual([]);
  });

  it("invalid credentials are an authentication error (exit 4)", async () => {
    const e = await failure(
      plan(sandboxConfig(sb, { elastic: { apiKey: Buffer.from("nope:nope").toString("base64") } })),
    );
    expect(e.code).toBe("KIBANA_UNAUTHORIZED");
    expect(e.message).toContain("401");
    expect(exitCodeOf(e)).toBe(4);
  });

  it("Kibana older than 8.11 is refused saying why (exit 5)", async () => {
    sb.state.setVersion("8.10.4");
    const e = await failure(plan(sandboxConfig(sb)));
    expect(e.code).toBe("KIBANA_VERSION_UNSUPPORTED");
    expect(e.message).toMatch(/8\.10\.4.*8\.11 or newer.*case\.id/);
    expect(exitCodeOf(e)).toBe(5);
  });

  it("a space that does not exist stops the run (exit 5)", async () => {
    const e = await failure(plan(sandboxConfig(sb, { elastic: { space: "nosuchspace" } })));
    expect(e.code).toBe("KIBANA_SPACE_NOT_FOUND");
    expect(e.message).toContain("nosuchspace");
    expect(exitCodeOf(e)).toBe(5);
  });

  it("a basic licence is refused naming the gold licence the connectors need (exit 5)", async () => {
    sb.state.setLicense("basic");
    const e = await failure(plan(sandboxConfig(sb)));
    expect(e.code).toBe("KIBANA_LICENSE_INSUFFICIENT");
    expect(e.message).toContain("gold");
    expect(e.message).toContain("has a basic licence");
    expect(exitCodeOf(e)).toBe(5);
  });

  it("an expired licence is named as expired (exit 5)", async () => {
    sb.state.setLicense("platinum", "expired");
    const e = await failure(plan(sandboxConfig(sb)));
    expect(e.code).toBe("KIBANA_LICENSE_INSUFFICIENT");
    expect(e.message).toContain("platinum licence is expired");
    expect(exitCodeOf(e)).toBe(5);
  });

  it("missing Kibana privileges are named (exit 4)", async () => {
    const key = sb.state.createApiKey({
      name: "connectors-only",
      privileges: {
        applications: [
          { application: "kibana-.kibana", privileges: ["feature_actions.all"], resources: ["space:default"] },
        ],
        indices: [{ names: ["logs-*"], privileges: ["create_doc"] }],
      },
    });
    const e = await failure(plan(sandboxConfig(sb, { elastic: { apiKey: key.encoded } })));
    expect(e.code).toBe("ELASTIC_PRIVILEGES_MISSING");
    expect(e.message).toContain("Cases: All");
    expect(e.message).toContain("Rules");
    expect(e.message).not.toContain("Actions and Connectors");
    expect(exitCodeOf(e)).toBe(4);
  });

  it("a user who cannot read the rule's indices is warned (the rule runs with that user's key)", async () => {
    const key = sb.state.createApiKey({
      name: "no-read",
      privileges: {
        applications: [
          {
            application: "kibana-.kibana",
            privileges: ["feature_actions.all", "feature_securitySolutionCases.all", "feature_siem.all"],
            resources: ["space:default"],
          },
        ],
        indices: [{ names: ["logs-sentinel_elastic.test-default"], privileges: ["create_doc", "read"] }],
      },
    });
    const io = testIo();
    await kibanaPreflightStep.plan(makeContext(sandboxConfig(sb, { elastic: { apiKey: key.encoded } }), { io }));
    const warning = io.messages.find((m) => m.level === "warn")?.text ?? "";
    expect(warning).toContain("cannot read");
    expect(warning).toContain("logs-*");
    expect(warning).not.toContain("logs-sentinel_elastic.test-default");
  });

  it("a Kibana without a permanent encryption key is refused (exit 5)", async () => {
    sb.state.setEncryptionKey(false);
    const e = await failure(plan(sandboxConfig(sb)));
    expect(e.code).toBe("KIBANA_NO_ENCRYPTION_KEY");
    expect(e.suggestion).toContain("xpack.encryptedSavedObjects.encryptionKey");
    expect(exitCodeOf(e)).toBe(5);
  });

  it("a Kibana URL that points at Elasticsearch is named as such (exit 3)", async () => {
    const e = await failure(plan(sandboxConfig(sb, { elastic: { kibanaUrl: sb.elasticsearchUrl } })));
    expect(e.code).toBe("KIBANA_NOT_KIBANA");
    expect(e.message).toContain("Elasticsearch");
    expect(exitCodeOf(e)).toBe(3);
  });

  it("an Elasticsearch that cannot be reached with the same credentials stops the run", async () => {
    const e = await failure(plan(sandboxConfig(sb, { elastic: { elasticsearchUrl: "http://127.0.0.1:9" } })));
    expect(e.code).toBe("ELASTICSEARCH_UNREACHABLE");
    expect(exitCodeOf(e)).toBe(1);
  });

  it("verify reports each check with evidence instead of throwing", async () => {
    sb.state.setLicense("basic");
    const checks = await kibanaPreflightStep.verify!(makeContext(sandboxConfig(sb)));
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ["rule.query", "pass"],
      ["kibana.reachable", "pass"],
      ["kibana.space", "pass"],
      ["kibana.licence", "fail"],
    ]);
    expect(checks[3]!.remedy).toContain("licence");
  });
});

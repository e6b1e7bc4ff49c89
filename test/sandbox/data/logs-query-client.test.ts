/**
 * `@azure/monitor-query-logs` LogsQueryClient, unchanged, against the data plane's query API served over HTTPS
 * on 127.0.0.1 (the SDK refuses bearer tokens over plain HTTP). Until the control plane's startAzureSandbox
 * serves the query endpoint, this test mounts the API itself with a throw-away self-signed certificate
 * (made with openssl: the sandbox's certs.ts needs a Reflect metadata polyfill that is not installed).
 */
import { createServer, type Server } from "node:https";
import { Agent } from "node:https";
import type { AddressInfo } from "node:net";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { LogsQueryClient, LogsQueryResultStatus } from "@azure/monitor-query-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mountQueryApi } from "../../../src/sandbox/azure/data/index.js";
import { createRouter } from "../../../src/sandbox/common/router.js";
import { alert, CUSTOMER_ID, createWorld, READER_PRINCIPAL, WORKFLOW_PRINCIPAL, type World } from "./world.js";

/** A credential that never leaves the process: the token is the caller's object id, for the test server only. */
function fakeCredential(oid: string, seen: string[][]): TokenCredential {
  return {
    async getToken(scopes): Promise<AccessToken> {
      seen.push(Array.isArray(scopes) ? scopes : [scopes]);
      return { token: `test-oid.${oid}`, expiresOnTimestamp: Date.now() + 3600_000 };
    },
  };
}

/** A P-256 certificate for 127.0.0.1, valid one day, trusted only by this test's agent. */
function selfSignedCert(): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), "data-plane-tls-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    return { cert: readFileSync(join(dir, "cert.pem"), "utf8"), key: readFileSync(join(dir, "key.pem"), "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let server: Server;
let world: World;
let endpoint: string;
let agent: Agent;

beforeAll(async () => {
  world = createWorld();
  world.grant(WORKFLOW_PRINCIPAL, "mmp");
  world.grant(READER_PRINCIPAL, "reader");
  await world.ingest([alert(1), alert(2), alert(3)]);
  const certs = selfSignedCert();
  const router = createRouter({
    before: (r) => {
      const auth = String(r.headers.authorization ?? "");
      if (!auth.startsWith("Bearer test-oid."))
        return { status: 401, body: { error: { code: "AuthorizationRequiredError" } } };
      return undefined;
    },
  });
  mountQueryApi(router, world.plane, (r) => String(r.headers.authorization).slice("Bearer test-oid.".length));
  server = createServer({ cert: certs.cert, key: certs.key }, (req, res) => void router.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  agent = new Agent({ ca: certs.cert });
});

afterAll(async () => {
  agent.destroy();
  await new Promise((resolve) => server.close(resolve));
});

describe("LogsQueryClient against the sandbox query API", () => {
  it("queryWorkspace returns typed tables: datetimes as Date, dynamic as objects", async () => {
    const scopes: string[][] = [];
    const client = new LogsQueryClient(fakeCredential(READER_PRINCIPAL, scopes), { endpoint, agent } as never);
    const result = await client.queryWorkspace(
      CUSTOMER_ID,
      "ElasticAlerts_CL | project TimeGenerated, AlertId, Raw | order by AlertId asc",
      { duration: "PT1H" },
    );
    expect(result.status).toBe(LogsQueryResultStatus.Success);
    if (result.status !== LogsQueryResultStatus.Success) return;
    const table = result.tables[0]!;
    expect(table.columnDescriptors.map((c) => c.name)).toEqual(["TimeGenerated", "AlertId", "Raw"]);
    expect(table.rows.map((r) => r[1])).toEqual(["alert-1", "alert-2", "alert-3"]);
    expect(table.rows[0]![0]).toBeInstanceOf(Date);
    expect(table.rows[0]![2]).toEqual({ host: { name: "host-1" }, user: { name: "alice" } });
    expect(scopes[0]).toEqual(["https://api.loganalytics.io/.default"]);
  });

  it("a query error surfaces as the SDK's error with the service's code", async () => {
    const client = new LogsQueryClient(fakeCredential(READER_PRINCIPAL, []), { endpoint, agent } as never);
    await expect(
      client.queryWorkspace(CUSTOMER_ID, "ElasticAlerts_CL | mv-expand Raw", { duration: "PT1H" }),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: "BadArgumentError",
    });
  });

  it("a caller without a reader role is refused with 403", async () => {
    const client = new LogsQueryClient(fakeCredential(WORKFLOW_PRINCIPAL, []), { endpoint, agent } as never);
    await expect(
      client.queryWorkspace(CUSTOMER_ID, "ElasticAlerts_CL | take 1", { duration: "PT1H" }),
    ).rejects.toMatchObject({
      statusCode: 403,
    });
  });
});

/**
 * The data plane behind the control plane's real HTTPS servers (startAzureSandbox): a workflow identity posts
 * to the Logs Ingestion endpoint with a monitor.azure.com token, the rows land after the ingestion latency, an
 * NRT rule turns them into incidents, and LogsQueryClient reads both tables back.
 */
import { randomUUID } from "node:crypto";
import { Agent, request } from "node:https";
import { LogsQueryClient, LogsQueryResultStatus } from "@azure/monitor-query-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AzureSandbox, startAzureSandbox } from "../../../src/sandbox/azure/index.js";
import { tableResource } from "../../../src/sandbox/azure/resources/workspaces.js";
import { createClock } from "../../../src/sandbox/common/clock.js";
import { alert, CUSTOMER_ID, IMMUTABLE_ID, STREAM, START, TABLE_COLUMNS, TRANSFORM } from "./world.js";

const MMP = "3913510d-42f4-4e42-8a64-420c390055eb";
let sandbox: AzureSandbox;
let agent: Agent;
let wsId: string;
const workflow = randomUUID();

function post(url: string, token: string, body: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const data = Buffer.from(JSON.stringify(body));
    const req = request(
      url,
      {
        method: "POST",
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "content-length": data.length,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

beforeAll(async () => {
  sandbox = await startAzureSandbox({
    clock: createClock({ start: START }),
    resourceGroups: [{ name: "rg-sec", location: "westeurope" }],
    workspaces: [{ name: "law-sec", resourceGroup: "rg-sec", customerId: CUSTOMER_ID }],
    ingestionLatencyMs: 30_000,
  });
  agent = new Agent({ ca: sandbox.caCert });
  const { state } = sandbox;
  wsId = state.workspaceId("rg-sec", "law-sec");
  state.put(
    tableResource(state, `${wsId}/tables/ElasticAlerts_CL`, "ElasticAlerts_CL", TABLE_COLUMNS, {
      subType: "DataCollectionRuleBased",
    }),
    "2022-10-01",
  );
  const dcrId = `${state.resourceGroupId("rg-sec")}/providers/Microsoft.Insights/dataCollectionRules/dcr-elastic`;
  state.put(
    {
      id: dcrId,
      name: "dcr-elastic",
      type: "Microsoft.Insights/dataCollectionRules",
      kind: "Direct",
      properties: {
        immutableId: IMMUTABLE_ID,
        streamDeclarations: {
          [STREAM]: {
            columns: TABLE_COLUMNS.filter((c) => c.name !== "HostName").map((c) => ({
              ...c,
              type: c.type.toLowerCase(),
            })),
          },
        },
        destinations: { logAnalytics: [{ name: "la", workspaceResourceId: wsId }] },
        dataFlows: [
          { streams: [STREAM], destinations: ["la"], transformKql: TRANSFORM, outputStream: "Custom-ElasticAlerts_CL" },
        ],
      },
    },
    "2023-03-11",
  );
  state.addPrincipal({ id: workflow, type: "ServicePrincipal", displayName: "alert-ingest workflow" });
  state.addRoleAssignment({
    scope: dcrId,
    name: randomUUID(),
    roleDefinitionId: MMP,
    principalId: workflow,
    immediate: true,
  });
  const ruleName = randomUUID();
  state.put(
    {
      id: `${wsId}/providers/Microsoft.SecurityInsights/alertRules/${ruleName}`,
      name: ruleName,
      type: "Microsoft.SecurityInsights/alertRules",
      kind: "NRT",
      properties: {
        displayName: "Elastic alerts",
        enabled: true,
        query: "ElasticAlerts_CL | project TimeGenerated, RuleName, Severity, HostName",
        severity: "Medium",
        suppressionEnabled: false,
        suppressionDuration: "PT5H",
        incidentConfiguration: { createIncident: true },
        alertDetailsOverride: {
          alertDisplayNameFormat: "{{RuleName}} on {{HostName}}",
          alertSeverityColumnName: "Severity",
        },
      },
    },
    "2025-07-01-preview",
  );
});

afterAll(async () => {
  agent?.destroy();
  await sandbox?.stop();
});

describe("data plane behind startAzureSandbox", () => {
  it("ingestion refuses a token for another audience with 401", async () => {
    const wrong = await sandbox.credentialFor(workflow).getToken("https://management.azure.com/.default");
    const url = `${sandbox.endpoints.logsIngestion}/dataCollectionRules/${IMMUTABLE_ID}/streams/${STREAM}?api-version=2023-01-01`;
    expect((await post(url, wrong!.token, [alert(1)])).status).toBe(401);
  });

  it("an alert posted to the Logs Ingestion endpoint becomes a row, then an NRT incident, readable with LogsQueryClient", async () => {
    const token = await sandbox.credentialFor(workflow).getToken("https://monitor.azure.com/.default");
    const url = `${sandbox.endpoints.logsIngestion}/dataCollectionRules/${IMMUTABLE_ID}/streams/${STREAM}?api-version=2023-01-01`;
    const res = await post(url, token!.token, [alert(1)]);
    expect(res.status).toBe(204);
    expect(sandbox.state.listIncidents(wsId)).toHaveLength(0);

    await sandbox.clock.advance(60_000); // rows land at +30 s; the NRT tick at +60 s sees them
    const incidents = sandbox.state.listIncidents(wsId);
    expect(incidents.map((i) => [i.properties.title, i.properties.severity])).toEqual([["Rule 1 on host-1", "High"]]);

    const client = new LogsQueryClient(sandbox.credential, {
      endpoint: `${sandbox.endpoints.logAnalytics}/v1`,
      agent,
    } as never);
    const rows = await client.queryWorkspace(CUSTOMER_ID, "ElasticAlerts_CL | project AlertId, Severity, HostName", {
      duration: "PT1H",
    });
    expect(rows.status).toBe(LogsQueryResultStatus.Success);
    if (rows.status === LogsQueryResultStatus.Success)
      expect(rows.tables[0]!.rows).toEqual([["alert-1", "High", "host-1"]]);
    const inc = await client.queryWorkspace(CUSTOMER_ID, "SecurityIncident | project Title, Status", {
      duration: "PT1H",
    });
    if (inc.status === LogsQueryResultStatus.Success)
      expect(inc.tables[0]!.rows).toEqual([["Rule 1 on host-1", "New"]]);
    else expect.fail("SecurityIncident query failed");
  });

  it("LogsQueryClient gets the service's 400 for unsupported KQL and 403 for a caller without a reader role", async () => {
    const endpoint = `${sandbox.endpoints.logAnalytics}/v1`;
    const owner = new LogsQueryClient(sandbox.credential, { endpoint, agent } as never);
    await expect(
      owner.queryWorkspace(CUSTOMER_ID, "ElasticAlerts_CL | mv-expand Raw", { duration: "PT1H" }),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: "BadArgumentError",
    });
    const wf = new LogsQueryClient(sandbox.credentialFor(workflow), { endpoint, agent } as never);
    await expect(
      wf.queryWorkspace(CUSTOMER_ID, "ElasticAlerts_CL | take 1", { duration: "PT1H" }),
    ).rejects.toMatchObject({
      statusCode: 403,
    });
  });

  it("LogsQueryClient turns datetime cells into Dates and dynamic cells into objects", async () => {
    const client = new LogsQueryClient(sandbox.credential, {
      endpoint: `${sandbox.endpoints.logAnalytics}/v1`,
      agent,
    } as never);
    const res = await client.queryWorkspace(CUSTOMER_ID, "ElasticAlerts_CL | project TimeGenerated, Raw | take 1", {
      duration: "PT1H",
    });
    if (res.status !== LogsQueryResultStatus.Success) return expect.fail("query failed");
    expect(res.tables[0]!.columnDescriptors.map((c) => c.type)).toEqual(["datetime", "dynamic"]);
    expect(res.tables[0]!.rows[0]![0]).toBeInstanceOf(Date);
    expect(res.tables[0]!.rows[0]![1]).toEqual({ host: { name: "host-1" }, user: { name: "alice" } });
  });
});

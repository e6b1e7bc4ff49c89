import { Durations, LogsQueryClient } from "@azure/monitor-query-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AzureSandbox, startAzureSandbox } from "../../../src/sandbox/azure/index.js";
import { arm, call, echoDefinition, rgPath, sandboxOptions, wsId } from "./helpers.js";

let sb: AzureSandbox;
let dcr: { id: string; immutableId: string; endpoint: string };
let miPrincipal: string;
const PUBLISHER = "3913510d-42f4-4e42-8a64-420c390055eb";

beforeAll(async () => {
  sb = await startAzureSandbox(sandboxOptions);
  const columns = [
    { name: "TimeGenerated", type: "dateTime" },
    { name: "AlertId", type: "string" },
  ];
  await arm(sb, "PUT", `${wsId(sb)}/tables/ElasticAlerts_CL?api-version=2022-10-01`, {
    properties: { schema: { name: "ElasticAlerts_CL", columns } },
  });
  const r = await arm(
    sb,
    "PUT",
    `${rgPath(sb)}/providers/Microsoft.Insights/dataCollectionRules/dcr?api-version=2024-03-11`,
    {
      location: "westeurope",
      kind: "Direct",
      properties: {
        streamDeclarations: {
          "Custom-ElasticAlerts": {
            columns: [
              { name: "TimeGenerated", type: "datetime" },
              { name: "AlertId", type: "string" },
            ],
          },
        },
        destinations: { logAnalytics: [{ name: "la", workspaceResourceId: wsId(sb) }] },
        dataFlows: [
          {
            streams: ["Custom-ElasticAlerts"],
            destinations: ["la"],
            transformKql: "source",
            outputStream: "Custom-ElasticAlerts_CL",
          },
        ],
      },
    },
  );
  dcr = {
    id: r.body.id,
    immutableId: r.body.properties.immutableId,
    endpoint: r.body.properties.endpoints.logsIngestion,
  };
  const wf = await arm(sb, "PUT", `${rgPath(sb)}/providers/Microsoft.Logic/workflows/ingest?api-version=2019-05-01`, {
    location: "westeurope",
    identity: { type: "SystemAssigned" },
    properties: { definition: echoDefinition() },
  });
  miPrincipal = wf.body.identity.principalId;
});
afterAll(async () => {
  await sb?.stop();
});

const ingestUrl = () =>
  `${dcr.endpoint}/dataCollectionRules/${dcr.immutableId}/streams/Custom-ElasticAlerts?api-version=2023-01-01`;
const row = (id: string) => [{ TimeGenerated: new Date(sb.clock.now()).toISOString(), AlertId: id }];

describe("data plane wiring", () => {
  it("a workflow identity without Monitoring Metrics Publisher gets 403 from ingestion", async () => {
    const token = (await sb.credentialFor(miPrincipal).getToken("https://monitor.azure.com/.default"))!.token;
    expect((await call(sb, "POST", ingestUrl(), { token, body: row("a1") })).status).toBe(403);
  });

  it("an Owner without the data action also gets 403 from ingestion (Owner has no dataActions)", async () => {
    const token = (await sb.credential.getToken("https://monitor.azure.com/.default"))!.token;
    expect((await call(sb, "POST", ingestUrl(), { token, body: row("a2") })).status).toBe(403);
  });

  it("a management token is refused by the ingestion endpoint (audience https://monitor.azure.com)", async () => {
    const token = (await sb.credentialFor(miPrincipal).getToken("https://management.azure.com/.default"))!.token;
    expect((await call(sb, "POST", ingestUrl(), { token, body: row("a3") })).status).toBe(401);
  });

  it("with Monitoring Metrics Publisher on the DCR the identity ingests (204) and @azure/monitor-query-logs reads the row", async () => {
    const ra = await arm(
      sb,
      "PUT",
      `${dcr.id}/providers/Microsoft.Authorization/roleAssignments/${crypto.randomUUID()}?api-version=2022-04-01`,
      {
        properties: {
          roleDefinitionId: `/subscriptions/${sb.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${PUBLISHER}`,
          principalId: miPrincipal,
          principalType: "ServicePrincipal",
        },
      },
    );
    expect(ra.status).toBe(201);
    const token = (await sb.credentialFor(miPrincipal).getToken("https://monitor.azure.com/.default"))!.token;
    expect((await call(sb, "POST", ingestUrl(), { token, body: row("a4") })).status).toBe(204);
    await sb.clock.advance(1000);
    const client = new LogsQueryClient(sb.credential, {
      endpoint: `${sb.endpoints.logAnalytics}/v1`,
      tlsOptions: { ca: sb.caCert },
    } as never);
    const customerId = sb.state.getResource(wsId(sb))!.properties.customerId as string;
    const result = await client.queryWorkspace(customerId, "ElasticAlerts_CL | project AlertId", {
      duration: Durations.oneHour,
    });
    expect(result.status).toBe("Success");
    const rows = (result as { tables: { rows: unknown[][] }[] }).tables[0]!.rows;
    expect(rows).toContainEqual(["a4"]);
  });
});

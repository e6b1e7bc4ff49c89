/**
 * The alert data path end to end with no product code: a small template written here deploys a
 * DCR-based table, a kind:Direct data collection rule, a workflow whose managed identity sends its request body to
 * the Logs Ingestion API, the Monitoring Metrics Publisher role for that identity, and an NRT rule. An alert POSTed
 * to the workflow's callback URL becomes a row after the ingestion latency and, on the next NRT run, an incident.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClock } from "../../src/sandbox/common/clock.js";
import { type AzureSandbox, startAzureSandbox } from "../../src/sandbox/azure/index.js";
import { arm, call, deploy, RG, rgPath, WS, wsId } from "./azure/helpers.js";

const columns = [
  { name: "TimeGenerated", type: "datetime" },
  { name: "AlertId", type: "string" },
  { name: "HostName", type: "string" },
];

const template = {
  $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  contentVersion: "1.0.0.0",
  parameters: { workspaceName: { type: "string" } },
  variables: {
    wsId: "[resourceId('Microsoft.OperationalInsights/workspaces', parameters('workspaceName'))]",
    dcrId: "[resourceId('Microsoft.Insights/dataCollectionRules', 'mini-dcr')]",
    wfId: "[resourceId('Microsoft.Logic/workflows', 'mini-ingest')]",
  },
  resources: [
    {
      type: "Microsoft.OperationalInsights/workspaces/tables",
      apiVersion: "2022-10-01",
      name: "[concat(parameters('workspaceName'), '/MiniAlerts_CL')]",
      properties: {
        plan: "Analytics",
        schema: {
          name: "MiniAlerts_CL",
          columns: columns.map((c) => ({ ...c, type: c.type === "datetime" ? "dateTime" : c.type })),
        },
      },
    },
    {
      type: "Microsoft.Insights/dataCollectionRules",
      apiVersion: "2024-03-11",
      name: "mini-dcr",
      location: "westeurope",
      kind: "Direct",
      dependsOn: [
        "[resourceId('Microsoft.OperationalInsights/workspaces/tables', parameters('workspaceName'), 'MiniAlerts_CL')]",
      ],
      properties: {
        streamDeclarations: { "Custom-MiniAlerts": { columns } },
        destinations: { logAnalytics: [{ name: "la", workspaceResourceId: "[variables('wsId')]" }] },
        dataFlows: [
          {
            streams: ["Custom-MiniAlerts"],
            destinations: ["la"],
            transformKql: "source",
            outputStream: "Custom-MiniAlerts_CL",
          },
        ],
      },
    },
    {
      type: "Microsoft.Logic/workflows",
      apiVersion: "2019-05-01",
      name: "mini-ingest",
      location: "westeurope",
      identity: { type: "SystemAssigned" },
      dependsOn: ["[variables('dcrId')]"],
      properties: {
        state: "Enabled",
        definition: {
          $schema:
            "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#",
          contentVersion: "1.0.0.0",
          parameters: { ingestUri: { type: "String" } },
          triggers: { manual: { type: "Request", kind: "Http", inputs: { method: "POST" } } },
          actions: {
            Send: {
              type: "Http",
              inputs: {
                method: "POST",
                uri: "@parameters('ingestUri')",
                headers: { "Content-Type": "application/json" },
                body: "@createArray(triggerBody())",
                authentication: { type: "ManagedServiceIdentity", audience: "https://monitor.azure.com" },
              },
            },
            Respond: {
              type: "Response",
              kind: "Http",
              runAfter: { Send: ["Succeeded"] },
              inputs: { statusCode: 200, body: { ingested: 1 } },
            },
          },
        },
        parameters: {
          ingestUri: {
            value:
              "[concat(reference(variables('dcrId'), '2024-03-11').endpoints.logsIngestion, '/dataCollectionRules/', reference(variables('dcrId'), '2024-03-11').immutableId, '/streams/Custom-MiniAlerts?api-version=2023-01-01')]",
          },
        },
      },
    },
    {
      type: "Microsoft.Authorization/roleAssignments",
      apiVersion: "2022-04-01",
      scope: "[concat('Microsoft.Insights/dataCollectionRules/', 'mini-dcr')]",
      name: "[guid(variables('dcrId'), 'mini-ingest', '3913510d-42f4-4e42-8a64-420c390055eb')]",
      dependsOn: ["[variables('wfId')]"],
      properties: {
        roleDefinitionId:
          "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '3913510d-42f4-4e42-8a64-420c390055eb')]",
        principalId: "[reference(variables('wfId'), '2019-05-01', 'full').identity.principalId]",
        principalType: "ServicePrincipal",
      },
    },
    {
      type: "Microsoft.SecurityInsights/alertRules",
      apiVersion: "2025-07-01-preview",
      scope: "[format('Microsoft.OperationalInsights/workspaces/{0}', parameters('workspaceName'))]",
      name: "[guid(variables('wsId'), 'mini-nrt')]",
      kind: "NRT",
      dependsOn: [
        "[resourceId('Microsoft.OperationalInsights/workspaces/tables', parameters('workspaceName'), 'MiniAlerts_CL')]",
      ],
      properties: {
        displayName: "Mini alert",
        enabled: true,
        query: "MiniAlerts_CL | project TimeGenerated, AlertId, HostName",
        severity: "High",
        suppressionDuration: "PT5H",
        suppressionEnabled: false,
        incidentConfiguration: {
          createIncident: true,
          groupingConfiguration: {
            enabled: false,
            reopenClosedIncident: false,
            lookbackDuration: "PT5H",
            matchingMethod: "AllEntities",
          },
        },
        eventGroupingSettings: { aggregationKind: "AlertPerResult" },
        alertDetailsOverride: { alertDisplayNameFormat: "Mini alert {{AlertId}}" },
        entityMappings: [{ entityType: "Host", fieldMappings: [{ identifier: "HostName", columnName: "HostName" }] }],
      },
    },
  ],
};

const clock = createClock({ start: Date.parse("2026-11-27T10:00:00Z") });
let sb: AzureSandbox;
beforeAll(async () => {
  sb = await startAzureSandbox({
    clock,
    resourceGroups: [{ name: RG, location: "westeurope" }],
    workspaces: [{ name: WS, resourceGroup: RG, sentinel: true }],
    ingestionLatencyMs: 90_000,
    roleAssignmentDelayMs: 30_000,
  });
});
afterAll(async () => {
  await sb?.stop();
});

describe("the alert data path with no product code", () => {
  it("an alert POSTed to the workflow lands in the table after the ingestion latency and raises an NRT incident", async () => {
    const d = await deploy(sb, "mini", template, { workspaceName: { value: WS } });
    expect(d.state, JSON.stringify(d.deployment.properties?.error)).toBe("Succeeded");
    const cb = await arm(
      sb,
      "POST",
      `${rgPath(sb)}/providers/Microsoft.Logic/workflows/mini-ingest/triggers/manual/listCallbackUrl?api-version=2019-05-01`,
    );
    const url = cb.body.value as string;
    expect(url).toContain("sig=");

    // Before the role assignment has propagated, ingestion refuses the workflow's identity.
    const early = await call(sb, "POST", url, {
      body: { AlertId: "a-0", HostName: "h0", TimeGenerated: clock.date().toISOString() },
    });
    expect(early.status).not.toBe(200);

    await clock.advance(31_000);
    const res = await call(sb, "POST", url, {
      body: { AlertId: "a-1", HostName: "web-01", TimeGenerated: clock.date().toISOString() },
    });
    expect(res.status, res.text).toBe(200);
    await sb.logic.idle();

    const rows = () => sb.data.rows.list(wsId(sb), "MiniAlerts_CL").map((r) => r.values.AlertId);
    // Ingestion latency: not queryable yet.
    await clock.advance(30_000);
    expect(rows()).toEqual([]);
    await clock.advance(61_000);
    expect(rows()).toEqual(["a-1"]);

    // The NRT rule runs every minute over rows that landed since its last run.
    await clock.advance(60_000);
    const incidents = sb.state
      .listIncidents(wsId(sb))
      .map((i) => i.properties as { title: string; severity: string; relatedAnalyticRuleIds?: string[] });
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ title: "Mini alert a-1", severity: "High" });
    expect(incidents[0]!.relatedAnalyticRuleIds?.[0]).toMatch(/alertRules\//i);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AzureSandbox, startAzureSandbox } from "../../../src/sandbox/azure/index.js";
import { mapToSandbox } from "../../../src/sandbox/azure/logic-host.js";
import { arm, call, rgPath, sandboxOptions, wsId } from "./helpers.js";

let sb: AzureSandbox;
const RESPONDER = "3e150937-b8fe-4cfb-8069-0eaf05ecd056";

beforeAll(async () => {
  sb = await startAzureSandbox({ ...sandboxOptions, roleAssignmentDelayMs: 5 * 60_000 });
});
afterAll(async () => {
  await sb?.stop();
});

/**
 * A workflow whose Http action creates a Sentinel incident with its managed identity. It calls the sandbox's
 * Resource Manager directly (as our templates do through environment()), so no test request names a real host.
 */
function incidentWorkflow() {
  return {
    $schema:
      "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#",
    contentVersion: "1.0.0.0",
    triggers: { manual: { type: "Request", kind: "Http", inputs: { method: "POST", schema: {} } } },
    actions: {
      Create: {
        type: "Http",
        inputs: {
          method: "PUT",
          uri: `${sb.endpoints.resourceManager}${wsId(sb)}/providers/Microsoft.SecurityInsights/incidents/@{triggerBody()?['id']}?api-version=2025-09-01`,
          body: { properties: { title: "From a workflow", severity: "Low", status: "New" } },
          authentication: { type: "ManagedServiceIdentity", audience: "https://management.azure.com/" },
        },
        runAfter: {},
      },
      Respond: {
        type: "Response",
        kind: "Http",
        inputs: { statusCode: 200, body: { code: "@outputs('Create')['statusCode']" } },
        runAfter: { Create: ["Succeeded", "Failed"] },
      },
    },
    outputs: {},
  };
}

describe("the Logic Apps host", () => {
  it("public Azure hosts map to this sandbox's endpoints and anything else is refused", () => {
    expect(mapToSandbox(sb.state, "https://management.azure.com/subscriptions/x?api-version=1")).toBe(
      `${sb.endpoints.resourceManager}/subscriptions/x?api-version=1`,
    );
    expect(mapToSandbox(sb.state, "https://dcr-1.westeurope-1.ingest.monitor.azure.com/dataCollectionRules/d")).toBe(
      `${sb.endpoints.logsIngestion}/dataCollectionRules/d`,
    );
    expect(() => mapToSandbox(sb.state, "https://example.com/")).toThrow(/does not reach/);
  });

  it("a workflow's MSI Http call to Sentinel is refused (403) until its Responder assignment has propagated", async () => {
    const wf = await arm(sb, "PUT", `${rgPath(sb)}/providers/Microsoft.Logic/workflows/wf-msi?api-version=2019-05-01`, {
      location: "westeurope",
      identity: { type: "SystemAssigned" },
      properties: { definition: incidentWorkflow() },
    });
    expect(wf.status).toBe(201);
    const url = (await arm(sb, "POST", `${wf.body.id}/triggers/manual/listCallbackUrl?api-version=2019-05-01`)).body
      .value;
    expect((await call(sb, "POST", url, { body: { id: "wf-inc-1" } })).body).toEqual({ code: 403 });
    const ra = await arm(
      sb,
      "PUT",
      `${wsId(sb)}/providers/Microsoft.Authorization/roleAssignments/${crypto.randomUUID()}?api-version=2022-04-01`,
      {
        properties: {
          roleDefinitionId: `/subscriptions/${sb.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${RESPONDER}`,
          principalId: wf.body.identity.principalId,
          principalType: "ServicePrincipal",
        },
      },
    );
    expect(ra.status).toBe(201);
    expect((await call(sb, "POST", url, { body: { id: "wf-inc-1" } })).body).toEqual({ code: 403 });
    await sb.clock.advance(5 * 60_000);
    expect((await call(sb, "POST", url, { body: { id: "wf-inc-1" } })).body).toEqual({ code: 201 });
    const incident = sb.state.getIncident(`${wsId(sb)}/providers/Microsoft.SecurityInsights/incidents/wf-inc-1`);
    expect(incident?.resource.properties.title).toBe("From a workflow");
  });

  it("an azuresentinel ApiConnection fails while the OAuth connection is unauthenticated and acts as the consenting user after consent", async () => {
    const apiId = `/subscriptions/${sb.subscriptionId}/providers/Microsoft.Web/locations/westeurope/managedApis/azuresentinel`;
    const conn = await arm(
      sb,
      "PUT",
      `${rgPath(sb)}/providers/Microsoft.Web/connections/sentinel-oauth?api-version=2016-06-01`,
      {
        location: "westeurope",
        properties: { api: { id: apiId }, displayName: "sentinel-oauth" },
      },
    );
    expect(conn.body.properties.statuses[0].status).toBe("Error");
    const definition = {
      $schema:
        "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#",
      contentVersion: "1.0.0.0",
      parameters: { $connections: { defaultValue: {}, type: "Object" } },
      triggers: { manual: { type: "Request", kind: "Http", inputs: { method: "POST", schema: {} } } },
      actions: {
        Create: {
          type: "ApiConnection",
          inputs: {
            host: { connection: { name: "@parameters('$connections')['azuresentinel']['connectionId']" } },
            method: "put",
            path: `/Incidents/subscriptions/${sb.subscriptionId}/resourceGroups/rg-test/workspaces/ws-test`,
            body: { title: "Via the connector", severity: "Medium", status: "New" },
          },
          runAfter: {},
        },
        Respond: {
          type: "Response",
          kind: "Http",
          inputs: { statusCode: 200, body: { code: "@outputs('Create')['statusCode']" } },
          runAfter: { Create: ["Succeeded", "Failed"] },
        },
      },
      outputs: {},
    };
    const wf = await arm(
      sb,
      "PUT",
      `${rgPath(sb)}/providers/Microsoft.Logic/workflows/wf-oauth?api-version=2019-05-01`,
      {
        location: "westeurope",
        properties: {
          definition,
          parameters: {
            $connections: {
              value: { azuresentinel: { connectionId: conn.body.id, connectionName: "sentinel-oauth", id: apiId } },
            },
          },
        },
      },
    );
    expect(wf.status).toBe(201);
    const url = (await arm(sb, "POST", `${wf.body.id}/triggers/manual/listCallbackUrl?api-version=2019-05-01`)).body
      .value;
    expect((await call(sb, "POST", url, { body: {} })).body).toEqual({ code: 401 });
    const links = await arm(sb, "POST", `${conn.body.id}/listConsentLinks?api-version=2016-06-01`, {
      parameters: [{ parameterName: "token", objectId: sb.principalId, tenantId: sb.tenantId }],
    });
    expect((await call(sb, "GET", links.body.value[0].link)).status).toBe(200);
    const after = await call(sb, "POST", url, { body: {} });
    expect([200, 201]).toContain(after.body.code);
    const created = sb.state.listIncidents(wsId(sb)).find((i) => i.properties.title === "Via the connector");
    expect(created).toBeDefined();
  });
});

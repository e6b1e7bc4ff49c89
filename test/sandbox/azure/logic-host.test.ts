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

/** A workflow whose Http action creates a Sentinel incident with its managed identity, via the public ARM host. */
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
          uri: `https://management.azure.com${wsId(sb)}/providers/Microsoft.SecurityInsights/incidents/@{triggerBody()?['id']}?api-version=2025-09-01`,
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
});

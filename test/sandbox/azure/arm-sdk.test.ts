import { ResourceManagementClient } from "@azure/arm-resources";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AzureSandbox, startAzureSandbox } from "../../../src/sandbox/azure/index.js";
import { RG, WS, echoDefinition, sandboxOptions } from "./helpers.js";

let sb: AzureSandbox;
let client: ResourceManagementClient;

const template = (extra: Record<string, unknown> = {}) => ({
  $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  contentVersion: "1.0.0.0",
  parameters: {
    workflowName: { type: "string", defaultValue: "wf-echo" },
    secret: { type: "securestring", defaultValue: "s3cr3t-value" },
  },
  variables: { tagValue: "[toLower('SANDBOX')]" },
  resources: [
    {
      type: "Microsoft.Logic/workflows",
      apiVersion: "2019-05-01",
      name: "[parameters('workflowName')]",
      location: "[resourceGroup().location]",
      tags: { env: "[variables('tagValue')]" },
      identity: { type: "SystemAssigned" },
      properties: { state: "Enabled", definition: echoDefinition() },
    },
  ],
  outputs: {
    principalId: {
      type: "string",
      value:
        "[reference(resourceId('Microsoft.Logic/workflows', parameters('workflowName')), '2019-05-01', 'full').identity.principalId]",
    },
    secretOut: { type: "securestring", value: "[parameters('secret')]" },
  },
  ...extra,
});

beforeAll(async () => {
  sb = await startAzureSandbox(sandboxOptions);
  client = new ResourceManagementClient(sb.credential, sb.subscriptionId, {
    endpoint: sb.endpoints.resourceManager,
    credentialScopes: ["https://management.azure.com/.default"],
    tlsOptions: { ca: sb.caCert },
  });
});
afterAll(async () => {
  await sb?.stop();
});

describe("@azure/arm-resources 6.1.0 against the sandbox", () => {
  it("beginCreateOrUpdateAndWait deploys a template and returns its outputs (secure outputs never echoed)", async () => {
    const res = await client.deployments.beginCreateOrUpdateAndWait(RG, "dep1", {
      properties: { mode: "Incremental", template: template() },
    });
    expect(res.properties?.provisioningState).toBe("Succeeded");
    const wf = sb.state.getResource(
      `/subscriptions/${sb.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.Logic/workflows/wf-echo`,
    );
    expect(wf?.tags).toEqual({ env: "sandbox" });
    const outputs = res.properties?.outputs as Record<string, { value?: unknown }>;
    expect(outputs.principalId?.value).toBe(wf?.identity?.principalId);
    expect(outputs.secretOut?.value).toBeUndefined();
    expect(JSON.stringify(res)).not.toContain("s3cr3t-value");
  });

  it("the deployment keeps securestring parameters out of its history", async () => {
    const got = await client.deployments.get(RG, "dep1");
    expect(JSON.stringify(got)).not.toContain("s3cr3t-value");
    expect((got.properties?.parameters as Record<string, unknown>)?.secret).toEqual({ type: "SecureString" });
  });

  it("whatIf reports NoChange for a redeploy and Create for a new resource", async () => {
    const same = await client.deployments.beginWhatIfAndWait(RG, "dep2", {
      properties: { mode: "Incremental", template: template() },
    });
    expect(same.changes?.map((c) => c.changeType)).toContain("NoChange");
    const renamed = await client.deployments.beginWhatIfAndWait(RG, "dep3", {
      properties: { mode: "Incremental", template: template(), parameters: { workflowName: { value: "wf-other" } } },
    });
    const change = renamed.changes?.find((c) => c.resourceId?.endsWith("/wf-other"));
    expect(change?.changeType).toBe("Create");
  });

  it("whatIf reports Modify when a property the template sets differs", async () => {
    const t = template();
    (t.resources[0] as any).properties.state = "Disabled";
    const r = await client.deployments.beginWhatIfAndWait(RG, "dep4", {
      properties: { mode: "Incremental", template: t },
    });
    const change = r.changes?.find((c) => c.resourceId?.endsWith("/wf-echo"));
    expect(change?.changeType).toBe("Modify");
    expect(change?.delta?.some((d) => d.path === "properties.state")).toBe(true);
  });

  it("validate accepts a good template and refuses an unsupported template function with InvalidTemplate", async () => {
    const ok = await client.deployments.beginValidateAndWait(RG, "v1", {
      properties: { mode: "Incremental", template: template() },
    });
    expect(ok.properties?.provisioningState).toBe("Succeeded");
    const bad = template();
    (bad.variables as any).tagValue = "[pickZones('Microsoft.Compute', 'virtualMachines', 'westus2')]";
    await expect(
      client.deployments.beginValidateAndWait(RG, "v2", { properties: { mode: "Incremental", template: bad } }),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: "InvalidTemplate",
      message: expect.stringContaining("pickZones"),
    });
  });

  it("a failed deployment exposes DeploymentFailed with the resource's nested error and per-operation status", async () => {
    const t = {
      $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      contentVersion: "1.0.0.0",
      resources: [
        {
          type: "Microsoft.OperationalInsights/workspaces/tables",
          apiVersion: "2022-10-01",
          name: `${WS}/NoTime_CL`,
          properties: { schema: { name: "NoTime_CL", columns: [{ name: "Message", type: "string" }] } },
        },
      ],
    };
    await expect(
      client.deployments.beginCreateOrUpdateAndWait(RG, "fails", { properties: { mode: "Incremental", template: t } }),
    ).rejects.toThrow();
    const got = await client.deployments.get(RG, "fails");
    expect(got.properties?.provisioningState).toBe("Failed");
    expect(got.properties?.error?.code).toBe("DeploymentFailed");
    expect(got.properties?.error?.details?.[0]?.message).toContain("TimeGenerated");
    const ops = [];
    for await (const op of client.deploymentOperations.list(RG, "fails")) ops.push(op);
    expect(ops[0]?.properties?.provisioningState).toBe("Failed");
    expect((ops[0]?.properties?.statusMessage as any)?.error?.message).toContain("TimeGenerated");
  });
});

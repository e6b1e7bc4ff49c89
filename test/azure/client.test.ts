/**
 * The Azure client: error mapping that names the missing role, cloud audiences that survive endpoint
 * overrides, trust of our CA only when configured, retries on 429 with Retry-After, and deployment failures
 * reported per resource with Azure's nested messages.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAzureClients } from "../../src/azure/client.js";
import { resolveCloud, scopeFor } from "../../src/azure/cloud.js";
import { azureError, flattenErrorDetails } from "../../src/azure/errors.js";
import { createHttpClient, tlsOptionsFor } from "../../src/azure/pipeline.js";
import { AuthError, exitCodeOf, RemoteError } from "../../src/errors.js";
import {
  type AzureSandbox,
  azureConfig,
  sandboxOptions,
  startAzureSandbox,
  WORKSPACE,
  WORKSPACE_RG,
} from "../steps/azure/azure-context.js";

describe("Azure error mapping", () => {
  const info = {
    method: "PUT",
    url: "https://127.0.0.1:8443/subscriptions/s/resourceGroups/rg/providers/Microsoft.Logic/workflows/w",
  };

  it("403 AuthorizationFailed is exit 4 naming the action, the scope and the role that grants it", () => {
    const e = azureError(
      403,
      {
        error: {
          code: "AuthorizationFailed",
          message:
            "The client 'me@x.com' with object id 'o' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/write' over scope '/subscriptions/s/resourceGroups/rg' or the scope is invalid.",
        },
      },
      info,
    );
    expect(e).toBeInstanceOf(AuthError);
    expect(exitCodeOf(e)).toBe(4);
    expect(e.message).toContain("Microsoft.Authorization/roleAssignments/write on /subscriptions/s/resourceGroups/rg");
    expect(e.suggestion).toContain('"Owner, User Access Administrator or Role Based Access Control Administrator"');
  });

  it("401 is exit 4 with how to sign in again", () => {
    const e = azureError(
      401,
      { error: { code: "ExpiredAuthenticationToken", message: "The access token expiry …" } },
      info,
    );
    expect(exitCodeOf(e)).toBe(4);
    expect(e.suggestion).toMatch(/az login/);
  });

  it("404, 409/412, 429 and 5xx are remote errors that keep the status and Retry-After", () => {
    const nf = azureError(404, { error: { code: "ResourceNotFound", message: "gone" } }, info) as RemoteError;
    expect(nf).toBeInstanceOf(RemoteError);
    expect(nf.status).toBe(404);
    expect(nf.code).toBe("AZURE_NOT_FOUND");
    expect((azureError(412, {}, info) as RemoteError).code).toBe("AZURE_CONFLICT");
    const throttled = azureError(429, { error: { code: "TooManyRequests", message: "slow down" } }, info, 17);
    expect(throttled.code).toBe("AZURE_THROTTLED");
    expect(throttled.details?.retryAfterSeconds).toBe(17);
    expect(throttled.suggestion).toContain("17 s");
    expect(azureError(503, "Service Unavailable", info).code).toBe("AZURE_SERVER_ERROR");
  });

  it("nested deployment errors are flattened to their leaves, unwrapping JSON messages of nested deployments", () => {
    const lines = flattenErrorDetails({
      code: "DeploymentFailed",
      message: "At least one resource deployment operation failed.",
      details: [
        {
          code: "Conflict",
          message: JSON.stringify({
            error: { code: "InvalidOutputStream", message: "Table Missing_CL does not exist." },
          }),
        },
        { code: "BadRequest", message: "The query is invalid." },
      ],
    });
    expect(lines).toEqual([
      "InvalidOutputStream: Table Missing_CL does not exist.",
      "BadRequest: The query is invalid.",
    ]);
  });
});

describe("Azure clouds", () => {
  it("an overridden endpoint keeps the cloud's token audience", () => {
    const c = resolveCloud({ cloud: "AzureUSGovernment", endpoints: { resourceManager: "https://127.0.0.1:8443/" } });
    expect(c.resourceManager).toBe("https://127.0.0.1:8443");
    expect(scopeFor(c.resourceManagerAudience)).toBe("https://management.core.usgovcloudapi.net/.default");
    expect(c.monitorAudience).toBe("https://monitor.azure.us");
  });
});

describe("Azure client against the sandbox", () => {
  let sb: AzureSandbox;
  beforeAll(async () => {
    sb = await startAzureSandbox(sandboxOptions());
  });
  afterAll(async () => {
    await sb?.stop();
  });

  it("trusts the sandbox's CA only when it is configured", async () => {
    const trusted = await createAzureClients(azureConfig(sb), {
      azureCredential: sb.credential,
      azureCaCerts: [sb.caCert],
    });
    expect((await trusted.arm.workspace(WORKSPACE_RG, WORKSPACE))?.name).toBe(WORKSPACE);
    const untrusted = await createAzureClients(azureConfig(sb), { azureCredential: sb.credential });
    const err = await untrusted.arm.workspace(WORKSPACE_RG, WORKSPACE).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect((err as RemoteError).code).toBe("AZURE_UNREACHABLE");
  });

  it("says who is signed in, from the token's claims", async () => {
    const az = await createAzureClients(azureConfig(sb), { azureCredential: sb.credential, azureCaCerts: [sb.caCert] });
    expect(await az.whoAmI()).toMatchObject({
      name: "deployer@sandbox.onmicrosoft.com",
      objectId: sb.principalId,
      tenantId: sb.tenantId,
    });
    expect(az.credentialKind).toBe("the credential supplied by the caller");
  });

  it("retries a 429 after the Retry-After the server asked for", async () => {
    const waits: number[] = [];
    const http = await createHttpClient({
      credential: sb.credential,
      scope: "https://management.azure.com/.default",
      tls: tlsOptionsFor([sb.caCert]),
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    sb.faults.set({
      routes: [
        { match: /GET \/subscriptions\/[^/]+\/resourcegroups\//i, times: 2, kinds: [429], retryAfterSeconds: 7 },
      ],
    });
    try {
      const res = await http.request<{ name: string }>(
        "GET",
        `${sb.endpoints.resourceManager}/subscriptions/${sb.subscriptionId}/resourcegroups/${WORKSPACE_RG}`,
        { query: { "api-version": "2021-04-01" } },
      );
      expect(res.body.name).toBe(WORKSPACE_RG);
      expect(waits).toEqual([7000, 7000]);
    } finally {
      sb.faults.set(undefined);
    }
  });

  it("role assignments: create, get, list by principal, delete; whether we may write them", async () => {
    const az = await createAzureClients(azureConfig(sb), { azureCredential: sb.credential, azureCaCerts: [sb.caCert] });
    const scope = sb.state.workspaceId(WORKSPACE_RG, WORKSPACE);
    const roleDefinitionId = `/subscriptions/${sb.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/8d289c81-5878-46d4-8554-54e1e3d8b5cb`;
    const name = "0b1c2d3e-4f50-4617-8829-3a4b5c6d7e8f";
    const principalId = "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d";
    sb.state.addPrincipal({ id: principalId, type: "ServicePrincipal", displayName: "way-back app" });
    const created = await az.roleAssignments.createRoleAssignment({
      scope,
      name,
      roleDefinitionId,
      principalId,
      principalType: "ServicePrincipal",
      description: "sentinel-elastic test",
    });
    expect(created).toMatchObject({ name, principalId, roleDefinitionId });
    expect(await az.roleAssignments.getRoleAssignment(created.id)).toMatchObject({ name });
    expect((await az.roleAssignments.listRoleAssignments(scope, principalId)).map((a) => a.name)).toContain(name);
    expect(await az.roleAssignments.canWriteRoleAssignments(scope)).toBe(true);
    await az.roleAssignments.deleteRoleAssignment(created.id);
    // With Resource Manager overridden, tokens never go to the public Graph.
    await expect(az.roleAssignments.findServicePrincipalByAppId(principalId)).rejects.toMatchObject({
      code: "AZURE_GRAPH_UNAVAILABLE",
    });
    expect(await az.roleAssignments.getRoleAssignment(created.id)).toBeUndefined();
  });

  it("a failed deployment lists the failing resource with Azure's message, not the LRO's generic one", async () => {
    const az = await createAzureClients(azureConfig(sb), { azureCredential: sb.credential, azureCaCerts: [sb.caCert] });
    const wsId = sb.state.workspaceId(WORKSPACE_RG, WORKSPACE);
    const template = {
      $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      contentVersion: "1.0.0.0",
      resources: [
        {
          type: "Microsoft.Insights/dataCollectionRules",
          apiVersion: "2024-03-11",
          name: "broken-dcr",
          location: "westeurope",
          kind: "Direct",
          properties: {
            streamDeclarations: { "Custom-X": { columns: [{ name: "TimeGenerated", type: "datetime" }] } },
            destinations: { logAnalytics: [{ name: "la", workspaceResourceId: wsId }] },
            dataFlows: [
              {
                streams: ["Custom-X"],
                destinations: ["la"],
                transformKql: "source",
                outputStream: "Custom-Missing_CL",
              },
            ],
          },
        },
      ],
    };
    const err = await az.deployments
      .deploy(
        { resourceGroup: WORKSPACE_RG, name: "broken", template, parameters: {} },
        { wait: (ms) => sb.clock.advance(ms) },
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).not.toMatch(/long-running operation has failed/);
    expect(message).toMatch(/broken-dcr/);
    expect(message).toMatch(/Missing_CL/);
  });
});

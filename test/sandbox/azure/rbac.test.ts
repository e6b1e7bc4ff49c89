import { afterEach, describe, expect, it } from "vitest";
import { type AzureSandbox, startAzureSandbox } from "../../../src/sandbox/azure/index.js";
import { arm, call, echoDefinition, rgPath, sandboxOptions, wsId } from "./helpers.js";

let sb: AzureSandbox | undefined;
afterEach(async () => {
  await sb?.stop();
  sb = undefined;
});

const RESPONDER = "3e150937-b8fe-4cfb-8069-0eaf05ecd056";
const roleDef = (s: AzureSandbox, guid: string) =>
  `/subscriptions/${s.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
const incidentUrl = (s: AzureSandbox, id: string) =>
  `${s.endpoints.resourceManager}${wsId(s)}/providers/Microsoft.SecurityInsights/incidents/${id}?api-version=2025-09-01`;
const incidentBody = { properties: { title: "t", severity: "Low", status: "New" } };

async function workflowIdentity(s: AzureSandbox): Promise<string> {
  const r = await arm(s, "PUT", `${rgPath(s)}/providers/Microsoft.Logic/workflows/wf?api-version=2019-05-01`, {
    location: "westeurope",
    identity: { type: "SystemAssigned" },
    properties: { definition: echoDefinition() },
  });
  return r.body.identity.principalId;
}

describe("permissions", () => {
  it("a deployer with only Reader gets 403 AuthorizationFailed with Azure's message on a write", async () => {
    sb = await startAzureSandbox({ ...sandboxOptions, deployerRoles: ["Reader"] });
    const path = `${rgPath(sb)}/providers/Microsoft.Logic/workflows/wf`;
    const r = await arm(sb, "PUT", `${path}?api-version=2019-05-01`, { location: "westeurope", properties: {} });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe("AuthorizationFailed");
    expect(r.body.error.message).toBe(
      `The client 'deployer@sandbox.onmicrosoft.com' with object id '${sb.principalId}' does not have authorization to perform action 'Microsoft.Logic/workflows/write' over scope '${path}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    );
    expect((await arm(sb, "GET", `${rgPath(sb)}?api-version=2022-09-01`)).status).toBe(200);
  });

  it("a Contributor cannot create role assignments (Microsoft.Authorization/*/Write is a notAction)", async () => {
    sb = await startAzureSandbox({ ...sandboxOptions, deployerRoles: ["Contributor"] });
    const principalId = await workflowIdentity(sb);
    const r = await arm(
      sb,
      "PUT",
      `${wsId(sb)}/providers/Microsoft.Authorization/roleAssignments/${crypto.randomUUID()}?api-version=2022-04-01`,
      {
        properties: { roleDefinitionId: roleDef(sb, RESPONDER), principalId, principalType: "ServicePrincipal" },
      },
    );
    expect(r.status).toBe(403);
    expect(r.body.error.message).toContain("Microsoft.Authorization/roleAssignments/write");
  });

  it("a workflow identity gets 403 from Sentinel until a Responder assignment exists and its propagation delay has passed", async () => {
    sb = await startAzureSandbox({ ...sandboxOptions, roleAssignmentDelayMs: 120_000 });
    const principalId = await workflowIdentity(sb);
    const token = (await sb.credentialFor(principalId).getToken("https://management.azure.com/.default"))!.token;
    const id = crypto.randomUUID();
    expect((await call(sb, "PUT", incidentUrl(sb, id), { token, body: incidentBody })).status).toBe(403);
    const ra = await arm(
      sb,
      "PUT",
      `${wsId(sb)}/providers/Microsoft.Authorization/roleAssignments/${crypto.randomUUID()}?api-version=2022-04-01`,
      {
        properties: { roleDefinitionId: roleDef(sb, RESPONDER), principalId, principalType: "ServicePrincipal" },
      },
    );
    expect(ra.status).toBe(201);
    expect((await call(sb, "PUT", incidentUrl(sb, id), { token, body: incidentBody })).status).toBe(403);
    expect(sb.state.hasRole(principalId, RESPONDER, wsId(sb))).toBe(false);
    await sb.clock.advance(120_000);
    expect(sb.state.hasRole(principalId, RESPONDER, wsId(sb))).toBe(true);
    const fresh = (await sb.credentialFor(principalId).getToken("https://management.azure.com/.default"))!.token;
    expect((await call(sb, "PUT", incidentUrl(sb, id), { token: fresh, body: incidentBody })).status).toBe(201);
  });

  it("Microsoft Sentinel Responder may not delete incidents", async () => {
    sb = await startAzureSandbox(sandboxOptions);
    const principalId = await workflowIdentity(sb);
    sb.state.addRoleAssignment({
      scope: wsId(sb),
      name: crypto.randomUUID(),
      roleDefinitionId: roleDef(sb, RESPONDER),
      principalId,
      immediate: true,
    });
    const token = (await sb.credentialFor(principalId).getToken("https://management.azure.com/.default"))!.token;
    const id = crypto.randomUUID();
    expect((await call(sb, "PUT", incidentUrl(sb, id), { token, body: incidentBody })).status).toBe(201);
    expect((await call(sb, "DELETE", incidentUrl(sb, id), { token })).status).toBe(403);
  });

  it("a second assignment of the same principal, role and scope under another name gets 409 RoleAssignmentExists", async () => {
    sb = await startAzureSandbox(sandboxOptions);
    const principalId = await workflowIdentity(sb);
    const body = {
      properties: { roleDefinitionId: roleDef(sb, RESPONDER), principalId, principalType: "ServicePrincipal" },
    };
    const base = `${wsId(sb)}/providers/Microsoft.Authorization/roleAssignments`;
    const name = crypto.randomUUID();
    expect((await arm(sb, "PUT", `${base}/${name}?api-version=2022-04-01`, body)).status).toBe(201);
    expect((await arm(sb, "PUT", `${base}/${name}?api-version=2022-04-01`, body)).status).toBe(200);
    const dup = await arm(sb, "PUT", `${base}/${crypto.randomUUID()}?api-version=2022-04-01`, body);
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe("RoleAssignmentExists");
  });

  it("a role assignment name must be a GUID and its role definition must exist", async () => {
    sb = await startAzureSandbox(sandboxOptions);
    const principalId = await workflowIdentity(sb);
    const base = `${wsId(sb)}/providers/Microsoft.Authorization/roleAssignments`;
    const notGuid = await arm(sb, "PUT", `${base}/my-assignment?api-version=2022-04-01`, {
      properties: { roleDefinitionId: roleDef(sb, RESPONDER), principalId },
    });
    expect(notGuid.body.error.code).toBe("InvalidRoleAssignmentId");
    const noRole = await arm(sb, "PUT", `${base}/${crypto.randomUUID()}?api-version=2022-04-01`, {
      properties: { roleDefinitionId: roleDef(sb, "11111111-1111-1111-1111-111111111111"), principalId },
    });
    expect(noRole.body.error.code).toBe("RoleDefinitionDoesNotExist");
  });

  it("a principalType that contradicts the principal's type gets UnmatchedPrincipalType", async () => {
    sb = await startAzureSandbox(sandboxOptions);
    const principalId = await workflowIdentity(sb);
    const r = await arm(
      sb,
      "PUT",
      `${wsId(sb)}/providers/Microsoft.Authorization/roleAssignments/${crypto.randomUUID()}?api-version=2022-04-01`,
      {
        properties: { roleDefinitionId: roleDef(sb, RESPONDER), principalId, principalType: "User" },
      },
    );
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("UnmatchedPrincipalType");
  });

  it("an unknown principal without principalType gets PrincipalNotFound; with principalType it is accepted", async () => {
    sb = await startAzureSandbox(sandboxOptions);
    const base = `${wsId(sb)}/providers/Microsoft.Authorization/roleAssignments`;
    const principalId = crypto.randomUUID();
    const r = await arm(sb, "PUT", `${base}/${crypto.randomUUID()}?api-version=2022-04-01`, {
      properties: { roleDefinitionId: roleDef(sb, RESPONDER), principalId },
    });
    expect(r.body.error.code).toBe("PrincipalNotFound");
    const ok = await arm(sb, "PUT", `${base}/${crypto.randomUUID()}?api-version=2022-04-01`, {
      properties: { roleDefinitionId: roleDef(sb, RESPONDER), principalId, principalType: "ServicePrincipal" },
    });
    expect(ok.status).toBe(201);
  });

  it("role assignments at a parent scope are inherited (resource group → workspace)", async () => {
    sb = await startAzureSandbox(sandboxOptions);
    const principalId = await workflowIdentity(sb);
    sb.state.addRoleAssignment({
      scope: rgPath(sb),
      name: crypto.randomUUID(),
      roleDefinitionId: roleDef(sb, RESPONDER),
      principalId,
      immediate: true,
    });
    expect(sb.state.hasRole(principalId, RESPONDER, wsId(sb))).toBe(true);
    expect(sb.state.hasRole(principalId, RESPONDER, `/subscriptions/${sb.subscriptionId}`)).toBe(false);
  });

  it("permissions at a scope list the caller's effective actions (Contributor: Microsoft.Authorization/*/Write in notActions)", async () => {
    sb = await startAzureSandbox({ ...sandboxOptions, deployerRoles: ["Contributor", "Log Analytics Reader"] });
    const r = await arm(
      sb,
      "GET",
      `${rgPath(sb)}/providers/Microsoft.Authorization/permissions?api-version=2022-04-01`,
    );
    expect(r.status).toBe(200);
    expect(r.body.value).toHaveLength(2);
    expect(r.body.value[0].actions).toEqual(["*"]);
    expect(r.body.value[0].notActions).toContain("Microsoft.Authorization/*/Write");
  });

  it("role assignments list with atScope() shows inherited ones; principalId eq filters to one principal", async () => {
    sb = await startAzureSandbox(sandboxOptions);
    const principalId = await workflowIdentity(sb);
    sb.state.addRoleAssignment({
      scope: wsId(sb),
      name: crypto.randomUUID(),
      roleDefinitionId: roleDef(sb, RESPONDER),
      principalId,
      immediate: true,
    });
    const base = `${wsId(sb)}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`;
    const atScope = await arm(sb, "GET", `${base}&$filter=${encodeURIComponent("atScope()")}`);
    const principals = atScope.body.value.map((a: { properties: { principalId: string } }) => a.properties.principalId);
    expect(principals).toEqual(expect.arrayContaining([sb.principalId, principalId]));
    const mine = await arm(
      sb,
      "GET",
      `${rgPath(sb)}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=${encodeURIComponent(`principalId eq '${principalId}'`)}`,
    );
    expect(mine.body.value).toHaveLength(1);
    expect(mine.body.value[0].properties.roleDefinitionId).toContain(RESPONDER);
    const subAtScope = await arm(
      sb,
      "GET",
      `/subscriptions/${sb.subscriptionId}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=atScope()`,
    );
    expect(
      subAtScope.body.value.map((a: { properties: { principalId: string } }) => a.properties.principalId),
    ).not.toContain(principalId);
  });
});

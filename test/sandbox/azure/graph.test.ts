/** The sandbox's Microsoft Graph: service principals of app registrations, Graph's audience and error shape. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AzureSandbox, startAzureSandbox } from "../../../src/sandbox/azure/index.js";
import { createClock } from "../../../src/sandbox/common/clock.js";
import { arm, armToken, call, RG, rgPath, WS } from "./helpers.js";

const APP_ID = "3f0e6c1a-5b2d-4c8e-9a7f-1d2e3c4b5a69";
const OBJECT_ID = "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const READER = "8d289c81-5878-46d4-8554-54e1e3d8b5cb";

let sb: AzureSandbox;
const graphToken = async () => (await sb.credential.getToken("https://graph.microsoft.com/.default"))!.token;

beforeAll(async () => {
  sb = await startAzureSandbox({
    clock: createClock({ mode: "manual", start: Date.parse("2026-03-02T09:00:00Z") }),
    resourceGroups: [{ name: RG, location: "westeurope" }],
    workspaces: [{ name: WS, resourceGroup: RG }],
    servicePrincipals: [
      { appId: APP_ID, displayName: "sentinel-integration", objectId: OBJECT_ID, clientSecret: "x-secret" },
    ],
  });
});
afterAll(() => sb.stop());

describe("Microsoft Graph in the Azure sandbox", () => {
  it("GET /v1.0/servicePrincipals(appId='…') returns the app's service principal", async () => {
    const r = await call(sb, "GET", `${sb.endpoints.graph}/v1.0/servicePrincipals(appId='${APP_ID}')`, {
      token: await graphToken(),
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      id: OBJECT_ID,
      appId: APP_ID,
      displayName: "sentinel-integration",
      servicePrincipalType: "Application",
    });
    expect(r.text).not.toContain("x-secret");
  });

  it("$select narrows the properties but always keeps id", async () => {
    const r = await call(
      sb,
      "GET",
      `${sb.endpoints.graph}/v1.0/servicePrincipals(appId='${APP_ID}')?$select=displayName`,
      {
        token: await graphToken(),
      },
    );
    expect(r.body.id).toBe(OBJECT_ID);
    expect(r.body.displayName).toBe("sentinel-integration");
    expect(r.body.appId).toBeUndefined();
  });

  it("an app without a service principal is 404 Request_ResourceNotFound in Graph's error shape", async () => {
    const unknown = "00000000-dead-beef-0000-000000000000";
    const r = await call(sb, "GET", `${sb.endpoints.graph}/v1.0/servicePrincipals(appId='${unknown}')`, {
      token: await graphToken(),
    });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe("Request_ResourceNotFound");
    expect(r.body.error.message).toBe(
      `Resource '${unknown}' does not exist or one of its queried reference-property objects are not present.`,
    );
    expect(r.body.error.innerError).toMatchObject({ "request-id": expect.any(String), date: expect.any(String) });
  });

  it("$filter=appId eq '…' lists the match, and nothing for an unknown app", async () => {
    const list = (appId: string) =>
      graphToken().then((token) =>
        call(
          sb,
          "GET",
          `${sb.endpoints.graph}/v1.0/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${appId}'`)}`,
          { token },
        ),
      );
    const hit = await list(APP_ID.toUpperCase());
    expect(hit.status).toBe(200);
    expect(hit.body.value.map((v: { id: string }) => v.id)).toEqual([OBJECT_ID]);
    const miss = await list("00000000-0000-0000-0000-000000000000");
    expect(miss.body.value).toEqual([]);
  });

  it("a Resource Manager token is refused: 401 InvalidAuthenticationToken, invalid audience", async () => {
    const r = await call(sb, "GET", `${sb.endpoints.graph}/v1.0/servicePrincipals(appId='${APP_ID}')`, {
      token: await armToken(sb),
    });
    expect(r.status).toBe(401);
    expect(r.body.error).toMatchObject({
      code: "InvalidAuthenticationToken",
      message: "Access token validation failure. Invalid audience.",
    });
  });

  it("no token at all is 401 with 'Access token is empty.'", async () => {
    const r = await call(sb, "GET", `${sb.endpoints.graph}/v1.0/servicePrincipals(appId='${APP_ID}')`);
    expect(r.status).toBe(401);
    expect(r.body.error.message).toBe("Access token is empty.");
  });

  it("a Graph token is refused by Resource Manager (audiences do not cross)", async () => {
    const r = await call(sb, "GET", `${sb.endpoints.resourceManager}${rgPath(sb)}?api-version=2025-03-01`, {
      token: await graphToken(),
    });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe("InvalidAuthenticationTokenAudience");
  });

  it("the service principal takes a role assignment as principalType ServicePrincipal, and not as User", async () => {
    const scope = `${rgPath(sb)}/providers/Microsoft.OperationalInsights/workspaces/${WS}`;
    const roleDefinitionId = `/subscriptions/${sb.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${READER}`;
    const path = (name: string) =>
      `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}?api-version=2022-04-01`;
    const asUser = await arm(sb, "PUT", path("0b4c5d6e-7f80-4192-a3b4-c5d6e7f80912"), {
      properties: { roleDefinitionId, principalId: OBJECT_ID, principalType: "User" },
    });
    expect(asUser.status).toBe(400);
    expect(asUser.body.error.code).toBe("UnmatchedPrincipalType");
    const ok = await arm(sb, "PUT", path("1c5d6e7f-8091-42a3-b4c5-d6e7f8091a2b"), {
      properties: { roleDefinitionId, principalId: OBJECT_ID, principalType: "ServicePrincipal" },
    });
    expect(ok.status).toBe(201);
    expect(sb.state.hasRole(OBJECT_ID, READER, scope)).toBe(true);
  });

  it("a second app registered later through the state is found too", async () => {
    const later = sb.state.addServicePrincipal({ appId: "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9", displayName: "later" });
    const r = await call(sb, "GET", `${sb.endpoints.graph}/v1.0/servicePrincipals(appId='${later.appId}')`, {
      token: await graphToken(),
    });
    expect(r.body.id).toBe(later.id);
    expect(() => sb.state.addServicePrincipal({ appId: later.appId!, displayName: "dup" })).toThrow(/already/);
  });

  it("the app registration signs in with its client secret (client credentials) and its token is its own", async () => {
    const form = (secret: string, scope = "https://management.azure.com/.default") =>
      new URLSearchParams({
        grant_type: "client_credentials",
        client_id: APP_ID,
        client_secret: secret,
        scope,
      }).toString();
    const url = `${sb.endpoints.login}/${sb.tenantId}/oauth2/v2.0/token`;
    const headers = { "content-type": "application/x-www-form-urlencoded" };
    const wrong = await call(sb, "POST", url, { raw: form("not-it"), headers });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: "invalid_client", error_codes: [7000215] });
    const ok = await call(sb, "POST", url, { raw: form("x-secret", "https://graph.microsoft.com/.default"), headers });
    expect(ok.status).toBe(200);
    expect(ok.body.token_type).toBe("Bearer");
    const claims = JSON.parse(Buffer.from(ok.body.access_token.split(".")[1], "base64url").toString("utf8"));
    expect(claims).toMatchObject({ oid: OBJECT_ID, appid: APP_ID, idtyp: "app", aud: "https://graph.microsoft.com" });
    const r = await call(sb, "GET", `${sb.endpoints.graph}/v1.0/servicePrincipals(appId='${APP_ID}')`, {
      token: ok.body.access_token,
    });
    expect(r.status).toBe(200);
  });
});

/**
 * App registrations through the sandbox's Microsoft Graph (create, service principal, identifier URI, secrets), the
 * login endpoint's client-credentials grant on them (expired and removed secrets, unknown api:// scopes), and a
 * Logic App trigger guarded by a Microsoft Entra ID authorization policy (SAS or Bearer, never both).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AzureSandbox, startAzureSandbox } from "../../../src/sandbox/azure/index.js";
import { createClock } from "../../../src/sandbox/common/clock.js";
import { arm, call, echoDefinition, RG, rgPath, WS } from "./helpers.js";

let sb: AzureSandbox;
const DAY = 24 * 3600_000;
const graph = (path: string) => `${sb.endpoints.graph}/v1.0${path}`;
const graphToken = async () => (await sb.credential.getToken("https://graph.microsoft.com/.default"))!.token;
const g = async (method: string, path: string, body?: unknown) =>
  call(sb, method, graph(path), { token: await graphToken(), body });

beforeAll(async () => {
  sb = await startAzureSandbox({
    clock: createClock({ mode: "manual", start: Date.parse("2026-03-02T09:00:00Z") }),
    resourceGroups: [{ name: RG, location: "westeurope" }],
    workspaces: [{ name: WS, resourceGroup: RG }],
  });
});
afterAll(() => sb.stop());

/** An app registration with api://<appId>, a service principal and a secret living `days`. */
async function registerApp(name: string, days = 180) {
  const created = await g("POST", "/applications", { displayName: name, tags: ["t:1"], notes: "ours" });
  expect(created.status, created.text).toBe(201);
  const { id, appId } = created.body as { id: string; appId: string };
  expect((await g("PATCH", `/applications/${id}`, { identifierUris: [`api://${appId}`] })).status).toBe(204);
  expect((await g("POST", "/servicePrincipals", { appId })).status).toBe(201);
  const end = new Date(sb.clock.now() + days * DAY).toISOString();
  const pw = await g("POST", `/applications/${id}/addPassword`, {
    passwordCredential: { displayName: "k", endDateTime: end },
  });
  expect(pw.status).toBe(200);
  return { id, appId, secret: pw.body.secretText as string, keyId: pw.body.keyId as string };
}

const tokenFor = (appId: string, secret: string, scope = `api://${appId}/.default`) =>
  call(sb, "POST", `${sb.endpoints.login}/${sb.tenantId}/oauth2/v2.0/token`, {
    raw: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: appId,
      client_secret: secret,
      scope,
    }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8"));

describe("app registrations in the sandbox's Microsoft Graph", () => {
  it("creates an application, its service principal and a secret shown once", async () => {
    const app = await registerApp("app-one");
    const got = await g("GET", `/applications/${app.id}`);
    expect(got.body).toMatchObject({
      appId: app.appId,
      identifierUris: [`api://${app.appId}`],
      tags: ["t:1"],
      notes: "ours",
    });
    expect(got.body.passwordCredentials[0]).toMatchObject({ keyId: app.keyId, secretText: null });
    expect(got.text).not.toContain(app.secret);
    const list = await g("GET", `/applications?$filter=displayName eq 'app-one'`);
    expect(list.body.value.map((a: { id: string }) => a.id)).toEqual([app.id]);
  });

  it("refuses an api:// identifier URI that is not the app's own", async () => {
    const created = await g("POST", "/applications", { displayName: "app-uri" });
    const r = await g("PATCH", `/applications/${created.body.id}`, { identifierUris: ["api://someone-else"] });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("HostNameNotOnVerifiedDomain");
  });

  it("a token for api://<appId> carries the v1 issuer, the audience and the appid", async () => {
    const app = await registerApp("app-token");
    const r = await tokenFor(app.appId, app.secret);
    expect(r.status, r.text).toBe(200);
    expect(claimsOf(r.body.access_token)).toMatchObject({
      iss: `https://sts.windows.net/${sb.tenantId}/`,
      aud: `api://${app.appId}`,
      appid: app.appId,
    });
  });

  it("an api:// scope that no app exposes is AADSTS500011", async () => {
    const app = await registerApp("app-scope");
    const r = await tokenFor(app.appId, app.secret, "api://00000000-1111-2222-3333-444444444444/.default");
    expect(r.status).toBe(400);
    expect(r.body.error_codes).toEqual([500011]);
  });

  it("an expired secret is AADSTS7000222 and a removed one AADSTS7000215", async () => {
    const app = await registerApp("app-expiry", 2);
    sb.clock.advance(3 * DAY);
    const expired = await tokenFor(app.appId, app.secret);
    expect(expired.status).toBe(401);
    expect(expired.body.error_codes).toEqual([7000222]);
    const fresh = await g("POST", `/applications/${app.id}/addPassword`, { passwordCredential: {} });
    expect((await tokenFor(app.appId, fresh.body.secretText)).status).toBe(200);
    expect((await g("POST", `/applications/${app.id}/removePassword`, { keyId: fresh.body.keyId })).status).toBe(204);
    const removed = await tokenFor(app.appId, fresh.body.secretText);
    expect(removed.body.error_codes).toEqual([7000215]);
  });

  it("with app registration denied, POST /applications is 403 Authorization_RequestDenied unless a role allows it", async () => {
    sb.state.applications.allowedToCreateApps = false;
    try {
      const policy = await g("GET", "/policies/authorizationPolicy");
      expect(policy.body.defaultUserRolePermissions.allowedToCreateApps).toBe(false);
      const r = await g("POST", "/applications", { displayName: "nope" });
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe("Authorization_RequestDenied");
      sb.defender.appRoles.grantEntraRole(sb.principalId, "Application Developer");
      expect((await g("POST", "/applications", { displayName: "allowed-by-role" })).status).toBe(201);
    } finally {
      sb.state.applications.allowedToCreateApps = true;
      sb.defender.appRoles.entraRoles.get(sb.principalId)?.delete("Application Developer");
    }
  });

  it("deleting the application removes its service principal", async () => {
    const app = await registerApp("app-gone");
    expect((await g("DELETE", `/applications/${app.id}`)).status).toBe(204);
    expect(sb.state.servicePrincipalByAppId(app.appId)).toBeUndefined();
    expect((await tokenFor(app.appId, app.secret)).body.error_codes).toEqual([700016]);
  });
});

describe("a Logic App trigger with a Microsoft Entra ID authorization policy", () => {
  const wfPath = (name: string) => `${rgPath(sb)}/providers/Microsoft.Logic/workflows/${name}`;
  const policy = (claims: { name: string; value: string }[]) => ({
    triggers: { openAuthenticationPolicies: { policies: { kibana: { type: "AAD", claims } } } },
  });
  const putWorkflow = (name: string, accessControl?: unknown) =>
    arm(sb, "PUT", `${wfPath(name)}?api-version=2019-05-01`, {
      location: "westeurope",
      properties: { state: "Enabled", definition: echoDefinition(), ...(accessControl ? { accessControl } : {}) },
    });
  const callback = async (name: string) =>
    (await arm(sb, "POST", `${wfPath(name)}/triggers/manual/listCallbackUrl?api-version=2019-05-01`)).body
      .value as string;
  const withoutSas = (url: string) => {
    const u = new URL(url);
    for (const k of ["sp", "sv", "sig"]) u.searchParams.delete(k);
    return u.toString();
  };

  it("takes a Bearer token whose claims match, refuses both schemes at once, other claims and none", async () => {
    const app = await registerApp("app-trigger");
    const claims = [
      { name: "iss", value: `https://sts.windows.net/${sb.tenantId}/` },
      { name: "aud", value: `api://${app.appId}` },
      { name: "appid", value: app.appId },
    ];
    expect((await putWorkflow("wf-oauth", policy(claims))).status).toBe(201);
    const url = await callback("wf-oauth");
    const token = (await tokenFor(app.appId, app.secret)).body.access_token as string;
    const ok = await call(sb, "POST", withoutSas(url), { token, body: { a: 1 } });
    expect(ok.status, ok.text).toBe(200);
    const both = await call(sb, "POST", url, { token, body: {} });
    expect(both.status).toBe(401);
    expect(both.body.error.code).toBe("DirectApiRequestHasMoreThanOneAuthorization");
    // SAS alone still works: an authorization policy does not switch SAS off.
    expect((await call(sb, "POST", url, { body: {} })).status).toBe(200);
    const neither = await call(sb, "POST", withoutSas(url), { body: {} });
    expect(neither.body.error.code).toBe("DirectApiAuthorizationRequired");
    const other = await registerApp("app-other");
    const otherToken = (await tokenFor(other.appId, other.secret)).body.access_token as string;
    const mismatch = await call(sb, "POST", withoutSas(url), { token: otherToken, body: {} });
    expect(mismatch.status).toBe(403);
    expect(mismatch.body.error.code).toBe("MisMatchingOAuthClaims");
    const basic = await call(sb, "POST", withoutSas(url), {
      headers: { authorization: "Basic dXNlcjpwdw==" },
      body: {},
    });
    expect(basic.status).toBe(401);
    const forged = `${token.slice(0, -4)}AAAA`;
    expect((await call(sb, "POST", withoutSas(url), { token: forged, body: {} })).status).toBe(401);
    sb.clock.advance(2 * 3600_000);
    const expired = await call(sb, "POST", withoutSas(url), { token, body: {} });
    expect(expired.body.error.code).toBe("ExpiredAuthenticationToken");
  });

  it("a Bearer call to a workflow without a policy is refused", async () => {
    const app = await registerApp("app-nopolicy");
    await putWorkflow("wf-plain");
    const token = (await tokenFor(app.appId, app.secret)).body.access_token as string;
    const r = await call(sb, "POST", withoutSas(await callback("wf-plain")), { token, body: {} });
    expect(r.body.error.code).toBe("OAuthAccessPolicyNotFound");
  });

  it("PUT refuses more than 5 policies, more than 10 claims, and a policy without an Entra issuer", async () => {
    const iss = { name: "iss", value: `https://sts.windows.net/${sb.tenantId}/` };
    const many = Object.fromEntries([1, 2, 3, 4, 5, 6].map((i) => [`p${i}`, { type: "AAD", claims: [iss] }]));
    const tooMany = await putWorkflow("wf-bad", { triggers: { openAuthenticationPolicies: { policies: many } } });
    expect(tooMany.status).toBe(400);
    const claims = [iss, ...Array.from({ length: 10 }, (_, i) => ({ name: `c${i}`, value: "v" }))];
    expect((await putWorkflow("wf-bad", policy(claims))).status).toBe(400);
    const noIss = await putWorkflow("wf-bad", policy([{ name: "aud", value: "api://x" }]));
    expect(noIss.status).toBe(400);
    const badIss = await putWorkflow("wf-bad", policy([{ name: "iss", value: "https://evil.example/" }]));
    expect(badIss.body.error.message).toContain("iss");
    expect((await putWorkflow("wf-bad", policy([iss]))).status).toBe(201);
  });
});

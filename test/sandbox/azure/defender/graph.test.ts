/**
 * The sandbox's Microsoft Graph security incidents (the Defender queue as an API): token audience, the app role a
 * managed identity needs and who may grant it, reads, updates and comments, and what never enters the queue.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GRAPH_APP_ROLES, MICROSOFT_GRAPH_APP_ID } from "../../../../src/sandbox/azure/defender/app-roles.js";
import { type AzureSandbox, startAzureSandbox } from "../../../../src/sandbox/azure/index.js";
import { createClock } from "../../../../src/sandbox/common/clock.js";
import type { SentinelAlert } from "../../../../src/sandbox/azure/data/host.js";
import { arm, armToken, call, RG, WS, wsId } from "../helpers.js";

let sb: AzureSandbox;
let noGrants: AzureSandbox;
const MI = randomUUID();
const graphToken = async (s = sb, id?: string) =>
  (await (id ? s.credentialFor(id) : s.credential).getToken("https://graph.microsoft.com/.default"))!.token;
const incidents = (s = sb) => `${s.endpoints.graph}/v1.0/security/incidents`;

function alertOf(n: number): SentinelAlert {
  return {
    systemAlertId: randomUUID(),
    alertDisplayName: `Elastic case ${n}`,
    description: "d",
    severity: "Medium",
    timeGenerated: new Date(0).toISOString(),
    startTimeUtc: new Date(0).toISOString(),
    endTimeUtc: new Date(0).toISOString(),
    alertType: "x",
    productName: "Azure Sentinel",
    analyticRuleId: `${wsId(sb)}/providers/Microsoft.SecurityInsights/alertRules/r1`,
    analyticRuleName: "r1",
    entities: [],
    customDetails: { CaseId: [`case-${n}`] },
    tactics: [],
  };
}

beforeAll(async () => {
  const opts = (extra = {}) => ({
    clock: createClock({ mode: "manual", start: Date.parse("2026-11-27T12:00:00Z") }),
    resourceGroups: [{ name: RG, location: "westeurope" }],
    workspaces: [{ name: WS, resourceGroup: RG, defender: true }],
    ...extra,
  });
  sb = await startAzureSandbox(opts());
  noGrants = await startAzureSandbox(opts({ deployerEntraRoles: [] }));
  sb.state.addPrincipal({ id: MI, type: "ServicePrincipal", displayName: "elastic-sentinel-case-sync" });
  sb.defender.world.raise(wsId(sb), {
    title: "Elastic case 1",
    severity: "Medium",
    status: "New",
    relatedAnalyticRuleIds: [],
    alerts: [alertOf(1)],
  });
});
afterAll(async () => {
  await sb?.stop();
  await noGrants?.stop();
});

describe("Graph security incidents in the sandbox", () => {
  it("a token for Resource Manager is refused: Graph wants its own audience", async () => {
    const r = await call(sb, "GET", incidents(), { token: await armToken(sb) });
    expect(r.status).toBe(401);
    expect(r.body.error).toMatchObject({
      code: "InvalidAuthenticationToken",
      message: expect.stringContaining("audience"),
    });
  });

  it("a managed identity without SecurityIncident.* is 403 naming the roles", async () => {
    const r = await call(sb, "GET", incidents(), { token: await graphToken(sb, MI) });
    expect(r.status).toBe(403);
    expect(r.body.error.message).toContain("SecurityIncident.Read.All");
  });

  it("only a directory role such as Privileged Role Administrator may grant a Graph app role", async () => {
    const graphSp = noGrants.state.servicePrincipalByAppId(MICROSOFT_GRAPH_APP_ID)!;
    const mi = randomUUID();
    noGrants.state.addPrincipal({ id: mi, type: "ServicePrincipal", displayName: "x" });
    const r = await call(
      noGrants,
      "POST",
      `${noGrants.endpoints.graph}/v1.0/servicePrincipals/${graphSp.id}/appRoleAssignedTo`,
      {
        token: await graphToken(noGrants),
        body: { principalId: mi, resourceId: graphSp.id, appRoleId: GRAPH_APP_ROLES["SecurityIncident.ReadWrite.All"] },
      },
    );
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe("Authorization_RequestDenied");
  });

  it("with SecurityIncident.ReadWrite.All assigned, the identity reads, updates and comments on the queue's incident", async () => {
    const graphSp = sb.state.servicePrincipalByAppId(MICROSOFT_GRAPH_APP_ID)!;
    const grant = await call(
      sb,
      "POST",
      `${sb.endpoints.graph}/v1.0/servicePrincipals/${graphSp.id}/appRoleAssignedTo`,
      {
        token: await graphToken(sb),
        body: { principalId: MI, resourceId: graphSp.id, appRoleId: GRAPH_APP_ROLES["SecurityIncident.ReadWrite.All"] },
      },
    );
    expect(grant.status).toBe(201);
    const again = await call(
      sb,
      "POST",
      `${sb.endpoints.graph}/v1.0/servicePrincipals/${graphSp.id}/appRoleAssignedTo`,
      {
        token: await graphToken(sb),
        body: { principalId: MI, resourceId: graphSp.id, appRoleId: GRAPH_APP_ROLES["SecurityIncident.ReadWrite.All"] },
      },
    );
    expect(again.status).toBe(400);

    const token = await graphToken(sb, MI);
    const list = await call(sb, "GET", `${incidents()}?$expand=alerts`, { token });
    expect(list.status).toBe(200);
    expect(list.body.value).toHaveLength(1);
    const incident = list.body.value[0];
    expect(incident.incidentWebUrl).toBe(`${sb.defender.portal}/incidents/${incident.id}?tid=${sb.tenantId}`);
    expect(incident.alerts[0].additionalData).toEqual({ CaseId: ["case-1"] });

    const patch = await call(sb, "PATCH", `${incidents()}/${incident.id}`, {
      token,
      body: {
        status: "resolved",
        classification: "truePositive",
        determination: "malware",
        customTags: ["elastic-case"],
      },
    });
    expect(patch.status).toBe(200);
    expect(patch.body).toMatchObject({
      status: "resolved",
      classification: "truePositive",
      customTags: ["elastic-case"],
    });

    const bad = await call(sb, "PATCH", `${incidents()}/${incident.id}`, { token, body: { displayName: "renamed" } });
    expect(bad.status).toBe(400);

    const comment = await call(sb, "POST", `${incidents()}/${incident.id}/comments`, {
      token,
      body: { "@odata.type": "microsoft.graph.security.alertComment", comment: "From Elastic" },
    });
    expect(comment.status).toBe(200);
    expect(comment.body.value.at(-1)).toMatchObject({
      comment: "From Elastic",
      createdByDisplayName: "elastic-sentinel-case-sync",
    });
  });

  it("a Read.All identity may read but not change", async () => {
    const reader = randomUUID();
    sb.state.addPrincipal({ id: reader, type: "ServicePrincipal", displayName: "reader" });
    sb.defender.appRoles.add({
      principalId: reader,
      principalDisplayName: "reader",
      principalType: "ServicePrincipal",
      resourceId: sb.state.servicePrincipalByAppId(MICROSOFT_GRAPH_APP_ID)!.id,
      resourceDisplayName: "Microsoft Graph",
      appRoleId: GRAPH_APP_ROLES["SecurityIncident.Read.All"],
      createdDateTime: "",
    });
    const token = await graphToken(sb, reader);
    const [first] = (await call(sb, "GET", incidents(), { token })).body.value;
    expect((await call(sb, "PATCH", `${incidents()}/${first.id}`, { token, body: { status: "active" } })).status).toBe(
      403,
    );
  });

  it("an incident created through the Sentinel API is not in the Defender queue", async () => {
    const put = await arm(
      sb,
      "PUT",
      `${wsId(sb)}/providers/Microsoft.SecurityInsights/incidents/api-made?api-version=2025-09-01`,
      {
        properties: { title: "Created by a playbook", severity: "High", status: "New" },
      },
    );
    expect(put.status).toBe(201);
    const list = await call(sb, "GET", incidents(), { token: await graphToken(sb, MI) });
    expect(list.body.value.map((i: { displayName: string }) => i.displayName)).not.toContain("Created by a playbook");
    expect(list.body.value).toHaveLength(1);
  });
});

/**
 * Defender mode's case sync, end to end in the sandbox: setup on a workspace onboarded to the Defender portal
 * deploys case-sync-defender and grants the Graph app roles; the workflows, called with the JSON our Kibana
 * templates produce, land one case on one incident in the Defender queue through its whole life, whatever Kibana's
 * retries and Defender's merges do.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AzureClients } from "../../../src/azure/client.js";
import type { SharedState } from "../../../src/engine/shared-state.js";
import type { DefenderIncident } from "../../../src/sandbox/azure/defender/world.js";
import { GRAPH_ROLES } from "../../../src/steps/azure/defender-case-sync/app-roles.js";
import { azureTeardownSteps } from "../../../src/steps/azure/index.js";
import {
  type AzureSandbox,
  LOGIC_RG,
  WORKSPACE,
  WORKSPACE_RG,
  azureConfig,
  azureRun,
  sandboxOptions,
  setupRun,
  startAzureSandbox,
} from "./azure-context.js";
import {
  type CaseFields,
  commentBody,
  createIncidentBody,
  getIncidentQuery,
  updateIncidentBody,
} from "./workflow-fixtures.js";

const URL_BASE = "https://kibana.example.com:5601/s/secops/app/security/cases/";
let sb: AzureSandbox;
let az: AzureClients;
let urls: SharedState["callbackUrls"];
let config: ReturnType<typeof azureConfig>;

beforeAll(async () => {
  sb = await startAzureSandbox(
    sandboxOptions({ workspaces: [{ name: WORKSPACE, resourceGroup: WORKSPACE_RG, defender: true }] }),
  );
  config = azureConfig(sb, {
    azure: { endpoints: { graph: sb.endpoints.graph, defenderPortal: sb.defender.portal } },
    sentinel: { portal: "defender" },
    features: { alertForwarding: false },
  });
  const { ctx } = await setupRun(sb, config);
  az = await ctx.clients.azure();
  urls = ctx.shared.callbackUrls;
}, 60_000);
afterAll(async () => {
  await sb?.stop();
});

const post = (url: string | undefined, body: unknown) => az.logicApps.call<any>("POST", url!, body);
const queue = () => [...sb.defender.world.incidents.values()].filter((i) => i.status !== "redirected");
const incidentOf = (caseId: string): DefenderIncident | undefined =>
  queue().find((i) => i.alerts.some((a) => JSON.stringify(a.customDetails).includes(caseId)));
/** The analytics rule's next NRT run (and the sandbox's Logic App runs) finish. */
const nextRuleRun = async () => {
  await sb.clock.advance(60_000);
  await sb.logic.idle();
};

function kase(id: string, extra: Partial<CaseFields> = {}): CaseFields {
  return {
    id,
    title: `Case ${id.slice(0, 4)}`,
    description: "Seen by the EDR",
    severity: "critical",
    status: "open",
    tags: ["malware"],
    ...extra,
  };
}

describe("case sync in Defender mode", () => {
  it("setup deployed the cases table, DCR, NRT rule and granted the Graph app roles", async () => {
    const wsId = sb.state.workspaceId(WORKSPACE_RG, WORKSPACE);
    expect(sb.state.getTable(wsId, "ElasticCases_CL")).toBeDefined();
    expect(sb.state.listAlertRules(wsId).map((r) => r.properties.displayName)).toContain(
      "Elastic Security cases (elastic-sentinel)",
    );
    const wf = sb.state.getResource(
      `/subscriptions/${sb.subscriptionId}/resourceGroups/${LOGIC_RG}/providers/Microsoft.Logic/workflows/elastic-sentinel-case-sync`,
    );
    const principal = (wf as { identity?: { principalId?: string } }).identity!.principalId!;
    const roles = [...sb.defender.appRoles.assignments.values()]
      .filter((a) => a.principalId === principal)
      .map((a) => a.appRoleId);
    expect(roles).toEqual([GRAPH_ROLES["SecurityIncident.ReadWrite.All"]]);
  });

  it("a case created, updated, commented, closed and reopened lands on one incident in the Defender queue", async () => {
    const c = kase("0f6c3c1e-3a41-4c3b-9a57-2f4f5d0b9e11");
    const created = await post(urls.caseSync, createIncidentBody(c, URL_BASE));
    expect(created.status).toBe(200);
    expect(created.body.sentinel_incident_id).toBe(c.id);
    // Not an incident yet: the rule raises it on its next run.
    expect(incidentOf(c.id)).toBeUndefined();
    await nextRuleRun();
    const incident = incidentOf(c.id)!;
    expect(incident).toMatchObject({ displayName: c.title, severity: "high", status: "active" });

    const got = await az.logicApps.call<any>("GET", urls.caseGet!, undefined, getIncidentQuery(c.id));
    expect(got.body).toMatchObject({
      title: incident.id,
      url: `${sb.defender.portal}/incidents/${incident.id}?tid=${sb.tenantId}`,
    });

    const inProgress = await post(urls.caseSync, updateIncidentBody({ ...c, status: "in-progress" }, c.id, URL_BASE));
    expect(inProgress.status).toBe(200);
    expect(incident.status).toBe("inProgress");
    expect(incident.customTags).toEqual(expect.arrayContaining(["elastic-case", "malware"]));
    expect(incident.comments.map((x) => x.comment)).toEqual([`Elastic Security case: ${URL_BASE}${c.id}`]);

    expect((await post(urls.caseSync, commentBody("Isolated the host", c.id, URL_BASE))).status).toBe(200);
    expect(incident.comments.at(-1)?.comment).toBe("Isolated the host");

    await post(urls.caseSync, updateIncidentBody({ ...c, status: "closed" }, c.id, URL_BASE));
    expect(incident.status).toBe("resolved");
    await post(urls.caseSync, updateIncidentBody({ ...c, status: "open" }, c.id, URL_BASE));
    expect(incident.status).toBe("active");
    expect(queue().filter((i) => i.alerts.some((a) => JSON.stringify(a.customDetails).includes(c.id)))).toHaveLength(1);
  });

  it("Kibana's three attempts for one create make one incident", async () => {
    const c = kase("1a2b3c4d-0000-4000-8000-000000000003");
    for (let attempt = 0; attempt < 3; attempt++) {
      const r = await post(urls.caseSync, createIncidentBody(c, URL_BASE));
      expect(r.body.sentinel_incident_id).toBe(c.id);
    }
    await nextRuleRun();
    await nextRuleRun();
    expect(queue().filter((i) => i.alerts.some((a) => JSON.stringify(a.customDetails).includes(c.id)))).toHaveLength(1);
  });

  it("an update before the rule has raised the incident says so (409), and works once it has", async () => {
    const c = kase("2b3c4d5e-0000-4000-8000-000000000004");
    await post(urls.caseSync, createIncidentBody(c, URL_BASE));
    const early = await post(urls.caseSync, updateIncidentBody({ ...c, status: "in-progress" }, c.id, URL_BASE));
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe("IncidentNotRaisedYet");
    await nextRuleRun();
    expect(
      (await post(urls.caseSync, updateIncidentBody({ ...c, status: "in-progress" }, c.id, URL_BASE))).status,
    ).toBe(200);
    expect(incidentOf(c.id)?.status).toBe("inProgress");
  });

  it("a merge by Defender keeps the case linked: updates and comments follow to the surviving incident", async () => {
    const a = kase("3c4d5e6f-0000-4000-8000-000000000005");
    const b = kase("4d5e6f70-0000-4000-8000-000000000006");
    await post(urls.caseSync, createIncidentBody(a, URL_BASE));
    await post(urls.caseSync, createIncidentBody(b, URL_BASE));
    await nextRuleRun();
    const ia = incidentOf(a.id)!;
    const ib = incidentOf(b.id)!;
    expect(ia).not.toBe(ib);
    sb.defender.world.merge(ia.id, ib.id);
    expect((await post(urls.caseSync, commentBody("After the merge", a.id, URL_BASE))).status).toBe(200);
    expect(ib.comments.map((x) => x.comment)).toContain("After the merge");
    expect(ia.comments.map((x) => x.comment)).not.toContain("After the merge");
    const got = await az.logicApps.call<any>("GET", urls.caseGet!, undefined, getIncidentQuery(a.id));
    expect(got.body.title).toBe(ib.id);
  });

  it("a description over 5,000 characters is cut with a note", async () => {
    const c = kase("5e6f7081-0000-4000-8000-000000000007", { description: "x".repeat(6_000) });
    await post(urls.caseSync, createIncidentBody(c, URL_BASE));
    await nextRuleRun();
    const d = incidentOf(c.id)!.description;
    expect(d.length).toBe(5_000);
    expect(d.endsWith("[Cut at 5,000 characters: the full description is in the Elastic case.]")).toBe(true);
  });

  it("comments roll up before the 100-comment cap: the 100th says where the rest are, later ones are not sent", async () => {
    const c = kase("6f708192-0000-4000-8000-000000000008");
    await post(urls.caseSync, createIncidentBody(c, URL_BASE));
    await nextRuleRun();
    const incident = incidentOf(c.id)!;
    // The case link comment first (the first change after the incident exists), then 97 analyst comments: 98.
    expect((await post(urls.caseSync, commentBody("first", c.id, URL_BASE))).status).toBe(200);
    for (let i = 0; i < 96; i++)
      incident.comments.push({
        comment: `analyst ${i}`,
        createdByDisplayName: "analyst",
        createdDateTime: new Date(0).toISOString(),
      });
    expect(incident.comments).toHaveLength(98);
    await post(urls.caseSync, commentBody("the 99th", c.id, URL_BASE));
    expect(incident.comments.at(-1)?.comment).toBe("the 99th");
    await post(urls.caseSync, commentBody("would be the 100th", c.id, URL_BASE));
    expect(incident.comments).toHaveLength(100);
    expect(incident.comments.at(-1)?.comment).toBe(
      `This incident has reached its comment limit; further comments of the Elastic case are in Elastic Security: ${URL_BASE}${c.id}`,
    );
    const r = await post(urls.caseSync, commentBody("after the cap", c.id, URL_BASE));
    expect(r.status).toBe(200);
    expect(incident.comments).toHaveLength(100);
  });

  it("teardown removes the Graph app roles, the cases DCR, the rule and the workflows, and keeps the cases table", async () => {
    const wsId = sb.state.workspaceId(WORKSPACE_RG, WORKSPACE);
    const { ctx } = azureRun(sb, config);
    for (const step of azureTeardownSteps()) {
      if (!step.enabled(ctx.config)) continue;
      const changes = (await step.plan(ctx)).filter((c) => c.action !== "no-op");
      if (step.id === "teardown-azure-defender-app-roles") expect(changes).toHaveLength(2);
      if (changes.length) await step.apply(ctx, changes);
    }
    expect([...sb.defender.appRoles.assignments.values()]).toEqual([]);
    expect(sb.state.listAlertRules(wsId).map((r) => r.properties.displayName)).not.toContain(
      "Elastic Security cases (elastic-sentinel)",
    );
    expect(
      sb.state.getResource(
        `/subscriptions/${sb.subscriptionId}/resourceGroups/${LOGIC_RG}/providers/Microsoft.Insights/dataCollectionRules/elastic-sentinel-cases-dcr`,
      ),
    ).toBeUndefined();
    // The table holds the case history: kept without --delete-data, as the alerts table is.
    expect(sb.state.getTable(wsId, "ElasticCases_CL")).toBeDefined();
  });
});

describe("Defender mode without the right to grant Graph app roles", () => {
  it("stops at plan time with exit 4, before any change, saying which role to use", async () => {
    const { planAll } = await import("./azure-context.js");
    const { exitCodeOf } = await import("../../../src/errors.js");
    const plain = await startAzureSandbox(
      sandboxOptions({
        workspaces: [{ name: WORKSPACE, resourceGroup: WORKSPACE_RG, defender: true }],
        deployerEntraRoles: [],
      }),
    );
    try {
      const run = azureRun(
        plain,
        azureConfig(plain, {
          azure: { endpoints: { graph: plain.endpoints.graph, defenderPortal: plain.defender.portal } },
          sentinel: { portal: "defender" },
          features: { alertForwarding: false },
        }),
      );
      const err = (await planAll(run.ctx).then(
        () => undefined,
        (e: unknown) => e,
      )) as { code?: string; suggestion?: string } | undefined;
      expect(err?.code).toBe("GRAPH_APP_ROLE_DENIED");
      expect(exitCodeOf(err as never)).toBe(4);
      expect(err?.suggestion).toContain("Privileged Role Administrator");
      expect([...plain.state.resources.keys()].filter((k) => /microsoft\.(logic|insights)\//i.test(k))).toEqual([]);
    } finally {
      await plain.stop();
    }
  });
});

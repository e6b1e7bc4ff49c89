/**
 * Defender mode's case sync held to the published contracts: setup on a workspace onboarded to the Defender portal
 * deploys case-sync-defender (each resource against its ARM template schema) and grants the Graph app roles; the
 * workflows, run with the JSON our Kibana templates produce, write rows, query Log Analytics and update, comment on
 * and read the Defender incident through Microsoft Graph. Every request they send is recorded and checked.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AzureClients } from "../../src/azure/client.js";
import type { SharedState } from "../../src/engine/shared-state.js";
import { type ContractRecorder, describeBreaches, recordContracts } from "../helpers/contract-recorder.js";
import {
  type AzureSandbox,
  WORKSPACE,
  WORKSPACE_RG,
  azureConfig,
  sandboxOptions,
  setupRun,
  startAzureSandbox,
} from "../steps/azure/azure-context.js";
import {
  commentBody,
  createIncidentBody,
  getIncidentQuery,
  updateIncidentBody,
} from "../steps/azure/workflow-fixtures.js";

const URL_BASE = "https://kibana.example.com:5601/s/secops/app/security/cases/";
let rec: ContractRecorder;
let sb: AzureSandbox;
let az: AzureClients;
let urls: SharedState["callbackUrls"];

beforeAll(async () => {
  rec = recordContracts();
  sb = await startAzureSandbox(
    sandboxOptions({ workspaces: [{ name: WORKSPACE, resourceGroup: WORKSPACE_RG, defender: true }] }),
  );
  const config = azureConfig(sb, {
    azure: { endpoints: { graph: sb.endpoints.graph, defenderPortal: sb.defender.portal } },
    sentinel: { portal: "defender" },
    features: { alertForwarding: false },
  });
  const { ctx } = await setupRun(sb, config);
  az = await ctx.clients.azure();
  urls = ctx.shared.callbackUrls;
}, 60_000);
afterAll(async () => {
  rec?.stop();
  await sb?.stop();
});

const post = (url: string | undefined, body: unknown) => az.logicApps.call<any>("POST", url!, body);

describe("Defender mode case sync", () => {
  it("setup, then a case created, updated, commented on, closed and read, send only what the contracts allow", async () => {
    const c = {
      id: "0f6c3c1e-3a41-4c3b-9a57-2f4f5d0b9e11",
      title: "Case",
      description: "d",
      severity: "high",
      status: "open",
      tags: ["malware"],
    };
    expect((await post(urls.caseSync, createIncidentBody(c, URL_BASE))).status).toBe(200);
    await sb.clock.advance(60_000);
    await sb.logic.idle();
    expect(
      (await post(urls.caseSync, updateIncidentBody({ ...c, status: "in-progress" }, c.id, URL_BASE))).status,
    ).toBe(200);
    expect((await post(urls.caseSync, commentBody("Isolated the host", c.id))).status).toBe(200);
    expect((await post(urls.caseSync, updateIncidentBody({ ...c, status: "closed" }, c.id, URL_BASE))).status).toBe(
      200,
    );
    expect((await az.logicApps.call<any>("GET", urls.caseGet!, undefined, getIncidentQuery(c.id))).status).toBe(200);
    expect(describeBreaches(rec.breaches())).toBe("(none)");
    const families = [...rec.families().keys()];
    expect(families).toEqual(expect.arrayContaining(["graph", "deployments", "logs-ingestion", "log-analytics-query"]));
    expect(rec.find("PATCH", /\/security\/incidents\/[^/]+$/).length).toBeGreaterThan(0);
    expect(rec.find("POST", /\/security\/incidents\/[^/]+\/comments$/).length).toBeGreaterThan(0);
  }, 60_000);
});

/**
 * The OAuth variant of case sync (azuresentinel API connection + ApiConnection actions), run by the sandbox's
 * Logic Apps runtime with the bodies our Kibana templates render, once a person has authorised the connection.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AzureClients } from "../../../src/azure/client.js";
import type { SharedState } from "../../../src/engine/shared-state.js";
import {
  type AzureSandbox,
  WORKSPACE,
  WORKSPACE_RG,
  azureConfig,
  consentingIoHost,
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

const URL_BASE = "https://kibana.example.com/app/security/cases/";
let sb: AzureSandbox;
let az: AzureClients;
let urls: SharedState["callbackUrls"];

beforeAll(async () => {
  sb = await startAzureSandbox(sandboxOptions());
  const config = azureConfig(sb, { sentinel: { authorization: "oauth" }, features: { alertForwarding: false } });
  const { ctx } = await setupRun(sb, config, consentingIoHost(sb));
  az = await ctx.clients.azure();
  urls = ctx.shared.callbackUrls;
});
afterAll(async () => {
  await sb?.stop();
});

const wsId = () => sb.state.workspaceId(WORKSPACE_RG, WORKSPACE);
const props = (id: string) =>
  sb.state.getIncident(sb.state.incidentId(wsId(), id))?.resource.properties as Record<string, any>;

describe("case sync workflow (OAuth connection)", () => {
  const kase: CaseFields = {
    id: "2b7c9d10-5e6f-4a1b-9c8d-7e6f5a4b3c2d",
    title: "Phishing",
    description: "d",
    severity: "high",
    status: "open",
    tags: [],
  };
  let incidentId = "";

  it("creates, updates, closes, comments on and reads an incident through the connector", async () => {
    const created = await az.logicApps.call<{ sentinel_incident_id: string; incident_url: string }>(
      "POST",
      urls.caseSync!,
      createIncidentBody(kase, URL_BASE),
    );
    expect(created.status).toBe(200);
    incidentId = created.body.sentinel_incident_id;
    expect(props(incidentId)).toMatchObject({ title: "Phishing", severity: "High", status: "New" });
    expect(props(incidentId).description.startsWith(`${URL_BASE}${kase.id}`)).toBe(true);

    const updated = await az.logicApps.call(
      "POST",
      urls.caseSync!,
      updateIncidentBody({ ...kase, severity: "medium", status: "in-progress" }, incidentId, URL_BASE),
    );
    expect(updated.status).toBe(200);
    expect(props(incidentId)).toMatchObject({ severity: "Medium", status: "Active" });

    const commented = await az.logicApps.call("POST", urls.caseSync!, commentBody("Reset the password.", incidentId));
    expect(commented.status).toBe(200);

    const closed = await az.logicApps.call(
      "POST",
      urls.caseSync!,
      updateIncidentBody({ ...kase, status: "closed" }, incidentId, URL_BASE),
    );
    expect(closed.status).toBe(200);
    expect(props(incidentId)).toMatchObject({ status: "Closed", classification: "Undetermined" });

    const comments = [...(sb.state.getIncident(sb.state.incidentId(wsId(), incidentId))?.comments.values() ?? [])].map(
      (c) => String(c.properties.message),
    );
    expect(comments).toEqual(
      expect.arrayContaining(["Reset the password.", expect.stringMatching(/^Closed in Elastic by /)]),
    );

    const got = await az.logicApps.call<{ title: string; url: string }>(
      "GET",
      urls.caseGet!,
      undefined,
      getIncidentQuery(incidentId),
    );
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ title: "Phishing", url: props(incidentId).incidentUrl });
  });
});

/**
 * The deployed workflows, run by the sandbox's Logic Apps runtime with the JSON our Kibana templates produce:
 * case sync creates, updates (including close), comments on and reads incidents; alert forwarding puts a
 * summary of 50 alerts and a single alert into ElasticAlerts_CL and, through the NRT rule, into incidents.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AzureClients } from "../../../src/azure/client.js";
import { createHttpClient, tlsOptionsFor } from "../../../src/azure/pipeline.js";
import type { SharedState } from "../../../src/engine/shared-state.js";
import {
  type AzureSandbox,
  WORKSPACE,
  WORKSPACE_RG,
  azureConfig,
  queryTable,
  sandboxOptions,
  setupRun,
  startAzureSandbox,
} from "./azure-context.js";
import {
  type CaseFields,
  alertActionBody,
  commentBody,
  createIncidentBody,
  getIncidentQuery,
  securityAlert,
  updateIncidentBody,
} from "./workflow-fixtures.js";

const URL_BASE = "https://kibana.example.com:5601/s/secops/app/security/cases/";

let sb: AzureSandbox;
let az: AzureClients;
let urls: SharedState["callbackUrls"];
let wsId: string;

beforeAll(async () => {
  sb = await startAzureSandbox(sandboxOptions({ roleAssignmentDelayMs: 30_000 }));
  const { ctx } = await setupRun(sb, azureConfig(sb, { cases: { criticalSeverity: "High" } }));
  az = await ctx.clients.azure();
  urls = ctx.shared.callbackUrls;
  wsId = sb.state.workspaceId(WORKSPACE_RG, WORKSPACE);
});
afterAll(async () => {
  await sb?.stop();
});

const incident = (id: string) => sb.state.getIncident(sb.state.incidentId(wsId, id));
const props = (id: string) => incident(id)?.resource.properties as Record<string, any>;
const comments = (id: string) => [...(incident(id)?.comments.values() ?? [])].map((c) => String(c.properties.message));

const post = (url: string | undefined, body: unknown) => az.logicApps.call<any>("POST", url!, body);

describe("case sync workflow (managed identity)", () => {
  const kase: CaseFields = {
    id: "0f6c3c1e-3a41-4c3b-9a57-2f4f5d0b9e11",
    title: 'Malware "Emotet" on host-1 — ünïcode',
    description: "Seen by\nthe EDR",
    severity: "critical",
    status: "open",
    tags: ["malware", "host-1"],
  };

  it("create-incident makes the incident with the case id, mapped severity, link, label and a link comment", async () => {
    const res = await post(urls.caseSync, createIncidentBody(kase, URL_BASE));
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/application\/json/);
    expect(res.body.sentinel_incident_id).toBe(kase.id);
    const p = props(kase.id);
    expect(res.body.incident_url).toBe(p.incidentUrl);
    expect(p).toMatchObject({ title: kase.title, severity: "High", status: "New" });
    expect(p.description.startsWith(`${URL_BASE}${kase.id}`)).toBe(true);
    expect(p.description).toContain("Seen by\nthe EDR");
    expect(p.labels.map((l: { labelName: string }) => l.labelName)).toEqual(
      expect.arrayContaining(["elastic-case", "malware", "host-1"]),
    );
    expect(comments(kase.id)).toEqual([expect.stringContaining(`${URL_BASE}${kase.id}`)]);
  });

  it("a retried create-incident (Kibana retries) answers the same incident and adds nothing", async () => {
    const before = sb.state.listIncidents(wsId).length;
    const res = await post(urls.caseSync, createIncidentBody(kase, URL_BASE));
    expect(res.status).toBe(200);
    expect(res.body.sentinel_incident_id).toBe(kase.id);
    expect(sb.state.listIncidents(wsId).length).toBe(before);
    expect(comments(kase.id)).toHaveLength(1);
  });

  it("update-incident maps severity and status and keeps the description's case link", async () => {
    const res = await post(
      urls.caseSync,
      updateIncidentBody({ ...kase, title: "Renamed", severity: "low", status: "in-progress" }, kase.id, URL_BASE),
    );
    expect(res.status).toBe(200);
    expect(res.body.sentinel_incident_id).toBe(kase.id);
    expect(props(kase.id)).toMatchObject({ title: "Renamed", severity: "Low", status: "Active" });
    expect(props(kase.id).description.startsWith(`${URL_BASE}${kase.id}`)).toBe(true);
    expect(props(kase.id).labels.map((l: { labelName: string }) => l.labelName)).toContain("elastic-case");
  });

  it("update-incident PUTs only writable properties: what Sentinel owns stays, and no read-only member is sent", async () => {
    // Given an incident an analyst assigned and labelled in Sentinel
    const p = props(kase.id);
    sb.state.upsertIncident(wsId, kase.id, {
      ...p,
      owner: { objectId: "7d1c2b3a-0000-4000-8000-00000000a11c", assignedTo: "Alice", ownerType: "User" },
      labels: [...p.labels, { labelName: "analyst-edit" }],
    });
    const before = sb.state.readOnlyIncidentWrites.length;
    // When the case changes in Kibana
    const res = await post(
      urls.caseSync,
      updateIncidentBody(
        { ...kase, title: "Renamed again", severity: "low", status: "in-progress" },
        kase.id,
        URL_BASE,
      ),
    );
    // Then the change lands, the analyst's owner and label stay, and the PUT carried nothing read-only
    expect(res.status).toBe(200);
    expect(props(kase.id)).toMatchObject({ title: "Renamed again", owner: { assignedTo: "Alice", ownerType: "User" } });
    expect(props(kase.id).labels.map((l: { labelName: string }) => l.labelName)).toEqual(
      expect.arrayContaining(["elastic-case", "analyst-edit"]),
    );
    expect(sb.state.readOnlyIncidentWrites.slice(before)).toEqual([]);
  });

  it("add-comment-to-incident adds the comment once, even when Kibana retries it", async () => {
    for (let i = 0; i < 2; i++) {
      const res = await post(urls.caseSync, commentBody("Isolated the host.", kase.id));
      expect(res.status).toBe(200);
      expect(res.body.sentinel_incident_id).toBe(kase.id);
    }
    expect(comments(kase.id).filter((m) => m === "Isolated the host.")).toHaveLength(1);
  });

  it("closing the case closes the incident as Undetermined and says so in a comment", async () => {
    const res = await post(
      urls.caseSync,
      updateIncidentBody({ ...kase, title: "Renamed", status: "closed" }, kase.id, URL_BASE),
    );
    expect(res.status).toBe(200);
    const p = props(kase.id);
    expect(p).toMatchObject({ status: "Closed", classification: "Undetermined" });
    expect(p.classificationComment).toMatch(/^Closed in Elastic by /);
    expect(comments(kase.id).some((m) => m.startsWith("Closed in Elastic by "))).toBe(true);
    expect(sb.state.readOnlyIncidentWrites).toEqual([]);
  });

  it("reopening the case in Kibana reopens the incident", async () => {
    const id = "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b";
    const c = { ...kase, id, title: "Reopen me" };
    expect((await post(urls.caseSync, createIncidentBody(c, URL_BASE))).status).toBe(200);
    expect((await post(urls.caseSync, updateIncidentBody({ ...c, status: "closed" }, id, URL_BASE))).status).toBe(200);
    expect(props(id).status).toBe("Closed");
    const reopened = await post(urls.caseSync, updateIncidentBody({ ...c, status: "open" }, id, URL_BASE));
    expect(reopened.status).toBe(200);
    expect(props(id).status).toBe("New");
    expect(props(id).classification).toBeUndefined();
  });

  it("case-get returns the incident's title and portal URL", async () => {
    const res = await az.logicApps.call<any>("GET", urls.caseGet!, undefined, getIncidentQuery(kase.id));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ title: "Renamed", url: props(kase.id).incidentUrl });
  });

  it("a case whose Kibana fields are empty strings (older stacks) still makes a valid incident", async () => {
    const id = "9a1d2c3b-4e5f-4a6b-8c7d-0e1f2a3b4c5d";
    const res = await post(
      urls.caseSync,
      createIncidentBody({ id, title: "t", description: "", severity: "", status: "", tags: "" as never }, URL_BASE),
    );
    expect(res.status).toBe(200);
    expect(props(id)).toMatchObject({ severity: "Medium", status: "New" });
  });

  it("an update that races an edit in Sentinel (412 on the stale etag) reads again and keeps both changes", async () => {
    const id = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f";
    const c = { ...kase, id, title: "Race", severity: "medium" };
    expect((await post(urls.caseSync, createIncidentBody(c, URL_BASE))).status).toBe(200);
    // An analyst edits the incident right after the workflow has read it: the workflow's PUT carries a stale etag.
    const state = sb.state;
    const original = state.getIncident.bind(state);
    let reads = 0;
    state.getIncident = (incidentId: string) => {
      const rec = original(incidentId);
      if (rec && incidentId.toLowerCase().endsWith(id) && reads++ === 0) {
        setImmediate(() => {
          const p = rec.resource.properties as Record<string, any>;
          state.upsertIncident(wsId, id, { ...p, labels: [...p.labels, { labelName: "analyst-edit" }] });
        });
      }
      return rec;
    };
    try {
      const res = await post(urls.caseSync, updateIncidentBody({ ...c, severity: "high" }, id, URL_BASE));
      expect(res.status).toBe(200);
    } finally {
      state.getIncident = original;
    }
    expect(reads).toBe(2); // read, PUT answered 412, read again, PUT succeeded
    expect(props(id).severity).toBe("High");
    expect(props(id).labels.map((l: { labelName: string }) => l.labelName)).toContain("analyst-edit");
    const write = await lastRunAction("elastic-sentinel-case-sync", "Write_incident");
    expect(write.properties.status).toBe("Succeeded");
  });

  it("errors answer JSON: unknown action 400, unknown incident 404, missing query parameter 400", async () => {
    const unknown = await post(urls.caseSync, { action: "delete-incident" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: "UnknownAction" });
    const missing = await post(
      urls.caseSync,
      updateIncidentBody({ ...kase }, "11111111-2222-4333-8444-555555555555", URL_BASE),
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: "IncidentNotFound" });
    const get404 = await az.logicApps.call<any>(
      "GET",
      urls.caseGet!,
      undefined,
      getIncidentQuery("11111111-2222-4333-8444-555555555555"),
    );
    expect(get404.status).toBe(404);
    expect(get404.body.error.code).toBe("IncidentNotFound");
    const noId = await az.logicApps.call<any>("GET", urls.caseGet!);
    expect(noId.status).toBe(400);
    expect(noId.body.error.code).toBe("MissingIncidentId");
  });
});

describe("alert forwarding workflow", () => {
  const rule = {
    kibanaBaseUrl: "https://kibana.example.com:5601",
    spaceId: "secops",
    ruleId: "3d8f1a2b-0000-4000-8000-000000000001",
    name: "Malware detected",
    severity: "high",
    riskScore: 73,
  };
  const rows = () => queryTable(sb, "ElasticAlerts_CL");
  const ruleIncidents = () =>
    sb.state
      .listIncidents(wsId)
      .filter((i) => String((i.properties as any).title).startsWith("Elastic Security alert: "));

  it("a summary of 50 alerts lands as 50 typed rows in one call and raises Sentinel incidents", async () => {
    const alerts = Array.from({ length: 50 }, (_, i) => securityAlert(i + 1, sb.clock.now()));
    const res = await post(urls.alertIngest, alertActionBody("summary", rule, alerts));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ingested: 50 });
    await sb.clock.advance(60_000);
    const all = await rows();
    expect(all).toHaveLength(50);
    const row = all.find((r) => r.AlertId === "5f0c0003-1111-4222-8333-944445555666")!;
    expect(row).toMatchObject({
      RuleName: "Malware detected",
      RuleId: "elastic-sentinel-forward-rule",
      Severity: "critical",
      SentinelSeverity: "High",
      RiskScore: 99,
      HostName: "host-3",
      UserName: "user-3",
      SourceIp: "10.0.0.3",
      DestinationIp: "192.0.2.10",
      Space: "secops",
      AlertUrl:
        "https://kibana.example.com:5601/s/secops/app/security/alerts/redirect/5f0c0003-1111-4222-8333-944445555666",
    });
    expect(row.Tactics).toEqual(["Execution", "Defense Evasion"]);
    expect(row.Techniques).toEqual(["T1204", "T1027", "T1036"]);
    expect((row.Alert as any)._id).toBe("alert-3");
    // One ingestion call for 50 small alerts (the 1 MB limit allows it): the batch holds all 50 rows.
    const batch = await lastRunAction("elastic-sentinel-alert-ingest", "Batch_size");
    expect(batch.properties.status).toBe("Succeeded");
    expect(Number(batch.properties.outputs)).toBeGreaterThanOrEqual(50);
    const send = await lastRunAction("elastic-sentinel-alert-ingest", "Send_batch");
    expect(send.properties.status).toBe("Succeeded");
    expect((send.properties.inputs as any).body).toHaveLength(50);

    await sb.clock.advance(3 * 60_000);
    const incidents = ruleIncidents();
    // NRT: one alert per row, at most 30 per run (29 + 1 summary) — learn.microsoft.com/azure/sentinel/near-real-time-rules.
    expect(incidents.length).toBeGreaterThanOrEqual(29);
    expect(incidents.some((i) => (i.properties as any).title === "Elastic Security alert: Malware detected")).toBe(
      true,
    );
  });

  it("a single per-alert body lands as one row and one incident with its entities and custom details", async () => {
    const before = ruleIncidents().length;
    const alert = securityAlert(77, sb.clock.now(), {
      "kibana.alert.uuid": "single-0000-4000-8000-000000000077",
      "kibana.alert.severity": "low",
    });
    const res = await post(
      urls.alertIngest,
      alertActionBody("per-alert", rule, [alert], "single-0000-4000-8000-000000000077"),
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ingested: 1 });
    await sb.clock.advance(3 * 60_000);
    const row = (await rows()).find((r) => r.AlertId === "single-0000-4000-8000-000000000077");
    expect(row).toMatchObject({ Severity: "low", SentinelSeverity: "Low", HostName: "host-77" });
    const created = ruleIncidents().slice(before);
    expect(created).toHaveLength(1);
    const rec = sb.state.getIncident(created[0]!.id)!;
    expect((created[0]!.properties as any).severity).toBe("Low");
    expect(JSON.stringify(rec.alerts)).toContain("single-0000-4000-8000-000000000077");
    expect(JSON.stringify(rec.alerts)).toContain("host-77");
  });

  it("alerts larger than the 1 MB per call limit are split into several calls, none refused", async () => {
    const big = "x".repeat(120_000);
    const alerts = Array.from({ length: 20 }, (_, i) =>
      securityAlert(200 + i, sb.clock.now(), { "kibana.alert.uuid": `big-${i}`, message: big }),
    );
    const res = await post(urls.alertIngest, alertActionBody("summary", rule, alerts));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ingested: 20 });
    const batch = Number((await lastRunAction("elastic-sentinel-alert-ingest", "Batch_size")).properties.outputs);
    // Each row is ~128 kB (the message, inside the alert copy): 7 rows per call (< 1 MB), so 3 calls for 20 rows.
    expect(batch).toBe(7);
    await sb.clock.advance(60_000);
    expect((await rows()).filter((r) => String(r.AlertId).startsWith("big-"))).toHaveLength(20);
  });

  it("an empty alert list answers ingested 0 without calling the ingestion API", async () => {
    const res = await post(urls.alertIngest, alertActionBody("summary", rule, []));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ingested: 0 });
  });
});

/** An action of a workflow's newest run, as ARM's run-history API reports it. */
async function lastRunAction(workflow: string, action: string): Promise<{ properties: Record<string, any> }> {
  const http = await createHttpClient({
    credential: sb.credential,
    scope: "https://management.azure.com/.default",
    tls: tlsOptionsFor([sb.caCert]),
  });
  const base = `${sb.endpoints.resourceManager}/subscriptions/${sb.subscriptionId}/resourceGroups/rg-logic/providers/Microsoft.Logic/workflows/${workflow}`;
  const q = { query: { "api-version": "2019-05-01" } };
  const runs = await http.request<{ value: { name: string }[] }>("GET", `${base}/runs`, q);
  const res = await http.request<{ properties: Record<string, any> }>(
    "GET",
    `${base}/runs/${runs.body.value[0]!.name}/actions/${action}`,
    q,
  );
  return res.body;
}

/**
 * The Defender portal's incident queue for a workspace onboarded to it: which incidents enter it, how Defender groups,
 * names, closes and merges them, and what Sentinel sees of them (provider, link, batched updates, no Description).
 */
import { describe, expect, it } from "vitest";
import { SENTINEL_SYNC_BATCH_MS, XDR_PROVIDER } from "../../../../src/sandbox/azure/defender/world.js";
import { alert, createWorld, READER_PRINCIPAL, WORKFLOW_PRINCIPAL, WS_ID } from "../../data/world.js";

const NRT_QUERY = "ElasticAlerts_CL | project TimeGenerated, AlertId, RuleName, Severity, HostName, RiskScore";
const nrtRule = () => ({
  displayName: "Elastic Security alerts (NRT)",
  enabled: true,
  query: NRT_QUERY,
  severity: "Medium",
  suppressionDuration: "PT5H",
  suppressionEnabled: false,
  incidentConfiguration: { createIncident: true, groupingConfiguration: { enabled: false } },
  eventGroupingSettings: { aggregationKind: "AlertPerResult" },
  entityMappings: [{ entityType: "Host", fieldMappings: [{ identifier: "HostName", columnName: "HostName" }] }],
  customDetails: { ElasticAlertId: "AlertId" },
  alertDetailsOverride: {
    alertDisplayNameFormat: "Elastic: {{RuleName}}",
    alertDescriptionFormat: "Risk {{RiskScore}}",
  },
});

function onboarded(defender = true) {
  const w = createWorld({ defender });
  w.grant(WORKFLOW_PRINCIPAL, "mmp");
  w.grant(READER_PRINCIPAL, "reader");
  w.plane.start();
  w.addRule("NRT", nrtRule());
  return w;
}

const queue = (w: ReturnType<typeof createWorld>) => [...w.defender.incidents.values()];

describe("the Defender incident queue of an onboarded workspace", () => {
  it("an analytics rule's incident enters the queue; Sentinel holds it with provider Microsoft XDR and the Defender link", async () => {
    const w = onboarded();
    await w.ingest([alert(1)]);
    await w.clock.advance(60_000);
    expect(queue(w)).toHaveLength(1);
    const d = queue(w)[0]!;
    expect(d).toMatchObject({ displayName: "Elastic: Rule 1", status: "active", severity: "medium" });
    const [sentinel] = w.state.listIncidents(WS_ID);
    expect(sentinel!.properties).toMatchObject({
      providerName: XDR_PROVIDER,
      providerIncidentId: d.id,
      providerIncidentUrl: `https://security.example.test/incidents/${d.id}?tid=tenant-1`,
    });
    // incidentUrl still points at the Azure portal.
    expect(String(sentinel!.properties.incidentUrl)).toContain("#asset/Microsoft_Azure_Security_Insights/Incident");
  });

  it("an incident created through the Sentinel API stays out of the queue (and keeps its provider)", async () => {
    const w = onboarded();
    const { incident } = w.state.upsertIncident(WS_ID, "api-made", {
      title: "From a playbook",
      severity: "Low",
      status: "New",
    });
    await w.clock.advance(10 * 60_000);
    expect(queue(w)).toHaveLength(0);
    expect(incident.properties.providerName).toBe("Azure Sentinel");
  });

  it("the same rule and host group into one incident, renamed once it holds alerts of different names", async () => {
    const w = onboarded();
    await w.ingest([alert(1)]);
    await w.clock.advance(60_000);
    await w.ingest([alert(2, { Raw: { host: { name: "host-1" } } })]);
    await w.clock.advance(60_000);
    expect(queue(w)).toHaveLength(1);
    expect(queue(w)[0]!.alerts).toHaveLength(2);
    expect(queue(w)[0]!.displayName).toBe("Multi-stage incident involving 2 alerts");
    // Another host: another incident.
    await w.ingest([alert(3)]);
    await w.clock.advance(60_000);
    expect(queue(w)).toHaveLength(2);
  });

  it("a closed incident is not reopened: a new alert on the same host makes a new incident", async () => {
    const w = onboarded();
    await w.ingest([alert(1)]);
    await w.clock.advance(60_000);
    const first = queue(w)[0]!;
    first.status = "resolved";
    await w.ingest([alert(1, { AlertId: "alert-1b" })]);
    await w.clock.advance(60_000);
    expect(queue(w)).toHaveLength(2);
    expect(first.status).toBe("resolved");
    expect(first.alerts).toHaveLength(1);
  });

  it("changes in Defender reach Sentinel as one update with the latest state, after the batch period", async () => {
    const w = onboarded();
    await w.ingest([alert(1)]);
    await w.clock.advance(60_000);
    const d = queue(w)[0]!;
    const sentinelOf = () => w.state.getIncident(d.sentinelIncidentId)!.resource.properties;
    d.status = "inProgress";
    w.defender.changed(d);
    await w.clock.advance(60_000);
    d.status = "resolved";
    d.classification = "falsePositive";
    w.defender.changed(d);
    expect(sentinelOf().status).toBe("New");
    await w.clock.advance(SENTINEL_SYNC_BATCH_MS);
    expect(sentinelOf()).toMatchObject({ status: "Closed", classification: "FalsePositive" });
  });

  it("a merge redirects the merged incident; its alerts now belong to the surviving one", async () => {
    const w = onboarded();
    await w.ingest([alert(1), alert(2)]);
    await w.clock.advance(60_000);
    const [a, b] = queue(w);
    const alertOfA = a!.alerts[0]!.systemAlertId;
    w.defender.merge(a!.id, b!.id);
    expect(a).toMatchObject({ status: "redirected", redirectIncidentId: b!.id, alerts: [] });
    expect(w.defender.resolve(a!.id)).toBe(b);
    expect(w.defender.incidentOfAlert(alertOfA)).toBe(b);
    expect(w.state.getIncident(a!.sentinelIncidentId)!.resource.properties.status).toBe("Closed");
  });

  it("SecurityIncident has no Description column once onboarded (and still has it otherwise)", async () => {
    for (const defender of [true, false]) {
      const w = onboarded(defender);
      await w.ingest([alert(1)]);
      await w.clock.advance(60_000);
      const res = await w.query("SecurityIncident | take 1");
      expect(res.status).toBe(200);
      const names = (res.body as { tables: { columns: { name: string }[] }[] }).tables[0]!.columns.map((c) => c.name);
      expect(names.includes("Description")).toBe(!defender);
      expect(names).toContain("ProviderIncidentId");
    }
  });

  it("a workspace that is not onboarded keeps today's path: no queue, provider Azure Sentinel", async () => {
    const w = onboarded(false);
    await w.ingest([alert(1)]);
    await w.clock.advance(60_000);
    expect(queue(w)).toHaveLength(0);
    expect(w.state.listIncidents(WS_ID)[0]!.properties.providerName).toBe("Azure Sentinel");
  });
});

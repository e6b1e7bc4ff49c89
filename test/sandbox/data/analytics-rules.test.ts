import { describe, expect, it } from "vitest";
import { createDataPlane, createStateHost } from "../../../src/sandbox/azure/data/index.js";
import { kustoDiagnostics } from "./kusto-parse.js";
import {
  acceptedQueries,
  alert,
  createWorld,
  IMMUTABLE_ID,
  kustoTablesOf,
  READER_PRINCIPAL,
  resultTable,
  ruleQueries,
  STREAM,
  WORKFLOW_PRINCIPAL,
  WS_ID,
} from "./world.js";

const NRT_QUERY = "ElasticAlerts_CL | project TimeGenerated, AlertId, RuleName, Severity, HostName, RiskScore";

function nrtRule(extra: Record<string, unknown> = {}) {
  return {
    displayName: "Elastic Security alerts (NRT)",
    description: "Alerts forwarded from Elastic",
    enabled: true,
    query: NRT_QUERY,
    severity: "Medium",
    suppressionDuration: "PT5H",
    suppressionEnabled: false,
    incidentConfiguration: {
      createIncident: true,
      groupingConfiguration: {
        enabled: false,
        reopenClosedIncident: false,
        lookbackDuration: "PT5H",
        matchingMethod: "AllEntities",
      },
    },
    eventGroupingSettings: { aggregationKind: "AlertPerResult" },
    entityMappings: [{ entityType: "Host", fieldMappings: [{ identifier: "HostName", columnName: "HostName" }] }],
    customDetails: { ElasticAlertId: "AlertId" },
    alertDetailsOverride: {
      alertDisplayNameFormat: "Elastic: {{RuleName}}",
      alertDescriptionFormat: "Risk {{RiskScore}} on {{HostName}}",
      alertSeverityColumnName: "Severity",
    },
    ...extra,
  };
}

function ready(opts: { latencyMs?: number } = {}) {
  const w = createWorld(opts);
  w.grant(WORKFLOW_PRINCIPAL, "mmp");
  w.grant(READER_PRINCIPAL, "reader");
  w.plane.start();
  return w;
}

describe("Sentinel analytics rules", () => {
  it("an NRT rule turns each new row into an alert and an incident within the minute", async () => {
    const w = ready();
    const ruleId = w.addRule("NRT", nrtRule());
    await w.ingest([alert(1), alert(2)]);
    expect(w.state.listIncidents(WS_ID)).toHaveLength(0);
    await w.clock.advance(60_000);
    const incidents = w.state.listIncidents(WS_ID).map((i) => i.properties);
    expect(incidents).toHaveLength(2);
    const first = incidents.find((i) => i.title === "Elastic: Rule 1")!;
    expect(first).toMatchObject({ severity: "High", status: "New", relatedAnalyticRuleIds: [ruleId] });
    expect(first.description).toBe("Risk 41 on host-1");
    const rec = w.state.getIncident(w.state.incidentId(WS_ID, w.state.listIncidents(WS_ID)[0]!.name))!;
    expect(rec.alerts[0]).toMatchObject({
      entities: [{ kind: "Host", properties: { HostName: expect.stringMatching(/^host-/) } }],
      customDetails: { ElasticAlertId: [expect.stringMatching(/^alert-/)] },
    });
  });

  it("an NRT rule sees each ingested row once", async () => {
    const w = ready();
    w.addRule("NRT", nrtRule());
    await w.ingest([alert(1)]);
    await w.clock.advance(60_000);
    await w.clock.advance(60_000);
    await w.ingest([alert(2)]);
    await w.clock.advance(60_000);
    expect(
      w.state
        .listIncidents(WS_ID)
        .map((i) => i.properties.title)
        .sort(),
    ).toEqual(["Elastic: Rule 1", "Elastic: Rule 2"]);
  });

  it("an NRT rule waits for rows still in the ingestion pipeline", async () => {
    const w = ready({ latencyMs: 90_000 });
    w.addRule("NRT", nrtRule());
    await w.ingest([alert(1)]);
    await w.clock.advance(60_000);
    expect(w.state.listIncidents(WS_ID)).toHaveLength(0);
    await w.clock.advance(60_000);
    expect(w.state.listIncidents(WS_ID)).toHaveLength(1);
  });

  it("an NRT run caps at 30 alerts: 29 plus a summary", async () => {
    const w = ready();
    w.addRule("NRT", nrtRule());
    await w.ingest(Array.from({ length: 50 }, (_, i) => alert(i)));
    await w.clock.advance(60_000);
    const titles = w.state.listIncidents(WS_ID).map((i) => i.properties.title as string);
    expect(titles).toHaveLength(30);
    expect(titles.filter((t) => t.startsWith("Elastic: Rule"))).toHaveLength(29);
    expect(titles).toContain("Elastic Security alerts (NRT)");
    const summary = w.state.listIncidents(WS_ID).find((i) => i.properties.title === "Elastic Security alerts (NRT)")!;
    expect(summary.properties.description).toContain("21 events");
  });

  it("without createIncident an NRT rule raises alerts only", async () => {
    const w = ready();
    w.addRule("NRT", nrtRule({ incidentConfiguration: { createIncident: false } }));
    await w.ingest([alert(1)]);
    await w.clock.advance(60_000);
    expect(w.state.listIncidents(WS_ID)).toHaveLength(0);
    const t = resultTable((await w.query("SecurityAlert | project AlertName, AlertSeverity")).body);
    expect(t.rows).toEqual([["Elastic: Rule 1", "High"]]);
  });

  it("a disabled rule does not run", async () => {
    const w = ready();
    w.addRule("NRT", nrtRule({ enabled: false }));
    await w.ingest([alert(1)]);
    await w.clock.advance(60_000);
    expect(w.state.listIncidents(WS_ID)).toHaveLength(0);
  });

  it("severity falls back to the rule's when the severity column holds no Sentinel severity", async () => {
    const w = ready();
    w.addRule("NRT", nrtRule({ query: "ElasticAlerts_CL | extend Severity = 'bogus' | project RuleName, Severity" }));
    await w.ingest([alert(1)]);
    await w.clock.advance(60_000);
    expect(w.state.listIncidents(WS_ID)[0]!.properties.severity).toBe("Medium");
  });

  it("a rule whose query the engine refuses raises nothing and reports the error", async () => {
    const w = ready();
    const id = w.addRule("NRT", nrtRule({ query: "ElasticAlerts_CL | mv-expand Raw" }));
    await w.ingest([alert(1)]);
    await w.clock.advance(60_000);
    expect(w.state.listIncidents(WS_ID)).toHaveLength(0);
    expect(w.plane.ruleErrors()[id.toLowerCase()]).toContain("mv-expand");
  });

  it("SecurityIncident rows record the incidents created by rules", async () => {
    const w = ready();
    w.addRule("NRT", nrtRule());
    await w.ingest([alert(1)]);
    await w.clock.advance(60_000);
    const t = resultTable((await w.query("SecurityIncident | project Title, Severity, Status")).body);
    expect(t.rows).toEqual([["Elastic: Rule 1", "High", "New"]]);
  });

  it("a Scheduled rule runs every queryFrequency over queryPeriod and fires past its threshold", async () => {
    const w = ready();
    w.addRule("Scheduled", {
      ...nrtRule(),
      displayName: "Many Elastic alerts",
      query: "ElasticAlerts_CL | project RuleName, Severity",
      queryFrequency: "PT5M",
      queryPeriod: "PT10M",
      triggerOperator: "GreaterThan",
      triggerThreshold: 1,
      eventGroupingSettings: { aggregationKind: "SingleAlert" },
      alertDetailsOverride: undefined,
    });
    await w.ingest([alert(1)]);
    await w.clock.advance(60_000); // first run: 1 row, not > 1
    expect(w.state.listIncidents(WS_ID)).toHaveLength(0);
    await w.ingest([alert(2)]);
    await w.clock.advance(4 * 60_000); // not due yet: the next run is 5 minutes after the first
    expect(w.state.listIncidents(WS_ID)).toHaveLength(0);
    await w.clock.advance(60_000); // due: 2 rows in the last 10 minutes → one alert, one incident
    expect(w.state.listIncidents(WS_ID).map((i) => i.properties.title)).toEqual(["Many Elastic alerts"]);
    await w.clock.advance(15 * 60_000); // rows are now older than queryPeriod
    expect(w.state.listIncidents(WS_ID)).toHaveLength(1);
  });

  it("suppression stops a rule from alerting again within suppressionDuration", async () => {
    const w = ready();
    w.addRule("NRT", nrtRule({ suppressionEnabled: true, suppressionDuration: "PT10M" }));
    await w.ingest([alert(1)]);
    await w.clock.advance(60_000);
    await w.ingest([alert(2)]);
    await w.clock.advance(60_000);
    expect(w.state.listIncidents(WS_ID)).toHaveLength(1);
  });

  it("a rule whose incident Sentinel refuses records the error and the scheduler keeps running", async () => {
    const w = createWorld();
    w.grant(WORKFLOW_PRINCIPAL, "mmp");
    const host = createStateHost(w.state);
    const plane = createDataPlane({
      ...host,
      createIncident: () => {
        throw new Error("Sentinel said no");
      },
    });
    const id = w.addRule("NRT", nrtRule());
    plane.start();
    await plane.ingest({
      immutableId: IMMUTABLE_ID,
      stream: STREAM,
      principalId: WORKFLOW_PRINCIPAL,
      searchParams: new URLSearchParams({ "api-version": "2023-01-01" }),
      headers: {},
      raw: Buffer.from(JSON.stringify([alert(1)])),
    });
    await expect(w.clock.advance(60_000)).resolves.toBeUndefined();
    expect(plane.ruleErrors()[id.toLowerCase()]).toBe("Sentinel said no");
    plane.stop();
  });

  it("runRules runs the due rules at once without advancing the clock", async () => {
    const w = createWorld();
    w.grant(WORKFLOW_PRINCIPAL, "mmp");
    w.addRule("NRT", nrtRule());
    await w.ingest([alert(1)]);
    await w.plane.runRules();
    expect(w.state.listIncidents(WS_ID)).toHaveLength(1);
  });

  it("every rule query and query run above is valid KQL for Microsoft's parser", () => {
    const tables = kustoTablesOf(createWorld());
    const queries = [...ruleQueries.values(), ...acceptedQueries];
    expect(queries.length).toBeGreaterThan(5);
    const invalid = queries.map((q) => ({ q, errors: kustoDiagnostics(q, tables) })).filter((x) => x.errors.length > 0);
    expect(invalid).toEqual([]);
  });
});

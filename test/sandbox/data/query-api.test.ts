import { describe, expect, it } from "vitest";
import { kustoDiagnostics } from "./kusto-parse.js";
import {
  acceptedQueries,
  alert,
  createWorld,
  kustoTablesOf,
  READER_PRINCIPAL,
  resultTable,
  TRANSFORM,
  WORKFLOW_PRINCIPAL,
  WS_ID,
} from "./world.js";

async function seeded() {
  const w = createWorld();
  w.grant(WORKFLOW_PRINCIPAL, "mmp");
  w.grant(READER_PRINCIPAL, "reader");
  await w.ingest([alert(1), alert(2), alert(3, { TimeGenerated: "2026-11-26T12:00:00Z" })]);
  return w;
}

describe("Log Analytics query API", () => {
  it("answers with PrimaryResult, KQL column types and rows in column order", async () => {
    const w = await seeded();
    const res = await w.query(
      "ElasticAlerts_CL | where RiskScore > 41 | project TimeGenerated, AlertId, RiskScore, Raw | order by AlertId asc",
    );
    expect(res.status).toBe(200);
    const t = resultTable(res.body);
    expect(t.name).toBe("PrimaryResult");
    expect(t.columns).toEqual([
      { name: "TimeGenerated", type: "datetime" },
      { name: "AlertId", type: "string" },
      { name: "RiskScore", type: "int" },
      { name: "Raw", type: "dynamic" },
    ]);
    expect(t.rows[0]).toEqual([
      "2026-11-27T12:00:00Z",
      "alert-2",
      42,
      JSON.stringify({ host: { name: "host-2" }, user: { name: "alice" } }),
    ]);
    expect(t.rows.map((r) => r[1])).toEqual(["alert-2", "alert-3"]);
  });

  it("a table's default columns include TenantId, the declared columns, Type and _TimeReceived", async () => {
    const w = await seeded();
    const names = resultTable((await w.query("ElasticAlerts_CL | take 1")).body).columns.map((c) => c.name);
    expect(names[0]).toBe("TenantId");
    expect(names).toEqual(expect.arrayContaining(["TimeGenerated", "AlertId", "HostName", "Type", "_TimeReceived"]));
  });

  it("GET with ?query= works like POST", async () => {
    const w = await seeded();
    const res = await w.query("", {
      method: "GET",
      body: undefined,
      searchParams: new URLSearchParams({ query: "ElasticAlerts_CL | summarize count()" }),
    });
    expect(resultTable(res.body).rows).toEqual([[3]]);
  });

  it("timespan limits rows by TimeGenerated", async () => {
    const w = await seeded();
    const t = resultTable((await w.query("ElasticAlerts_CL | count", { timespan: "PT12H" })).body);
    expect(t.rows).toEqual([[2]]);
    const bad = await w.query("ElasticAlerts_CL | count", { timespan: "yesterday" });
    expect(bad.status).toBe(400);
  });

  it("unsupported KQL gets a 400 that names the construct", async () => {
    const w = await seeded();
    const res = await w.query("ElasticAlerts_CL | mv-expand Raw");
    expect(res.status).toBe(400);
    const err = (res.body as any).error;
    expect(err.code).toBe("BadArgumentError");
    expect(err.message).toBe("The request had some invalid properties");
    expect(err.innererror.innererror.message).toContain("'mv-expand'");
  });

  it("an unknown column gets a SemanticError in the Log Analytics shape", async () => {
    const w = await seeded();
    const err = (await w.query("ElasticAlerts_CL | where Nope == 1")).body as any;
    expect(err.error.innererror).toMatchObject({
      code: "SemanticError",
      message: "A semantic error occurred.",
      innererror: {
        code: "SEM0100",
        message: "'where' operator: Failed to resolve column or scalar expression named 'Nope'",
      },
    });
  });

  it("a syntax error gets a SyntaxError innererror", async () => {
    const w = await seeded();
    const err = (await w.query("ElasticAlerts_CL | where (")).body as any;
    expect(err.error.code).toBe("BadArgumentError");
    expect(err.error.innererror.code).toBe("SyntaxError");
  });

  it("table names are case-sensitive, as in KQL", async () => {
    const w = await seeded();
    const err = (await w.query("elasticalerts_cl | take 1")).body as any;
    expect(err.error.innererror.innererror.message).toContain("'elasticalerts_cl'");
  });

  it("SecurityIncident also lists incidents created through the incidents API, in their current state", async () => {
    const w = await seeded();
    w.state.upsertIncident(WS_ID, "case-1", { title: "From Kibana", severity: "Low", status: "New" });
    w.state.upsertIncident(WS_ID, "case-1", {
      title: "From Kibana",
      severity: "Low",
      status: "Closed",
      classification: "Undetermined",
    });
    const t = resultTable(
      (await w.query("SecurityIncident | where Title has 'kibana' | project IncidentName, Status, Classification"))
        .body,
    );
    expect(t.rows).toEqual([["case-1", "Closed", "Undetermined"]]);
  });

  it("ingestion_time() is when the row became visible, not its TimeGenerated", async () => {
    const w = createWorld({ latencyMs: 45_000 });
    w.grant(WORKFLOW_PRINCIPAL, "mmp");
    w.grant(READER_PRINCIPAL, "reader");
    await w.ingest([alert(1, { TimeGenerated: "2026-11-27T10:00:00Z" })]);
    await w.clock.advance(45_000);
    const t = resultTable(
      (await w.query("ElasticAlerts_CL | extend it = ingestion_time() | project it, TimeGenerated")).body,
    );
    expect(t.rows).toEqual([["2026-11-27T12:00:45Z", "2026-11-27T10:00:00Z"]]);
  });

  it("a caller without a reader role gets 403 InsufficientAccessError", async () => {
    const w = await seeded();
    const res = await w.query("ElasticAlerts_CL | take 1", { principal: WORKFLOW_PRINCIPAL });
    expect(res.status).toBe(403);
    expect((res.body as any).error.code).toBe("InsufficientAccessError");
  });

  it("an unknown workspace id gets 404", async () => {
    const w = await seeded();
    const res = await w.query("ElasticAlerts_CL | take 1", { workspaceId: "99999999-9999-9999-9999-999999999999" });
    expect(res.status).toBe(404);
  });

  it("a missing query is a 400 BadArgumentError", async () => {
    const w = await seeded();
    const res = await w.query("", { body: {} });
    expect(res.status).toBe(400);
    expect((res.body as any).error.code).toBe("BadArgumentError");
  });

  it("every query answered above, and the DCR transformation, are valid KQL for Microsoft's parser", async () => {
    const tables = kustoTablesOf(createWorld());
    expect(acceptedQueries.length).toBeGreaterThan(3);
    const invalid = [...acceptedQueries, TRANSFORM]
      .map((q) => ({ q, errors: kustoDiagnostics(q, tables) }))
      .filter((x) => x.errors.length > 0);
    expect(invalid).toEqual([]);
  });
});

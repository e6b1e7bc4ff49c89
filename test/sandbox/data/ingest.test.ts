import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { createClassicTable } from "../../../src/sandbox/azure/resources/workspaces.js";
import {
  alert,
  createWorld,
  READER_PRINCIPAL,
  RG,
  resultTable,
  TABLE_COLUMNS,
  WORKFLOW_PRINCIPAL,
  WS_ID,
} from "./world.js";

describe("Logs Ingestion API", () => {
  it("a workflow identity without Monitoring Metrics Publisher gets 403 from ingestion", async () => {
    const w = createWorld();
    const res = await w.ingest([alert(1)]);
    expect(res.status).toBe(403);
    expect(res.headers?.["x-ms-error-code"]).toBe("OperationFailed");
    expect((res.body as any).error.message).toContain("does not have access to ingest data");
  });

  it("Owner on the resource group is not enough: ingestion needs the data action of Monitoring Metrics Publisher", async () => {
    const w = createWorld();
    w.state.addRoleAssignment({
      scope: RG,
      name: "owner",
      roleDefinitionId: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
      principalId: WORKFLOW_PRINCIPAL,
      immediate: true,
    });
    expect((await w.ingest([alert(1)])).status).toBe(403);
    w.grant(WORKFLOW_PRINCIPAL, "mmp", RG);
    expect((await w.ingest([alert(1)])).status).toBe(204);
  });

  it("a role assignment is honoured only after its propagation delay", async () => {
    const w = createWorld({ roleDelayMs: 5 * 60_000 });
    w.grant(WORKFLOW_PRINCIPAL, "mmp", undefined, false);
    expect((await w.ingest([alert(1)])).status).toBe(403);
    await w.clock.advance(5 * 60_000);
    expect((await w.ingest([alert(1)])).status).toBe(204);
  });

  it("an accepted batch answers 204 with no body and lands transformed in the destination table", async () => {
    const w = createWorld();
    w.grant(WORKFLOW_PRINCIPAL, "mmp");
    const res = await w.ingest([alert(1), alert(2, { TimeGenerated: "2026-11-27T11:00:00Z" })]);
    expect(res).toEqual({ status: 204 });
    const stored = w.plane.rows.list(WS_ID, "ElasticAlerts_CL").map((r) => r.values);
    expect(stored).toHaveLength(2);
    expect(stored[0]).toMatchObject({
      AlertId: "alert-1",
      Severity: "High",
      HostName: "host-1",
      RiskScore: 41,
      Type: "ElasticAlerts_CL",
    });
    // TimeGenerated from the transform (now()) when missing, kept when sent; _TimeReceived is the receive time.
    expect((stored[0]!.TimeGenerated as Date).toISOString()).toBe("2026-11-27T12:00:00.000Z");
    expect((stored[1]!.TimeGenerated as Date).toISOString()).toBe("2026-11-27T11:00:00.000Z");
    expect((stored[1]!._TimeReceived as Date).toISOString()).toBe("2026-11-27T12:00:00.000Z");
  });

  it("rows become visible only after the ingestion latency", async () => {
    const w = createWorld({ latencyMs: 90_000 });
    w.grant(WORKFLOW_PRINCIPAL, "mmp");
    w.grant(READER_PRINCIPAL, "reader");
    expect((await w.ingest([alert(1)])).status).toBe(204);
    const count = async () => resultTable((await w.query("ElasticAlerts_CL | count")).body).rows[0]![0];
    expect(await count()).toBe(0);
    await w.clock.advance(89_999);
    expect(await count()).toBe(0);
    await w.clock.advance(1);
    expect(await count()).toBe(1);
  });

  it("a body over 1 MB gets 413 ContentLengthLimitExceeded", async () => {
    const w = createWorld();
    w.grant(WORKFLOW_PRINCIPAL, "mmp");
    const big = Array.from({ length: 2000 }, (_, i) => alert(i, { RuleName: "x".repeat(600) }));
    const res = await w.ingest(big);
    expect(res.status).toBe(413);
    expect(res.headers?.["x-ms-error-code"]).toBe("ContentLengthLimitExceeded");
    expect((res.body as any).error.message).toContain("1048576");
    expect(w.plane.rows.list(WS_ID, "ElasticAlerts_CL")).toHaveLength(0);
  });

  it("the 1 MB limit also applies to a gzip body once decompressed", async () => {
    const w = createWorld();
    w.grant(WORKFLOW_PRINCIPAL, "mmp");
    const big = Array.from({ length: 2000 }, (_, i) => alert(i, { RuleName: "x".repeat(600) }));
    const raw = gzipSync(Buffer.from(JSON.stringify(big)));
    expect(raw.length).toBeLessThan(1_048_576);
    const res = await w.ingest(raw, { headers: { "content-encoding": "gzip" } });
    expect(res.status).toBe(413);
    const small = gzipSync(Buffer.from(JSON.stringify([alert(1)])));
    expect((await w.ingest(small, { headers: { "content-encoding": "gzip" } })).status).toBe(204);
  });

  it("only a JSON array of objects is accepted", async () => {
    const w = createWorld();
    w.grant(WORKFLOW_PRINCIPAL, "mmp");
    for (const body of [alert(1), "text", [1, 2]]) {
      const res = await w.ingest(body);
      expect(res.status).toBe(400);
      expect(res.headers?.["x-ms-error-code"]).toBe("InvalidContent");
    }
    expect((await w.ingest(Buffer.from("not json"))).status).toBe(400);
  });

  it("a stream the rule does not declare is refused", async () => {
    const w = createWorld();
    w.grant(WORKFLOW_PRINCIPAL, "mmp");
    const res = await w.ingest([alert(1)], { stream: "Custom-Other" });
    expect(res.status).toBe(400);
    expect(res.headers?.["x-ms-error-code"]).toBe("InvalidStream");
  });

  it("an unknown rule immutable id gets 404", async () => {
    const w = createWorld();
    expect((await w.ingest([alert(1)], { immutableId: "dcr-nope" })).status).toBe(404);
  });

  it("api-version is required", async () => {
    const w = createWorld();
    const res = await w.ingest([alert(1)], { searchParams: new URLSearchParams() });
    expect(res.status).toBe(400);
    expect(res.headers?.["x-ms-error-code"]).toBe("MissingApiVersionParameter");
  });

  it("columns outside the stream declaration are dropped and values that do not convert become null", async () => {
    const w = createWorld();
    w.grant(WORKFLOW_PRINCIPAL, "mmp");
    await w.ingest([alert(1, { Unknown: "x", RiskScore: "not a number" })]);
    const row = w.plane.rows.list(WS_ID, "ElasticAlerts_CL")[0]!.values;
    expect(row).not.toHaveProperty("Unknown");
    expect(row.RiskScore).toBeNull();
  });

  it("a classic (Data Collector API) table does not accept Logs Ingestion", async () => {
    const w = createWorld();
    w.grant(WORKFLOW_PRINCIPAL, "mmp");
    createClassicTable(w.state, WS_ID, "ElasticAlerts_CL", TABLE_COLUMNS);
    const res = await w.ingest([alert(1)]);
    expect(res.status).toBe(400);
    expect((res.body as any).error.message).toContain("Classic");
  });

  it("a table deleted and created again starts empty", async () => {
    const w = createWorld();
    w.grant(WORKFLOW_PRINCIPAL, "mmp");
    await w.ingest([alert(1)]);
    const table = w.state.getResource(`${WS_ID}/tables/ElasticAlerts_CL`)!;
    w.state.delete(table.id);
    w.state.put(table, "2022-10-01");
    expect(w.plane.rows.list(WS_ID, "ElasticAlerts_CL")).toHaveLength(0);
  });

  it("rows for a destination table that does not exist are accepted and never appear", async () => {
    const w = createWorld();
    w.grant(WORKFLOW_PRINCIPAL, "mmp");
    w.state.delete(`${WS_ID}/tables/ElasticAlerts_CL`);
    expect((await w.ingest([alert(1)])).status).toBe(204);
    expect(w.plane.rows.list(WS_ID, "ElasticAlerts_CL")).toHaveLength(0);
  });
});

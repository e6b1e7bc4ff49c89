/**
 * setup → plan (no changes) → verify → teardown → teardown again (nothing left), through the CLI, against the
 * Kibana/Elasticsearch and Azure sandboxes. Then teardown --delete-data removes the table too.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type WorldCli, ids, startWorldCli } from "./world-cli.js";

let w: WorldCli;
beforeAll(async () => {
  w = await startWorldCli();
}, 60_000);
afterAll(async () => {
  await w?.stop();
});

describe("the whole lifecycle against the sandboxes", () => {
  it("setup creates everything and ends with both paths verified", async () => {
    const r = await w.run(["setup", "--yes", "--non-interactive"]);
    expect(r.stderr).toContain("Both paths work end to end");
    expect(r.code).toBe(0);
  }, 120_000);

  it("a second plan finds nothing to change (exit 0 with --detailed-exitcode)", async () => {
    const r = await w.run(["plan", "--detailed-exitcode"]);
    expect(r.stdout).toMatch(/0 to create, 0 to update, 0 to delete/);
    expect(r.code).toBe(0);
  }, 60_000);

  it("verify passes every check and exits 0", async () => {
    const r = await w.run(["verify", "--json"]);
    const doc = JSON.parse(r.stdout) as { checks: { id: string; status: string }[] };
    expect(doc.checks.filter((c) => c.status === "fail")).toEqual([]);
    expect(doc.checks.map((c) => c.id)).toEqual(expect.arrayContaining(["case.closed", "alerts.incident"]));
    expect(r.code).toBe(0);
  }, 120_000);

  it("teardown without --yes in a non-interactive run removes nothing and says --yes is needed", async () => {
    const r = await w.run(["teardown", "--non-interactive"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/--yes/);
    expect(w.world.azure.state.getResource(ids(w.world).workflow("case-sync"))).toBeDefined();
  }, 60_000);

  it("teardown --yes removes our objects and keeps the alerts table", async () => {
    const r = await w.run(["teardown", "--yes", "--non-interactive"]);
    expect(r.code).toBe(0);
    const i = ids(w.world);
    for (const name of ["case-sync", "case-get", "alert-ingest"])
      expect(w.world.azure.state.getResource(i.workflow(name))).toBeUndefined();
    expect(w.world.azure.state.getResource(i.dcr)).toBeUndefined();
    expect(w.world.azure.state.listAlertRules(i.ws)).toEqual([]);
    expect(w.world.azure.state.getResource(i.table)).toBeDefined();
    expect(w.world.elastic.state.connectors().filter((c) => c.id.startsWith("elastic-sentinel"))).toEqual([]);
  }, 60_000);

  it("a second teardown plans nothing but the kept table", async () => {
    const r = await w.run(["teardown", "--dry-run", "--json"]);
    const doc = JSON.parse(r.stdout) as { plan: { action: string; resource: string }[] };
    expect(doc.plan.filter((p) => p.action !== "no-op")).toEqual([]);
    expect(r.code).toBe(0);
  }, 60_000);

  it("teardown --delete-data removes the table", async () => {
    const r = await w.run(["teardown", "--yes", "--non-interactive", "--delete-data"]);
    expect(r.code).toBe(0);
    expect(w.world.azure.state.getResource(ids(w.world).table)).toBeUndefined();
  }, 60_000);
});

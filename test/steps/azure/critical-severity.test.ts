/**
 * Sentinel has no "Critical": cases.criticalSeverity decides what a critical Kibana case becomes, and a change of
 * it is planned as an update of the case-sync workflow, then applied.
 */
import { afterAll, expect, it } from "vitest";
import {
  type AzureSandbox,
  WORKSPACE,
  WORKSPACE_RG,
  actionable,
  azureConfig,
  azureRun,
  planAll,
  sandboxOptions,
  setupRun,
  startAzureSandbox,
} from "./azure-context.js";
import { createIncidentBody } from "./workflow-fixtures.js";

let sb: AzureSandbox | undefined;
afterAll(async () => {
  await sb?.stop();
});

it("cases.criticalSeverity maps critical cases, and changing it is an in-place update of the workflow", async () => {
  sb = await startAzureSandbox(sandboxOptions());
  const base = { features: { alertForwarding: false } } as const;
  await setupRun(sb, azureConfig(sb, { ...base, cases: { criticalSeverity: "High" } }));

  const config = azureConfig(sb, { ...base, cases: { criticalSeverity: "Medium" } });
  const plan = await planAll(azureRun(sb, config).ctx);
  expect(actionable(plan).map((c) => `${c.action} ${c.resource} ${c.name}`)).toEqual([
    "update Logic App workflow elastic-sentinel-case-sync",
  ]);

  const { ctx } = await setupRun(sb, config);
  const az = await ctx.clients.azure();
  const id = "7d3e1f20-1a2b-4c3d-8e4f-5a6b7c8d9e0f";
  const res = await az.logicApps.call(
    "POST",
    ctx.shared.callbackUrls.caseSync!,
    createIncidentBody(
      { id, title: "Ransomware", description: "", severity: "critical", status: "open", tags: [] },
      "https://kb.example.com/app/security/cases/",
    ),
  );
  expect(res.status).toBe(200);
  const incident = sb.state.getIncident(sb.state.incidentId(sb.state.workspaceId(WORKSPACE_RG, WORKSPACE), id));
  expect(incident?.resource.properties.severity).toBe("Medium");
});

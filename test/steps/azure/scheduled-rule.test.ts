/**
 * rule.sentinelKind: scheduled deploys a Scheduled analytics rule on the stable API (every 5 minutes) instead of
 * NRT, and forwarded alerts still become incidents.
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
import { alertActionBody, securityAlert } from "./workflow-fixtures.js";

let sb: AzureSandbox | undefined;
afterAll(async () => {
  await sb?.stop();
});

it("a Scheduled rule is deployed when asked for, and alerts still reach Sentinel incidents", async () => {
  sb = await startAzureSandbox(sandboxOptions());
  const config = azureConfig(sb, { features: { caseSync: false }, rule: { sentinelKind: "scheduled" } });
  const { ctx, changes } = await setupRun(sb, config);
  expect(actionable(changes).map((c) => c.resource)).toContain("Sentinel analytics rule (Scheduled)");
  const wsId = sb.state.workspaceId(WORKSPACE_RG, WORKSPACE);
  const rules = sb.state.listAlertRules(wsId);
  expect(rules.map((r) => r.kind)).toEqual(["Scheduled"]);

  const az = await ctx.clients.azure();
  const rule = {
    kibanaBaseUrl: "https://kb",
    spaceId: "default",
    ruleId: "r",
    name: "Malware detected",
    severity: "high",
    riskScore: 73,
  };
  const res = await az.logicApps.call(
    "POST",
    ctx.shared.callbackUrls.alertIngest!,
    alertActionBody("per-alert", rule, [securityAlert(5, sb.clock.now())], "a5"),
  );
  expect(res.status).toBe(200);
  await sb.clock.advance(11 * 60_000);
  const incidents = sb.state.listIncidents(wsId).map((i) => String((i.properties as { title: string }).title));
  expect(incidents).toContain("Elastic Security alert: Malware detected");
  expect(actionable(await planAll(azureRun(sb, config).ctx))).toEqual([]);
});

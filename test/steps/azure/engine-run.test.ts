/**
 * The Azure steps inside the real engine (plan table, confirmation, apply in dependency order, verify): the
 * first run shows every Azure resource as a create before changing anything; the second reports nothing to do.
 */
import { Chalk } from "chalk";
import { afterAll, expect, it } from "vitest";
import { createReport, serializeReport } from "../../../src/engine/report.js";
import { runSetupEngine } from "../../../src/engine/run.js";
import { TestIoHost } from "../../helpers/test-io-host.js";
import {
  type AzureSandbox,
  allAzureSteps,
  azureConfig,
  azureRun,
  sandboxOptions,
  startAzureSandbox,
} from "./azure-context.js";

let sb: AzureSandbox | undefined;
afterAll(async () => {
  await sb?.stop();
});

it("setup's engine plans, confirms, applies and verifies the Azure side; a second run changes nothing", async () => {
  sb = await startAzureSandbox(sandboxOptions({ roleAssignmentDelayMs: 45_000 }));
  const config = azureConfig(sb);
  const style = new Chalk({ level: 0 });

  const io = new TestIoHost({ interactive: true, answers: { "confirm.apply": true } });
  const first = azureRun(sb, config, io);
  const report = createReport("setup");
  const result = await runSetupEngine({ steps: allAzureSteps(), ctx: first.ctx, report, style });
  expect(result.applied).toBe(true);
  expect(io.asked.map((q) => q.code)).toEqual(["confirm.apply"]);
  const table = io.results[0]!;
  expect(table).toMatch(/Logic App workflow\s+elastic-sentinel-case-sync\s+\+ create/);
  expect(table).toMatch(/Sentinel analytics rule \(NRT\)\s+Elastic Security alerts \(elastic-sentinel\)\s+\+ create/);
  expect(table).toMatch(/Plan: 14 to create, 0 to update, 0 to delete, 1 unchanged\./);
  expect(result.checks.filter((c) => c.status !== "pass")).toEqual([]);
  expect(report.resources.every((r) => r.status === "applied" || r.status === "unchanged")).toBe(true);
  // The report (what --json prints) never carries a callback URL's signature.
  const sig = new URL(first.ctx.shared.callbackUrls.alertIngest!).searchParams.get("sig")!;
  expect(serializeReport(report)).not.toContain(sig);

  const io2 = new TestIoHost({ interactive: false });
  const second = await runSetupEngine({
    steps: allAzureSteps(),
    ctx: azureRun(sb, config, io2).ctx,
    report: createReport("setup"),
    style,
  });
  expect(second.changed).toBe(false);
  expect(io2.messages.map((m) => m.text)).toContain("Everything is already in place.");
});

/**
 * A first setup run (both features, both authorization modes) creates everything and
 * the plan shows it first; a second run plans no changes and changes nothing.
 */
import { afterEach, describe, expect, it } from "vitest";
import { exitCodeOf } from "../../../src/errors.js";
import { REDACTED } from "../../../src/redact.js";
import { TestIoHost } from "../../helpers/test-io-host.js";
import {
  type AzureSandbox,
  LOGIC_RG,
  WORKSPACE_RG,
  actionable,
  allAzureSteps,
  applyAll,
  azureConfig,
  azureRun,
  consentingIoHost,
  planAll,
  queryTable,
  sandboxOptions,
  setupRun,
  startAzureSandbox,
} from "./azure-context.js";

let sb: AzureSandbox | undefined;
afterEach(async () => {
  await sb?.stop();
  sb = undefined;
});

const rows = (changes: { resource: string; name: string; action: string }[]) =>
  changes.map((c) => `${c.action} ${c.resource} ${c.name}`).sort();

describe("setup, Azure side, managed identity", () => {
  it("the first run plans every resource as a create, then creates them; the second run plans no changes", async () => {
    sb = await startAzureSandbox(sandboxOptions({ roleAssignmentDelayMs: 90_000 }));
    const config = azureConfig(sb);
    const first = azureRun(sb, config);
    const plan = await planAll(first.ctx);
    expect(rows(actionable(plan))).toEqual(
      [
        "create Logic App workflow elastic-sentinel-case-sync",
        "create Logic App workflow elastic-sentinel-case-get",
        "create Logic App workflow elastic-sentinel-alert-ingest",
        "create role assignment (Microsoft Sentinel Responder) elastic-sentinel-case-sync on ws-sentinel",
        "create role assignment (Microsoft Sentinel Reader) elastic-sentinel-case-get on ws-sentinel",
        "create role assignment (Monitoring Metrics Publisher) elastic-sentinel-alert-ingest on elastic-sentinel-alerts-dcr",
        "create data collection rule elastic-sentinel-alerts-dcr",
        "create Log Analytics table ElasticAlerts_CL",
        "create Sentinel analytics rule (NRT) Elastic Security alerts (elastic-sentinel)",
        "create callback URL elastic-sentinel-case-sync",
        "create callback URL elastic-sentinel-case-get",
        "create callback URL elastic-sentinel-alert-ingest",
        "create Sentinel authorization (managed identity) elastic-sentinel-case-sync, elastic-sentinel-case-get",
        "create Ingestion authorization (managed identity) elastic-sentinel-alert-ingest",
      ].sort(),
    );
    // Nothing exists before apply: the plan only read.
    expect([...sb.state.resources.keys()].filter((k) => /microsoft\.(logic|insights|web)\//i.test(k))).toEqual([]);

    await applyAll(first.ctx, plan);
    const urls = first.ctx.shared.callbackUrls;
    expect(urls.caseSync).toMatch(/sig=/);
    expect(urls.caseGet).toMatch(/sig=/);
    expect(urls.alertIngest).toMatch(/sig=/);
    // The role assignments took 90 s to propagate; the step waited for them instead of failing.
    expect(first.io.progressLines.join("\n")).toMatch(
      /update Waiting for "Microsoft Sentinel Reader" of elastic-sentinel-case-get to take effect: \d+ s so far \(usually a few minutes; gives up at 15 min, our limit for role propagation\)/,
    );
    expect(first.io.progressLines.join("\n")).toMatch(/managed identities can use Sentinel/);
    expect(first.io.progressLines.join("\n")).toMatch(/alert-ingest Logic App can send rows/);
    // The ingestion probe is dropped by the DCR's transform: no row, no incident.
    await sb.clock.advance(3 * 60_000);
    expect(JSON.stringify(await queryTable(sb, "ElasticAlerts_CL"))).toBe("[]");
    expect(sb.state.listIncidents(sb.state.workspaceId(WORKSPACE_RG, "ws-sentinel"))).toEqual([]);
    // Nothing printed carries a callback URL's signature.
    const sig = new URL(urls.caseSync!).searchParams.get("sig")!;
    expect(first.io.allText()).not.toContain(sig);

    const snapshot = () => JSON.stringify([...sb!.state.resources.entries()].map(([k, r]) => [k, r.resource]));
    const before = snapshot();
    const second = azureRun(sb, config);
    const again = await planAll(second.ctx);
    expect(actionable(again)).toEqual([]);
    await applyAll(second.ctx, again);
    // Nothing was written: not a resource, not an etag, not a deployment record.
    expect(snapshot()).toBe(before);
    expect(again.length).toBeGreaterThan(10);
    // The second run still hands the callback URLs to the Kibana steps.
    expect(second.ctx.shared.callbackUrls).toEqual(urls);

    const checks = [];
    for (const s of (await import("../../../src/steps/azure/index.js")).azureSteps)
      checks.push(...((await s.verify?.(second.ctx)) ?? []));
    expect(checks.filter((c) => c.status !== "pass")).toEqual([]);
    expect(JSON.stringify(checks)).not.toContain(sig);
    expect(JSON.stringify(checks)).toContain(REDACTED);

    // `verify` on its own (a new process, no plan first) finds everything by its deterministic names.
    const alone = azureRun(sb, config);
    const aloneChecks = [];
    for (const s of allAzureSteps()) aloneChecks.push(...((await s.verify?.(alone.ctx)) ?? []));
    expect(aloneChecks.length).toBeGreaterThan(8);
    expect(aloneChecks.filter((c) => c.status !== "pass")).toEqual([]);
  });

  it("alert forwarding waits until the ingest identity may send, with a probe row that never reaches the table", async () => {
    sb = await startAzureSandbox(sandboxOptions({ roleAssignmentDelayMs: 120_000 }));
    const config = azureConfig(sb, { features: { caseSync: false } });
    const { io, ctx } = await setupRun(sb, config);
    const progress = io.progressLines.join("\n");
    expect(progress).toMatch(
      /update Waiting for "Monitoring Metrics Publisher" of elastic-sentinel-alert-ingest on \S+ to take effect: 1 min( \d+ s)? so far/,
    );
    expect(progress).toMatch(/succeed The alert-ingest Logic App can send rows/);
    await sb.clock.advance(3 * 60_000);
    expect(JSON.stringify(await queryTable(sb, "ElasticAlerts_CL"))).toBe("[]");
    expect(sb.state.listIncidents(sb.state.workspaceId(WORKSPACE_RG, "ws-sentinel"))).toEqual([]);
    const checks =
      (await (
        await import("../../../src/steps/azure/ingestion-authorization.js")
      ).azureIngestionAuthorization.verify?.(ctx)) ?? [];
    expect(checks.map((c) => c.status)).toEqual(["pass"]);
  });

  it("creates the Logic Apps' resource group when it is missing and the user agrees", async () => {
    sb = await startAzureSandbox(sandboxOptions({ resourceGroups: [{ name: WORKSPACE_RG, location: "northeurope" }] }));
    const config = azureConfig(sb);
    const io = new TestIoHost({ interactive: true, answers: { "azure.createResourceGroup": true } });
    const { ctx, changes } = await setupRun(sb, config, io);
    expect(io.asked.map((q) => q.code)).toContain("azure.createResourceGroup");
    expect(changes.find((c) => c.resource === "resource group")).toMatchObject({ action: "create", name: LOGIC_RG });
    expect(changes.filter((c) => c.step === "azure-deploy").every((c) => c.action === "create")).toBe(true);
    expect(ctx.shared.callbackUrls.caseSync).toBeDefined();
    expect(actionable(await planAll(azureRun(sb, config).ctx))).toEqual([]);
  });
});

describe("setup, Azure side, OAuth connection", () => {
  it("without a person at the terminal, an unauthorised connection stops the run with exit 4 and the consent link", async () => {
    sb = await startAzureSandbox(sandboxOptions());
    const config = azureConfig(sb, { sentinel: { authorization: "oauth" }, features: { alertForwarding: false } });
    const run = azureRun(sb, config);
    const plan = await planAll(run.ctx);
    expect(rows(actionable(plan))).toEqual(
      [
        "create API connection (azuresentinel) elastic-sentinel-azuresentinel",
        "create Logic App workflow elastic-sentinel-case-sync",
        "create Logic App workflow elastic-sentinel-case-get",
        "create callback URL elastic-sentinel-case-sync",
        "create callback URL elastic-sentinel-case-get",
        "create Sentinel authorization (OAuth consent) elastic-sentinel-azuresentinel",
      ].sort(),
    );
    const err = await applyAll(run.ctx, plan).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(exitCodeOf(err)).toBe(4);
    expect((err as Error).message).toMatch(/elastic-sentinel-azuresentinel is not authorised/);
    expect((err as { suggestion: string }).suggestion).toMatch(/consent link.*https:\/\/127\.0\.0\.1:\d+\/consent\//);
    expect((err as { suggestion: string }).suggestion).toMatch(/Authorize → Save/);
  });

  it("interactively, a person who gives up waiting stops the run with exit 4 and the link to finish later", async () => {
    sb = await startAzureSandbox(sandboxOptions());
    const config = azureConfig(sb, { sentinel: { authorization: "oauth" }, features: { alertForwarding: false } });
    const io = new TestIoHost({ interactive: true, answers: { "azure.consentRedirect": "q" } });
    const err = await setupRun(sb, config, io).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(io.asked.map((q) => q.code)).toEqual(["azure.consentRedirect"]);
    expect(
      io.messages.some((m) => /Open this consent link and sign in: https:\/\/127\.0\.0\.1:\d+\/consent\//.test(m.text)),
    ).toBe(true);
    expect(exitCodeOf(err)).toBe(4);
    expect((err as Error).message).toBe("the API connection elastic-sentinel-azuresentinel was not authorised");
    expect((err as { suggestion: string }).suggestion).toMatch(/\/consent\/.*Authorize → Save.*run setup again/);
  });

  it("interactively, shows the consent link and waits until the person has authorised the connection", async () => {
    sb = await startAzureSandbox(sandboxOptions());
    const config = azureConfig(sb, { sentinel: { authorization: "oauth" } });
    const io = consentingIoHost(sb);
    const { changes } = await setupRun(sb, config, io);
    expect(changes.some((c) => c.resource.startsWith("Sentinel authorization") && c.action === "create")).toBe(true);
    expect(io.progressLines.join("\n")).toMatch(/elastic-sentinel-azuresentinel is authorised/);
    const again = await planAll(azureRun(sb, config).ctx);
    expect(actionable(again)).toEqual([]);
    expect(again.find((c) => c.resource.startsWith("Sentinel authorization"))?.reason).toMatch(/authorised/);
  });
});

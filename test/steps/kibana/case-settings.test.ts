import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { KibanaApi } from "../../../src/kibana/client.js";
import { type ElasticSandbox, startElasticSandbox } from "../../../src/sandbox/elastic/index.js";
import { caseConnectorStep } from "../../../src/steps/kibana/case-connector.js";
import { caseSettingsStep } from "../../../src/steps/kibana/case-settings.js";
import { makeContext, type Receiver, sandboxConfig, startReceiver, testIo } from "./helpers.js";

const CONFIRM = "kibana.caseSettings.replaceConnector";

describe("case settings", () => {
  let sb: ElasticSandbox;
  let rx: Receiver;
  let kibana: KibanaApi;
  beforeAll(async () => {
    sb = await startElasticSandbox({ kibanaVersion: "9.2.0", allowedHosts: ["*"] });
    rx = await startReceiver();
    kibana = await makeContext(sandboxConfig(sb)).clients.kibana();
    // Our connector exists; the case settings are what these tests are about.
    const ctx = makeContext(sandboxConfig(sb));
    Object.assign(ctx.shared.callbackUrls, rx.urls);
    await caseConnectorStep.apply(ctx, await caseConnectorStep.plan(ctx));
    await kibana.createConnector("their-jira-like", ".cases-webhook", {
      name: "Their ticketing",
      config: {
        createIncidentUrl: "http://127.0.0.1:9/x",
        createIncidentJson: '{"t":{{{case.title}}},"d":{{{case.description}}}}',
        createIncidentResponseKey: "id",
        getIncidentUrl: "http://127.0.0.1:9/x/{{{external.system.id}}}",
        getIncidentResponseExternalTitleKey: "t",
        viewIncidentUrl: "http://127.0.0.1:9/x/{{{external.system.id}}}",
        updateIncidentUrl: "http://127.0.0.1:9/x/{{{external.system.id}}}",
        updateIncidentJson: '{"t":{{{case.title}}},"d":{{{case.description}}}}',
        hasAuth: false,
      },
      secrets: {},
    });
  });
  afterAll(async () => {
    await sb?.stop();
    await rx?.stop();
  });
  beforeEach(async () => {
    await kibana.createCaseConfiguration({
      owner: "securitySolution",
      closure_type: "close-by-pushing",
      connector: { id: "their-jira-like", name: "Their ticketing", type: ".cases-webhook", fields: null },
    });
  });

  it("another connector already configured is planned as a destructive replacement", async () => {
    const [change] = await caseSettingsStep.plan(makeContext(sandboxConfig(sb)));
    expect(change).toMatchObject({ action: "update", destructive: true });
    expect(change!.reason).toContain("Their ticketing");
    expect(change!.diff).toContainEqual({
      field: "connector",
      from: "their-jira-like",
      to: "elastic-sentinel-cases-webhook",
    });
  });

  it("declining the confirmation keeps the user's connector", async () => {
    const io = testIo({ [CONFIRM]: false });
    const ctx = makeContext(sandboxConfig(sb), { io });
    await caseSettingsStep.apply(ctx, await caseSettingsStep.plan(ctx));
    expect(io.questions.map((q) => [q.code, q.kind === "confirm" && q.destructive])).toEqual([[CONFIRM, true]]);
    expect(sb.state.caseConfigurations()[0]!.connector.id).toBe("their-jira-like");
    expect(io.messages.some((m) => m.level === "warn" && m.text.includes("Their ticketing"))).toBe(true);
  });

  it("confirming PATCHes the existing configuration (same id) and keeps the closure type", async () => {
    const before = sb.state.caseConfigurations()[0]!;
    const ctx = makeContext(sandboxConfig(sb), { io: testIo({ [CONFIRM]: true }) });
    await caseSettingsStep.apply(ctx, await caseSettingsStep.plan(ctx));
    const after = sb.state.caseConfigurations();
    expect(after).toHaveLength(1);
    expect(after[0]!.id).toBe(before.id);
    expect(after[0]!.connector).toEqual({
      id: "elastic-sentinel-cases-webhook",
      name: "Microsoft Sentinel incidents (elastic-sentinel)",
      type: ".cases-webhook",
      fields: null,
    });
    expect(after[0]!.closure_type).toBe("close-by-pushing");
    const [again] = await caseSettingsStep.plan(makeContext(sandboxConfig(sb)));
    expect(again!.action).toBe("no-op");
  });

  it("cases.closureType, when given, changes the closure type", async () => {
    const ctx = makeContext(sandboxConfig(sb, { cases: { closureType: "close-by-user" } }), {
      io: testIo({ [CONFIRM]: true }),
    });
    const plan = await caseSettingsStep.plan(ctx);
    expect(plan[0]!.diff).toContainEqual({ field: "closure_type", from: "close-by-pushing", to: "close-by-user" });
    await caseSettingsStep.apply(ctx, plan);
    expect(sb.state.caseConfigurations()[0]!.closure_type).toBe("close-by-user");
  });

  it("no connector configured ('none') is replaced without asking", async () => {
    const current = (await kibana.getCaseConfigurations("securitySolution"))[0]!;
    await kibana.patchCaseConfiguration(current.id, {
      version: current.version,
      connector: { id: "none", name: "none", type: ".none", fields: null },
    });
    const io = testIo();
    const ctx = makeContext(sandboxConfig(sb), { io });
    const plan = await caseSettingsStep.plan(ctx);
    expect(plan[0]).toMatchObject({ action: "update", destructive: false });
    await caseSettingsStep.apply(ctx, plan);
    expect(io.questions).toEqual([]);
    expect(sb.state.caseConfigurations()[0]!.connector.id).toBe("elastic-sentinel-cases-webhook");
  });
});

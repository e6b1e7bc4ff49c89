/**
 * Teardown puts the default case connector back to what setup found. Setup records the replaced
 * connector on our own case connector (header X-Sentinel-Elastic-Replaced-Connector); the case connector step
 * keeps that header and never reports it as drift; teardown reads it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { KibanaApi } from "../../../src/kibana/client.js";
import { REPLACED_CONNECTOR_HEADER } from "../../../src/kibana/connector-bodies.js";
import { type ElasticSandbox, startElasticSandbox } from "../../../src/sandbox/elastic/index.js";
import { caseConnectorStep } from "../../../src/steps/kibana/case-connector.js";
import { caseSettingsStep } from "../../../src/steps/kibana/case-settings.js";
import { caseConnectorTeardown } from "../../../src/steps/kibana/case-connector.js";
import { caseSettingsTeardown } from "../../../src/steps/kibana/case-settings.js";
import { makeContext, type Receiver, sandboxConfig, startReceiver, testIo } from "./helpers.js";

const CONFIRM = "kibana.caseSettings.replaceConnector";
const OURS = "elastic-sentinel-cases-webhook";
const THEIRS = "their-tickets";

describe("case settings: setup remembers the replaced default, teardown puts it back", () => {
  let sb: ElasticSandbox;
  let rx: Receiver;
  let kibana: KibanaApi;
  const ctx = () => {
    const c = makeContext(sandboxConfig(sb), { io: testIo({ [CONFIRM]: true }) });
    Object.assign(c.shared.callbackUrls, rx.urls);
    return c;
  };
  const run = async (step: typeof caseConnectorStep, c = ctx()) => {
    const plan = await step.plan(c);
    await step.apply(c, plan);
    return plan;
  };
  const defaultConnector = () => sb.state.caseConfigurations()[0]?.connector?.id;
  const marker = async () =>
    ((await kibana.getConnector(OURS))?.config?.headers as Record<string, string> | null | undefined)?.[
      REPLACED_CONNECTOR_HEADER
    ];
  const setup = async () => {
    await run(caseConnectorStep);
    await run(caseSettingsStep);
  };
  const teardown = async () => {
    await run(caseSettingsTeardown);
    await run(caseConnectorTeardown);
  };

  beforeAll(async () => {
    sb = await startElasticSandbox({ kibanaVersion: "9.2.0", allowedHosts: ["*"] });
    rx = await startReceiver();
    kibana = await makeContext(sandboxConfig(sb)).clients.kibana();
  });
  afterAll(async () => {
    await sb?.stop();
    await rx?.stop();
  });
  beforeEach(async () => {
    if (await kibana.getConnector(THEIRS)) return;
    await kibana.createConnector(THEIRS, ".cases-webhook", {
      name: "Équipe ticketing", // non-ASCII: the header value must stay a valid HTTP header
      config: {
        createIncidentUrl: "http://127.0.0.1:9/x",
        createIncidentJson: '{"t":{{{case.title}}}}',
        createIncidentResponseKey: "id",
        getIncidentUrl: "http://127.0.0.1:9/x/{{{external.system.id}}}",
        getIncidentResponseExternalTitleKey: "t",
        viewIncidentUrl: "http://127.0.0.1:9/x/{{{external.system.id}}}",
        updateIncidentUrl: "http://127.0.0.1:9/x/{{{external.system.id}}}",
        updateIncidentJson: '{"t":{{{case.title}}}}',
        hasAuth: false,
      },
      secrets: {},
    });
  });

  it("replacing the team's default records it on our connector, and a re-run keeps it without drift", async () => {
    await kibana.createCaseConfiguration({
      owner: "securitySolution",
      closure_type: "close-by-user",
      connector: { id: THEIRS, name: "Équipe ticketing", type: ".cases-webhook", fields: null },
    });
    await setup();
    expect(defaultConnector()).toBe(OURS);
    const value = await marker();
    expect(value).toMatch(/^[\x20-\x7e]+$/);
    expect(JSON.parse(value!)).toEqual({ id: THEIRS, name: "Équipe ticketing", type: ".cases-webhook" });
    const again = await caseConnectorStep.plan(ctx());
    expect(again.map((c) => c.action)).toEqual(["no-op"]);
    expect((await caseConnectorStep.verify!(ctx()))[0]!.status).toBe("pass");
    // A forced update (the connector drifted) keeps the marker.
    const current = (await kibana.getConnector(OURS))!;
    await kibana.updateConnector(OURS, { name: "renamed by hand", config: current.config!, secrets: {} });
    await run(caseConnectorStep);
    expect(await marker()).toBe(value);
  });

  it("teardown puts the team's connector back as the default (name and type from the live connector)", async () => {
    const plan = await caseSettingsTeardown.plan(ctx());
    expect(plan[0]).toMatchObject({ action: "update", diff: [{ field: "connector", from: OURS, to: THEIRS }] });
    expect(plan[0]!.reason).toContain("Équipe ticketing");
    await teardown();
    expect(sb.state.caseConfigurations()[0]!.connector).toEqual({
      id: THEIRS,
      name: "Équipe ticketing",
      type: ".cases-webhook",
      fields: null,
    });
    expect(await kibana.getConnector(OURS)).toBeUndefined();
    expect((await caseSettingsTeardown.plan(ctx()))[0]!.action).toBe("no-op");
  });

  it("when the replaced connector was deleted since, teardown sets none and says so", async () => {
    await setup();
    await kibana.deleteConnector(THEIRS);
    const plan = await caseSettingsTeardown.plan(ctx());
    expect(plan[0]!.diff).toEqual([{ field: "connector", from: OURS, to: "none" }]);
    expect(plan[0]!.reason).toMatch(/no longer exists/);
    await teardown();
    expect(defaultConnector()).toBe("none");
  });

  it("when setup found no default connector, it records none (clearing an older record) and teardown sets none", async () => {
    await run(caseConnectorStep);
    // An older run's record that no longer holds: the default is none now.
    const c = (await kibana.getConnector(OURS))!;
    await kibana.updateConnector(OURS, {
      name: c.name,
      config: {
        ...c.config,
        headers: {
          ...(c.config!.headers as object),
          [REPLACED_CONNECTOR_HEADER]: '{"id":"old","name":"old","type":".none"}',
        },
      },
      secrets: {},
    });
    expect(defaultConnector()).toBe("none");
    await run(caseSettingsStep);
    expect(defaultConnector()).toBe(OURS);
    expect(await marker()).toBeUndefined();
    await teardown();
    expect(defaultConnector()).toBe("none");
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SentinelElasticError } from "../../../src/errors.js";
import { type ElasticSandbox, startElasticSandbox } from "../../../src/sandbox/elastic/index.js";
import { caseConnectorStep } from "../../../src/steps/kibana/case-connector.js";
import { changed, makeContext, type Receiver, runSetup, sandboxConfig, startReceiver } from "./helpers.js";

describe("drift, wrong objects and spaces", () => {
  let sb: ElasticSandbox;
  let rx: Receiver;
  beforeAll(async () => {
    sb = await startElasticSandbox({ kibanaVersion: "8.17.0", spaces: ["default", "soc"], allowedHosts: ["*"] });
    rx = await startReceiver();
  });
  afterAll(async () => {
    await sb?.stop();
    await rx?.stop();
  });

  it("runs in a non-default space: objects land there and case links carry /s/<space>", async () => {
    const ctx = makeContext(sandboxConfig(sb, { elastic: { space: "soc" } }), { now: () => sb.clock.now() });
    await runSetup(ctx, { between: (c) => Object.assign(c.shared.callbackUrls, rx.urls) });
    expect(
      sb.state
        .connectors("soc")
        .map((c) => c.id)
        .sort(),
    ).toEqual(["elastic-sentinel-alert-webhook", "elastic-sentinel-cases-webhook"]);
    expect(sb.state.connectors("default")).toEqual([]);
    const cw = sb.state.connectors("soc").find((c) => c.id === "elastic-sentinel-cases-webhook")!;
    expect(String(cw.config.createIncidentJson)).toContain(
      `"elastic_url_base":"${sb.kibanaUrl}/s/soc/app/security/cases/"`,
    );
    expect(sb.state.rules("soc")).toHaveLength(1);
  });

  it("a field changed by hand is found field by field and put back; verify reports it first", async () => {
    const config = sandboxConfig(sb, { elastic: { space: "soc" } });
    const cw = sb.state.connectors("soc").find((c) => c.id === "elastic-sentinel-cases-webhook")!;
    cw.config.createIncidentJson = '{"title":{{{case.title}}}}';
    cw.config.updateIncidentMethod = "put";
    const ctx = makeContext(config);
    Object.assign(ctx.shared.callbackUrls, rx.urls);
    const [check] = await caseConnectorStep.verify!(ctx);
    expect(check).toMatchObject({ status: "fail" });
    expect(check!.cause).toContain("createIncidentJson");
    const { plan } = await runSetup(ctx);
    const change = plan.find((c) => c.step === "kibana-case-connector")!;
    expect(change.action).toBe("update");
    expect(change.diff!.map((d) => d.field).sort()).toEqual([
      "config.createIncidentJson",
      "config.updateIncidentMethod",
    ]);
    expect(changed((await runSetup(makeContext(config, { shared: ctx.shared }), { dryRun: true })).plan)).toEqual([]);
  });

  it("a connector with our id but another type is a conflict; adopted, a precondition error, never overwritten", async () => {
    const kibana = await makeContext(sandboxConfig(sb)).clients.kibana();
    await kibana.createConnector("elastic-sentinel-cases-webhook", ".webhook", {
      name: "someone else's",
      config: { url: "http://127.0.0.1:9/", hasAuth: false },
      secrets: {},
    });
    const [row] = await caseConnectorStep.plan(makeContext(sandboxConfig(sb)));
    expect(row!.action).toBe("conflict");
    const adopting = makeContext(sandboxConfig(sb));
    adopting.shared.adopt = ["elastic-sentinel-cases-webhook"];
    const e = await caseConnectorStep.plan(adopting).catch((x: SentinelElasticError) => x);
    expect((e as SentinelElasticError).code).toBe("KIBANA_CONNECTOR_WRONG_TYPE");
    expect((e as SentinelElasticError).exitCode).toBe(5);
  });

  it("apply without the callback URLs stops with a clear error instead of writing a placeholder", async () => {
    const ctx = makeContext(sandboxConfig(sb, { naming: { prefix: "other-prefix" } }));
    const plan = await caseConnectorStep.plan(ctx);
    expect(plan[0]!.action).toBe("create");
    const e = await caseConnectorStep.apply(ctx, plan).catch((x: SentinelElasticError) => x);
    expect((e as SentinelElasticError).code).toBe("CALLBACK_URL_MISSING");
    expect(sb.state.connectors().some((c) => c.id === "other-prefix-cases-webhook")).toBe(false);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AzureSandbox, startAzureSandbox } from "../../../src/sandbox/azure/index.js";
import { arm, call, deploy, echoDefinition, rgPath, sandboxOptions, templateOf } from "./helpers.js";

let sb: AzureSandbox;
const V = "api-version=2019-05-01";
const wfPath = (name: string) => `${rgPath(sb)}/providers/Microsoft.Logic/workflows/${name}`;

async function putWorkflow(name: string, props: Record<string, unknown> = {}) {
  return arm(sb, "PUT", `${wfPath(name)}?${V}`, {
    location: "westeurope",
    identity: { type: "SystemAssigned" },
    properties: { state: "Enabled", definition: echoDefinition(), ...props },
  });
}

async function callbackUrl(name: string): Promise<string> {
  const r = await arm(sb, "POST", `${wfPath(name)}/triggers/manual/listCallbackUrl?${V}`);
  expect(r.status).toBe(200);
  return r.body.value as string;
}

beforeAll(async () => {
  sb = await startAzureSandbox(sandboxOptions);
});
afterAll(async () => {
  await sb?.stop();
});

describe("Microsoft.Logic/workflows and the trigger endpoint", () => {
  it("PUT stores the workflow with a system-assigned identity that has a principal id", async () => {
    const r = await putWorkflow("wf-a");
    expect(r.status).toBe(201);
    expect(r.body.identity.principalId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.body.properties.state).toBe("Enabled");
    expect(sb.state.principals.get(r.body.identity.principalId)?.managedIdentityOf).toBe(r.body.id);
    const again = await putWorkflow("wf-a");
    expect(again.status).toBe(200);
    expect(again.body.identity.principalId).toBe(r.body.identity.principalId);
  });

  it("listCallbackUrl returns a URL on the sandbox Logic Apps endpoint carrying sp, sv and sig", async () => {
    const url = new URL(await callbackUrl("wf-a"));
    expect(url.origin).toBe(sb.endpoints.logicApps);
    expect(url.pathname).toMatch(/\/triggers\/manual\/paths\/invoke$/);
    expect(url.searchParams.get("sp")).toBe("/triggers/manual/run");
    expect(url.searchParams.get("sv")).toBe("1.0");
    expect(url.searchParams.get("sig")).toBeTruthy();
  });

  it("the trigger URL with a valid sig runs the workflow and answers with the Response action and x-ms-workflow-run-id", async () => {
    const res = await call(sb, "POST", await callbackUrl("wf-a"), { body: { hello: "world" } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ echo: { hello: "world" } });
    const runId = res.headers["x-ms-workflow-run-id"] as string;
    expect(runId).toBeTruthy();
    const runs = await arm(sb, "GET", `${wfPath("wf-a")}/runs?${V}`);
    expect(runs.body.value.map((r: { name: string }) => r.name)).toContain(runId);
    const actions = await arm(sb, "GET", `${wfPath("wf-a")}/runs/${runId}/actions?${V}`);
    expect(actions.body.value.map((a: { name: string }) => a.name)).toContain("Response");
  });

  it("a trigger call with a wrong sig gets 401, and one without sig gets 401", async () => {
    const url = new URL(await callbackUrl("wf-a"));
    url.searchParams.set("sig", "not-the-signature");
    expect((await call(sb, "POST", url.toString(), { body: {} })).status).toBe(401);
    url.searchParams.delete("sig");
    const res = await call(sb, "POST", url.toString(), { body: {} });
    expect(res.status).toBe(401);
    expect(res.text).not.toContain("sig=");
  });

  it("regenerateAccessKey invalidates callback URLs signed with the old key", async () => {
    const old = await callbackUrl("wf-a");
    const r = await arm(sb, "POST", `${wfPath("wf-a")}/regenerateAccessKey?${V}`, { keyType: "Primary" });
    expect(r.status).toBe(200);
    expect((await call(sb, "POST", old, { body: {} })).status).toBe(401);
    const fresh = await callbackUrl("wf-a");
    expect(fresh).not.toBe(old);
    expect((await call(sb, "POST", fresh, { body: { a: 1 } })).status).toBe(200);
  });

  it("a disabled workflow's trigger URL gets 404", async () => {
    await putWorkflow("wf-off");
    const url = await callbackUrl("wf-off");
    await putWorkflow("wf-off", { state: "Disabled" });
    expect((await call(sb, "POST", url, { body: {} })).status).toBe(404);
  });

  it("a workflow definition with an unsupported action type is refused with InvalidTemplate naming it", async () => {
    const def = echoDefinition() as { actions: Record<string, unknown> };
    def.actions.Mystery = { type: "FlatFileDecoding", inputs: {}, runAfter: {} };
    const r = await putWorkflow("wf-bad", { definition: def });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("InvalidTemplate");
    expect(r.body.error.message).toContain("FlatFileDecoding");
  });

  it("an invalid workflow state is refused", async () => {
    const r = await putWorkflow("wf-state", { state: "Sleeping" });
    expect(r.status).toBe(400);
  });

  it("listCallbackUrl for an unknown trigger gets 404 WorkflowTriggerNotFound", async () => {
    const r = await arm(sb, "POST", `${wfPath("wf-a")}/triggers/nope/listCallbackUrl?${V}`);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe("WorkflowTriggerNotFound");
  });

  it("listCallbackUrl in template outputs fails the deployment (outputs are kept in deployment history)", async () => {
    const template = templateOf([], {
      outputs: {
        url: {
          type: "string",
          value:
            "[listCallbackUrl(concat(resourceId('Microsoft.Logic/workflows', 'wf-a'), '/triggers/manual'), '2019-05-01').value]",
        },
      },
    });
    const { state, deployment } = await deploy(sb, "cb", template);
    expect(state).toBe("Failed");
    expect(JSON.stringify(deployment)).toContain("listCallbackUrl");
    expect(JSON.stringify(deployment)).not.toContain("sig=");
  });
});

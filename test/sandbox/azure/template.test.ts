import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AzureSandbox, startAzureSandbox } from "../../../src/sandbox/azure/index.js";
import { armGuid } from "../../../src/sandbox/azure/template/hash.js";
import { armClient, deploy, echoDefinition, RG, rgPath, sandboxOptions, templateOf, WS, wsId } from "./helpers.js";

let sb: AzureSandbox;
const RESPONDER = "3e150937-b8fe-4cfb-8069-0eaf05ecd056";

beforeAll(async () => {
  sb = await startAzureSandbox(sandboxOptions);
});
afterAll(async () => {
  await sb?.stop();
});

const workflow = (name: string, extra: Record<string, unknown> = {}) => ({
  type: "Microsoft.Logic/workflows",
  apiVersion: "2019-05-01",
  name,
  location: "[resourceGroup().location]",
  identity: { type: "SystemAssigned" },
  properties: { state: "Enabled", definition: echoDefinition() },
  ...extra,
});

describe("template evaluation", () => {
  it("dependsOn orders a role assignment after the workflow whose principalId it reads with reference(..., 'full')", async () => {
    const t = templateOf([
      {
        type: "Microsoft.Authorization/roleAssignments",
        apiVersion: "2022-04-01",
        scope: `[format('Microsoft.OperationalInsights/workspaces/{0}', '${WS}')]`,
        name: `[guid(resourceId('Microsoft.OperationalInsights/workspaces', '${WS}'), 'wf-ra', '${RESPONDER}')]`,
        dependsOn: ["[resourceId('Microsoft.Logic/workflows', 'wf-ra')]"],
        properties: {
          roleDefinitionId: `[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '${RESPONDER}')]`,
          principalId:
            "[reference(resourceId('Microsoft.Logic/workflows', 'wf-ra'), '2019-05-01', 'full').identity.principalId]",
          principalType: "ServicePrincipal",
        },
      },
      workflow("wf-ra"),
    ]);
    const { state, operations } = await deploy(sb, "ra", t);
    expect(state).toBe("Succeeded");
    expect(operations.map((o) => o.properties.targetResource.resourceType)).toEqual([
      "Microsoft.Logic/workflows",
      "Microsoft.Authorization/roleAssignments",
    ]);
    const wf = sb.state.getResource(`${rgPath(sb)}/providers/Microsoft.Logic/workflows/wf-ra`)!;
    expect(sb.state.hasRole(wf.identity!.principalId!, RESPONDER, wsId(sb))).toBe(true);
    const name = armGuid([`${wsId(sb)}`, "wf-ra", RESPONDER]);
    expect(sb.state.getResource(`${wsId(sb)}/providers/Microsoft.Authorization/roleAssignments/${name}`)).toBeDefined();
  });

  it("guid() is deterministic, so a second deployment finds the same role assignment (no RoleAssignmentExists)", async () => {
    expect(armGuid(["a", "b"])).toBe(armGuid(["a", "b"]));
    expect(armGuid(["a", "b"])).not.toBe(armGuid(["a", "c"]));
    expect(armGuid(["x"])).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("a nested deployment with inner scope deploys into another resource group with its own parameters", async () => {
    const inner = templateOf([workflow("[parameters('wfName')]")], {
      parameters: { wfName: { type: "string" } },
      outputs: { rg: { type: "string", value: "[resourceGroup().name]" } },
    });
    const t = templateOf([
      {
        type: "Microsoft.Resources/deployments",
        apiVersion: "2022-09-01",
        name: "nested",
        resourceGroup: "rg-logic",
        properties: {
          mode: "Incremental",
          expressionEvaluationOptions: { scope: "inner" },
          parameters: { wfName: { value: "[concat('wf-', 'nested')]" } },
          template: inner,
        },
      },
    ]);
    const { state } = await deploy(sb, "outer", t);
    expect(state).toBe("Succeeded");
    expect(
      sb.state.getResource(`${rgPath(sb, "rg-logic")}/providers/Microsoft.Logic/workflows/wf-nested`),
    ).toBeDefined();
    const client = await armClient(sb);
    const nested = await client.deployments.get("rg-logic", "nested");
    expect((nested.properties?.outputs as Record<string, { value: unknown }> | undefined)?.rg?.value).toBe("rg-logic");
  });

  it("a failing resource in a nested deployment fails the outer one with nested DeploymentFailed details", async () => {
    const inner = templateOf([
      {
        type: "Microsoft.OperationalInsights/workspaces/tables",
        apiVersion: "2022-10-01",
        name: `${WS}/Broken_CL`,
        properties: { schema: { columns: [{ name: "X", type: "string" }] } },
      },
    ]);
    const t = templateOf([
      {
        type: "Microsoft.Resources/deployments",
        apiVersion: "2022-09-01",
        name: "nested-fail",
        resourceGroup: RG,
        properties: { mode: "Incremental", expressionEvaluationOptions: { scope: "inner" }, template: inner },
      },
    ]);
    const { state, deployment } = await deploy(sb, "outer-fail", t, {}, "rg-logic");
    expect(state).toBe("Failed");
    const detail = deployment.properties.error.details[0];
    expect(detail.code).toBe("DeploymentFailed");
    expect(JSON.stringify(detail.details)).toContain("TimeGenerated");
  });

  it("condition false skips a resource and copy makes several", async () => {
    const t = templateOf(
      [
        workflow("wf-skipped", { condition: "[equals(parameters('flag'), 'on')]" }),
        workflow("[concat('wf-copy-', copyIndex())]", { copy: { name: "wfs", count: 2 } }),
      ],
      { parameters: { flag: { type: "string", defaultValue: "off", allowedValues: ["on", "off"] } } },
    );
    expect((await deploy(sb, "copy", t)).state).toBe("Succeeded");
    const base = `${rgPath(sb)}/providers/Microsoft.Logic/workflows`;
    expect(sb.state.getResource(`${base}/wf-skipped`)).toBeUndefined();
    expect(sb.state.getResource(`${base}/wf-copy-0`)).toBeDefined();
    expect(sb.state.getResource(`${base}/wf-copy-1`)).toBeDefined();
  });

  it("a value outside allowedValues, a missing parameter and an unknown parameter are InvalidTemplate errors", async () => {
    const t = templateOf([], { parameters: { flag: { type: "string", allowedValues: ["on", "off"] } } });
    await expect(deploy(sb, "p1", t, { flag: { value: "maybe" } })).rejects.toMatchObject({
      code: "InvalidTemplate",
      message: expect.stringContaining("allowed value"),
    });
    await expect(deploy(sb, "p2", t)).rejects.toMatchObject({
      code: "InvalidTemplate",
      message: expect.stringContaining("'flag'"),
    });
    await expect(deploy(sb, "p3", t, { flag: { value: "on" }, extra: { value: 1 } })).rejects.toMatchObject({
      code: "InvalidTemplate",
      message: expect.stringContaining("extra"),
    });
  });

  it("an unsupported resource type fails preflight with InvalidTemplate naming it", async () => {
    const t = templateOf([
      { type: "Microsoft.Storage/storageAccounts", apiVersion: "2023-01-01", name: "st", location: "westeurope" },
    ]);
    await expect(deploy(sb, "st", t)).rejects.toMatchObject({
      code: "InvalidTemplate",
      message: expect.stringContaining("Microsoft.Storage/storageAccounts"),
    });
  });

  it("Logic Apps @ expressions inside a workflow definition are left alone, and [[ escapes a literal [", async () => {
    const def = echoDefinition() as any;
    def.actions.Compose = { type: "Compose", inputs: "[[not an ARM expression]", runAfter: {} };
    const t = templateOf([workflow("wf-escape", { properties: { state: "Enabled", definition: def } })]);
    expect((await deploy(sb, "escape", t)).state).toBe("Succeeded");
    const wf = sb.state.getResource(`${rgPath(sb)}/providers/Microsoft.Logic/workflows/wf-escape`)!;
    expect(wf.properties.definition.actions.Response.inputs.body.echo).toBe("@triggerBody()");
    expect(wf.properties.definition.actions.Compose.inputs).toBe("[not an ARM expression]");
  });

  it("a parameter default may use a parameter declared after it, and outputs read a nested deployment's outputs", async () => {
    const inner = templateOf([], { outputs: { greeting: { type: "string", value: "hello" } } });
    const t = templateOf(
      [
        {
          type: "Microsoft.Resources/deployments",
          apiVersion: "2022-09-01",
          name: "inner-out",
          properties: { mode: "Incremental", expressionEvaluationOptions: { scope: "inner" }, template: inner },
        },
      ],
      {
        parameters: {
          full: { type: "string", defaultValue: "[concat(parameters('prefix'), '-wf')]" },
          prefix: { type: "string", defaultValue: "se" },
        },
        outputs: {
          full: { type: "string", value: "[parameters('full')]" },
          nested: { type: "string", value: "[reference('inner-out').outputs.greeting.value]" },
        },
      },
    );
    const { deployment } = await deploy(sb, "order", t);
    expect(deployment.properties.outputs.full.value).toBe("se-wf");
    expect(deployment.properties.outputs.nested.value).toBe("hello");
  });

  it("environment() points templates at this sandbox's Resource Manager", async () => {
    const t = templateOf([], { outputs: { arm: { type: "string", value: "[environment().resourceManager]" } } });
    const { deployment } = await deploy(sb, "env", t);
    expect(deployment.properties.outputs.arm.value).toBe(`${sb.endpoints.resourceManager}/`);
  });

  it("string functions evaluate as ARM does", async () => {
    const t = templateOf([], {
      variables: { parts: "[split('a,b,c', ',')]" },
      outputs: {
        f: { type: "string", value: "[format('{0}-{1}', toUpper('x'), last(variables('parts')))]" },
        u: { type: "object", value: "[union(createObject('a', 1), json('{\"b\": true}'))]" },
        c: { type: "bool", value: "[and(contains(variables('parts'), 'b'), not(empty(variables('parts'))))]" },
        t: { type: "array", value: "[take(skip(variables('parts'), 1), 1)]" },
        i: { type: "int", value: "[add(length(variables('parts')), int('2'))]" },
        r: { type: "string", value: "[replace(uri('https://x.example/a/', 'b'), 'x.example', 'y')]" },
      },
    });
    const { deployment } = await deploy(sb, "fns", t);
    const o = deployment.properties.outputs;
    expect(o.f.value).toBe("X-c");
    expect(o.u.value).toEqual({ a: 1, b: true });
    expect(o.c.value).toBe(true);
    expect(o.t.value).toEqual(["b"]);
    expect(o.i.value).toBe(5);
    expect(o.r.value).toBe("https://y/a/b");
  });

  it("Complete mode deletes group resources the template does not mention (whatIf: Delete); Incremental leaves them", async () => {
    const client = await armClient(sb);
    const t = templateOf([workflow("wf-keep")]);
    const w = await client.deployments.beginWhatIfAndWait("rg-logic", "complete", {
      properties: { mode: "Complete", template: t },
    });
    expect(w.changes?.find((c) => c.resourceId?.endsWith("/wf-nested"))?.changeType).toBe("Delete");
    expect((await deploy(sb, "complete-inc", t, {}, "rg-logic")).state).toBe("Succeeded");
    const nested = sb.state.getResource(`${rgPath(sb, "rg-logic")}/providers/Microsoft.Logic/workflows/wf-nested`);
    expect(nested).toBeDefined();
    expect((await deploy(sb, "complete", t, {}, "rg-logic", "Complete")).state).toBe("Succeeded");
    expect(sb.state.getResource(nested!.id)).toBeUndefined();
    expect(sb.state.getResource(`${rgPath(sb, "rg-logic")}/providers/Microsoft.Logic/workflows/wf-keep`)).toBeDefined();
    expect(sb.state.principals.has(nested!.identity!.principalId!)).toBe(false);
  });

  it("constructs the sandbox does not evaluate are refused by name, never ignored (property copy, templateLink, user functions)", async () => {
    const propertyCopy = templateOf([
      {
        type: "Microsoft.OperationalInsights/workspaces/tables",
        apiVersion: "2022-10-01",
        name: `${WS}/Copy_CL`,
        properties: {
          schema: {
            copy: [
              { name: "columns", count: 2, input: { name: "[concat('c', copyIndex('columns'))]", type: "string" } },
            ],
          },
        },
      },
    ]);
    const r = await deploy(sb, "pcopy", propertyCopy);
    expect(r.state).toBe("Failed");
    expect(JSON.stringify(r.deployment.properties.error)).toContain("Property copy loops");
    const linked = templateOf([
      {
        type: "Microsoft.Resources/deployments",
        apiVersion: "2022-09-01",
        name: "linked",
        properties: { mode: "Incremental", templateLink: { uri: "https://example.com/t.json" } },
      },
    ]);
    await expect(deploy(sb, "linked", linked)).rejects.toMatchObject({
      code: "InvalidTemplate",
      message: expect.stringContaining("templateLink"),
    });
    const userFunctions = templateOf([], { functions: [{ namespace: "x", members: {} }] });
    await expect(deploy(sb, "ufn", userFunctions)).rejects.toMatchObject({
      code: "InvalidTemplate",
      message: expect.stringContaining("functions"),
    });
  });

  it("a template needs contentVersion n.n.n.n, and a deployment name is at most 64 safe characters", async () => {
    await expect(deploy(sb, "nocv", { resources: [] })).rejects.toMatchObject({
      code: "InvalidTemplate",
      message: expect.stringContaining("contentVersion"),
    });
    await expect(deploy(sb, "x".repeat(65), templateOf([]))).rejects.toMatchObject({ code: "InvalidDeploymentName" });
  });
});

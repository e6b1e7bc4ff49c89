/**
 * Each Azure preflight failure stops the run before anything changes, with exit 4 (sign-in or permission)
 * or 5 (precondition), and says exactly what is missing and how to fix it.
 */
import { randomUUID } from "node:crypto";
import type { TokenCredential } from "@azure/core-auth";
import { afterEach, describe, expect, it } from "vitest";
import { createHttpClient, tlsOptionsFor } from "../../../src/azure/pipeline.js";
import type { ResolvedConfig } from "../../../src/config/schema.js";
import { createStepContext } from "../../../src/engine/context.js";
import { exitCodeOf, type SentinelElasticError } from "../../../src/errors.js";
import { createClassicTable, type AzureSandboxOptions } from "../../../src/sandbox/azure/index.js";
import { TestIoHost } from "../../helpers/test-io-host.js";
import {
  type AzureSandbox,
  LOGIC_RG,
  WORKSPACE,
  WORKSPACE_RG,
  actionable,
  azureConfig,
  azureRun,
  planAll,
  sandboxOptions,
  startAzureSandbox,
} from "./azure-context.js";

let sb: AzureSandbox | undefined;
afterEach(async () => {
  await sb?.stop();
  sb = undefined;
});

async function planFails(
  options: AzureSandboxOptions,
  patch: Parameters<typeof azureConfig>[1] = {},
  io?: TestIoHost,
  before?: (sb: AzureSandbox) => Promise<void> | void,
): Promise<SentinelElasticError> {
  sb = await startAzureSandbox(sandboxOptions(options));
  await before?.(sb);
  const run = azureRun(sb, azureConfig(sb, patch), io);
  const err = await planAll(run.ctx).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, "the plan should have failed").toBeDefined();
  // Nothing was created on the way to the failure.
  expect([...sb.state.resources.keys()].filter((k) => /microsoft\.(logic|insights|web)\//i.test(k))).toEqual([]);
  return err as SentinelElasticError;
}

describe("Azure preflight failures", () => {
  it("a credential that cannot sign in is exit 4 with how to sign in", async () => {
    sb = await startAzureSandbox(sandboxOptions());
    const broken: TokenCredential = {
      getToken: async () => {
        const e = new Error("Please run 'az login' to setup account.");
        e.name = "CredentialUnavailableError";
        throw e;
      },
    };
    const ctx = createStepContext({
      config: azureConfig(sb),
      io: new TestIoHost({ interactive: false }),
      overrides: { azureCredential: broken, azureCaCerts: [sb.caCert] },
    });
    const err = (await planAll(ctx).catch((e: unknown) => e)) as SentinelElasticError;
    expect(exitCodeOf(err)).toBe(4);
    expect(err.message).toMatch(/could not get an Azure token \(CredentialUnavailableError\): Please run 'az login'/);
    expect(err.suggestion).toMatch(/az login/);
  });

  it("a subscription the sign-in cannot see is exit 5 naming the input to fix", async () => {
    sb = await startAzureSandbox(sandboxOptions());
    const config: ResolvedConfig = azureConfig(sb, { azure: { subscriptionId: randomUUID() } });
    const err = (await planAll(azureRun(sb, config).ctx).catch((e: unknown) => e)) as SentinelElasticError;
    expect(exitCodeOf(err)).toBe(5);
    expect(err.code).toBe("AZURE_SUBSCRIPTION_NOT_FOUND");
    expect(err.message).toBe(`subscription ${config.azure.subscriptionId} was not found for this sign-in`);
    expect(err.suggestion).toMatch(/AZURE_SUBSCRIPTION_ID/);
  });

  it("a missing workspace resource group is exit 5", async () => {
    const err = await planFails({ resourceGroups: [{ name: LOGIC_RG, location: "westeurope" }], workspaces: [] });
    expect(exitCodeOf(err)).toBe(5);
    expect(err.code).toBe("AZURE_RESOURCE_GROUP_NOT_FOUND");
    expect(err.message).toContain(`resource group ${WORKSPACE_RG}`);
    expect(err.suggestion).toMatch(/sentinel\.resourceGroup/);
  });

  it("a missing workspace is exit 5 naming the workspace and its resource group", async () => {
    const err = await planFails({ workspaces: [] });
    expect(exitCodeOf(err)).toBe(5);
    expect(err.message).toBe(`Log Analytics workspace ${WORKSPACE} was not found in ${WORKSPACE_RG}`);
    expect(err.suggestion).toMatch(/sentinel\.workspaceName/);
  });

  it("a workspace without Microsoft Sentinel is exit 5 with how to add it", async () => {
    const err = await planFails({ workspaces: [{ name: WORKSPACE, resourceGroup: WORKSPACE_RG, sentinel: false }] });
    expect(exitCodeOf(err)).toBe(5);
    expect(err.message).toBe(`Microsoft Sentinel is not enabled on workspace ${WORKSPACE}`);
    expect(err.suggestion).toMatch(/Add Microsoft Sentinel/);
  });

  it("an unregistered resource provider is exit 5 with the az command that registers it", async () => {
    const err = await planFails({ unregisteredProviders: ["Microsoft.Logic", "Microsoft.Insights"] });
    expect(exitCodeOf(err)).toBe(5);
    expect(err.message).toMatch(/not registered in the subscription: Microsoft\.Logic, Microsoft\.Insights/);
    expect(err.suggestion).toBe(
      "az provider register --namespace Microsoft.Logic && az provider register --namespace Microsoft.Insights",
    );
  });

  it("a missing Logic Apps resource group the user does not want created is exit 5", async () => {
    const io = new TestIoHost({ interactive: true, answers: { "azure.createResourceGroup": false } });
    const err = await planFails({ resourceGroups: [{ name: WORKSPACE_RG, location: "westeurope" }] }, {}, io);
    expect(io.asked.map((q) => q.code)).toEqual(["azure.createResourceGroup"]);
    expect(exitCodeOf(err)).toBe(5);
    expect(err.message).toBe(`resource group ${LOGIC_RG} does not exist`);
    expect(err.suggestion).toContain(`az group create -n ${LOGIC_RG}`);
  });

  it("a deployer who may not create role assignments is exit 4 naming the action and role, and offers oauth", async () => {
    const err = await planFails({ deployerRoles: ["Contributor"] }, { features: { alertForwarding: false } });
    expect(exitCodeOf(err)).toBe(4);
    expect(err.message).toMatch(/Microsoft\.Authorization\/roleAssignments\/write on .*ws-sentinel/);
    expect(err.message).toMatch(
      /needs the role "Owner, User Access Administrator or Role Based Access Control Administrator"/,
    );
    expect(err.suggestion).toMatch(/--sentinel-authorization oauth/);
  });

  it("with oauth the same deployer passes preflight for case sync (no role assignment needed)", async () => {
    sb = await startAzureSandbox(sandboxOptions({ deployerRoles: ["Contributor"] }));
    const config = azureConfig(sb, { sentinel: { authorization: "oauth" }, features: { alertForwarding: false } });
    const plan = await planAll(azureRun(sb, config).ctx);
    expect(actionable(plan).map((c) => c.resource)).toContain("API connection (azuresentinel)");
  });

  it("a deployer without write access at all is exit 4 listing every missing action with its role", async () => {
    const err = await planFails({ deployerRoles: ["Reader"] });
    expect(exitCodeOf(err)).toBe(4);
    expect(err.message).toMatch(
      /Microsoft\.Resources\/deployments\/write on \/subscriptions\/[^/]+\/resourceGroups\/rg-logic \(to deploy the templates\): needs the role "Contributor"/,
    );
    expect(err.message).toMatch(
      /Microsoft\.Resources\/deployments\/write on \/subscriptions\/[^/]+\/resourceGroups\/rg-sec \(/,
    );
    expect(err.message).toMatch(/Microsoft\.Logic\/workflows\/write on .*: needs the role "Logic App Contributor"/);
    expect(err.message).toMatch(
      /Microsoft\.SecurityInsights\/alertRules\/write on .*ws-sentinel .*: needs the role "Microsoft Sentinel Contributor"/,
    );
  });

  it("when our permissions cannot be read, ARM's own validation names the refused action (same exit 4 and advice)", async () => {
    const err = await planFails(
      {
        deployerRoles: ["Contributor"],
        faults: {
          routes: [{ match: /\/providers\/Microsoft\.Authorization\/permissions/i, errorRate: 1, kinds: [503] }],
        },
      },
      { features: { alertForwarding: false } },
    );
    expect(exitCodeOf(err)).toBe(4);
    expect(err.message).toMatch(
      /Microsoft\.Authorization\/roleAssignments\/write on .*ws-sentinel\/providers\/Microsoft\.Authorization\/roleAssignments\/[0-9a-f-]+: needs the role "Owner, User Access Administrator/,
    );
    expect(err.suggestion).toMatch(/--sentinel-authorization oauth/);
  });

  it("a classic ElasticAlerts_CL table stops the run before changing it, with the two ways out", async () => {
    const err = await planFails({}, {}, undefined, (s) => {
      createClassicTable(s.state, s.state.workspaceId(WORKSPACE_RG, WORKSPACE), "ElasticAlerts_CL", [
        { name: "TimeGenerated", type: "datetime" },
        { name: "Message", type: "string" },
      ] as never);
    });
    expect(exitCodeOf(err)).toBe(5);
    expect(err.code).toBe("AZURE_CLASSIC_TABLE");
    expect(err.message).toMatch(/classic \(HTTP Data Collector API\) table/);
    expect(err.suggestion).toMatch(/alerts\.table/);
    expect(err.suggestion).toMatch(/migrate/i);
  });

  describe("NRT quota", () => {
    async function fillNrtQuota(s: AzureSandbox) {
      const wsId = s.state.workspaceId(WORKSPACE_RG, WORKSPACE);
      createClassicTable(s.state, wsId, "OtherLogs_CL", [{ name: "TimeGenerated", type: "datetime" }] as never);
      const http = await createHttpClient({
        credential: s.credential,
        scope: "https://management.azure.com/.default",
        tls: tlsOptionsFor([s.caCert]),
      });
      for (let i = 0; i < 50; i++) {
        await http.request(
          "PUT",
          `${s.endpoints.resourceManager}${wsId}/providers/Microsoft.SecurityInsights/alertRules/${randomUUID()}`,
          {
            query: { "api-version": "2025-07-01-preview" },
            body: {
              kind: "NRT",
              properties: {
                displayName: `someone else's rule ${i}`,
                enabled: true,
                query: "OtherLogs_CL | take 1",
                severity: "Low",
                suppressionDuration: "PT5H",
                suppressionEnabled: false,
              },
            },
          },
        );
      }
    }

    it("a full NRT quota falls back to a Scheduled rule when the user agrees", async () => {
      sb = await startAzureSandbox(sandboxOptions());
      await fillNrtQuota(sb);
      const io = new TestIoHost({ interactive: false, answers: { "azure.nrtQuotaFallback": true } });
      const plan = await planAll(azureRun(sb, azureConfig(sb), io).ctx);
      expect(io.messages.map((m) => m.text)).toContain(
        "Using a Scheduled analytics rule: the workspace's 50 NRT rules are used up.",
      );
      expect(actionable(plan).map((c) => c.resource)).toContain("Sentinel analytics rule (Scheduled)");
    });

    it("a full NRT quota the user will not work around is exit 5", async () => {
      const io = new TestIoHost({ interactive: true, answers: { "azure.nrtQuotaFallback": false } });
      const err = await planFails({}, {}, io, fillNrtQuota);
      expect(exitCodeOf(err)).toBe(5);
      expect(err.message).toMatch(/NRT rule quota .* is used up \(50 of 50\)/);
      expect(err.suggestion).toMatch(/rule\.sentinelKind/);
    });
  });
});

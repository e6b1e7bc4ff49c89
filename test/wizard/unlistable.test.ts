/**
 * When a list cannot be read (Resource Manager keeps failing), the wizard says so and still asks: a typed answer
 * works (a subscription id, a workspace name and its resource group). Retries wait on the test's clock.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AzureSandbox, startAzureSandbox } from "../../src/sandbox/azure/index.js";
import { chooseSubscription } from "../../src/wizard/azure.js";
import { signIn } from "../../src/wizard/azure-signin.js";
import { chooseWorkspace } from "../../src/wizard/sentinel.js";
import { WizardState } from "../../src/wizard/state.js";
import { TestIoHost } from "../helpers/test-io-host.js";

let sb: AzureSandbox;
beforeAll(async () => {
  sb = await startAzureSandbox({
    resourceGroups: [{ name: "rg-sec", location: "westeurope" }],
    workspaces: [
      { name: "ws-soc", resourceGroup: "rg-sec" },
      { name: "ws-other", resourceGroup: "rg-sec" },
    ],
  });
});
afterAll(async () => {
  await sb?.stop();
});

function state(io: TestIoHost) {
  return new WizardState(
    { "azure.cloud": "AzureCloud", "azure.endpoints.resourceManager": sb.endpoints.resourceManager },
    { "azure.cloud": "default", "azure.endpoints.resourceManager": "env" },
    {
      io,
      env: {},
      cwd: mkdtempSync(join(tmpdir(), "se-unlistable-")),
      overrides: { azureCredential: sb.credential, azureCaCerts: [sb.caCert] },
      sleep: async () => {},
      currentAzSubscription: async () => undefined,
    },
  );
}

describe("lists that cannot be read", () => {
  it("the subscription is typed instead (a pasted id), and still checked", async () => {
    sb.faults.set({ routes: [{ match: /^GET \/subscriptions$/, errorRate: 1, kinds: [500] }] });
    try {
      const io = new TestIoHost({ interactive: true, answers: { "input.azure.subscriptionId": sb.subscriptionId } });
      const s = state(io);
      const id = await chooseSubscription(s, await signIn(s));
      expect(id).toBe(sb.subscriptionId);
      expect(io.messages.map((m) => m.text).join("\n")).toContain("Could not list the subscriptions");
      const q = io.asked.find((x) => x.code === "input.azure.subscriptionId");
      expect(q && "choices" in q ? q.choices : undefined).toEqual([]);
    } finally {
      sb.faults.set(undefined);
    }
  });

  it("the workspace and its resource group are asked by name", async () => {
    sb.faults.set({ routes: [{ match: /Microsoft.OperationalInsights\/workspaces$/, errorRate: 1, kinds: [503] }] });
    try {
      const io = new TestIoHost({
        interactive: true,
        answers: { "input.sentinel.workspaceName": "ws-soc", "input.sentinel.resourceGroup": "rg-sec" },
      });
      const s = state(io);
      expect(await chooseWorkspace(s, await signIn(s), sb.subscriptionId)).toBe(true);
      expect([s.get("sentinel.workspaceName"), s.get("sentinel.resourceGroup")]).toEqual(["ws-soc", "rg-sec"]);
      expect(io.progressLines).toContain("fail Could not list the workspaces");
    } finally {
      sb.faults.set(undefined);
    }
  });

  it("a workspace whose Sentinel state cannot be read is not offered, and the reason is said", async () => {
    sb.faults.set({
      routes: [
        {
          match: /workspaces\/ws-soc\/providers\/Microsoft.SecurityInsights\/onboardingStates$/,
          errorRate: 1,
          kinds: [503],
        },
      ],
    });
    try {
      const io = new TestIoHost({ interactive: true, answers: { "input.sentinel.workspaceName": "rg-sec/ws-other" } });
      const s = state(io);
      expect(await chooseWorkspace(s, await signIn(s), sb.subscriptionId)).toBe(true);
      const q = io.asked.find((x) => x.code === "input.sentinel.workspaceName");
      expect(q && "choices" in q ? q.choices.map((c) => c.name) : []).toEqual(["ws-other"]);
      expect(io.messages.map((m) => m.text).join("\n")).toMatch(
        /Could not tell whether ws-soc \(rg-sec\) has Microsoft Sentinel: /,
      );
    } finally {
      sb.faults.set(undefined);
    }
  });
});

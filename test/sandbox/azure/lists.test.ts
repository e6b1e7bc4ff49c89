/**
 * The list calls a wizard picks from, as Resource Manager serves them: subscriptions (with names, others listed
 * too), locations, resource groups, the workspaces of a whole subscription and a workspace's Sentinel onboarding
 * states (none when Sentinel is not added).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { regionDisplayName } from "../../../src/sandbox/azure/arm/lists-api.js";
import { type AzureSandbox, startAzureSandbox } from "../../../src/sandbox/azure/index.js";
import { arm } from "./helpers.js";

const OTHER = "0b1f6a2e-7c3d-4e5f-8a9b-0c1d2e3f4a5b";
let sb: AzureSandbox;

beforeAll(async () => {
  sb = await startAzureSandbox({
    resourceGroups: [
      { name: "rg-sec", location: "westeurope" },
      { name: "rg-logs", location: "northeurope" },
    ],
    workspaces: [
      { name: "ws-sentinel", resourceGroup: "rg-sec" },
      { name: "ws-plain", resourceGroup: "rg-logs", sentinel: false },
    ],
    otherSubscriptions: [{ subscriptionId: OTHER, displayName: "Production" }],
  });
});
afterAll(async () => {
  await sb?.stop();
});

describe("subscriptions", () => {
  it("lists the sandbox's and the other subscriptions, with names", async () => {
    const r = await arm(sb, "GET", "/subscriptions?api-version=2022-12-01");
    expect(r.status).toBe(200);
    expect(
      r.body.value.map((s: { subscriptionId: string; displayName: string }) => [s.subscriptionId, s.displayName]),
    ).toEqual([
      [sb.subscriptionId, "Sandbox subscription"],
      [OTHER, "Production"],
    ]);
  });

  it("another subscription is readable and holds no resource groups or workspaces", async () => {
    expect((await arm(sb, "GET", `/subscriptions/${OTHER}?api-version=2022-12-01`)).body.displayName).toBe(
      "Production",
    );
    expect((await arm(sb, "GET", `/subscriptions/${OTHER}/resourcegroups?api-version=2021-04-01`)).body.value).toEqual(
      [],
    );
    const ws = await arm(
      sb,
      "GET",
      `/subscriptions/${OTHER}/providers/Microsoft.OperationalInsights/workspaces?api-version=2022-10-01`,
    );
    expect(ws.body.value).toEqual([]);
  });

  it("a subscription nobody knows is 404 SubscriptionNotFound", async () => {
    const r = await arm(sb, "GET", "/subscriptions/11111111-2222-3333-4444-555555555555?api-version=2022-12-01");
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe("SubscriptionNotFound");
  });
});

describe("locations", () => {
  it("lists physical regions with the id the API takes and a display name", async () => {
    const r = await arm(sb, "GET", `/subscriptions/${sb.subscriptionId}/locations?api-version=2022-12-01`);
    expect(r.status).toBe(200);
    const we = r.body.value.find((l: { name: string }) => l.name === "westeurope");
    expect(we).toMatchObject({ displayName: "West Europe", metadata: { regionType: "Physical" } });
    expect(r.body.value.some((l: { name: string }) => l.name.endsWith("euap"))).toBe(false);
  });

  it("names regions as ARM displays them", () => {
    expect(regionDisplayName("eastus2")).toBe("East US 2");
    expect(regionDisplayName("southcentralus")).toBe("South Central US");
    expect(regionDisplayName("germanywestcentral")).toBe("Germany West Central");
    expect(regionDisplayName("southafricanorth")).toBe("South Africa North");
  });

  it("needs an api-version, as every ARM call", async () => {
    const r = await arm(sb, "GET", `/subscriptions/${sb.subscriptionId}/locations`);
    expect(r.status).toBe(400);
  });
});

describe("workspaces of the subscription and their Sentinel onboarding", () => {
  it("lists every workspace across resource groups, each with its id (and so its resource group)", async () => {
    const r = await arm(
      sb,
      "GET",
      `/subscriptions/${sb.subscriptionId}/providers/Microsoft.OperationalInsights/workspaces?api-version=2022-10-01`,
    );
    expect(r.status).toBe(200);
    const ids = r.body.value.map((w: { id: string }) => w.id.split("/").slice(4).join("/")).sort();
    expect(ids).toEqual([
      "rg-logs/providers/Microsoft.OperationalInsights/workspaces/ws-plain",
      "rg-sec/providers/Microsoft.OperationalInsights/workspaces/ws-sentinel",
    ]);
  });

  it("a workspace with Sentinel has the onboarding state 'default'; one without has none", async () => {
    const states = (rg: string, ws: string) =>
      arm(
        sb,
        "GET",
        `/subscriptions/${sb.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.OperationalInsights/workspaces/${ws}/providers/Microsoft.SecurityInsights/onboardingStates?api-version=2025-09-01`,
      );
    const on = await states("rg-sec", "ws-sentinel");
    expect(on.status).toBe(200);
    expect(on.body.value.map((s: { name: string }) => s.name)).toEqual(["default"]);
    const off = await states("rg-logs", "ws-plain");
    expect(off.status).toBe(200);
    expect(off.body.value).toEqual([]);
  });

  it("resource groups are listed with their regions", async () => {
    const r = await arm(sb, "GET", `/subscriptions/${sb.subscriptionId}/resourcegroups?api-version=2021-04-01`);
    expect(r.body.value.map((g: { name: string; location: string }) => `${g.name}@${g.location}`).sort()).toEqual([
      "rg-logs@northeurope",
      "rg-sec@westeurope",
    ]);
  });
});

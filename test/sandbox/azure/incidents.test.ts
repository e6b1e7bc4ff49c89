import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AzureSandbox, startAzureSandbox } from "../../../src/sandbox/azure/index.js";
import { arm, rgPath, sandboxOptions, wsId } from "./helpers.js";

let sb: AzureSandbox;
const V = "api-version=2025-09-01";
const inc = (id = "") => `${wsId(sb)}/providers/Microsoft.SecurityInsights/incidents${id ? `/${id}` : ""}`;
const body = (extra: Record<string, unknown> = {}) => ({
  properties: { title: "Elastic case", severity: "Medium", status: "New", ...extra },
});

beforeAll(async () => {
  sb = await startAzureSandbox({
    ...sandboxOptions,
    resourceGroups: [...sandboxOptions.resourceGroups],
    workspaces: [...sandboxOptions.workspaces, { name: "ws-plain", resourceGroup: "rg-test", sentinel: false }],
  });
});
afterAll(async () => {
  await sb?.stop();
});

describe("Sentinel incidents", () => {
  it("PUT with a caller-chosen id creates the incident (201) with incidentNumber and an incidentUrl on the portal", async () => {
    const r = await arm(sb, "PUT", `${inc("case-1")}?${V}`, body({ labels: [{ labelName: "elastic-case" }] }));
    expect(r.status).toBe(201);
    expect(r.body.name).toBe("case-1");
    expect(r.body.properties.incidentNumber).toBe(1);
    expect(r.body.properties.incidentUrl.startsWith(sb.endpoints.portal)).toBe(true);
    expect(r.body.properties.labels).toEqual([{ labelName: "elastic-case", labelType: "User" }]);
    expect(r.body.etag).toBeTruthy();
  });

  it("read-only properties PUT back are ignored, as Resource Manager asks, and recorded with their paths", async () => {
    // Given an incident read back whole, with its read-only members and a forged label type
    const read = await arm(sb, "PUT", `${inc("ro-1")}?${V}`, body({ labels: [{ labelName: "elastic-case" }] }));
    const before = sb.state.readOnlyIncidentWrites.length;
    const sent = {
      ...read.body,
      properties: {
        ...read.body.properties,
        incidentNumber: 999,
        providerName: "Someone else",
        labels: [{ labelName: "elastic-case", labelType: "AutoAssigned" }],
      },
    };
    // When a client PUTs it back
    const r = await arm(sb, "PUT", `${inc("ro-1")}?${V}`, sent);
    // Then the service's values stand and the write is on record, naming each read-only member
    expect(r.status).toBe(200);
    expect(r.body.properties.incidentNumber).toBe(read.body.properties.incidentNumber);
    expect(r.body.properties.providerName).toBe("Azure Sentinel");
    expect(r.body.properties.labels).toEqual([{ labelName: "elastic-case", labelType: "User" }]);
    const rec = sb.state.readOnlyIncidentWrites.slice(before);
    expect(rec).toHaveLength(1);
    expect(rec[0]!.incidentId.toLowerCase()).toBe(inc("ro-1").toLowerCase());
    expect(rec[0]!.fields).toEqual(
      expect.arrayContaining([
        "id",
        "name",
        "type",
        "properties.incidentNumber",
        "properties.incidentUrl",
        "properties.createdTimeUtc",
        "properties.lastModifiedTimeUtc",
        "properties.additionalData",
        "properties.providerName",
        "properties.providerIncidentId",
        "properties.relatedAnalyticRuleIds",
        "properties.labels[0].labelType",
      ]),
    );
  });

  it("a PUT of writable properties only leaves no read-only record", async () => {
    const before = sb.state.readOnlyIncidentWrites.length;
    const r = await arm(
      sb,
      "PUT",
      `${inc("ro-2")}?${V}`,
      body({ labels: [{ labelName: "x" }], owner: { objectId: null } }),
    );
    expect(r.status).toBe(201);
    expect(sb.state.readOnlyIncidentWrites.length).toBe(before);
  });

  it("a second PUT of the same id updates it (200) and keeps its number", async () => {
    const r = await arm(sb, "PUT", `${inc("case-1")}?${V}`, body({ status: "Active" }));
    expect(r.status).toBe(200);
    expect(r.body.properties.incidentNumber).toBe(1);
    expect(r.body.properties.status).toBe("Active");
  });

  it("a stale etag on incident PUT gets 412", async () => {
    const current = await arm(sb, "GET", `${inc("case-1")}?${V}`);
    const ok = await arm(sb, "PUT", `${inc("case-1")}?${V}`, {
      etag: current.body.etag,
      ...body({ severity: "High" }),
    });
    expect(ok.status).toBe(200);
    const stale = await arm(sb, "PUT", `${inc("case-1")}?${V}`, {
      etag: current.body.etag,
      ...body({ severity: "Low" }),
    });
    expect(stale.status).toBe(412);
  });

  it("title, severity and status are required, and enums are checked", async () => {
    const missing = await arm(sb, "PUT", `${inc("case-x")}?${V}`, { properties: { severity: "Low", status: "New" } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain("title");
    const badSeverity = await arm(sb, "PUT", `${inc("case-x")}?${V}`, body({ severity: "Critical" }));
    expect(badSeverity.status).toBe(400);
  });

  it("closing an incident needs a classification", async () => {
    const r = await arm(sb, "PUT", `${inc("case-1")}?${V}`, body({ status: "Closed" }));
    expect(r.status).toBe(400);
    const ok = await arm(
      sb,
      "PUT",
      `${inc("case-1")}?${V}`,
      body({ status: "Closed", classification: "Undetermined" }),
    );
    expect(ok.status).toBe(200);
  });

  it("list honours $filter on createdTimeUtc, $orderby, $top and pages with nextLink", async () => {
    await sb.clock.advance(1000);
    const since = new Date(sb.clock.now()).toISOString();
    for (const n of [2, 3, 4]) {
      await arm(sb, "PUT", `${inc(`case-${n}`)}?${V}`, body({ title: `case ${n}` }));
      await sb.clock.advance(1000);
    }
    const q = new URLSearchParams({
      "api-version": "2025-09-01",
      $filter: `properties/createdTimeUtc ge ${since}`,
      $orderby: "properties/createdTimeUtc desc",
      $top: "2",
    });
    const page1 = await arm(sb, "GET", `${inc()}?${q}`);
    expect(page1.body.value.map((i: { name: string }) => i.name)).toEqual(["case-4", "case-3"]);
    expect(page1.body.nextLink).toBeTruthy();
    const next = new URL(page1.body.nextLink);
    const page2 = await arm(sb, "GET", `${next.pathname}${next.search}`);
    expect(page2.body.value.map((i: { name: string }) => i.name)).toEqual(["case-2"]);
    expect(page2.body.nextLink).toBeUndefined();
  });

  it("$top above 1000 is refused", async () => {
    const r = await arm(sb, "GET", `${inc()}?${V}&$top=1001`);
    expect(r.status).toBe(400);
  });

  it("comments are added (201), listed, and counted on the incident", async () => {
    const c = await arm(sb, "PUT", `${inc("case-2")}/comments/c1?${V}`, {
      properties: { message: "Closed in Elastic by jane" },
    });
    expect(c.status).toBe(201);
    expect(c.body.properties.author.objectId).toBe(sb.principalId);
    const list = await arm(sb, "GET", `${inc("case-2")}/comments?${V}`);
    expect(list.body.value).toHaveLength(1);
    const i = await arm(sb, "GET", `${inc("case-2")}?${V}`);
    expect(i.body.properties.additionalData.commentsCount).toBe(1);
    const empty = await arm(sb, "PUT", `${inc("case-2")}/comments/c2?${V}`, { properties: {} });
    expect(empty.status).toBe(400);
  });

  it("a comment on a missing incident gets 404", async () => {
    const r = await arm(sb, "PUT", `${inc("nope")}/comments/c1?${V}`, { properties: { message: "x" } });
    expect(r.status).toBe(404);
  });

  it("incidents of a workspace without Sentinel are refused", async () => {
    const plain = `${rgPath(sb)}/providers/Microsoft.OperationalInsights/workspaces/ws-plain/providers/Microsoft.SecurityInsights/incidents/a?${V}`;
    const r = await arm(sb, "PUT", plain, body());
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain("not onboarded");
  });

  it("onboarding Sentinel (onboardingStates/default) makes the workspace accept incidents; another name is refused", async () => {
    const ws = `${rgPath(sb)}/providers/Microsoft.OperationalInsights/workspaces/ws-plain`;
    expect(
      (await arm(sb, "GET", `${ws}/providers/Microsoft.SecurityInsights/onboardingStates/default?${V}`)).status,
    ).toBe(404);
    const wrong = await arm(sb, "PUT", `${ws}/providers/Microsoft.SecurityInsights/onboardingStates/other?${V}`, {
      properties: {},
    });
    expect(wrong.status).toBe(400);
    const on = await arm(sb, "PUT", `${ws}/providers/Microsoft.SecurityInsights/onboardingStates/default?${V}`, {
      properties: {},
    });
    expect(on.status).toBe(201);
    expect((await arm(sb, "PUT", `${ws}/providers/Microsoft.SecurityInsights/incidents/a?${V}`, body())).status).toBe(
      201,
    );
  });
});

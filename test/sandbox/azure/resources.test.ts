import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AzureSandbox, startAzureSandbox } from "../../../src/sandbox/azure/index.js";
import { arm, call, rgPath, sandboxOptions, WS, wsId } from "./helpers.js";

let sb: AzureSandbox;
const tablePath = (name: string) => `${wsId(sb)}/tables/${name}?api-version=2022-10-01`;
const columns = [
  { name: "TimeGenerated", type: "dateTime" },
  { name: "AlertId", type: "string" },
  { name: "Severity", type: "string" },
];
const dcrPath = (name: string) =>
  `${rgPath(sb)}/providers/Microsoft.Insights/dataCollectionRules/${name}?api-version=2024-03-11`;
const dcrBody = (stream = "Custom-ElasticAlerts", output = "Custom-ElasticAlerts_CL") => ({
  location: "westeurope",
  kind: "Direct",
  properties: {
    streamDeclarations: {
      [stream]: {
        columns: [
          { name: "TimeGenerated", type: "datetime" },
          { name: "AlertId", type: "string" },
        ],
      },
    },
    destinations: { logAnalytics: [{ name: "la", workspaceResourceId: wsId(sb) }] },
    dataFlows: [{ streams: [stream], destinations: ["la"], transformKql: "source", outputStream: output }],
  },
});
const rulePath = (name: string, v: string) =>
  `${wsId(sb)}/providers/Microsoft.SecurityInsights/alertRules/${name}?api-version=${v}`;
const nrtRule = (extra: Record<string, unknown> = {}) => ({
  kind: "NRT",
  properties: {
    displayName: "Elastic alerts",
    enabled: true,
    query: "ElasticAlerts_CL | project TimeGenerated, AlertId",
    severity: "Medium",
    suppressionDuration: "PT5H",
    suppressionEnabled: false,
    ...extra,
  },
});

beforeAll(async () => {
  sb = await startAzureSandbox({ ...sandboxOptions, unregisteredProviders: ["Microsoft.Web"] });
});
afterAll(async () => {
  await sb?.stop();
});

describe("Resource Manager basics", () => {
  it("a call without api-version gets 400 MissingApiVersionParameter", async () => {
    const r = await arm(sb, "GET", `${wsId(sb)}`);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("MissingApiVersionParameter");
  });

  it("an api-version the provider does not serve gets 400 NoRegisteredProviderFound", async () => {
    const r = await arm(sb, "GET", `${wsId(sb)}?api-version=1999-01-01`);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("NoRegisteredProviderFound");
  });

  it("resource groups can be created, read and re-tagged; a second PUT in another location gets 409", async () => {
    const path = `/subscriptions/${sb.subscriptionId}/resourceGroups/rg-new?api-version=2022-09-01`;
    expect((await arm(sb, "PUT", path, { location: "eastus", tags: { a: "1" } })).status).toBe(201);
    expect((await arm(sb, "PATCH", path, { tags: { b: "2" } })).body.tags).toEqual({ b: "2" });
    expect((await arm(sb, "GET", path)).body.location).toBe("eastus");
    expect((await arm(sb, "PUT", path, { location: "westus" })).status).toBe(409);
    expect(
      (await arm(sb, "GET", `/subscriptions/${sb.subscriptionId}/resourceGroups/none?api-version=2022-09-01`)).status,
    ).toBe(404);
  });

  it("a location that is not an Azure region is refused; a display name is stored normalised", async () => {
    const wf = (name: string) => `${rgPath(sb)}/providers/Microsoft.Logic/workflows/${name}?api-version=2019-05-01`;
    const bad = await arm(sb, "PUT", wf("loc-bad"), { location: "westeurop", properties: {} });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("LocationNotAvailableForResourceType");
    const ok = await arm(sb, "PUT", wf("loc-ok"), { location: "West Europe", properties: {} });
    expect(ok.body.location).toBe("westeurope");
  });

  it("more than 50 tags, or a tag name with '/', is refused", async () => {
    const wf = `${rgPath(sb)}/providers/Microsoft.Logic/workflows/tags?api-version=2019-05-01`;
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, "v"]));
    expect((await arm(sb, "PUT", wf, { location: "westeurope", tags: many, properties: {} })).status).toBe(400);
    expect((await arm(sb, "PUT", wf, { location: "westeurope", tags: { "a/b": "v" }, properties: {} })).status).toBe(
      400,
    );
  });

  it("a resource in a missing resource group gets 404 ResourceGroupNotFound", async () => {
    const r = await arm(
      sb,
      "PUT",
      `/subscriptions/${sb.subscriptionId}/resourceGroups/none/providers/Microsoft.Logic/workflows/w?api-version=2019-05-01`,
      {
        location: "westeurope",
        properties: {},
      },
    );
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe("ResourceGroupNotFound");
  });

  it("a provider that is not registered refuses writes with 409 MissingSubscriptionRegistration until registered", async () => {
    const conn = `${rgPath(sb)}/providers/Microsoft.Web/connections/azuresentinel?api-version=2016-06-01`;
    const body = {
      location: "westeurope",
      properties: {
        api: {
          id: `/subscriptions/${sb.subscriptionId}/providers/Microsoft.Web/locations/westeurope/managedApis/azuresentinel`,
        },
      },
    };
    const r = await arm(sb, "PUT", conn, body);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe("MissingSubscriptionRegistration");
    const p = await arm(
      sb,
      "GET",
      `/subscriptions/${sb.subscriptionId}/providers/Microsoft.Web?api-version=2022-09-01`,
    );
    expect(p.body.registrationState).toBe("NotRegistered");
    await arm(
      sb,
      "POST",
      `/subscriptions/${sb.subscriptionId}/providers/Microsoft.Web/register?api-version=2022-09-01`,
    );
    expect((await arm(sb, "PUT", conn, body)).status).toBe(201);
  });

  it("generic GET and DELETE by id work for stored resources", async () => {
    expect((await arm(sb, "GET", `${wsId(sb)}?api-version=2022-10-01`)).body.properties.customerId).toMatch(
      /^[0-9a-f-]{36}$/,
    );
    await arm(sb, "PUT", tablePath("Temp_CL"), { properties: { schema: { name: "Temp_CL", columns } } });
    expect((await arm(sb, "DELETE", tablePath("Temp_CL"))).status).toBe(200);
    expect((await arm(sb, "GET", tablePath("Temp_CL"))).status).toBe(404);
  });
});

describe("Microsoft.Web/connections", () => {
  const conn = (name: string) => `${rgPath(sb)}/providers/Microsoft.Web/connections/${name}?api-version=2016-06-01`;
  const api = () => ({
    id: `/subscriptions/${sb.subscriptionId}/providers/Microsoft.Web/locations/westeurope/managedApis/azuresentinel`,
  });

  it("parameterValueType Alternative (managed identity) is Connected at once", async () => {
    const r = await arm(sb, "PUT", conn("mi"), {
      location: "westeurope",
      properties: { api: api(), parameterValueType: "Alternative" },
    });
    expect(r.body.properties.statuses).toEqual([{ status: "Connected" }]);
  });

  it("an OAuth connection starts Error/Unauthenticated and visiting its consent link makes it Connected", async () => {
    const r = await arm(sb, "PUT", conn("oauth"), {
      location: "westeurope",
      properties: { api: api(), displayName: "oauth" },
    });
    expect(r.body.properties.statuses[0]).toMatchObject({
      status: "Error",
      target: "token",
      error: { code: "Unauthenticated" },
    });
    const links = await arm(sb, "POST", conn("oauth").replace("?", "/listConsentLinks?"), {
      parameters: [
        {
          parameterName: "token",
          redirectUrl: "http://127.0.0.1:9/done",
          objectId: sb.principalId,
          tenantId: sb.tenantId,
        },
      ],
    });
    const link = links.body.value[0].link as string;
    expect(link.startsWith(sb.endpoints.portal)).toBe(true);
    const page = await call(sb, "GET", link);
    expect(page.status).toBe(302);
    const code = new URL(page.headers.location as string).searchParams.get("code");
    expect((await arm(sb, "GET", conn("oauth"))).body.properties.statuses).toEqual([{ status: "Connected" }]);
    const confirm = await arm(sb, "POST", conn("oauth").replace("?", "/confirmConsentCode?"), {
      code,
      objectId: sb.principalId,
      tenantId: sb.tenantId,
    });
    expect(confirm.status).toBe(200);
    const wrong = await arm(sb, "POST", conn("oauth").replace("?", "/confirmConsentCode?"), {
      code: "bogus",
      objectId: sb.principalId,
      tenantId: sb.tenantId,
    });
    expect(wrong.status).toBe(400);
  });
});

describe("workspace tables", () => {
  it("a custom table needs a TimeGenerated dateTime column", async () => {
    const r = await arm(sb, "PUT", tablePath("NoTime_CL"), {
      properties: { schema: { name: "NoTime_CL", columns: [{ name: "A", type: "string" }] } },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain("TimeGenerated");
  });

  it("a new table name must end in _CL and column types are checked", async () => {
    expect((await arm(sb, "PUT", tablePath("ElasticAlerts"), { properties: { schema: { columns } } })).status).toBe(
      400,
    );
    const badType = await arm(sb, "PUT", tablePath("Bad_CL"), {
      properties: { schema: { columns: [...columns, { name: "When", type: "datetime" }] } },
    });
    expect(badType.status).toBe(400);
  });

  it("a DCR-based custom table is created with tableSubType DataCollectionRuleBased", async () => {
    const r = await arm(sb, "PUT", tablePath("ElasticAlerts_CL"), {
      properties: { plan: "Analytics", schema: { name: "ElasticAlerts_CL", columns } },
    });
    expect(r.status).toBe(201);
    expect(r.body.properties.schema.tableSubType).toBe("DataCollectionRuleBased");
  });

  it("a table under a missing workspace gets 404 ParentResourceNotFound", async () => {
    const r = await arm(
      sb,
      "PUT",
      `${rgPath(sb)}/providers/Microsoft.OperationalInsights/workspaces/nows/tables/X_CL?api-version=2022-10-01`,
      {
        properties: { schema: { columns } },
      },
    );
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe("ParentResourceNotFound");
  });
});

describe("data collection rules", () => {
  it("kind Direct gives an immutableId and endpoints.logsIngestion on the sandbox ingestion server", async () => {
    const r = await arm(sb, "PUT", dcrPath("dcr-ok"), dcrBody());
    expect(r.status).toBe(201);
    expect(r.body.properties.immutableId).toMatch(/^dcr-[0-9a-f]{32}$/);
    expect(r.body.properties.endpoints.logsIngestion).toBe(sb.endpoints.logsIngestion);
    expect(sb.state.findDcrByImmutableId(r.body.properties.immutableId)?.name).toBe("dcr-ok");
  });

  it("stream declarations must start with Custom-", async () => {
    const r = await arm(sb, "PUT", dcrPath("dcr-bad"), dcrBody("ElasticAlerts"));
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain("Custom-");
  });

  it("an output stream whose table does not exist gets InvalidOutputTable", async () => {
    const r = await arm(sb, "PUT", dcrPath("dcr-notable"), dcrBody("Custom-ElasticAlerts", "Custom-Missing_CL"));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("InvalidOutputTable");
  });
});

describe("Sentinel analytics rules", () => {
  it("NRT alert rules are refused on a stable api-version", async () => {
    const r = await arm(sb, "PUT", rulePath("nrt-1", "2025-09-01"), nrtRule());
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain("NRT");
  });

  it("NRT alert rules are accepted on a preview api-version", async () => {
    const r = await arm(sb, "PUT", rulePath("nrt-1", "2025-07-01-preview"), nrtRule());
    expect(r.status).toBe(201);
    expect(r.body.kind).toBe("NRT");
  });

  it("a Scheduled rule needs queryFrequency, queryPeriod, triggerOperator and triggerThreshold; frequency at least PT5M", async () => {
    const base = nrtRule();
    const missing = await arm(sb, "PUT", rulePath("sch-1", "2025-09-01"), {
      kind: "Scheduled",
      properties: base.properties,
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain("queryFrequency");
    const tooOften = await arm(sb, "PUT", rulePath("sch-1", "2025-09-01"), {
      kind: "Scheduled",
      properties: {
        ...base.properties,
        queryFrequency: "PT1M",
        queryPeriod: "PT5M",
        triggerOperator: "GreaterThan",
        triggerThreshold: 0,
      },
    });
    expect(tooOften.status).toBe(400);
    const ok = await arm(sb, "PUT", rulePath("sch-1", "2025-09-01"), {
      kind: "Scheduled",
      properties: {
        ...base.properties,
        queryFrequency: "PT5M",
        queryPeriod: "PT5M",
        triggerOperator: "GreaterThan",
        triggerThreshold: 0,
      },
    });
    expect(ok.status).toBe(201);
  });

  it("a rule whose query names a table the workspace lacks is refused", async () => {
    const r = await arm(sb, "PUT", rulePath("nrt-x", "2025-07-01-preview"), nrtRule({ query: "Missing_CL | take 1" }));
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain("Missing_CL");
  });

  it("a workspace holds at most 50 NRT rules", async () => {
    for (let i = 2; i <= 50; i++)
      expect((await arm(sb, "PUT", rulePath(`nrt-${i}`, "2025-07-01-preview"), nrtRule())).status).toBe(201);
    const r = await arm(sb, "PUT", rulePath("nrt-51", "2025-07-01-preview"), nrtRule());
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain("50");
    expect((await arm(sb, "PUT", rulePath("nrt-50", "2025-07-01-preview"), nrtRule())).status).toBe(200);
  });

  it("onboardingStates/default reads 200 on a Sentinel workspace", async () => {
    const r = await arm(
      sb,
      "GET",
      `${wsId(sb)}/providers/Microsoft.SecurityInsights/onboardingStates/default?api-version=2025-09-01`,
    );
    expect(r.status).toBe(200);
    expect(WS).toBe("ws-test");
  });
});

describe("collections and classic tables", () => {
  it("GET of a collection lists its direct members (tables of a workspace, alert rules of a workspace)", async () => {
    const tables = await arm(sb, "GET", `${wsId(sb)}/tables?api-version=2022-10-01`);
    expect(tables.body.value.map((t: { name: string }) => t.name)).toContain("ElasticAlerts_CL");
    const rules = await arm(
      sb,
      "GET",
      `${wsId(sb)}/providers/Microsoft.SecurityInsights/alertRules?api-version=2025-07-01-preview`,
    );
    expect(rules.body.value.length).toBeGreaterThanOrEqual(50);
  });

  it("a Classic (Data Collector API) table stays Classic on PUT until it is migrated", async () => {
    const { createClassicTable } = await import("../../../src/sandbox/azure/index.js");
    createClassicTable(sb.state, wsId(sb), "Legacy_CL", columns);
    const put = await arm(sb, "PUT", tablePath("Legacy_CL"), {
      properties: { schema: { name: "Legacy_CL", columns } },
    });
    expect(put.body.properties.schema.tableSubType).toBe("Classic");
    const migrate = await arm(sb, "POST", `${wsId(sb)}/tables/Legacy_CL/migrate?api-version=2022-10-01`);
    expect(migrate.status).toBe(200);
    expect((await arm(sb, "GET", tablePath("Legacy_CL"))).body.properties.schema.tableSubType).toBe(
      "DataCollectionRuleBased",
    );
  });
});

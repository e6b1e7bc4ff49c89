/**
 * The checker fails on what the published Azure contracts forbid (Resource Manager, SecurityInsights, ARM template
 * schemas, Logs Ingestion, Log Analytics, Web connections, Microsoft Graph): for each family, a known bad request is
 * fed to it and the breach must be named (rule and JSON path); a good request of the same shape passes.
 */
import { describe, expect, it } from "vitest";
import { type Breach, type RecordedRequest, checkRequest } from "../helpers/contract-checker.js";

const SUB = "/subscriptions/00000000-0000-4000-8000-000000000001";
const RG = `${SUB}/resourceGroups/rg`;
const WS = `${RG}/providers/Microsoft.OperationalInsights/workspaces/ws`;
const INCIDENT = `${WS}/providers/Microsoft.SecurityInsights/incidents/0f6c3c1e-3a41-4c3b-9a57-2f4f5d0b9e11`;
const BEARER = { authorization: "Bearer x", "content-type": "application/json" };

function req(
  service: string,
  method: string,
  path: string,
  body?: unknown,
  o: { query?: string; headers?: Record<string, string> } = {},
): RecordedRequest {
  return {
    service,
    method,
    path,
    query: new URLSearchParams(o.query ?? ""),
    headers: o.headers ?? (service === "kibana" ? { "kbn-xsrf": "t", "content-type": "application/json" } : BEARER),
    raw: body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body),
  };
}
const arm = (method: string, path: string, body?: unknown, apiVersion = "2025-09-01") =>
  req("resource-manager", method, path, body, { query: `api-version=${apiVersion}` });
const named = (b: Breach[]) => b.map((x) => `${x.family} ${x.rule} ${x.path ?? ""}`.trim());

const incidentProps = { title: "Case", severity: "Medium", status: "New" };

describe("Sentinel incidents (SecurityInsights 2025-09-01)", () => {
  it("a PUT of writable properties and the etag passes", () => {
    expect(
      checkRequest(
        arm("PUT", INCIDENT, { etag: '"1"', properties: { ...incidentProps, labels: [{ labelName: "x" }] } }),
      ),
    ).toEqual([]);
  });

  it("a PUT that sends read-only properties back is named, member by member", () => {
    const b = checkRequest(
      arm("PUT", INCIDENT, {
        id: INCIDENT,
        properties: {
          ...incidentProps,
          incidentNumber: 7,
          additionalData: { alertsCount: 0 },
          labels: [{ labelName: "x", labelType: "User" }],
        },
      }),
    );
    expect(named(b)).toEqual(
      expect.arrayContaining([
        "sentinel-incidents read-only $.id",
        "sentinel-incidents read-only $.properties.incidentNumber",
        "sentinel-incidents read-only $.properties.additionalData",
        "sentinel-incidents read-only $.properties.labels[0].labelType",
      ]),
    );
  });

  it("an enum value the spec does not list, a missing required field and an unknown member are named", () => {
    const b = checkRequest(arm("PUT", INCIDENT, { properties: { title: "t", severity: "Critical", state: "New" } }));
    expect(named(b)).toEqual(
      expect.arrayContaining([
        "sentinel-incidents enum $.properties.severity",
        "sentinel-incidents required $.properties.status",
        "sentinel-incidents unknown-property $.properties.state",
      ]),
    );
  });

  it("a required field sent as null is named as missing", () => {
    expect(named(checkRequest(arm("PUT", INCIDENT, { properties: { ...incidentProps, title: null } })))).toEqual([
      "sentinel-incidents required $.properties.title",
    ]);
  });

  it("a comment without its message, and an api-version the spec does not publish, are named", () => {
    expect(named(checkRequest(arm("PUT", `${INCIDENT}/comments/c1`, { properties: {} })))).toEqual([
      "sentinel-incidents required $.properties.message",
    ]);
    expect(named(checkRequest(arm("GET", INCIDENT, undefined, "2019-01-01-preview")))).toEqual([
      "sentinel-incidents api-version",
    ]);
  });

  it("an operation the spec does not have (PATCH) and a request without a bearer token are named", () => {
    expect(named(checkRequest(arm("PATCH", INCIDENT, { properties: incidentProps })))).toEqual([
      "resource-manager unknown-operation",
    ]);
    const noToken = { ...arm("GET", INCIDENT), headers: {} };
    expect(named(checkRequest(noToken))).toEqual(["sentinel-incidents header"]);
  });
});

describe("role assignments (Authorization 2022-04-01)", () => {
  const path = `${WS}/providers/Microsoft.Authorization/roleAssignments/6b0a7a2e-0000-4000-8000-000000000001`;
  it("a PUT without principalId, or with a principalType the spec does not list, is named", () => {
    const b = checkRequest(
      arm("PUT", path, { properties: { roleDefinitionId: "/x", principalType: "Robot" } }, "2022-04-01"),
    );
    expect(named(b)).toEqual([
      "role-assignments required $.properties.principalId",
      "role-assignments enum $.properties.principalType",
    ]);
    expect(
      checkRequest(
        arm(
          "PUT",
          path,
          { properties: { roleDefinitionId: "/x", principalId: "p", principalType: "ServicePrincipal" } },
          "2022-04-01",
        ),
      ),
    ).toEqual([]);
  });
});

describe("deployments: each template resource as deployed, against its ARM template schema", () => {
  const table = (columnType: string) => ({
    type: "Microsoft.OperationalInsights/workspaces/tables",
    apiVersion: "2022-10-01",
    name: "[format('{0}/T_CL', parameters('ws'))]",
    properties: {
      plan: "[parameters('plan')]",
      schema: { name: "T_CL", columns: [{ name: "TimeGenerated", type: columnType }] },
    },
  });
  const deploy = (resources: unknown[], parameters: Record<string, unknown> = { plan: { value: "Analytics" } }) =>
    arm(
      "PUT",
      `${RG}/providers/Microsoft.Resources/deployments/d`,
      {
        properties: {
          mode: "Incremental",
          parameters,
          template: { parameters: { ws: { type: "string" }, plan: { type: "string" } }, resources },
        },
      },
      "2025-03-01",
    );

  it("a valid table passes; a column type the schema does not list is named at its path", () => {
    expect(checkRequest(deploy([table("dateTime")]))).toEqual([]);
    expect(named(checkRequest(deploy([table("timestamp")])))).toEqual([
      "deployments enum $.properties.template.resources[0].properties.schema.columns[0].type",
    ]);
  });

  it("parameters are substituted before the check: a plan parameter the schema does not list is named", () => {
    expect(named(checkRequest(deploy([table("dateTime")], { plan: { value: "Premium" } })))).toEqual([
      "deployments enum $.properties.template.resources[0].properties.plan",
    ]);
  });

  it("a resource at an api-version with no published template schema is named", () => {
    const b = checkRequest(
      deploy([
        {
          type: "Microsoft.Insights/dataCollectionRules",
          apiVersion: "2099-01-01",
          name: "x",
          location: "l",
          properties: {},
        },
      ]),
    );
    expect(b.map((x) => x.message).join()).toMatch(
      /no published ARM template schema for Microsoft\.Insights\/dataCollectionRules@2099-01-01/,
    );
  });
});

describe("Logs Ingestion and Log Analytics query (data planes)", () => {
  const path = "/dataCollectionRules/dcr-0123/streams/Custom-ElasticAlerts";
  const ingest = (body: unknown, headers = BEARER, p = path) =>
    req("logs-ingestion", "POST", p, body, { query: "api-version=2023-01-01", headers });
  it("an array of rows passes; an object body, a non-custom stream and a missing content type are named", () => {
    expect(checkRequest(ingest([{ TimeGenerated: "t" }]))).toEqual([]);
    expect(named(checkRequest(ingest({ TimeGenerated: "t" })))).toEqual(["logs-ingestion type $"]);
    expect(named(checkRequest(ingest([], BEARER, "/dataCollectionRules/dcr-0123/streams/ElasticAlerts")))).toEqual([
      "logs-ingestion body",
    ]);
    expect(named(checkRequest(ingest([], { authorization: "Bearer x" } as typeof BEARER)))).toEqual([
      "logs-ingestion header",
    ]);
  });
  it("a query without its query text is named", () => {
    expect(named(checkRequest(req("log-analytics", "POST", "/v1/workspaces/w/query", { timespan: "PT1H" })))).toEqual([
      "log-analytics-query required $.query",
    ]);
  });
});

describe("Web connections (2016-06-01)", () => {
  it("listConsentLinks with parameters as an object (the spec's own example's mistake) is named", () => {
    const path = `${RG}/providers/Microsoft.Web/connections/c/listConsentLinks`;
    expect(named(checkRequest(arm("POST", path, { parameters: { parameterName: "token" } }, "2016-06-01")))).toEqual([
      "web-connections type $.parameters",
    ]);
    expect(
      checkRequest(
        arm(
          "POST",
          path,
          { parameters: [{ parameterName: "token", redirectUrl: "u", objectId: "o", tenantId: "t" }] },
          "2016-06-01",
        ),
      ),
    ).toEqual([]);
  });
});

describe("Microsoft Graph (security incidents, service principals)", () => {
  const g = (method: string, path: string, body?: unknown) => req("graph", method, path, body);
  it("an incident update with a status Graph does not list, or a member the update does not take, is named", () => {
    expect(
      checkRequest(g("PATCH", "/v1.0/security/incidents/42", { status: "resolved", customTags: ["elastic-case"] })),
    ).toEqual([]);
    expect(
      named(checkRequest(g("PATCH", "/v1.0/security/incidents/42", { status: "closed", severity: "high" }))),
    ).toEqual(["graph enum $.status", "graph unknown-property $.severity"]);
  });
  it("a comment without its text is named; a service principal read by its appId is a known operation", () => {
    expect(
      named(
        checkRequest(
          g("POST", "/v1.0/security/incidents/42/comments", { "@odata.type": "microsoft.graph.security.alertComment" }),
        ),
      ),
    ).toEqual(["graph required $.comment"]);
    expect(checkRequest(g("GET", "/v1.0/servicePrincipals(appId='0b1c2d3e-0000-4000-8000-000000000001')"))).toEqual([]);
  });
});

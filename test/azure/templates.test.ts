/**
 * Rules our ARM templates must keep, checked on the JSON itself (the sandbox tests run them).
 */
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { loadTemplate, type TemplateName } from "../../src/azure/templates.js";
import {
  alertActionBody,
  commentBody,
  createIncidentBody,
  securityAlert,
  updateIncidentBody,
} from "../steps/azure/workflow-fixtures.js";
import { PROBE_ALERT_ID } from "../../src/steps/azure/ingestion-authorization.js";
import { kqlErrors, kustoType } from "./kusto.js";

type Json = any;
const names: TemplateName[] = [
  "case-sync-managed-identity",
  "case-sync-oauth",
  "case-sync-defender",
  "alert-forwarding",
];
const load = (n: TemplateName) => loadTemplate(n) as Promise<Json>;

/** Every resource, nested deployments' inner resources included. */
function allResources(t: Json): Json[] {
  const out: Json[] = [];
  for (const r of t.resources ?? []) {
    out.push(r);
    if (r.type === "Microsoft.Resources/deployments") out.push(...allResources(r.properties.template));
  }
  return out;
}

function strings(v: Json, out: string[] = []): string[] {
  if (typeof v === "string") out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v && typeof v === "object") for (const x of Object.values(v)) strings(x, out);
  return out;
}

const nameVariable = { "case-sync": "caseSyncName", "case-get": "caseGetName", "alert-ingest": "ingestName" } as const;
const workflow = (t: Json, which: keyof typeof nameVariable) =>
  t.resources.find(
    (r: Json) => r.type === "Microsoft.Logic/workflows" && r.name === `[variables('${nameVariable[which]}')]`,
  );

describe("ARM templates", () => {
  it.each(names)("%s: never outputs a callback URL (deployment history keeps outputs)", async (n) => {
    const t = await load(n);
    expect(JSON.stringify(t.outputs ?? {})).not.toMatch(/listCallbackUrl/i);
    // Nor anywhere as the ARM function (an output is not the only way a value lands in deployment history).
    expect(strings(t).filter((s) => /listCallbackUrl\s*\(/i.test(s))).toEqual([]);
  });

  it.each(names)("%s: every top-level resource carries the managed-by and instance tags", async (n) => {
    const t = await load(n);
    expect(t.variables.tags).toBe(
      "[union(parameters('tags'), createObject('managed-by', 'sentinel-elastic', 'sentinel-elastic-instance', parameters('prefix')))]",
    );
    for (const r of t.resources) {
      // Extension resources (role assignments) take no tags in ARM.
      if (r.type === "Microsoft.Authorization/roleAssignments") continue;
      expect(r.tags, `${r.type} ${r.name}`).toBe("[variables('tags')]");
    }
  });

  it.each(names)("%s: workflow definitions hold no string ARM would evaluate, and no cloud URL", async (n) => {
    const t = await load(n);
    for (const wf of t.resources.filter((r: Json) => r.type === "Microsoft.Logic/workflows")) {
      const inDefinition = strings(wf.properties.definition).filter(
        (s) => !s.startsWith("https://schema.management.azure.com/"),
      );
      expect(inDefinition.filter((s) => s.startsWith("["))).toEqual([]);
      // The Resource Manager URL and audiences come from environment(), so the template works in any cloud.
      expect(
        inDefinition.filter((s) => /management\.azure\.com|monitor\.azure\.com|core\.windows\.net/.test(s)),
      ).toEqual([]);
    }
  });

  it("managed identity: Http actions authenticate with the workflow identity and an audience from environment()", async () => {
    const t = await load("case-sync-managed-identity");
    expect(t.variables.incidentsUrl).toMatch(/^\[concat\(environment\(\)\.resourceManager, 'subscriptions\//);
    expect(t.variables.armAudience).toBe("[environment().authentication.audiences[0]]");
    const http: Json[] = [];
    const walk = (o: Json) => {
      if (o && typeof o === "object") {
        if (o.type === "Http") http.push(o);
        for (const v of Object.values(o)) walk(v);
      }
    };
    walk(t.resources);
    expect(http.length).toBeGreaterThan(5);
    for (const a of http)
      expect(a.inputs.authentication).toEqual({
        type: "ManagedServiceIdentity",
        audience: "@parameters('armAudience')",
      });
    const roles = allResources(t).filter((r) => r.type === "Microsoft.Authorization/roleAssignments");
    expect(roles.map((r) => r.properties.roleDefinitionId)).toEqual([
      "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '3e150937-b8fe-4cfb-8069-0eaf05ecd056')]",
      "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '8d289c81-5878-46d4-8554-54e1e3d8b5cb')]",
    ]);
  });

  it("oauth: an azuresentinel connection without parameterValueType, used by ApiConnection actions", async () => {
    const t = await load("case-sync-oauth");
    const conn = t.resources.find((r: Json) => r.type === "Microsoft.Web/connections");
    expect(conn.properties.parameterValueType).toBeUndefined();
    expect(conn.properties.api.id).toMatch(/managedApis', parameters\('location'\), 'azuresentinel'\)\]$/);
    expect(JSON.stringify(t)).not.toMatch(/"type": ?"Http"/);
  });

  it("names follow docs/contracts.md", async () => {
    const mi = await load("case-sync-managed-identity");
    expect(mi.variables.caseSyncName).toBe("[concat(parameters('prefix'), '-case-sync')]");
    expect(mi.variables.caseGetName).toBe("[concat(parameters('prefix'), '-case-get')]");
    const oauth = await load("case-sync-oauth");
    expect(oauth.variables.connectionName).toBe("[concat(parameters('prefix'), '-azuresentinel')]");
    const alerts = await load("alert-forwarding");
    expect(alerts.variables.dcrName).toBe("[concat(parameters('prefix'), '-alerts-dcr')]");
    expect(alerts.variables.ingestName).toBe("[concat(parameters('prefix'), '-alert-ingest')]");
    expect(alerts.variables.streamName).toBe("Custom-ElasticAlerts");
    const rules = allResources(alerts).filter((r) => r.type === "Microsoft.SecurityInsights/alertRules");
    for (const r of rules) {
      expect(r.name).toBe(
        "[guid(resourceId('Microsoft.OperationalInsights/workspaces', parameters('workspaceName')), parameters('prefix'), 'elastic-alerts-rule')]",
      );
      expect(r.properties.alertDetailsOverride.alertDisplayNameFormat).toBe("Elastic Security alert: {{RuleName}}");
    }
    expect(rules.map((r) => [r.kind, r.apiVersion])).toEqual([
      ["NRT", "2025-07-01-preview"],
      ["Scheduled", "2025-09-01"],
    ]);
  });
});

describe("request schemas accept exactly what the Kibana templates send", () => {
  const ajv = new Ajv({ strict: false });
  const kase = {
    id: "0f6c3c1e-3a41-4c3b-9a57-2f4f5d0b9e11",
    title: "t",
    description: "d",
    severity: "high",
    status: "open",
    tags: ["a"],
  };

  it.each(["case-sync-managed-identity", "case-sync-oauth"] as const)(
    "%s: create, update and comment bodies validate; a body without action does not",
    async (n) => {
      const t = await load(n);
      const schema = workflow(t, "case-sync").properties.definition.triggers.manual.inputs.schema;
      const validate = ajv.compile(schema);
      const base = "https://kb.example.com/s/sec/app/security/cases/";
      for (const body of [
        createIncidentBody(kase, base),
        updateIncidentBody(kase, kase.id, base),
        commentBody("hello", kase.id),
        // Stacks before 8.11 render missing case fields as "" (docs/contracts.md).
        createIncidentBody({ ...kase, severity: "", status: "", tags: "" as never }, base),
      ]) {
        expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
      }
      expect(validate({ case_id: "x" })).toBe(false);
    },
  );

  it("alert-ingest: summary and per-alert bodies validate", async () => {
    const t = await load("alert-forwarding");
    const validate = ajv.compile(workflow(t, "alert-ingest").properties.definition.triggers.manual.inputs.schema);
    const rule = {
      kibanaBaseUrl: "https://kb",
      spaceId: "default",
      ruleId: "r",
      name: "n",
      severity: "high",
      riskScore: "",
    };
    expect(
      validate(alertActionBody("summary", rule, [securityAlert(1, Date.now()), securityAlert(2, Date.now())])),
    ).toBe(true);
    expect(validate(alertActionBody("per-alert", rule, [securityAlert(1, Date.now())], "a1"))).toBe(true);
    expect(validate({ kind: "summary" })).toBe(false);
  });
});

describe("KQL in the templates is valid KQL (Microsoft's parser)", () => {
  it("the DCR transform is valid over the stream's columns and yields the table's columns", async () => {
    const t = await load("alert-forwarding");
    const dcr = t.resources.find((r: Json) => r.type === "Microsoft.Insights/dataCollectionRules");
    const stream: [string, string][] = dcr.properties.streamDeclarations["Custom-ElasticAlerts"].columns.map(
      (c: Json) => [c.name, kustoType(c.type)],
    );
    const transform: string = dcr.properties.dataFlows[0].transformKql;
    // Setup's ingestion probe row is dropped before it reaches the table (steps/azure/ingestion-authorization.ts).
    expect(transform.startsWith(`source | where AlertId != "${PROBE_ALERT_ID}" | `)).toBe(true);
    expect(kqlErrors(transform, { source: stream })).toEqual([]);
    // Every table column is produced: the stream's, plus what the transform extends.
    const table = allResources(t).find((r) => r.type === "Microsoft.OperationalInsights/workspaces/tables");
    for (const col of table.properties.schema.columns) {
      const produced = stream.some(([n]) => n === col.name) || transform.includes(`extend ${col.name} =`);
      expect(produced, col.name).toBe(true);
    }
    // A typo'd column must be caught by the same check (the check can fail).
    expect(kqlErrors(transform.replace("Severity =~", "Severty =~"), { source: stream })).not.toEqual([]);
  });

  it("the analytics rule queries are valid over the table, and every mapped column exists in their output", async () => {
    const t = await load("alert-forwarding");
    const table = allResources(t).find((r) => r.type === "Microsoft.OperationalInsights/workspaces/tables");
    const cols: [string, string][] = table.properties.schema.columns.map((c: Json) => [c.name, kustoType(c.type)]);
    for (const rule of allResources(t).filter((r) => r.type === "Microsoft.SecurityInsights/alertRules")) {
      const query = String(rule.properties.query).replace(
        /^\[concat\(parameters\('table'\), '(.*)'\)\]$/,
        "ElasticAlerts_CL$1",
      );
      expect(query.startsWith("ElasticAlerts_CL | ")).toBe(true);
      expect(kqlErrors(query, { ElasticAlerts_CL: cols })).toEqual([]);
      const projected = /\| project (.*)$/
        .exec(query)![1]!
        .split(",")
        .map((s) => s.trim());
      const used = [
        ...rule.properties.entityMappings.flatMap((m: Json) => m.fieldMappings.map((f: Json) => f.columnName)),
        ...Object.values(rule.properties.customDetails),
        rule.properties.alertDetailsOverride.alertSeverityColumnName,
        ...rule.properties.alertDetailsOverride.alertDynamicProperties.map((p: Json) => p.value),
        ...[...String(rule.properties.alertDetailsOverride.alertDisplayNameFormat).matchAll(/\{\{(\w+)\}\}/g)].map(
          (m) => m[1],
        ),
      ];
      for (const c of used) expect(projected, String(c)).toContain(c);
    }
  });
});

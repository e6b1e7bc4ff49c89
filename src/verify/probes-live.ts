/**
 * VerifyProbes over our real clients: Kibana (cases, connectors, rules), Elasticsearch (test document, alerts)
 * and Azure (Sentinel incidents, workflow runs, Log Analytics query). Calls not needed by setup live here,
 * each one small and typed.
 */
import { findLeftoverCases, removeLeftovers } from "./leftovers.js";
import { apiVersions } from "../azure/arm.js";
import type { StepContext } from "../engine/types.js";
import { PreconditionError } from "../errors.js";
import { TEST_DATA_STREAM } from "../names.js";
import { caseConnectorRef } from "../steps/kibana/case-connector.js";
import { testDocument } from "../steps/kibana/test-document.js";
import { HopFailure } from "./hop.js";
import type { IncidentView, VerifyProbes, WorkflowRunView } from "./probes.js";

/** The Azure client's api-versions (stable SecurityInsights and Logic: https://learn.microsoft.com/rest/api/securityinsights/, https://learn.microsoft.com/rest/api/logic/). */
const SENTINEL_API = apiVersions.securityInsights;
const LOGIC_API = apiVersions.logic;

interface ArmIncident {
  name: string;
  properties: {
    title: string;
    severity: string;
    status: string;
    description?: string;
    labels?: { labelName: string }[];
    classification?: string;
    incidentUrl?: string;
    createdTimeUtc?: string;
    relatedAnalyticRuleIds?: string[];
  };
}

function incidentView(i: ArmIncident): IncidentView {
  return {
    id: i.name,
    title: i.properties.title,
    severity: i.properties.severity,
    status: i.properties.status,
    description: i.properties.description,
    labels: (i.properties.labels ?? []).map((l) => l.labelName),
    classification: i.properties.classification,
    url: i.properties.incidentUrl,
    createdTimeUtc: i.properties.createdTimeUtc,
    relatedAnalyticRuleIds: i.properties.relatedAnalyticRuleIds ?? [],
  };
}

export async function createLiveProbes(
  ctx: Pick<StepContext, "config" | "names" | "clients" | "now">,
): Promise<VerifyProbes> {
  const { config } = ctx;
  const n = ctx.names.kibana;
  const kibana = () => ctx.clients.kibana();
  const es = () => ctx.clients.elasticsearch();
  const space = config.elastic.space;
  const workspace = ctx.names.workspace;
  const workspaceGroup = workspace.resourceGroup!;
  const logicGroup = config.azure.resourceGroup!;
  const workspaceName = workspace.workspaceName!;

  const azure = async () => {
    const az = await ctx.clients.azure();
    const wsId = `${az.arm.baseUrl}${workspace.id}`;
    return { az, incidents: `${wsId}/providers/Microsoft.SecurityInsights/incidents` };
  };
  let workspaceCustomerId: string | undefined;

  return {
    async createCase(input) {
      const k = await kibana();
      const c = await k.createCase({
        ...input,
        severity: input.severity as "high",
        connector: caseConnectorRef(ctx.names),
      });
      return { id: c.id };
    },
    async pushCase(caseId) {
      const k = await kibana();
      const c = await k.pushCase(caseId, n.caseConnectorId);
      const ext = c.external_service;
      if (!ext?.external_id) throw new HopFailure(`the push of case ${caseId} returned no external id`);
      return { externalId: ext.external_id, externalUrl: ext.external_url, caseStatus: c.status };
    },
    async commentCase(caseId, text) {
      await (await kibana()).addCaseComment(caseId, text);
    },
    async setCaseStatus(caseId, status) {
      const k = await kibana();
      const c = await k.getCase(caseId);
      if (!c) throw new HopFailure(`case ${caseId} disappeared`);
      await k.http.request({
        method: "PATCH",
        path: "/api/cases",
        body: { cases: [{ id: caseId, version: c.version, status }] },
      });
    },
    async cleanLeftovers(now) {
      const k = await kibana();
      return removeLeftovers(k, ctx.names, await findLeftoverCases(k, ctx.names.prefix, now));
    },
    async deleteCase(caseId) {
      const k = await kibana();
      await k.http.request({ method: "DELETE", path: "/api/cases", query: { ids: JSON.stringify([caseId]) } });
    },
    async pushClosedViaConnector(input) {
      const k = await kibana();
      const result = await k.executeConnector(n.caseConnectorId, {
        subAction: "pushToService",
        subActionParams: {
          incident: {
            title: input.title,
            description: input.description,
            tags: input.tags,
            id: input.caseId,
            severity: input.severity,
            status: "closed",
            externalId: input.externalId,
          },
          comments: [],
        },
      });
      if (result.status !== "ok")
        throw new HopFailure(`the case connector failed: ${result.service_message ?? result.message ?? "no message"}`);
    },
    async executeAlertConnector(body) {
      const k = await kibana();
      const result = await k.executeConnector(n.alertConnectorId, { body });
      if (result.status !== "ok")
        throw new HopFailure(
          `the alert connector failed: ${result.service_message ?? result.message ?? "no message"}`,
          "Check the alert-ingest Logic App is enabled and its callback URL is current: re-run `sentinel-elastic setup`.",
        );
    },
    async indexTestDocument(marker) {
      const client = await es();
      const r = await client.createDocument(TEST_DATA_STREAM, testDocument(marker, new Date(ctx.now()).toISOString()));
      return { index: r.index };
    },
    async findKibanaAlert(marker) {
      const client = await es();
      const hits = await client.search<Record<string, unknown>>(
        `.alerts-security.alerts-${space}`,
        {
          bool: {
            filter: [
              { term: { "kibana.alert.rule.rule_id": n.ruleId } },
              { term: { "labels.sentinel_elastic_marker": marker } },
            ],
          },
        },
        { size: 1 },
      );
      const hit = hits[0];
      if (!hit) return undefined;
      const src = hit._source as Record<string, unknown>;
      const flat = (k: string) =>
        (src[k] as string | undefined) ??
        (k
          .split(".")
          .reduce<unknown>(
            (o, p) => (o && typeof o === "object" ? (o as Record<string, unknown>)[p] : undefined),
            src,
          ) as string | undefined);
      return { alertId: flat("kibana.alert.uuid") ?? hit._id, ruleName: flat("kibana.alert.rule.name") ?? "" };
    },
    async ruleStatus() {
      const k = await kibana();
      const rule = await k.getRuleByRuleId(n.ruleId);
      if (!rule)
        throw new PreconditionError("our detection rule does not exist", {
          code: "RULE_MISSING",
          suggestion: "Run `sentinel-elastic setup`.",
        });
      const last = (
        rule as { execution_summary?: { last_execution?: { date?: string; status?: string; message?: string } } }
      ).execution_summary?.last_execution;
      return {
        enabled: rule.enabled !== false,
        interval: rule.interval ?? config.rule.interval,
        lastRun: last?.date,
        lastStatus: last?.status,
        lastMessage: last?.message,
      };
    },
    async getIncident(id) {
      const { az, incidents } = await azure();
      const res = await az.http.request<ArmIncident>("GET", `${incidents}/${encodeURIComponent(id)}`, {
        query: { "api-version": SENTINEL_API },
        accept: [404],
        what: "read the Sentinel incident",
      });
      return res.status === 404 ? undefined : incidentView(res.body);
    },
    async incidentComments(id) {
      const { az, incidents } = await azure();
      const res = await az.http.request<{ value: { properties: { message: string } }[] }>(
        "GET",
        `${incidents}/${encodeURIComponent(id)}/comments`,
        { query: { "api-version": SENTINEL_API }, accept: [404], what: "read the incident's comments" },
      );
      return res.status === 404 ? [] : res.body.value.map((c) => c.properties.message);
    },
    async incidentsSince(sinceIso) {
      const { az, incidents } = await azure();
      const res = await az.http.request<{ value: ArmIncident[] }>("GET", incidents, {
        query: {
          "api-version": SENTINEL_API,
          $filter: `properties/createdTimeUtc ge ${sinceIso}`,
          $orderby: "properties/createdTimeUtc desc",
          $top: "50",
        },
        what: "list Sentinel incidents",
      });
      return res.body.value.map(incidentView);
    },
    async latestWorkflowRun(workflow, sinceIso): Promise<WorkflowRunView | undefined> {
      const { az } = await azure();
      const base = `${az.arm.baseUrl}/subscriptions/${az.subscriptionId}/resourceGroups/${logicGroup}/providers/Microsoft.Logic/workflows/${workflow}`;
      type Run = {
        name: string;
        properties: { status: string; startTime?: string; error?: { code?: string; message?: string } };
      };
      const res = await az.http.request<{ value: Run[] }>("GET", `${base}/runs`, {
        query: { "api-version": LOGIC_API, $top: "10" },
        what: `list runs of ${workflow}`,
      });
      const run = res.body.value
        .filter((r) => (r.properties.startTime ?? "") >= sinceIso)
        .sort((a, b) => (b.properties.startTime ?? "").localeCompare(a.properties.startTime ?? ""))[0];
      if (!run) return undefined;
      const view: WorkflowRunView = {
        id: run.name,
        status: run.properties.status,
        startTime: run.properties.startTime,
        error: run.properties.error,
      };
      // Read the actions even of a "Succeeded" run: our workflows handle a failed call (and answer the caller
      // with an error), which Azure counts as a succeeded run — the failed action is the evidence.
      if (view.status !== "Running" && view.status !== "Waiting") {
        type Action = {
          name: string;
          properties: { status: string; code?: string; error?: { code?: string; message?: string } };
        };
        const actions = await az.http.request<{ value: Action[] }>("GET", `${base}/runs/${run.name}/actions`, {
          query: { "api-version": LOGIC_API },
          what: "list the run's actions",
        });
        const failed = actions.body.value.find((a) => a.properties.status === "Failed");
        if (failed)
          view.failedAction = {
            name: failed.name,
            code: failed.properties.error?.code ?? failed.properties.code,
            message: failed.properties.error?.message,
          };
      }
      return view;
    },
    async queryRows(kql) {
      const { az } = await azure();
      if (!workspaceCustomerId) {
        const ws = await az.arm.workspace(workspaceGroup, workspaceName);
        if (!ws) throw new PreconditionError(`workspace ${workspaceName} not found`, { code: "WORKSPACE_MISSING" });
        workspaceCustomerId = ws.properties.customerId;
      }
      const res = await az.logs.request<{ tables: { columns: { name: string }[]; rows: unknown[][] }[] }>(
        "POST",
        `${az.cloud.logAnalytics}/v1/workspaces/${workspaceCustomerId}/query`,
        { body: { query: kql, timespan: "P1D" }, what: "query Log Analytics" },
      );
      const table = res.body.tables[0];
      if (!table) return [];
      return table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c.name, row[i]])));
    },
  };
}

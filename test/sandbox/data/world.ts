/**
 * A small Azure world for data-plane tests, built on the control plane's real `AzureState` and resource
 * shapes: a workspace with Sentinel onboarded, the DCR-based table `ElasticAlerts_CL`, a `kind: Direct` DCR
 * whose stream feeds it through a transformation, a workflow identity, and helpers for roles and rules.
 */
import { randomUUID } from "node:crypto";
import { createClock, type SandboxClock } from "../../../src/sandbox/common/clock.js";
import {
  createDataPlane,
  createStateHost,
  type DataPlane,
  type IngestRequest,
  type QueryRequest,
} from "../../../src/sandbox/azure/data/index.js";
import { tableResource, workspaceResource } from "../../../src/sandbox/azure/resources/workspaces.js";
import { BUILT_IN_TABLES, tableColumns } from "../../../src/sandbox/azure/data/tables.js";
import { kustoSchema } from "./kusto-parse.js";
import { AzureState } from "../../../src/sandbox/azure/state.js";
import { DefenderWorld } from "../../../src/sandbox/azure/defender/world.js";

export const SUB = "00000000-0000-0000-0000-0000000000aa";
export const RG = `/subscriptions/${SUB}/resourceGroups/rg-sec`;
export const WS_ID = `${RG}/providers/Microsoft.OperationalInsights/workspaces/law-sec`;
export const CUSTOMER_ID = "11111111-2222-3333-4444-555555555555";
export const DCR_ID = `${RG}/providers/Microsoft.Insights/dataCollectionRules/dcr-elastic`;
export const IMMUTABLE_ID = "dcr-0123456789abcdef0123456789abcdef";
export const STREAM = "Custom-ElasticAlerts";
export const WORKFLOW_PRINCIPAL = "aaaaaaaa-0000-0000-0000-000000000001";
export const READER_PRINCIPAL = "bbbbbbbb-0000-0000-0000-000000000002";
export const START = Date.parse("2026-11-27T12:00:00Z");

const MMP = "3913510d-42f4-4e42-8a64-420c390055eb";
const LA_READER = "73c42c96-874c-492b-b04d-ab87d138a893";

export const TABLE_COLUMNS = [
  { name: "TimeGenerated", type: "dateTime" },
  { name: "AlertId", type: "string" },
  { name: "RuleName", type: "string" },
  { name: "Severity", type: "string" },
  { name: "RiskScore", type: "int" },
  { name: "HostName", type: "string" },
  { name: "Raw", type: "dynamic" },
];

export const TRANSFORM =
  "source | extend TimeGenerated = iif(isnull(TimeGenerated), now(), TimeGenerated), " +
  "Severity = case(Severity =~ 'critical', 'High', Severity =~ 'high', 'High', Severity =~ 'medium', 'Medium', 'Low'), " +
  "HostName = tostring(Raw.host.name)";

/** Every query the query API answered with 200, and every rule query the engine ran, in this test file. */
export const acceptedQueries: string[] = [];

export interface World {
  state: AzureState;
  clock: SandboxClock;
  plane: DataPlane;
  /** POST a JSON body (or raw bytes) to the DCR stream as `principal`. */
  ingest(body: unknown, opts?: Partial<IngestRequest> & { principal?: string }): ReturnType<DataPlane["ingest"]>;
  query(
    query: string,
    opts?: Partial<QueryRequest> & { principal?: string; timespan?: string },
  ): ReturnType<DataPlane["query"]>;
  grant(principalId: string, role: "mmp" | "reader", scope?: string, immediate?: boolean): void;
  addRule(kind: "NRT" | "Scheduled", properties: Record<string, unknown>): string;
  /** The Defender portal's queue (the workspace is onboarded to it with `createWorld({ defender: true })`). */
  defender: DefenderWorld;
}

export function createWorld(opts: { latencyMs?: number; roleDelayMs?: number; defender?: boolean } = {}): World {
  const clock = createClock({ start: START });
  const state = new AzureState("tenant-1", SUB, clock, opts.roleDelayMs ?? 0);
  state.put(
    workspaceResource(state, { id: WS_ID, name: "law-sec", location: "westeurope", customerId: CUSTOMER_ID }),
    "2022-10-01",
  );
  state.put(
    {
      id: `${WS_ID}/providers/Microsoft.SecurityInsights/onboardingStates/default`,
      name: "default",
      type: "Microsoft.SecurityInsights/onboardingStates",
      properties: {},
    },
    "2025-09-01",
  );
  state.put(
    tableResource(state, `${WS_ID}/tables/ElasticAlerts_CL`, "ElasticAlerts_CL", TABLE_COLUMNS, {
      subType: "DataCollectionRuleBased",
    }),
    "2022-10-01",
  );
  state.put(
    {
      id: DCR_ID,
      name: "dcr-elastic",
      type: "Microsoft.Insights/dataCollectionRules",
      kind: "Direct",
      location: "westeurope",
      properties: {
        immutableId: IMMUTABLE_ID,
        streamDeclarations: {
          [STREAM]: {
            columns: [
              { name: "TimeGenerated", type: "datetime" },
              { name: "AlertId", type: "string" },
              { name: "RuleName", type: "string" },
              { name: "Severity", type: "string" },
              { name: "RiskScore", type: "int" },
              { name: "Raw", type: "dynamic" },
            ],
          },
        },
        destinations: { logAnalytics: [{ name: "la", workspaceResourceId: WS_ID }] },
        dataFlows: [
          { streams: [STREAM], destinations: ["la"], transformKql: TRANSFORM, outputStream: "Custom-ElasticAlerts_CL" },
        ],
      },
    },
    "2023-03-11",
  );
  const defender = new DefenderWorld(state, clock, () => "https://security.example.test");
  if (opts.defender) defender.onboard(WS_ID);
  const plane = createDataPlane(createStateHost(state, { ingestionLatencyMs: opts.latencyMs ?? 0, defender }));
  return {
    defender,
    state,
    clock,
    plane,
    ingest(body, o = {}) {
      const raw = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
      return plane.ingest({
        immutableId: IMMUTABLE_ID,
        stream: STREAM,
        principalId: o.principal ?? WORKFLOW_PRINCIPAL,
        searchParams: new URLSearchParams({ "api-version": "2023-01-01" }),
        headers: { "content-type": "application/json" },
        raw,
        ...o,
      });
    },
    async query(query, o = {}) {
      const res = await plane.query({
        workspaceId: CUSTOMER_ID,
        principalId: o.principal ?? READER_PRINCIPAL,
        method: "POST",
        searchParams: new URLSearchParams(),
        body: { query, ...(o.timespan ? { timespan: o.timespan } : {}) },
        ...o,
      });
      if (res.status === 200) acceptedQueries.push(query || (o.searchParams?.get("query") ?? ""));
      return res;
    },
    grant(principalId, role, scope, immediate = true) {
      const guid = role === "mmp" ? MMP : LA_READER;
      state.addRoleAssignment({
        scope: scope ?? (role === "mmp" ? DCR_ID : WS_ID),
        name: randomUUID(),
        roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
        principalId,
        principalType: "ServicePrincipal",
        immediate,
      });
    },
    addRule(kind, properties) {
      const name = randomUUID();
      const id = `${WS_ID}/providers/Microsoft.SecurityInsights/alertRules/${name}`;
      state.put({ id, name, type: "Microsoft.SecurityInsights/alertRules", kind, properties }, "2025-07-01-preview");
      ruleQueries.set(id.toLowerCase(), String(properties.query));
      return id;
    },
  };
}

/** Rule id (lower-cased) → query, for the real-parser check of the queries the engine ran. */
export const ruleQueries = new Map<string, string>();

/** Kusto schemas of the tables the data-plane tests query, for Microsoft's parser. */
export function kustoTablesOf(w: World): Record<string, string> {
  const tables: Record<string, string> = {};
  const res = w.state.getTable(WS_ID, "ElasticAlerts_CL");
  if (res) tables.ElasticAlerts_CL = kustoSchema(tableColumns(res));
  for (const [name, columns] of Object.entries(BUILT_IN_TABLES)) tables[name] = kustoSchema(columns);
  const dcr = w.state.findDcrByImmutableId(IMMUTABLE_ID)!;
  tables.source = kustoSchema(
    (dcr.properties.streamDeclarations[STREAM].columns as { name: string; type: string }[]).map((c) => ({
      name: c.name,
      type: c.type.toLowerCase(),
    })),
  );
  return tables;
}

/** One Elastic alert as the stream expects it. */
export function alert(i: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    AlertId: `alert-${i}`,
    RuleName: `Rule ${i}`,
    Severity: i % 2 ? "critical" : "medium",
    RiskScore: 40 + i,
    Raw: { host: { name: `host-${i}` }, user: { name: "alice" } },
    ...extra,
  };
}

export interface QueryTable {
  name: string;
  columns: { name: string; type: string }[];
  rows: unknown[][];
}

export function resultTable(body: unknown): QueryTable {
  return (body as { tables: QueryTable[] }).tables[0]!;
}

/**
 * The Azure sandbox data plane: the Log Analytics query API, the Logs Ingestion API of `kind: Direct` data
 * collection rules, and the Sentinel analytics-rule engine (NRT and Scheduled) that turns rows into alerts and
 * incidents. The control plane (`../state.ts`) owns resources, roles and incidents and implements
 * `DataPlaneHost`; this module owns table rows and the KQL engine.
 *
 * Wiring (as startAzureSandbox does):
 *   const plane = createDataPlane(createStateHost(state, { ingestionLatencyMs }));
 *   mountQueryApi(laRouter, plane, principalOf);        // POST/GET /v1/workspaces/:workspaceId/query
 *   mountIngestionApi(ingestRouter, plane, principalOf); // POST /dataCollectionRules/:immutableId/streams/:stream
 *   plane.start();                                       // analytics rules on the sandbox clock
 */
import type { IncomingHttpHeaders } from "node:http";
import type { SandboxResponse } from "../../common/router.js";
import { createAnalyticsEngine } from "./analytics-rules.js";
import type { DataPlaneHost } from "./host.js";
import { handleIngest } from "./ingest-api.js";
import { handleQuery } from "./query-api.js";
import { createRowStore, type RowStore } from "./row-store.js";
import { checkWorkspaceQuery, type KqlCheck } from "./validate.js";

export type {
  AlertRuleView,
  ColumnDecl,
  DataPlaneHost,
  DcrProperties,
  DcrView,
  IncidentDraft,
  SentinelAlert,
  TableView,
  WorkspaceView,
} from "./host.js";
export { INGEST_DATA_ACTION, QUERY_ACTIONS } from "./host.js";
export { parseKql, runKql, KqlError, Timespan } from "./kql/index.js";
export type { KqlColumn, KqlContext, KqlRow, KqlTable, KqlType, KqlValue } from "./kql/index.js";
export { mountIngestionApi, mountQueryApi } from "./mount.js";
export { createStateHost, type StateHostOptions } from "./state-host.js";
export type { RowStore, StoredRow } from "./row-store.js";
export { checkTransformKql, type KqlCheck } from "./validate.js";

export interface QueryRequest {
  /** The `{workspaceId}` path parameter (the workspace's customerId GUID). */
  workspaceId: string;
  /** Object id of the caller, taken from its token (audience https://api.loganalytics.io) by the host. */
  principalId: string;
  method: string;
  /** Query string (GET carries `query` and `timespan` here). */
  searchParams: URLSearchParams;
  /** Parsed JSON body of a POST (`{query, timespan?, workspaces?}`); undefined for GET. */
  body?: unknown;
}

export interface IngestRequest {
  /** `{ruleId}`: the DCR's immutableId. */
  immutableId: string;
  /** `{stream}`: a key of the DCR's streamDeclarations. */
  stream: string;
  /** Object id of the caller, from its token (audience https://monitor.azure.com). */
  principalId: string;
  searchParams: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Raw body bytes (possibly gzip, per Content-Encoding). */
  raw: Buffer;
}

export interface DataPlane {
  /** Log Analytics query API: POST /v1/workspaces/{workspaceId}/query (also GET ?query=). */
  query(req: QueryRequest): Promise<SandboxResponse>;
  /** Logs Ingestion: POST /dataCollectionRules/{immutableId}/streams/{stream}?api-version=2023-01-01. */
  ingest(req: IngestRequest): Promise<SandboxResponse>;
  /** Start the analytics-rule scheduler on the clock (NRT each simulated minute; Scheduled on queryFrequency). */
  start(): void;
  stop(): void;
  /** Run one scheduler tick now (tests): every rule that is due at the current clock time. */
  runRules(): Promise<void>;
  /**
   * Compile a query against a workspace's tables without running it: for the control plane to refuse an analytics
   * rule whose query Sentinel could not run (unknown table or column, unsupported KQL).
   */
  checkQuery(workspaceResourceId: string, query: string): KqlCheck;
  /** Last query error per analytics rule id (lower-cased), for rules whose query the engine refused. */
  ruleErrors(): Record<string, string>;
  /** The rows of every workspace table (read by tests; dropped by the control plane when a table is deleted). */
  readonly rows: RowStore;
}

export function createDataPlane(host: DataPlaneHost): DataPlane {
  const rows = createRowStore();
  host.onTableDeleted?.((workspaceId, table) => rows.drop(workspaceId, table));
  const analytics = createAnalyticsEngine(host, rows);
  return {
    rows,
    query: async (req) => handleQuery(host, rows, req),
    ingest: async (req) => handleIngest(host, rows, req),
    start: () => analytics.start(),
    stop: () => analytics.stop(),
    runRules: () => analytics.runDue(),
    ruleErrors: () => analytics.errors(),
    checkQuery: (workspaceId, query) => checkWorkspaceQuery(host, rows, workspaceId, query),
  };
}

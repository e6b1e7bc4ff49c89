/**
 * Logs Ingestion API of a data collection rule:
 * `POST {endpoint}/dataCollectionRules/{immutableId}/streams/{stream}?api-version=2023-01-01`
 * (spec: monitor/data-plane/ingestion/stable/2023-01-01/DataCollectionRules.json).
 *
 * Order of checks: api-version, rule, caller's data action on the rule, stream, size, body, then the rule's
 * transformation and delivery to each Log Analytics destination. Success is 204 with no body; errors carry
 * `{"error":{code,message}}` and `x-ms-error-code`.
 */
import { gunzipSync } from "node:zlib";
import type { SandboxResponse } from "../../common/router.js";
import { type DataPlaneHost, INGEST_DATA_ACTION, type TableView } from "./host.js";
import type { IngestRequest } from "./index.js";
import { KqlError, type KqlRow, type KqlTable, runKql } from "./kql/index.js";
import { coerce, kqlTypeOf } from "./kql/values.js";
import type { RowStore } from "./row-store.js";
import { tableColumns, tableName } from "./tables.js";

/** "Maximum size of API call: 1 MB, both compressed and uncompressed data" (Azure Monitor service limits, Logs Ingestion API). */
export const MAX_INGEST_BYTES = 1_048_576;
const API_VERSIONS = new Set(["2023-01-01", "2021-11-01-preview"]);

function error(status: number, code: string, message: string): SandboxResponse {
  return { status, headers: { "x-ms-error-code": code }, body: { error: { code, message } } };
}

export async function handleIngest(host: DataPlaneHost, rows: RowStore, req: IngestRequest): Promise<SandboxResponse> {
  const apiVersion = req.searchParams.get("api-version");
  if (!apiVersion)
    return error(
      400,
      "MissingApiVersionParameter",
      "The api-version query parameter (?api-version=) is required for all requests.",
    );
  if (!API_VERSIONS.has(apiVersion))
    return error(
      400,
      "UnsupportedApiVersion",
      `The HTTP resource that matches the request URI does not support the API version '${apiVersion}'. Supported: ${[...API_VERSIONS].join(", ")}.`,
    );

  // [I] An unknown immutable id: Azure cannot resolve the rule; the sandbox answers 404 naming it.
  const dcr = host.findDcrByImmutableId(req.immutableId);
  if (!dcr) return error(404, "NotFound", `Data collection rule with immutable Id '${req.immutableId}' not found.`);

  // Message shape from the SDKs' troubleshooting guides (azure-sdk-for-python/java azure-monitor-ingestion TROUBLESHOOTING.md).
  if (!host.principalCan(req.principalId, dcr.id, INGEST_DATA_ACTION, "dataAction"))
    return error(
      403,
      "OperationFailed",
      `The authentication token provided does not have access to ingest data for the data collection rule with immutable Id '${req.immutableId}'. Required authorization action was not found for objectId ${req.principalId} on resourceId ${dcr.id}.`,
    );

  const decl = dcr.properties.streamDeclarations?.[req.stream];
  const flows = (dcr.properties.dataFlows ?? []).filter((f) => f.streams.includes(req.stream));
  if (!decl || flows.length === 0)
    return error(
      400,
      "InvalidStream",
      `Stream '${req.stream}' is not declared in the data collection rule with immutable Id '${req.immutableId}' or has no data flow.`,
    );

  // Size limit: 1,048,576 bytes on the wire and after decompression (observed: 413 ContentLengthLimitExceeded,
  // "Maximum allowed content length: 1048576 bytes (1 MB). Provided content length: N bytes.").
  const tooLarge = (n: number) =>
    error(
      413,
      "ContentLengthLimitExceeded",
      `Maximum allowed content length: ${MAX_INGEST_BYTES} bytes (1 MB). Provided content length: ${n} bytes.`,
    );
  if (req.raw.length > MAX_INGEST_BYTES) return tooLarge(req.raw.length);
  let body = req.raw;
  if (String(req.headers["content-encoding"] ?? "").toLowerCase() === "gzip") {
    try {
      body = gunzipSync(req.raw);
    } catch {
      return error(400, "InvalidContentEncoding", "The request body could not be decompressed with gzip.");
    }
    if (body.length > MAX_INGEST_BYTES) return tooLarge(body.length);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return error(400, "InvalidContent", "The request body is not valid JSON.");
  }
  if (!Array.isArray(parsed) || parsed.some((x) => x === null || typeof x !== "object" || Array.isArray(x)))
    return error(
      400,
      "InvalidContent",
      "The request body must be a JSON array of objects matching the stream declaration.",
    );

  // The stream's columns type the input; properties the declaration does not list are not part of `source`
  // [I: docs say the body must "match the structure expected by the DCR" (logs-ingestion-api-overview) but do
  // not say whether extra properties fail the call; the sandbox drops them, as the transformation never sees them].
  const source: KqlTable = {
    columns: decl.columns.map((c) => ({ name: c.name, type: kqlTypeOf(c.type) ?? "string" })),
    rows: [],
  };
  source.rows = (parsed as Record<string, unknown>[]).map((obj) => {
    const row: KqlRow = {};
    for (const c of source.columns) row[c.name] = coerce(obj[c.name], c.type);
    return row;
  });

  const received = host.clock.now();
  const deliveries: { workspaceId: string; table: string; rows: KqlRow[] }[] = [];
  for (const flow of flows) {
    let output: KqlTable;
    try {
      output = runKql(flow.transformKql?.trim() || "source", {
        table: (n) => (n === "source" ? source : undefined),
        now: received,
      });
    } catch (e) {
      if (!(e instanceof KqlError)) throw e;
      return error(400, "InvalidTransformQuery", `The data collection rule's transformKql failed: ${e.message}`);
    }
    const out = outputTable(flow.outputStream ?? req.stream);
    for (const destName of flow.destinations) {
      const dest = dcr.properties.destinations?.logAnalytics?.find((d) => d.name === destName);
      if (!dest) continue;
      const ws = host.findWorkspaceById(dest.workspaceResourceId);
      const table = ws ? host.findTable(ws.id, out) : undefined;
      // Azure accepts the call and the rows never appear when the table is missing ("Troubleshooting missing
      // logs", azure-monitor-ingestion TROUBLESHOOTING.md).
      if (!ws || !table) continue;
      const sub = table.properties.schema?.tableSubType;
      if (sub && sub !== "DataCollectionRuleBased")
        return error(
          400,
          "InvalidOutputTable",
          `Table '${tableName(table)}' is a ${sub} table; only DataCollectionRuleBased tables accept the Logs Ingestion API (migrate it first).`,
        );
      deliveries.push({
        workspaceId: ws.id,
        table: tableName(table),
        rows: output.rows.map((r) => toTableRow(r, table, ws.properties.customerId ?? "", received)),
      });
    }
  }

  const land = () => {
    const at = host.clock.now();
    for (const d of deliveries) rows.append(d.workspaceId, d.table, d.rows, at);
  };
  if (host.ingestionLatencyMs > 0) host.clock.after(host.ingestionLatencyMs, land);
  else land();
  return { status: 204 };
}

/** `Custom-ElasticAlerts_CL` → `ElasticAlerts_CL`; `Microsoft-Syslog` → `Syslog`. */
function outputTable(stream: string): string {
  return stream.replace(/^(Custom|Microsoft)-/, "");
}

/**
 * Shape a transformed row into the table's columns: values are converted to the column type (a value that does
 * not convert becomes null), columns the table does not have are dropped, and the standard columns are set.
 */
function toTableRow(r: KqlRow, table: TableView, tenantId: string, received: number): KqlRow {
  const row: KqlRow = {};
  for (const c of tableColumns(table)) row[c.name] = coerce(r[c.name], c.type);
  row.TenantId = tenantId;
  row.Type = tableName(table);
  row._TimeReceived = new Date(received);
  // [I] Azure requires TimeGenerated in the output; the sandbox stamps the receive time when it is missing.
  if (row.TimeGenerated === null || row.TimeGenerated === undefined) row.TimeGenerated = new Date(received);
  return row;
}

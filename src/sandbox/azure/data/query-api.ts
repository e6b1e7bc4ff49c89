/**
 * Log Analytics query API: `POST /v1/workspaces/{workspaceId}/query` with `{query, timespan?}` or
 * `GET …/query?query=…&timespan=…` (monitor/data-plane/Microsoft.OperationalInsights/stable/v1, https://learn.microsoft.com/rest/api/loganalytics/dataaccess/query).
 * Success: `{"tables":[{"name":"PrimaryResult","columns":[{name,type}],"rows":[[…]]}]}`.
 * Query errors: 400 `{"error":{"message":"The request had some invalid properties","code":"BadArgumentError",
 * "correlationId":…,"innererror":{"code":"SemanticError","message":"A semantic error occurred.","innererror":
 * {"code":"SEM0100","message":"'where' operator: Failed to resolve …"}}}}` (shape as returned by the service, e.g.
 * Azure/azure-cli-extensions#3002, MicrosoftDocs/feedback#1792).
 */
import { randomUUID } from "node:crypto";
import type { SandboxResponse } from "../../common/router.js";
import { type DataPlaneHost, QUERY_ACTIONS } from "./host.js";
import type { QueryRequest } from "./index.js";
import { KqlError, runKql } from "./kql/index.js";
import { toJsonCell } from "./kql/values.js";
import { INVALID_JSON } from "./mount.js";
import { ingestionTimeOf, type RowStore } from "./row-store.js";
import { workspaceTable } from "./tables.js";
import { parseTimespanParam } from "./timespan.js";

function fail(status: number, code: string, message: string, innererror?: unknown): SandboxResponse {
  return {
    status,
    body: { error: { message, code, correlationId: randomUUID(), ...(innererror ? { innererror } : {}) } },
  };
}

export function badArgument(innererror: unknown): SandboxResponse {
  return fail(400, "BadArgumentError", "The request had some invalid properties", innererror);
}

/** Map an engine error to the service's nested innererror. */
export function kqlInnerError(e: KqlError): unknown {
  if (e.kind === "SyntaxError")
    return {
      code: "SyntaxError",
      message: "A recognition error occurred in the query.",
      innererror: { code: "SYN0002", message: e.message, pos: e.position ?? 0 },
    };
  return {
    code: "SemanticError",
    message: "A semantic error occurred.",
    innererror: { code: e.kind === "UnsupportedError" ? "SandboxUnsupported" : "SEM0100", message: e.message },
  };
}

export async function handleQuery(host: DataPlaneHost, rows: RowStore, req: QueryRequest): Promise<SandboxResponse> {
  const ws = host.findWorkspaceByCustomerId(req.workspaceId);
  if (!ws) return fail(404, "WorkspaceNotFoundError", `The workspace '${req.workspaceId}' could not be found`);
  if (!QUERY_ACTIONS.some((a) => host.principalCan(req.principalId, ws.id, a, "action")))
    return fail(
      403,
      "InsufficientAccessError",
      "The provided credentials have insufficient access to perform the requested operation",
    );

  let query: unknown;
  let timespan: unknown;
  if (req.method === "GET") {
    query = req.searchParams.get("query") ?? undefined;
    timespan = req.searchParams.get("timespan") ?? undefined;
  } else {
    if (req.body === INVALID_JSON || (req.body !== undefined && (typeof req.body !== "object" || req.body === null)))
      return badArgument({ code: "InvalidJson", message: "The request body is not a valid JSON object" });
    const b = (req.body ?? {}) as Record<string, unknown>;
    query = b.query;
    timespan = b.timespan ?? req.searchParams.get("timespan") ?? undefined;
  }
  if (typeof query !== "string" || query.trim() === "")
    return badArgument({ code: "QueryValidationError", message: "The query parameter is required" });

  const now = host.clock.now();
  let window: { start: number; end: number } | undefined;
  if (timespan !== undefined) {
    window = typeof timespan === "string" ? parseTimespanParam(timespan, now) : undefined;
    if (!window)
      return badArgument({
        code: "InvalidTimespan",
        message: `The timespan '${String(timespan)}' is not a valid ISO 8601 interval or duration`,
      });
  }

  try {
    const result = runKql(query, {
      now,
      ingestionTime: ingestionTimeOf,
      table: (name) =>
        workspaceTable(host, rows, ws, name, (s) => {
          if (!window) return true;
          const t = s.values.TimeGenerated;
          return t instanceof Date && t.getTime() >= window.start && t.getTime() <= window.end;
        }),
    });
    return {
      status: 200,
      body: {
        tables: [
          {
            name: "PrimaryResult",
            columns: result.columns.map((c) => ({ name: c.name, type: c.type })),
            // Dynamic cells travel as JSON text in the v1 API; the SDK hands them to callers as strings.
            rows: result.rows.map((r) =>
              result.columns.map((c) => {
                const v = toJsonCell(r[c.name] ?? null);
                return c.type === "dynamic" && v !== null ? JSON.stringify(v) : v;
              }),
            ),
          },
        ],
      },
    };
  } catch (e) {
    if (e instanceof KqlError) return badArgument(kqlInnerError(e));
    throw e;
  }
}

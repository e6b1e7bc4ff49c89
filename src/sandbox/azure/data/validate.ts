/**
 * Checks the control plane can run when a resource is written, as Azure does: a DCR whose `transformKql` does
 * not compile against its stream is refused at PUT, and Sentinel refuses an analytics rule whose query does not
 * resolve against the workspace ("Failed to run the analytics rule query" in the portal and API). Queries run
 * over empty tables: the engine compiles every operator before it reads a row, so all semantic errors surface.
 */
import type { ColumnDecl, DataPlaneHost } from "./host.js";
import { KqlError, runKql } from "./kql/index.js";
import { kqlTypeOf } from "./kql/values.js";
import type { RowStore } from "./row-store.js";
import { workspaceTable } from "./tables.js";

export type KqlCheck = { ok: true; columns: { name: string; type: string }[] } | { ok: false; error: KqlError };

function check(run: () => { columns: { name: string; type: string }[] }): KqlCheck {
  try {
    return { ok: true, columns: run().columns };
  } catch (e) {
    if (e instanceof KqlError) return { ok: false, error: e };
    throw e;
  }
}

/** Compile a DCR transformation against its stream declaration; on success, the output columns. */
export function checkTransformKql(transformKql: string | undefined, streamColumns: ColumnDecl[], now = 0): KqlCheck {
  const source = {
    columns: streamColumns.map((c) => ({ name: c.name, type: kqlTypeOf(c.type) ?? "string" })),
    rows: [],
  };
  return check(() =>
    runKql(transformKql?.trim() || "source", { now, table: (n) => (n === "source" ? source : undefined) }),
  );
}

/** Compile a query against a workspace's tables (as the query API and analytics rules would see them). */
export function checkWorkspaceQuery(
  host: DataPlaneHost,
  rows: RowStore,
  workspaceResourceId: string,
  query: string,
): KqlCheck {
  const ws = host.findWorkspaceById(workspaceResourceId);
  if (!ws) return { ok: false, error: new KqlError(`Workspace '${workspaceResourceId}' not found`, "SemanticError") };
  return check(() =>
    runKql(query, {
      now: host.clock.now(),
      table: (name) => workspaceTable(host, rows, ws, name, () => false),
    }),
  );
}

/** Route wiring for the control plane's HTTPS servers (it authenticates; these map requests to the data plane). */
import type { Router, SandboxRequest } from "../../common/router.js";
import type { DataPlane } from "./index.js";

/** Returns the caller's principal id, or undefined when the host already answered (it should not be: auth runs in `before`). */
export type PrincipalOf = (req: SandboxRequest) => string;

/** POST and GET /v1/workspaces/:workspaceId/query on the Log Analytics endpoint. */
export function mountQueryApi(router: Router, plane: DataPlane, principalOf: PrincipalOf): void {
  const handler = (r: SandboxRequest) =>
    plane.query({
      workspaceId: r.params.workspaceId!,
      principalId: principalOf(r),
      method: r.method,
      searchParams: r.query,
      body: r.method === "POST" ? safeJson(r) : undefined,
    });
  router.on("POST", "/v1/workspaces/:workspaceId/query", handler);
  router.on("GET", "/v1/workspaces/:workspaceId/query", handler);
}

/** POST /dataCollectionRules/:immutableId/streams/:stream on the logs ingestion endpoint. */
export function mountIngestionApi(router: Router, plane: DataPlane, principalOf: PrincipalOf): void {
  router.on("POST", "/dataCollectionRules/:immutableId/streams/:stream", (r) =>
    plane.ingest({
      immutableId: r.params.immutableId!,
      stream: r.params.stream!,
      principalId: principalOf(r),
      searchParams: r.query,
      headers: r.headers,
      raw: r.raw,
    }),
  );
}

/** A body that is not JSON is passed on as a marker; the query handler answers 400 for it. */
function safeJson(r: SandboxRequest): unknown {
  try {
    return r.json();
  } catch {
    return INVALID_JSON;
  }
}

export const INVALID_JSON = Symbol("invalid-json");

/**
 * Microsoft Graph, the little of it the way back uses: the service principals of app registrations.
 * - `GET /v1.0/servicePrincipals(appId='{appId}')` (alternate key appId,
 *   https://learn.microsoft.com/graph/api/serviceprincipal-get) → the servicePrincipal, or 404
 *   `Request_ResourceNotFound` when the app has no service principal in this tenant;
 * - `GET /v1.0/servicePrincipals?$filter=appId eq '{appId}'` (https://learn.microsoft.com/graph/api/serviceprincipal-list)
 *   → `{"@odata.context", value: [...]}` (an empty `value` when none).
 * Both honour `$select`. Errors use Graph's shape, not ARM's: `{"error":{"code","message","innerError":{"date",
 * "request-id","client-request-id"}}}` (https://learn.microsoft.com/graph/errors). Tokens must be for
 * `https://graph.microsoft.com`; another audience gets 401 `InvalidAuthenticationToken` "Access token validation
 * failure. Invalid audience." (as Graph answers an ARM token: microsoftgraph/microsoft-graph-docs#16208).
 * App registrations and the tenant's authorization policy: graph-applications.ts.
 * Any valid token of the tenant may read service principals: default member users can (Graph's "non-admin member
 * … with default user permissions" row on serviceprincipal-get); the sandbox does not model Graph permissions.
 */
import { randomUUID } from "node:crypto";
import type { FaultInjector } from "../common/faults.js";
import { createRouter, type Router, type SandboxRequest, type SandboxResponse } from "../common/router.js";
import { type DefenderGraphDeps, mountDefenderGraph } from "./defender/graph-routes.js";
import { mountApplicationRoutes } from "./graph-applications.js";
import type { AzureState, Principal } from "./state.js";
import { AUDIENCES, type TokenIssuer } from "./tokens.js";

export const GRAPH_AUDIENCE = AUDIENCES.graph[0];

export function graphError(status: number, code: string, message: string, req?: SandboxRequest): SandboxResponse {
  const requestId = randomUUID();
  const clientRequestId = req?.headers["client-request-id"];
  return {
    status,
    headers: { "request-id": requestId },
    body: {
      error: {
        code,
        message,
        innerError: {
          date: new Date().toISOString().replace(/\.\d+Z$/, ""),
          "request-id": requestId,
          "client-request-id": typeof clientRequestId === "string" ? clientRequestId : requestId,
        },
      },
    },
  };
}

function authenticateGraph(issuer: TokenIssuer) {
  return (req: SandboxRequest): SandboxResponse | undefined => {
    if (!req.headers.authorization) return graphError(401, "InvalidAuthenticationToken", "Access token is empty.", req);
    const check = issuer.verify(req.headers.authorization, [GRAPH_AUDIENCE]);
    if (check.ok) return undefined;
    const message =
      check.code === "InvalidAuthenticationTokenAudience"
        ? "Access token validation failure. Invalid audience."
        : check.code === "ExpiredAuthenticationToken"
          ? "Lifetime validation failed, the token is expired."
          : "Access token validation failure.";
    return graphError(401, "InvalidAuthenticationToken", message, req);
  };
}

/** The servicePrincipal resource as Graph returns it (the properties the sandbox knows). */
export function servicePrincipalEntity(p: Principal): Record<string, unknown> {
  return {
    id: p.id,
    appId: p.appId ?? null,
    displayName: p.displayName,
    // Managed identities are service principals of type ManagedIdentity; app registrations are Application.
    servicePrincipalType: p.managedIdentityOf ? "ManagedIdentity" : "Application",
    accountEnabled: true,
  };
}

function select(entity: Record<string, unknown>, req: SandboxRequest): Record<string, unknown> {
  const wanted = req.query.get("$select");
  if (!wanted) return entity;
  const fields = wanted.split(",").map((f) => f.trim());
  const out: Record<string, unknown> = {};
  // Graph always returns id, whatever $select says.
  for (const f of ["id", ...fields]) if (f in entity) out[f] = entity[f];
  return out;
}

const ALTERNATE_KEY = /^servicePrincipals\(appId='([^']*)'\)$/i;
const APP_ID_FILTER = /^\s*appId\s+eq\s+'([^']*)'\s*$/i;

export function createGraphRouter(
  state: AzureState,
  issuer: TokenIssuer,
  faults?: FaultInjector,
  defender?: Pick<DefenderGraphDeps, "world" | "appRoles">,
): Router {
  const router = createRouter({
    service: "graph",
    faults,
    before: authenticateGraph(issuer),
    onError: (e, req) => graphError(500, "generalException", e instanceof Error ? e.message : String(e), req),
    notFound: (req) =>
      graphError(400, "BadRequest", `Resource not found for the segment '${req.path.split("/").pop()}'.`, req),
  });
  const context = () => `${state.endpoints.graph || GRAPH_AUDIENCE}/v1.0/$metadata#servicePrincipals`;
  const servicePrincipals = (p: Principal) => p.type === "ServicePrincipal";

  // The Defender incident queue and Graph app-role assignments (defender/graph-routes.ts).
  if (defender) mountDefenderGraph(router, { state, issuer, ...defender });
  // App registrations (graph-applications.ts); the directory roles that may manage them live with the app roles.
  if (defender) mountApplicationRoutes(router, { state, issuer, appRoles: defender.appRoles });
  router.on("GET", "/v1.0/:segment", (req) => {
    const segment = decodeURIComponent(req.params.segment!);
    const byKey = ALTERNATE_KEY.exec(segment);
    if (byKey) {
      const appId = byKey[1]!;
      const sp = state.servicePrincipalByAppId(appId);
      if (!sp)
        return graphError(
          404,
          "Request_ResourceNotFound",
          `Resource '${appId}' does not exist or one of its queried reference-property objects are not present.`,
          req,
        );
      return {
        status: 200,
        body: { "@odata.context": `${context()}/$entity`, ...select(servicePrincipalEntity(sp), req) },
      };
    }
    if (segment.toLowerCase() !== "serviceprincipals")
      return graphError(400, "BadRequest", `Resource not found for the segment '${segment}'.`, req);
    const filter = req.query.get("$filter");
    let found = [...state.principals.values()].filter(servicePrincipals);
    if (filter) {
      const m = APP_ID_FILTER.exec(filter);
      if (!m)
        return graphError(
          400,
          "Request_UnsupportedQuery",
          "Unsupported or invalid query filter clause specified for property of resource 'ServicePrincipal'.",
          req,
        );
      found = found.filter((p) => p.appId?.toLowerCase() === m[1]!.toLowerCase());
    }
    return {
      status: 200,
      body: { "@odata.context": context(), value: found.map((p) => select(servicePrincipalEntity(p), req)) },
    };
  });
  return router;
}

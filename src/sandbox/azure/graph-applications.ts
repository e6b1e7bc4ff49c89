/**
 * Microsoft Graph v1.0 app registrations (applications.ts holds them):
 * - `GET /applications?$filter=displayName eq '…'`, `GET /applications/{id}` (application-list, application-get);
 * - `POST /applications` → 201 (application-post-applications); `PATCH /applications/{id}` → 204 (application-update):
 *   an `api://` identifier URI must be `api://<its appId>` (or below it), the default form Entra accepts without a
 *   verified domain (https://learn.microsoft.com/entra/identity-platform/identifier-uri-restrictions), and unique;
 * - `DELETE /applications/{id}` → 204; the service principal goes with it (application-delete);
 * - `POST /applications/{id}/addPassword` → 200 passwordCredential with `secretText`, once; `POST …/removePassword`
 *   `{keyId}` → 204 (application-addpassword, application-removepassword);
 * - `POST /servicePrincipals` `{appId}` → 201 (serviceprincipal-post-serviceprincipals);
 * - `GET /policies/authorizationPolicy` (authorizationpolicy-get): whether member users may register applications.
 * Without the permission: 403 `Authorization_RequestDenied` "Insufficient privileges to complete the operation."
 */
import type { Router, SandboxRequest, SandboxResponse } from "../common/router.js";
import { APP_ADMIN_ROLES, APP_CREATOR_ROLES, type Application, applicationEntity } from "./applications.js";
import type { AppRoleStore } from "./defender/app-roles.js";
import { graphError, servicePrincipalEntity } from "./graph.js";
import type { AzureState } from "./state.js";
import { AUDIENCES, type TokenClaims, type TokenIssuer } from "./tokens.js";

const DENIED = "Insufficient privileges to complete the operation.";
const NAME_FILTER = /^\s*displayName\s+eq\s+'((?:[^']|'')*)'\s*$/i;

export function mountApplicationRoutes(
  router: Router,
  deps: { state: AzureState; issuer: TokenIssuer; appRoles: AppRoleStore },
): void {
  const { state, issuer, appRoles } = deps;
  const store = state.applications;
  const base = () => state.endpoints.graph || AUDIENCES.graph[0];
  const caller = (req: SandboxRequest): TokenClaims | undefined => {
    const check = issuer.verify(req.headers.authorization, AUDIENCES.graph);
    return check.ok ? check.claims : undefined;
  };
  const unauthenticated = (req: SandboxRequest) =>
    graphError(401, "InvalidAuthenticationToken", "Access token validation failure.", req);
  const denied = (req: SandboxRequest) => graphError(403, "Authorization_RequestDenied", DENIED, req);
  const mayCreate = (c: TokenClaims) =>
    c.idtyp === "user" && (store.allowedToCreateApps || appRoles.hasEntraRole(c.oid, APP_CREATOR_ROLES));
  const mayManage = (c: TokenClaims, app: Application) =>
    app.owners.includes(c.oid) || appRoles.hasEntraRole(c.oid, APP_ADMIN_ROLES);
  const notFound = (req: SandboxRequest, id: string) =>
    graphError(
      404,
      "Request_ResourceNotFound",
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
      req,
    );
  /** The caller and the application of the URL, or Graph's error. */
  const target = (req: SandboxRequest, manage: boolean): { c: TokenClaims; app: Application } | SandboxResponse => {
    const c = caller(req);
    if (!c) return unauthenticated(req);
    const app = store.apps.get(req.params.id!);
    if (!app) return notFound(req, req.params.id!);
    if (manage && !mayManage(c, app)) return denied(req);
    return { c, app };
  };
  const isError = (x: unknown): x is SandboxResponse => typeof x === "object" && x !== null && "status" in x;

  router.on("GET", "/v1.0/policies/authorizationPolicy", (req) => {
    if (!caller(req)) return unauthenticated(req);
    return {
      status: 200,
      body: {
        "@odata.context": `${base()}/v1.0/$metadata#policies/authorizationPolicy/$entity`,
        id: "authorizationPolicy",
        displayName: "Authorization Policy",
        defaultUserRolePermissions: { allowedToCreateApps: store.allowedToCreateApps, allowedToReadOtherUsers: true },
      },
    };
  });

  router.on("GET", "/v1.0/applications", (req) => {
    if (!caller(req)) return unauthenticated(req);
    let found = [...store.apps.values()];
    const filter = req.query.get("$filter");
    if (filter) {
      const m = NAME_FILTER.exec(filter);
      if (!m) return graphError(400, "Request_UnsupportedQuery", "Unsupported query.", req);
      const name = m[1]!.replace(/''/g, "'");
      found = found.filter((a) => a.displayName === name);
    }
    return {
      status: 200,
      body: { "@odata.context": `${base()}/v1.0/$metadata#applications`, value: found.map(applicationEntity) },
    };
  });

  router.on("GET", "/v1.0/applications/:id", (req) => {
    const t = target(req, false);
    return isError(t) ? t : { status: 200, body: applicationEntity(t.app) };
  });

  router.on("POST", "/v1.0/applications", (req) => {
    const c = caller(req);
    if (!c) return unauthenticated(req);
    if (!mayCreate(c)) return denied(req);
    const body = (req.json() ?? {}) as Record<string, unknown>;
    if (typeof body.displayName !== "string" || !body.displayName.trim())
      return graphError(400, "Request_BadRequest", "Property 'displayName' is required.", req);
    if (body.tags !== undefined && (!Array.isArray(body.tags) || body.tags.some((t) => typeof t !== "string")))
      return graphError(400, "Request_BadRequest", "Property 'tags' must be a collection of strings.", req);
    if (Array.isArray(body.identifierUris) && body.identifierUris.length)
      // The appId is not known before the object exists, so api://<appId> can only be set by a later PATCH.
      return graphError(
        400,
        "HostNameNotOnVerifiedDomain",
        "Values of identifierUris property must use a verified domain of the organization or its subdomain.",
        req,
      );
    const app = store.create(
      {
        displayName: body.displayName,
        tags: body.tags as string[] | undefined,
        notes: typeof body.notes === "string" ? body.notes : null,
        signInAudience: typeof body.signInAudience === "string" ? body.signInAudience : undefined,
      },
      c.oid,
      state.nowIso(),
    );
    return {
      status: 201,
      body: { "@odata.context": `${base()}/v1.0/$metadata#applications/$entity`, ...applicationEntity(app) },
    };
  });

  router.on("PATCH", "/v1.0/applications/:id", (req) => {
    const t = target(req, true);
    if (isError(t)) return t;
    const body = (req.json() ?? {}) as Record<string, unknown>;
    if (body.identifierUris !== undefined) {
      const uris = body.identifierUris;
      if (!Array.isArray(uris) || uris.some((u) => typeof u !== "string"))
        return graphError(400, "Request_BadRequest", "Property 'identifierUris' must be a collection of strings.", req);
      for (const uri of uris as string[]) {
        const own = `api://${t.app.appId}`.toLowerCase();
        const lower = uri.toLowerCase();
        if (lower !== own && !lower.startsWith(`${own}/`))
          return graphError(
            400,
            "HostNameNotOnVerifiedDomain",
            `Values of identifierUris property must use a verified domain of the organization or its subdomain: '${uri}'`,
            req,
          );
        const other = store.byIdentifierUri(uri);
        if (other && other.id !== t.app.id)
          return graphError(
            400,
            "Request_BadRequest",
            "Another object with the same value for property identifierUris already exists.",
            req,
          );
      }
      t.app.identifierUris = [...(uris as string[])];
    }
    if (Array.isArray(body.tags)) t.app.tags = (body.tags as unknown[]).map(String);
    if (typeof body.notes === "string" || body.notes === null) t.app.notes = body.notes as string | null;
    if (typeof body.displayName === "string") t.app.displayName = body.displayName;
    return { status: 204 };
  });

  router.on("DELETE", "/v1.0/applications/:id", (req) => {
    const t = target(req, true);
    if (isError(t)) return t;
    store.apps.delete(t.app.id);
    const sp = state.servicePrincipalByAppId(t.app.appId);
    if (sp) state.principals.delete(sp.id);
    return { status: 204 };
  });

  router.on("POST", "/v1.0/applications/:id/addPassword", (req) => {
    const t = target(req, true);
    if (isError(t)) return t;
    const body = (req.json() ?? {}) as { passwordCredential?: { displayName?: string; endDateTime?: string } };
    const p = body.passwordCredential ?? {};
    if (p.endDateTime !== undefined && Number.isNaN(Date.parse(p.endDateTime)))
      return graphError(400, "Request_BadRequest", "Invalid value specified for property 'endDateTime'.", req);
    const cred = store.addPassword(t.app, p, state.clock.now());
    return {
      status: 200,
      body: {
        "@odata.context": `${base()}/v1.0/$metadata#microsoft.graph.passwordCredential`,
        customKeyIdentifier: null,
        displayName: cred.displayName,
        endDateTime: cred.endDateTime,
        hint: cred.hint,
        keyId: cred.keyId,
        secretText: cred.secret,
        startDateTime: cred.startDateTime,
      },
    };
  });

  router.on("POST", "/v1.0/applications/:id/removePassword", (req) => {
    const t = target(req, true);
    if (isError(t)) return t;
    const keyId = ((req.json() ?? {}) as { keyId?: string }).keyId;
    const i = t.app.passwordCredentials.findIndex((c) => c.keyId === keyId);
    if (i < 0) return graphError(404, "Request_ResourceNotFound", `No password credential with keyId '${keyId}'.`, req);
    t.app.passwordCredentials.splice(i, 1);
    return { status: 204 };
  });

  router.on("POST", "/v1.0/servicePrincipals", (req) => {
    const c = caller(req);
    if (!c) return unauthenticated(req);
    const body = (req.json() ?? {}) as { appId?: string };
    const app = typeof body.appId === "string" ? store.byAppId(body.appId) : undefined;
    if (!app)
      return graphError(
        400,
        "Request_BadRequest",
        `The appId '${body.appId}' of the service principal does not reference a valid application object.`,
        req,
      );
    if (!mayManage(c, app)) return denied(req);
    if (state.servicePrincipalByAppId(app.appId))
      return graphError(
        409,
        "Request_MultipleObjectsWithSameKeyValue",
        "The service principal name is already in use.",
        req,
      );
    const sp = state.addServicePrincipal({ appId: app.appId, displayName: app.displayName });
    return {
      status: 201,
      body: { "@odata.context": `${base()}/v1.0/$metadata#servicePrincipals/$entity`, ...servicePrincipalEntity(sp) },
    };
  });
}

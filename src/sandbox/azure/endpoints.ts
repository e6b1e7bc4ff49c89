/**
 * The non-ARM endpoints of the sandbox: the Logic Apps trigger endpoint (callback URLs with `sig`), the
 * portal (incident links and the OAuth consent page of API connections) and the login endpoint the fake
 * `az` asks for tokens.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { FaultInjector } from "../common/faults.js";
import { createRouter, type Router, type SandboxRequest, type SandboxResponse } from "../common/router.js";
import { errorResponse } from "./arm/router.js";
import { AzureError } from "./errors.js";
import type { LogicRuntime } from "./logic/index.js";
import { completeConsent, findConnectionByConsentKey } from "./resources/connections.js";
import type { ArmEnv } from "./resources/types.js";
import type { AzureState } from "./state.js";
import { findWorkflowByKey, triggerQueryParams } from "./resources/workflows.js";
import { authorizeTriggerCall } from "./trigger-auth.js";
import { audienceFromScope, TOKEN_LIFETIME_MS, type TokenIssuer } from "./tokens.js";

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Request-trigger calls: `…/workflows/{key}/triggers/{trigger}/paths/invoke[/{relativePath}]?api-version&sp&sv&sig`.
 * SAS (`sig`) or OAuth (`Authorization: Bearer`, checked against the workflow's policies), never both:
 * trigger-auth.ts. A disabled workflow gets 404.
 */
export function createLogicAppsRouter(env: ArmEnv, logic: LogicRuntime, faults?: FaultInjector): Router {
  const router = createRouter({ service: "logic-apps", faults, onError: (e) => errorResponse(e) });
  const invoke = async (req: SandboxRequest): Promise<SandboxResponse> => {
    const rec = findWorkflowByKey(env, req.params.key!);
    if (!rec) throw new AzureError(404, "WorkflowNotFound", "The workflow could not be found.");
    const trigger = req.params.trigger!;
    authorizeTriggerCall(env.issuer, rec, req, trigger);
    const wf = rec.resource;
    if (wf.properties.state !== "Enabled")
      throw new AzureError(404, "WorkflowNotEnabled", `The workflow '${wf.name}' is disabled and cannot be triggered.`);
    const triggers = (wf.properties.definition?.triggers ?? {}) as Record<string, unknown>;
    const triggerName = Object.keys(triggers).find((t) => t.toLowerCase() === trigger.toLowerCase());
    if (!triggerName)
      throw new AzureError(
        404,
        "WorkflowTriggerNotFound",
        `The workflow '${wf.name}' trigger '${trigger}' could not be found.`,
      );
    const query: Record<string, string> = {};
    for (const [k, v] of req.query) if (!triggerQueryParams().includes(k)) query[k] = v;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
    const rel = req.params["*"];
    const out = await logic.invoke(
      {
        id: wf.id,
        name: wf.name,
        definition: wf.properties.definition,
        parameters: wf.properties.parameters,
        state: "Enabled",
        principalId: wf.identity?.principalId,
        location: wf.location,
      },
      triggerName,
      { method: req.method, relativePath: rel ? `/${rel}` : undefined, query, headers, body: req.raw.toString("utf8") },
    );
    return { status: out.status, headers: out.headers, body: out.body, rawBody: true };
  };
  router.on("*", "/workflows/:key/triggers/:trigger/paths/invoke", invoke);
  router.on("*", "/workflows/:key/triggers/:trigger/paths/invoke/*", invoke);
  return router;
}

/** The portal: a landing page (incident links point here) and the consent page of OAuth connections. */
export function createPortalRouter(env: ArmEnv, deployerId: string): Router {
  const router = createRouter({ service: "portal", onError: (e) => errorResponse(e) });
  const html = (status: number, text: string): SandboxResponse => ({
    status,
    headers: { "content-type": "text/html; charset=utf-8" },
    body: `<!doctype html><title>Azure sandbox</title><p>${text}</p>`,
    rawBody: true,
  });
  router.on("GET", "/", () => html(200, "Azure sandbox portal."));
  router.on("GET", "/consent/:key", (req) => {
    const rec = findConnectionByConsentKey(env, req.params.key!);
    if (!rec) return html(404, "This consent link is not valid.");
    const code = randomBytes(12).toString("base64url");
    rec.secrets.pendingCode = code;
    completeConsent(
      rec,
      req.query.get("objectId") && env.state.principals.has(req.query.get("objectId")!)
        ? req.query.get("objectId")!
        : deployerId,
    );
    const redirect = req.query.get("redirectUrl");
    if (redirect) {
      const u = new URL(redirect);
      u.searchParams.set("code", code);
      return { status: 302, headers: { location: u.toString() } };
    }
    return html(200, `Consent granted for connection '${rec.resource.name}'. You can close this page.`);
  });
  return router;
}

/**
 * The login endpoint: POST /token {resource, session} for the fake `az` (a token for the deploying principal,
 * shaped as `az account get-access-token --output json` prints it), and the Microsoft identity platform's
 * client-credentials grant for app registrations (what the microsoft_sentinel integration signs in with).
 */
export function createLoginRouter(
  issuer: TokenIssuer,
  session: string,
  principal: { id: string; upn: string },
  subscriptionId: string,
  apps?: AzureState,
): Router {
  const router = createRouter({ service: "login", onError: (e) => errorResponse(e) });
  if (apps)
    router.on("POST", "/:tenant/oauth2/v2.0/token", (req) =>
      clientCredentials(req.params.tenant!, req.raw, apps, issuer),
    );
  router.on("POST", "/token", (req) => {
    const body = (req.json() ?? {}) as { resource?: string; session?: string };
    if (!body.session || !same(body.session, session))
      return {
        status: 401,
        body: { error: "invalid_client", error_description: "Please run 'az login' to set up account." },
      };
    const audience = audienceFromScope(String(body.resource ?? ""));
    const { token, claims } = issuer.issue({ audience, principalId: principal.id, user: true, upn: principal.upn });
    // Scaled mode: sandbox time is the wall clock and token lifetimes are not compressed, so the token's own
    // expiry is the real one, and a CLI asks `az` once per audience (as against Azure). A test's manual clock may be
    // moved ahead of real time: there, report a real-time expiry well inside the lifetime so that `az` asks again soon.
    const realLifetimeS = Math.floor((0.8 * TOKEN_LIFETIME_MS) / 1000);
    const realExpiry =
      issuer.clock.mode === "scaled"
        ? claims.exp
        : Math.floor(Date.now() / 1000) + Math.max(1, Math.min(60, realLifetimeS));
    return {
      status: 200,
      body: {
        accessToken: token,
        expiresOn: new Date(realExpiry * 1000)
          .toISOString()
          .replace("T", " ")
          .replace(/\.\d+Z$/, ".000000"),
        expires_on: realExpiry,
        subscription: subscriptionId,
        tenant: claims.tid,
        tokenType: "Bearer",
      },
    };
  });
  return router;
}

/**
 * `POST /{tenant}/oauth2/v2.0/token`, form-encoded `grant_type=client_credentials&client_id&client_secret&scope`
 * (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow): 200
 * `{token_type, expires_in, ext_expires_in, access_token}`; errors `{error, error_description, error_codes}` with
 * AADSTS700016 (unknown app), AADSTS7000215 (wrong or removed secret), AADSTS7000222 (expired secret),
 * AADSTS500011 (an api:// scope no app registration exposes), AADSTS90002 (unknown tenant).
 */
function clientCredentials(tenant: string, raw: Buffer, state: AzureState, issuer: TokenIssuer): SandboxResponse {
  const form = new URLSearchParams(raw.toString("utf8"));
  const fail = (status: number, error: string, code: number, description: string): SandboxResponse => ({
    status,
    body: { error, error_description: `AADSTS${code}: ${description}`, error_codes: [code] },
  });
  if (tenant.toLowerCase() !== issuer.tenantId.toLowerCase())
    return fail(400, "invalid_request", 90002, `Tenant '${tenant}' not found.`);
  if (form.get("grant_type") !== "client_credentials")
    return fail(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.");
  const clientId = form.get("client_id") ?? "";
  const app = state.servicePrincipalByAppId(clientId);
  if (!app)
    return fail(
      400,
      "unauthorized_client",
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`,
    );
  const secret = form.get("client_secret") ?? "";
  // App registrations made through Graph (applications.ts) have expiring, removable secrets; those given to the
  // sandbox as options have one fixed secret.
  const registered = state.applications.byAppId(clientId);
  const check = registered
    ? state.applications.checkSecret(clientId, secret, state.clock.now())
    : state.isClientSecretOf(clientId, secret)
      ? "ok"
      : "invalid";
  if (check === "expired")
    return fail(401, "invalid_client", 7000222, `The provided client secret keys for app '${clientId}' are expired.`);
  if (check === "invalid") return fail(401, "invalid_client", 7000215, "Invalid client secret provided.");
  const scope = form.get("scope") ?? "";
  if (!scope.endsWith("/.default"))
    return fail(400, "invalid_scope", 1002012, "The provided value for scope is not valid.");
  const resource = audienceFromScope(scope);
  // An api:// resource must be an identifier URI some app registration of the tenant exposes, with a service
  // principal here (AADSTS500011, https://learn.microsoft.com/entra/identity-platform/reference-error-codes).
  if (/^api:\/\//i.test(resource)) {
    const target = state.applications.byIdentifierUri(resource);
    if (!target || !state.servicePrincipalByAppId(target.appId))
      return fail(
        400,
        "invalid_resource",
        500011,
        `The resource principal named ${resource} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
      );
  }
  // A v1 token (the resource app does not ask for v2): iss https://sts.windows.net/<tenant>/, aud the resource.
  const { token } = issuer.issue({ audience: resource, principalId: app.id, appId: app.appId });
  const expiresIn = Math.floor(issuer.lifetimeMs / 1000);
  return {
    status: 200,
    body: { token_type: "Bearer", expires_in: expiresIn, ext_expires_in: expiresIn, access_token: token },
  };
}

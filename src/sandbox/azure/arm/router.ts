/**
 * The Resource Manager endpoint: bearer-token check on every call (401 with `WWW-Authenticate` as ARM sends
 * it), then subscription-level routes, deployments, Sentinel incidents, and the generic resource routes.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { FaultInjector } from "../../common/faults.js";
import { BadJson, createRouter, type Router, type SandboxRequest, type SandboxResponse } from "../../common/router.js";
import { AzureError, notFound } from "../errors.js";
import { parseId } from "../ids.js";
import type { ArmEnv } from "../resources/types.js";
import type { TokenIssuer } from "../tokens.js";
import { requireApiVersion } from "./api-version.js";
import { type Caller, callerOf } from "./authz.js";
import type { DeploymentsApi } from "./deployments-api.js";
import { AUTHORIZATION_PATH, handleAuthorization } from "./authorization-api.js";
import { handleIncidents } from "./incidents-api.js";
import { listSubscriptions } from "./lists-api.js";
import { deleteResource, getResource, handlerFor, listResources, putResource, trySubRoute } from "./resources-api.js";
import { handleSubscription } from "./subscription-api.js";

export interface AuthOptions {
  issuer: TokenIssuer;
  audiences: readonly string[];
  /** Base of `authorization_uri` in WWW-Authenticate (the sandbox login endpoint). */
  authority: string;
  tenantId: string;
  /** Error body for a 401 (ARM, Log Analytics and ingestion differ). */
  body?: (code: string, message: string) => unknown;
}

const callers = new WeakMap<IncomingMessage, Caller>();

export function callerFromRequest(req: SandboxRequest): Caller {
  const c = callers.get(req.req);
  if (!c) throw new AzureError(401, "AuthenticationFailed", "Authentication failed.");
  return c;
}

/** A `before` hook that authenticates the bearer token for one endpoint's audience. */
export function authenticate(o: AuthOptions) {
  return (req: SandboxRequest): SandboxResponse | undefined => {
    const check = o.issuer.verify(req.headers.authorization, o.audiences);
    if (check.ok) {
      callers.set(req.req, callerOf(check.claims));
      return undefined;
    }
    return {
      status: 401,
      headers: {
        "www-authenticate": `Bearer authorization_uri="${o.authority}/${o.tenantId}", error="invalid_token", error_description="${check.description}"`,
        "x-ms-error-code": check.code,
      },
      body: o.body ? o.body(check.code, check.message) : { error: { code: check.code, message: check.message } },
    };
  };
}

export function errorResponse(err: unknown): SandboxResponse {
  if (err instanceof AzureError)
    return { status: err.status, headers: { "x-ms-error-code": err.code, ...(err.headers ?? {}) }, body: err.body() };
  if (err instanceof BadJson)
    return {
      status: 400,
      body: {
        error: {
          code: "InvalidRequestContent",
          message: `The request content was invalid and could not be deserialized: ${err.message}`,
        },
      },
    };
  return {
    status: 500,
    body: { error: { code: "InternalServerError", message: err instanceof Error ? err.message : String(err) } },
  };
}

const INCIDENT_PATH =
  /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.OperationalInsights\/workspaces\/[^/]+)\/providers\/Microsoft\.SecurityInsights\/incidents(?:\/([^/]+)(?:\/([^/]+)(?:\/([^/]+))?)?)?\/?$/i;

export function createArmRouter(
  env: ArmEnv,
  deployments: DeploymentsApi,
  auth: AuthOptions,
  faults?: FaultInjector,
): Router {
  const router = createRouter({
    service: "resource-manager",
    faults,
    before: authenticate(auth),
    onError: (err) => errorResponse(err),
    notFound: (req) => ({
      status: 404,
      body: { error: { code: "NotFound", message: `The path '${req.path}' was not found.` } },
    }),
  });

  const dispatch = async (req: SandboxRequest): Promise<SandboxResponse> => {
    const caller = callerFromRequest(req);
    const path = req.path.replace(/\/+$/, "");
    const segs = path.split("/").filter(Boolean);
    const sub = handleSubscription(env, req, caller, segs);
    if (sub) return sub;
    if (
      segs[2]?.toLowerCase() === "resourcegroups" &&
      segs[4]?.toLowerCase() === "providers" &&
      segs[5]?.toLowerCase() === "microsoft.resources" &&
      segs[6]?.toLowerCase() === "deployments"
    )
      return deployments.handle(req, caller, decodeURIComponent(segs[3]!), segs.slice(7));
    // DeploymentOperations use `/resourcegroups/{rg}/deployments/{name}/operations` (no providers segment).
    if (segs[2]?.toLowerCase() === "resourcegroups" && segs[4]?.toLowerCase() === "deployments")
      return deployments.handle(req, caller, decodeURIComponent(segs[3]!), segs.slice(5));
    if (segs[2]?.toLowerCase() === "operationresults" && req.method === "GET") {
      const r = deployments.whatIfResults.get(segs[3]!);
      if (!r) throw notFound("OperationNotFound", "The operation could not be found.");
      return { status: 200, body: r };
    }
    const authz = req.method === "GET" ? AUTHORIZATION_PATH.exec(path) : null;
    if (authz) return handleAuthorization(env, req, caller, authz[1]!, authz[2]!);
    const inc = INCIDENT_PATH.exec(path);
    if (inc)
      return handleIncidents(env, req, caller, { wsPath: inc[1]!, incident: inc[2], sub: inc[3], subId: inc[4] });
    const apiVersion = requireApiVersion(req.query);
    const p = parseId(path);
    const lastProviders = segs.map((s) => s.toLowerCase()).lastIndexOf("providers");
    const tail = lastProviders >= 0 ? segs.length - lastProviders - 2 : -1;
    const handler = p.type ? handlerFor(p.type) : undefined;
    if (tail > 0 && tail % 2 === 0 && handler) {
      switch (req.method) {
        case "PUT": {
          const { status, resource } = await putResource(env, {
            id: path,
            body: req.json() as Record<string, any>,
            apiVersion,
            caller,
          });
          return { status, body: resource };
        }
        case "GET":
          return { status: 200, body: getResource(env, path, apiVersion, caller) };
        case "DELETE":
          return deleteResource(env, path, apiVersion, caller);
        case "PATCH": {
          const current = getResource(env, path, apiVersion, caller);
          const body = (req.json() ?? {}) as Record<string, any>;
          const { status: _s, resource } = await putResource(env, {
            id: path,
            body: { ...current, ...body, properties: { ...current.properties, ...(body.properties ?? {}) } },
            apiVersion,
            caller,
          });
          return { status: 200, body: resource };
        }
      }
    }
    if (tail > 0 && tail % 2 === 1 && handler && req.method === "GET")
      return listResources(env, path, handler.type, apiVersion, caller);
    const viaSub = await trySubRoute(env, path, req, caller);
    if (viaSub) return viaSub;
    if (p.type && !handler && tail > 0 && tail % 2 === 0)
      throw new AzureError(
        400,
        "InvalidResourceType",
        `The resource type '${p.type}' could not be found for api version '${apiVersion}'. (The sandbox does not emulate this type.)`,
      );
    throw notFound("NotFound", `The path '${req.path}' was not found.`);
  };

  router.on("GET", "/subscriptions", (req) => {
    requireApiVersion(req.query);
    return listSubscriptions(env, env.otherSubscriptions ?? []);
  });
  // ARM stamps every answer with request and correlation ids; SDKs log them and users quote them to support.
  const stamped = async (req: SandboxRequest): Promise<SandboxResponse> => {
    const ids = {
      "x-ms-request-id": randomUUID(),
      "x-ms-correlation-request-id": String(req.headers["x-ms-correlation-request-id"] ?? randomUUID()),
    };
    try {
      const out = await dispatch(req);
      return { ...out, headers: { ...ids, ...(out.headers ?? {}) } };
    } catch (e) {
      const out = errorResponse(e);
      return { ...out, headers: { ...ids, ...(out.headers ?? {}) } };
    }
  };
  router.on("*", "/subscriptions/*", stamped);
  return router;
}

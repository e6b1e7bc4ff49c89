/**
 * Generic resource operations shared by HTTP calls and template deployments: PUT (create/replace with the
 * checks every provider makes: api-version, provider registration, resource group / parent existence,
 * location, name rules, RBAC), GET, DELETE, list, and the sub-paths of stored resources.
 */
import type { SandboxRequest, SandboxResponse } from "../../common/router.js";
import { AzureError, badRequest, notFound } from "../errors.js";
import { idKey, parentId, parseId } from "../ids.js";
import { connectionsHandler } from "../resources/connections.js";
import { dataCollectionRulesHandler } from "../resources/data-collection-rules.js";
import { roleAssignmentsHandler } from "../resources/role-assignments.js";
import { alertRulesHandler, onboardingStatesHandler } from "../resources/sentinel.js";
import type { ArmEnv, ResourceHandler } from "../resources/types.js";
import { workflowsHandler } from "../resources/workflows.js";
import { tablesHandler, workspacesHandler } from "../resources/workspaces.js";
import type { ArmResource, StoredResource } from "../state.js";
import { checkProviderApiVersion } from "./api-version.js";
import { authorize, type Caller } from "./authz.js";
import { checkLocation, checkTags, normaliseLocation } from "./common-rules.js";

export const HANDLERS: ResourceHandler[] = [
  workflowsHandler,
  connectionsHandler,
  roleAssignmentsHandler,
  workspacesHandler,
  tablesHandler,
  dataCollectionRulesHandler,
  onboardingStatesHandler,
  alertRulesHandler,
];
const byType = new Map(HANDLERS.map((h) => [h.type.toLowerCase(), h]));

export function handlerFor(type: string): ResourceHandler | undefined {
  return byType.get(type.toLowerCase());
}

export function unsupportedType(type: string, apiVersion: string): AzureError {
  const [ns, ...rest] = type.split("/");
  return badRequest(
    "InvalidResourceType",
    `The resource type '${rest.join("/")}' could not be found in the namespace '${ns}' for api version '${apiVersion}'. (The sandbox does not emulate this type.)`,
  );
}

export interface PutArgs {
  id: string;
  body: Record<string, any>;
  apiVersion: string;
  caller: Caller;
  dryRun?: boolean;
}

/** The checks and the write of one resource PUT. Returns 201 when created, 200 when replaced. */
export async function putResource(env: ArmEnv, a: PutArgs): Promise<{ status: number; resource: ArmResource }> {
  const p = parseId(a.id);
  if (!p.type || !p.name) throw badRequest("InvalidResourceId", `The resource id '${a.id}' is not valid.`);
  const h = handlerFor(p.type);
  if (!h) throw unsupportedType(p.type, a.apiVersion);
  checkProviderApiVersion(h.type, a.apiVersion, h.apiVersions, a.body?.location);
  const ns = p.namespace!.toLowerCase();
  if (env.providers.get(ns) !== undefined && env.providers.get(ns) !== "Registered")
    throw new AzureError(
      409,
      "MissingSubscriptionRegistration",
      `The subscription is not registered to use namespace '${p.namespace}'. See https://aka.ms/rps-not-found for how to register subscriptions.`,
    );
  if (p.resourceGroup && !env.state.resourceGroup(p.resourceGroup))
    throw notFound("ResourceGroupNotFound", `Resource group '${p.resourceGroup}' could not be found.`);
  const parent = parentId(a.id);
  if (parent && !env.state.get(parent))
    throw notFound(
      "ParentResourceNotFound",
      `Can not perform requested operation on nested resource. Parent resource '${parent.split("/").slice(-1)[0]}' not found.`,
    );
  if (p.parentScope && parseId(p.parentScope).namespace && !env.state.get(p.parentScope))
    throw notFound(
      "ResourceNotFound",
      `The Resource '${parseId(p.parentScope).type}/${parseId(p.parentScope).name}' under resource group '${p.resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
  authorize(env.state, a.caller, `${h.type}/write`, a.id);
  if (!a.body || typeof a.body !== "object" || Array.isArray(a.body))
    throw badRequest("InvalidRequestContent", "The request content was invalid and could not be deserialized.");
  if (h.tracked && (typeof a.body.location !== "string" || a.body.location === ""))
    throw badRequest("LocationRequired", "The location property is required for this definition.");
  if (h.tracked) checkLocation(h.type, a.body.location);
  checkTags(a.body.tags);
  const nameError = h.checkName?.(p.name);
  if (nameError) throw badRequest("InvalidResourceName", nameError);
  const existing = env.state.get(a.id);
  const out = await h.put({
    env,
    id: a.id,
    name: p.name,
    body: a.body,
    apiVersion: a.apiVersion,
    existing,
    principalId: a.caller.principalId,
    dryRun: !!a.dryRun,
  });
  // ARM answers with the normalised region name ("West Europe" → "westeurope").
  if (typeof out.resource.location === "string") out.resource.location = normaliseLocation(out.resource.location);
  if (!a.dryRun) {
    env.state.put(out.resource, a.apiVersion, out.secrets);
    out.commit?.();
  }
  return { status: existing ? 200 : 201, resource: out.resource };
}

export function getResource(env: ArmEnv, id: string, apiVersion: string, caller: Caller): ArmResource {
  const p = parseId(id);
  const h = p.type ? handlerFor(p.type) : undefined;
  if (h) checkProviderApiVersion(h.type, apiVersion, h.apiVersions);
  authorize(env.state, caller, `${h?.type ?? p.type}/read`, id);
  const rec = env.state.get(id);
  if (!rec)
    throw notFound(
      "ResourceNotFound",
      `The Resource '${p.type}/${p.name}' under resource group '${p.resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
  return rec.resource;
}

export function deleteResource(env: ArmEnv, id: string, apiVersion: string, caller: Caller): SandboxResponse {
  const p = parseId(id);
  const h = p.type ? handlerFor(p.type) : undefined;
  if (h) checkProviderApiVersion(h.type, apiVersion, h.apiVersions);
  authorize(env.state, caller, `${h?.type ?? p.type}/delete`, id);
  const rec = env.state.get(id);
  if (!rec) return { status: 204 };
  deleteTree(env, rec.resource);
  return { status: 200 };
}

/** Delete a resource, running each handler's clean-up for it and everything under it. */
export function deleteTree(env: ArmEnv, res: ArmResource): void {
  const key = idKey(res.id);
  for (const rec of [...env.state.resources.values()]) {
    const k = idKey(rec.resource.id);
    if (k === key || k.startsWith(`${key}/`)) handlerFor(rec.resource.type)?.onDelete?.(env, rec.resource);
  }
  env.state.delete(res.id);
}

/** GET of a collection path (`…/providers/NS/type` or `…/parent/childType`): the direct members. */
export function listResources(
  env: ArmEnv,
  collectionPath: string,
  type: string,
  apiVersion: string,
  caller: Caller,
): SandboxResponse {
  const h = handlerFor(type);
  if (!h) throw unsupportedType(type, apiVersion);
  checkProviderApiVersion(h.type, apiVersion, h.apiVersions);
  const scope = collectionPath.replace(/\/[^/]+$/, "").replace(/\/providers\/[^/]+$/i, "");
  authorize(env.state, caller, `${h.type}/read`, scope);
  const base = idKey(collectionPath);
  const value = env.state.list(h.type).filter((r) => idKey(r.id) === `${base}/${r.name.toLowerCase()}`);
  return { status: 200, body: { value } };
}

function matchPattern(pattern: string, segs: string[]): Record<string, string> | undefined {
  const parts = pattern.split("/");
  if (parts.length !== segs.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.startsWith(":")) params[part.slice(1)] = decodeURIComponent(segs[i]!);
    else if (part.toLowerCase() !== segs[i]!.toLowerCase()) return undefined;
  }
  return params;
}

/** Try the sub-paths of the deepest stored ancestor of `path` (listCallbackUrl, runs, listConsentLinks…). */
export async function trySubRoute(
  env: ArmEnv,
  path: string,
  req: SandboxRequest,
  caller: Caller,
): Promise<SandboxResponse | undefined> {
  const segs = path.split("/").filter(Boolean);
  for (let n = segs.length - 1; n >= 4; n--) {
    const id = `/${segs.slice(0, n).join("/")}`;
    const rec: StoredResource | undefined = env.state.get(id);
    if (!rec) continue;
    const h = handlerFor(rec.resource.type);
    const rest = segs.slice(n);
    for (const route of h?.subRoutes ?? []) {
      if (route.method !== req.method) continue;
      const params = matchPattern(route.pattern, rest);
      if (!params) continue;
      checkProviderApiVersion(h!.type, req.query.get("api-version") ?? "", h!.apiVersions);
      authorize(env.state, caller, route.action, rec.resource.id);
      return route.handle({ env, resource: rec, params, req, principalId: caller.principalId });
    }
    return undefined;
  }
  return undefined;
}

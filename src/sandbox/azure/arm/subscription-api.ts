/**
 * Subscription-level ARM: the subscription, resource groups (get/create/update tags/delete/head), resource
 * providers (list/get/register) and the resources of a group. Resource group names: 1–90 letters, digits,
 * underscores, hyphens, periods and parentheses, not ending in a period
 * (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftresources).
 */
import type { SandboxRequest, SandboxResponse } from "../../common/router.js";
import { AzureError, badRequest, notFound } from "../errors.js";
import type { ArmEnv } from "../resources/types.js";
import type { ArmResource } from "../state.js";
import { checkResourcesApiVersion, requireApiVersion } from "./api-version.js";
import { authorize, type Caller } from "./authz.js";
import { checkLocation, checkTags, normaliseLocation } from "./common-rules.js";
import { handleOtherSubscription, handleSubscriptionLists } from "./lists-api.js";
import { deleteTree, HANDLERS } from "./resources-api.js";

export const KNOWN_PROVIDERS = [
  "Microsoft.Authorization",
  "Microsoft.Insights",
  "Microsoft.Logic",
  "Microsoft.OperationalInsights",
  "Microsoft.OperationsManagement",
  "Microsoft.Resources",
  "Microsoft.SecurityInsights",
  "Microsoft.Web",
];

export function resourceGroupResource(
  sub: string,
  name: string,
  location: string,
  tags?: Record<string, string>,
): ArmResource {
  return {
    id: `/subscriptions/${sub}/resourceGroups/${name}`,
    name,
    type: "Microsoft.Resources/resourceGroups",
    location,
    tags: tags ?? {},
    properties: { provisioningState: "Succeeded" },
  };
}

function providerBody(env: ArmEnv, ns: string) {
  return {
    id: `/subscriptions/${env.state.subscriptionId}/providers/${ns}`,
    namespace: ns,
    registrationState: env.providers.get(ns.toLowerCase()) ?? "Registered",
    registrationPolicy: "RegistrationRequired",
    resourceTypes: HANDLERS.filter((h) => h.type.split("/")[0] === ns).map((h) => ({
      resourceType: h.type.split("/").slice(1).join("/"),
      locations: h.tracked ? ["East US", "West Europe"] : [],
      apiVersions: [...h.apiVersions].reverse(),
    })),
  };
}

export function handleSubscription(
  env: ArmEnv,
  req: SandboxRequest,
  caller: Caller,
  segs: string[],
): SandboxResponse | undefined {
  const { state } = env;
  const sub = segs[1]!;
  const rest = segs.slice(2).map((s) => s.toLowerCase());
  const other = env.otherSubscriptions?.find((o) => o.subscriptionId.toLowerCase() === sub.toLowerCase());
  if (other) return handleOtherSubscription(env, req, other, rest);
  if (sub.toLowerCase() !== state.subscriptionId.toLowerCase())
    throw notFound("SubscriptionNotFound", `The subscription '${sub}' could not be found.`);
  const subId = `/subscriptions/${state.subscriptionId}`;
  const listed = handleSubscriptionLists(env, req, caller, state.subscriptionId, rest);
  if (listed) return listed;
  // GET /subscriptions/{sub}
  if (rest.length === 0 && req.method === "GET") {
    // Subscriptions API versions (resources/…/Microsoft.Resources/stable/*/subscriptions.json).
    const v = requireApiVersion(req.query);
    if (!["2016-06-01", "2020-01-01", "2021-01-01", "2022-01-01", "2022-12-01"].includes(v))
      checkResourcesApiVersion(v);
    authorize(state, caller, "Microsoft.Resources/subscriptions/read", subId);
    return {
      status: 200,
      body: {
        id: subId,
        subscriptionId: state.subscriptionId,
        tenantId: state.tenantId,
        displayName: "Sandbox subscription",
        state: "Enabled",
        subscriptionPolicies: {
          locationPlacementId: "Public_2014-09-01",
          quotaId: "PayAsYouGo_2014-09-01",
          spendingLimit: "Off",
        },
        authorizationSource: "RoleBased",
      },
    };
  }
  // Providers
  if (
    rest[0] === "providers" &&
    (rest.length === 1 || rest.length === 2 || (rest.length === 3 && rest[2] === "register"))
  ) {
    checkResourcesApiVersion(requireApiVersion(req.query));
    if (rest.length === 1 && req.method === "GET") {
      authorize(state, caller, "Microsoft.Resources/subscriptions/providers/read", subId);
      return { status: 200, body: { value: KNOWN_PROVIDERS.map((ns) => providerBody(env, ns)) } };
    }
    const ns = KNOWN_PROVIDERS.find((p) => p.toLowerCase() === rest[1]);
    if (!ns) throw notFound("InvalidResourceNamespace", `The resource namespace '${segs[3]}' is invalid.`);
    if (rest.length === 2 && req.method === "GET") {
      authorize(state, caller, "Microsoft.Resources/subscriptions/providers/read", subId);
      return { status: 200, body: providerBody(env, ns) };
    }
    if (rest.length === 3 && req.method === "POST") {
      authorize(state, caller, `${ns}/register/action`, subId);
      env.providers.set(ns.toLowerCase(), "Registered");
      return { status: 200, body: providerBody(env, ns) };
    }
  }
  // Resource groups
  if (rest[0] === "resourcegroups" && rest.length === 1 && req.method === "GET") {
    checkResourcesApiVersion(requireApiVersion(req.query));
    authorize(state, caller, "Microsoft.Resources/subscriptions/resourceGroups/read", subId);
    return { status: 200, body: { value: state.list("Microsoft.Resources/resourceGroups") } };
  }
  if (rest[0] === "resourcegroups" && rest.length === 2) {
    checkResourcesApiVersion(requireApiVersion(req.query));
    const name = decodeURIComponent(segs[3]!);
    const id = state.resourceGroupId(name);
    const existing = state.getResource(id);
    switch (req.method) {
      case "HEAD":
        authorize(state, caller, "Microsoft.Resources/subscriptions/resourceGroups/read", id);
        return { status: existing ? 204 : 404 };
      case "GET":
        authorize(state, caller, "Microsoft.Resources/subscriptions/resourceGroups/read", id);
        if (!existing) throw notFound("ResourceGroupNotFound", `Resource group '${name}' could not be found.`);
        return { status: 200, body: existing };
      case "PUT": {
        authorize(state, caller, "Microsoft.Resources/subscriptions/resourceGroups/write", id);
        if (!/^[-\w._()]{1,90}$/.test(name) || name.endsWith("."))
          throw badRequest(
            "InvalidResourceGroupName",
            `The resource group name '${name}' is invalid. It can contain letters, digits, underscores, hyphens, periods and parentheses, up to 90 characters, and cannot end with a period.`,
          );
        const body = (req.json() ?? {}) as { location?: string; tags?: Record<string, string> };
        if (!body.location)
          throw badRequest("LocationRequired", "The location property is required for this definition.");
        checkLocation("Microsoft.Resources/resourceGroups", body.location);
        checkTags(body.tags);
        if (existing && existing.location !== normaliseLocation(body.location))
          throw new AzureError(
            409,
            "InvalidResourceGroupLocation",
            `Invalid resource group location '${body.location}'. The Resource group already exists in location '${existing.location}'.`,
          );
        const rg = resourceGroupResource(
          state.subscriptionId,
          existing?.name ?? name,
          existing?.location ?? normaliseLocation(body.location),
          body.tags,
        );
        state.put(rg, req.query.get("api-version")!);
        return { status: existing ? 200 : 201, body: rg };
      }
      case "PATCH": {
        authorize(state, caller, "Microsoft.Resources/subscriptions/resourceGroups/write", id);
        if (!existing) throw notFound("ResourceGroupNotFound", `Resource group '${name}' could not be found.`);
        const body = (req.json() ?? {}) as { tags?: Record<string, string> };
        if (body.tags) existing.tags = body.tags;
        return { status: 200, body: existing };
      }
      case "DELETE":
        authorize(state, caller, "Microsoft.Resources/subscriptions/resourceGroups/delete", id);
        if (!existing) throw notFound("ResourceGroupNotFound", `Resource group '${name}' could not be found.`);
        deleteTree(env, existing);
        return { status: 200 };
    }
  }
  // GET /subscriptions/{sub}/resources: top-level resources of the whole subscription, only those the caller may
  // read. $filter: `resourceType eq '…'`, `tagName eq '…'`, `tagName eq '…' and tagValue eq '…'` (tags are not
  // returned with the last one; Resources - List, https://learn.microsoft.com/rest/api/resources/resources/list).
  if (rest[0] === "resources" && rest.length === 1 && req.method === "GET") {
    checkResourcesApiVersion(requireApiVersion(req.query));
    const filter = parseResourcesFilter(req.query.get("$filter"));
    const value = state
      .list()
      .filter(
        (r) =>
          r.type !== "Microsoft.Resources/resourceGroups" &&
          // Deployment records are not resources in this list (the sandbox keeps them in its state).
          r.type !== "Microsoft.Resources/deployments" &&
          !/\/providers\/.*\/providers\//i.test(r.id) &&
          r.id.split("/").length === 9 &&
          filter.match(r) &&
          state.canPerform(caller.principalId, `${r.type}/read`, r.id),
      )
      .map((r) => ({
        id: r.id,
        name: r.name,
        type: r.type,
        location: r.location,
        kind: r.kind,
        ...(filter.hidesTags ? {} : { tags: r.tags }),
      }));
    return { status: 200, body: { value } };
  }
  if (rest[0] === "resourcegroups" && rest.length === 3 && rest[2] === "resources" && req.method === "GET") {
    checkResourcesApiVersion(requireApiVersion(req.query));
    const id = state.resourceGroupId(decodeURIComponent(segs[3]!));
    if (!state.get(id)) throw notFound("ResourceGroupNotFound", `Resource group '${segs[3]}' could not be found.`);
    authorize(state, caller, "Microsoft.Resources/subscriptions/resourceGroups/resources/read", id);
    const value = state
      .list(undefined, id)
      .filter(
        (r) =>
          r.type !== "Microsoft.Resources/resourceGroups" &&
          !/\/providers\/.*\/providers\//i.test(r.id) &&
          r.id.split("/").length === 9,
      )
      .map((r) => ({ id: r.id, name: r.name, type: r.type, location: r.location, kind: r.kind, tags: r.tags }));
    return { status: 200, body: { value } };
  }
  return undefined;
}

/** The $filter forms of Resources - List the sandbox knows; anything else is refused as Azure does. */
function parseResourcesFilter(raw: string | null): { match: (r: ArmResource) => boolean; hidesTags: boolean } {
  if (!raw) return { match: () => true, hidesTags: false };
  const q = "'((?:[^']|'')*)'";
  const unq = (v: string) => v.replace(/''/g, "'");
  const both = new RegExp(`^\\s*tagName eq ${q} and tagValue eq ${q}\\s*$`, "i").exec(raw);
  if (both) {
    const [name, value] = [unq(both[1]!), unq(both[2]!)];
    // Tag names are case-insensitive in Azure; values are compared as given.
    const tag = (r: ArmResource) =>
      Object.entries(r.tags ?? {}).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
    return { match: (r) => tag(r) === value, hidesTags: true };
  }
  const nameOnly = new RegExp(`^\\s*tagName eq ${q}\\s*$`, "i").exec(raw);
  if (nameOnly) {
    const name = unq(nameOnly[1]!).toLowerCase();
    return { match: (r) => Object.keys(r.tags ?? {}).some((k) => k.toLowerCase() === name), hidesTags: false };
  }
  const type = new RegExp(`^\\s*resourceType eq ${q}\\s*$`, "i").exec(raw);
  if (type) {
    const t = unq(type[1]!).toLowerCase();
    return { match: (r) => r.type.toLowerCase() === t, hidesTags: false };
  }
  throw badRequest("InvalidFilterInQueryString", `Invalid $filter '${raw}' specified in the query string.`);
}

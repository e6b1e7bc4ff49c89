/**
 * The list calls a person choosing from what exists needs, served as Resource Manager serves them:
 *
 * - `GET /subscriptions` (Subscriptions - List) and `GET /subscriptions/{id}/locations` (Subscriptions - List
 *   Locations): azure-rest-api-specs specification/resources/resource-manager/Microsoft.Resources/stable/2022-12-01/
 *   subscriptions.json. Locations carry `name` (the id the API takes), `displayName`, `regionalDisplayName` and
 *   `metadata.regionType` (Physical or Logical; only physical regions hold resources).
 * - `GET /subscriptions/{id}/providers/Microsoft.OperationalInsights/workspaces` (Workspaces - List): every
 *   workspace of the subscription the caller may read, across resource groups
 *   (specification/operationalinsights/resource-manager/Microsoft.OperationalInsights/OperationalInsights/stable/
 *   2022-10-01/Workspaces.json).
 *
 * Other subscriptions (option `otherSubscriptions`) are listed and readable but hold nothing: their resource
 * group and workspace lists are empty; anything else in them is refused.
 */
import type { SandboxRequest, SandboxResponse } from "../../common/router.js";
import { AzureError } from "../errors.js";
import type { ArmEnv } from "../resources/types.js";
import { requireApiVersion } from "./api-version.js";
import { authorize, type Caller } from "./authz.js";
import { REGIONS } from "./common-rules.js";

export interface OtherSubscription {
  subscriptionId: string;
  displayName: string;
}

const WORDS: [string, string][] = [
  ["southafrica", "South Africa "],
  ["newzealand", "New Zealand "],
  ["euap", " EUAP"],
  ["north", "North "],
  ["south", "South "],
  ["east", "East "],
  ["west", "West "],
  ["central", "Central "],
  ["us", "US"],
  ["uk", "UK"],
  ["uae", "UAE"],
];

/** "westeurope" → "West Europe", "eastus2" → "East US 2": how ARM displays its region names. */
export function regionDisplayName(name: string): string {
  let rest = name;
  let out = "";
  while (rest) {
    const word = WORDS.find(([w]) => rest.startsWith(w));
    if (word) {
      out += word[1];
      rest = rest.slice(word[0].length);
      continue;
    }
    const digits = /^[0-9]+/.exec(rest);
    if (digits) {
      out += ` ${digits[0]}`;
      rest = rest.slice(digits[0].length);
      continue;
    }
    const place = /^[a-z]+?(?=north|south|east|west|central|euap|[0-9]|$)/.exec(rest)?.[0] ?? rest;
    out += `${place.charAt(0).toUpperCase()}${place.slice(1)} `;
    rest = rest.slice(place.length);
  }
  return out.replace(/\s+/g, " ").trim();
}

function subscriptionBody(id: string, tenantId: string, displayName: string) {
  return {
    id: `/subscriptions/${id}`,
    subscriptionId: id,
    tenantId,
    displayName,
    state: "Enabled",
    subscriptionPolicies: {
      locationPlacementId: "Public_2014-09-01",
      quotaId: "PayAsYouGo_2014-09-01",
      spendingLimit: "Off",
    },
    authorizationSource: "RoleBased",
  };
}

export function listSubscriptions(env: ArmEnv, others: readonly OtherSubscription[]): SandboxResponse {
  const { state } = env;
  return {
    status: 200,
    body: {
      value: [
        subscriptionBody(state.subscriptionId, state.tenantId, "Sandbox subscription"),
        ...others.map((o) => subscriptionBody(o.subscriptionId, state.tenantId, o.displayName)),
      ],
    },
  };
}

function locations(sub: string) {
  return REGIONS.filter((r) => !r.endsWith("euap")).map((name) => ({
    id: `/subscriptions/${sub}/locations/${name}`,
    name,
    type: "Region",
    displayName: regionDisplayName(name),
    regionalDisplayName: regionDisplayName(name),
    metadata: { regionType: "Physical", regionCategory: "Recommended" },
  }));
}

/** The list routes under `/subscriptions/{sub}` (segments lower-cased after the id), or undefined. */
export function handleSubscriptionLists(
  env: ArmEnv,
  req: SandboxRequest,
  caller: Caller,
  sub: string,
  rest: string[],
): SandboxResponse | undefined {
  if (req.method !== "GET") return undefined;
  if (rest.length === 1 && rest[0] === "locations") {
    requireApiVersion(req.query);
    authorize(env.state, caller, "Microsoft.Resources/subscriptions/read", `/subscriptions/${sub}`);
    return { status: 200, body: { value: locations(sub) } };
  }
  if (
    rest.length === 3 &&
    rest[0] === "providers" &&
    rest[1] === "microsoft.operationalinsights" &&
    rest[2] === "workspaces"
  ) {
    requireApiVersion(req.query);
    const value = env.state
      .list("Microsoft.OperationalInsights/workspaces", `/subscriptions/${sub}`)
      .filter((w) => env.state.canPerform(caller.principalId, "Microsoft.OperationalInsights/workspaces/read", w.id));
    return { status: 200, body: { value } };
  }
  return undefined;
}

/** A subscription other than the sandbox's: readable and empty. */
export function handleOtherSubscription(
  env: ArmEnv,
  req: SandboxRequest,
  other: OtherSubscription,
  rest: string[],
): SandboxResponse {
  const id = other.subscriptionId;
  if (req.method === "GET" && rest.length === 0) {
    requireApiVersion(req.query);
    return { status: 200, body: subscriptionBody(id, env.state.tenantId, other.displayName) };
  }
  if (req.method === "GET" && rest.length === 1 && rest[0] === "resourcegroups") {
    requireApiVersion(req.query);
    return { status: 200, body: { value: [] } };
  }
  if (req.method === "GET" && rest.join("/") === "providers/microsoft.operationalinsights/workspaces") {
    requireApiVersion(req.query);
    return { status: 200, body: { value: [] } };
  }
  if (req.method === "GET" && rest.length === 1 && rest[0] === "locations") {
    requireApiVersion(req.query);
    return { status: 200, body: { value: locations(id) } };
  }
  throw new AzureError(
    403,
    "AuthorizationFailed",
    `The client does not have authorization to perform this action in subscription '${id}'. (The sandbox holds resources only in its own subscription.)`,
  );
}

/**
 * The narrow list calls the interactive wizard offers choices from, on an authenticated Resource Manager client:
 *
 * - Subscriptions - List / Get / List Locations (azure-rest-api-specs specification/resources/resource-manager/
 *   Microsoft.Resources/stable/2022-12-01/subscriptions.json): `GET /subscriptions`, `GET /subscriptions/{id}`,
 *   `GET /subscriptions/{id}/locations` (only `metadata.regionType: Physical` regions hold resources).
 * - Resource Groups - List (…/Microsoft.Resources/stable/2021-04-01/resources.json).
 * - Workspaces - List, across the subscription (specification/operationalinsights/…/stable/2022-10-01/
 *   Workspaces.json), and Sentinel Onboarding States - List on each (specification/securityinsights/…/stable/
 *   2025-09-01/OnboardingStates.json): a workspace has Microsoft Sentinel when the list holds a state.
 *
 * Every list follows `nextLink`. Nothing here changes anything.
 */
import { apiVersions } from "./arm.js";
import type { HttpClient } from "./pipeline.js";

export interface SubscriptionEntry {
  subscriptionId: string;
  displayName: string;
  state?: string;
  tenantId?: string;
}

export interface ResourceGroupEntry {
  name: string;
  location: string;
}

export interface LocationEntry {
  name: string;
  displayName: string;
}

export interface WorkspaceEntry {
  name: string;
  resourceGroup: string;
  location: string;
  id: string;
}

export interface SentinelWorkspaces {
  /** Workspaces with Microsoft Sentinel added. */
  sentinel: WorkspaceEntry[];
  /** Log Analytics workspaces without it (not offered; named in a hint). */
  without: WorkspaceEntry[];
  /** Workspaces whose onboarding state could not be read (not offered; named with the reason). */
  unreadable: (WorkspaceEntry & { reason: string })[];
}

export interface AzureLists {
  subscriptions(): Promise<SubscriptionEntry[]>;
  /** One subscription, or undefined when it does not exist or the sign-in cannot see it. */
  subscription(id: string): Promise<SubscriptionEntry | undefined>;
  resourceGroups(subscriptionId: string): Promise<ResourceGroupEntry[]>;
  locations(subscriptionId: string): Promise<LocationEntry[]>;
  sentinelWorkspaces(subscriptionId: string): Promise<SentinelWorkspaces>;
}

/** `/subscriptions/{s}/resourceGroups/{rg}/…` → rg (ids keep the case Azure stored). */
export function resourceGroupOf(id: string): string {
  return id.split("/")[4] ?? "";
}

export function createAzureLists(http: HttpClient, resourceManager: string): AzureLists {
  const base = resourceManager.replace(/\/+$/, "");
  const sub = (id: string) => `${base}/subscriptions/${encodeURIComponent(id)}`;
  const list = async <T>(url: string, apiVersion: string, what: string): Promise<T[]> => {
    const out: T[] = [];
    let next: string | undefined = url;
    let query: Record<string, string> | undefined = { "api-version": apiVersion };
    while (next) {
      const res: { body: { value?: T[]; nextLink?: string } } = await http.request("GET", next, { query, what });
      out.push(...(res.body?.value ?? []));
      next = res.body?.nextLink;
      query = undefined;
    }
    return out;
  };
  return {
    async subscriptions() {
      const all = await list<SubscriptionEntry>(
        `${base}/subscriptions`,
        apiVersions.subscriptions,
        "listing subscriptions",
      );
      return all
        .filter((s) => !s.state || s.state === "Enabled" || s.state === "PastDue" || s.state === "Warned")
        .map((s) => ({
          subscriptionId: s.subscriptionId,
          displayName: s.displayName,
          state: s.state,
          tenantId: s.tenantId,
        }));
    },
    async subscription(id) {
      const res = await http.request<SubscriptionEntry>("GET", sub(id), {
        query: { "api-version": apiVersions.subscriptions },
        accept: [400, 403, 404],
        what: `reading subscription ${id}`,
      });
      return res.status >= 400 ? undefined : res.body;
    },
    async resourceGroups(subscriptionId) {
      const groups = await list<ResourceGroupEntry>(
        `${sub(subscriptionId)}/resourcegroups`,
        apiVersions.resourceGroups,
        "listing resource groups",
      );
      return groups.map((g) => ({ name: g.name, location: g.location })).sort((a, b) => a.name.localeCompare(b.name));
    },
    async locations(subscriptionId) {
      const all = await list<LocationEntry & { metadata?: { regionType?: string } }>(
        `${sub(subscriptionId)}/locations`,
        apiVersions.subscriptions,
        "listing Azure regions",
      );
      return all
        .filter((l) => (l.metadata?.regionType ?? "Physical") === "Physical")
        .map((l) => ({ name: l.name, displayName: l.displayName }))
        .sort((a, b) => a.displayName.localeCompare(b.displayName));
    },
    async sentinelWorkspaces(subscriptionId) {
      const all = await list<{ id: string; name: string; location: string }>(
        `${sub(subscriptionId)}/providers/Microsoft.OperationalInsights/workspaces`,
        apiVersions.workspaces,
        "listing Log Analytics workspaces",
      );
      const entries = all.map((w) => ({
        name: w.name,
        location: w.location,
        id: w.id,
        resourceGroup: resourceGroupOf(w.id),
      }));
      const onboarded = await Promise.all(
        entries.map(async (w): Promise<boolean | string> => {
          try {
            const states = await list<unknown>(
              `${base}${w.id}/providers/Microsoft.SecurityInsights/onboardingStates`,
              apiVersions.securityInsights,
              `reading the Sentinel onboarding state of ${w.name}`,
            );
            return states.length > 0;
          } catch (e) {
            return e instanceof Error ? e.message.split("\n")[0]! : String(e);
          }
        }),
      );
      const byName = (a: WorkspaceEntry, b: WorkspaceEntry) => a.name.localeCompare(b.name);
      return {
        sentinel: entries.filter((_, i) => onboarded[i] === true).sort(byName),
        without: entries.filter((_, i) => onboarded[i] === false).sort(byName),
        unreadable: entries
          .map((w, i) => ({ ...w, reason: onboarded[i] }))
          .filter((w): w is WorkspaceEntry & { reason: string } => typeof w.reason === "string")
          .sort(byName),
      };
    },
  };
}

/**
 * Raw Resource Manager calls, one typed function per endpoint, for what the deployment SDK does not cover.
 * API versions: the stable ones of azure-rest-api-specs (each service's specification/…/resource-manager/…/stable); alert rules are listed on a preview version so
 * that NRT rules are visible (stable versions do not know the kind).
 */
import { RemoteError } from "../errors.js";
import type { HttpClient } from "./pipeline.js";

export const apiVersions = {
  // 2021-01-01: in the Subscriptions spec (stable) and accepted by the sandbox; 2022-12-01 is not, there.
  subscriptions: "2021-01-01",
  resourceGroups: "2021-04-01",
  providers: "2021-04-01",
  workspaces: "2022-10-01",
  tables: "2022-10-01",
  securityInsights: "2025-09-01",
  securityInsightsPreview: "2025-07-01-preview",
  authorization: "2022-04-01",
  logic: "2019-05-01",
  web: "2016-06-01",
  dataCollectionRules: "2024-03-11",
} as const;

export interface ResourceGroup {
  id: string;
  name: string;
  location: string;
  tags?: Record<string, string>;
}
export interface Workspace {
  id: string;
  name: string;
  location: string;
  properties: { customerId: string; provisioningState?: string };
}
export interface Permission {
  actions: string[];
  notActions: string[];
}
export interface RoleAssignment {
  id: string;
  name: string;
  properties: { roleDefinitionId: string; principalId: string; scope: string };
}
export interface Workflow {
  id: string;
  name: string;
  location: string;
  tags?: Record<string, string>;
  identity?: { type: string; principalId?: string; tenantId?: string };
  properties: { state: string; definition?: unknown };
}
export interface CallbackUrl {
  value: string;
  method?: string;
  basePath?: string;
  queries?: Record<string, string>;
}
export interface Connection {
  id: string;
  name: string;
  tags?: Record<string, string>;
  properties: {
    displayName?: string;
    statuses?: { status: string; target?: string; error?: { code?: string; message?: string } }[];
    overallStatus?: string;
  };
}
export interface ConsentLink {
  link: string;
  firstPartyLoginUri?: string;
  displayName?: string;
  status?: string;
}
export interface AlertRule {
  id: string;
  name: string;
  kind: string;
  properties: { displayName?: string; enabled?: boolean; query?: string };
}
export interface Table {
  id: string;
  name: string;
  properties: {
    schema?: { name?: string; tableSubType?: string; tableType?: string };
    plan?: string;
    provisioningState?: string;
  };
}
/** The part of a Sentinel incident the portal decision reads (Incidents.json, stable). */
export interface IncidentSummary {
  name: string;
  properties: {
    incidentNumber?: number;
    providerName?: string;
    providerIncidentId?: string;
    createdTimeUtc?: string;
    relatedAnalyticRuleIds?: string[];
  };
}

export interface DataCollectionRule {
  id: string;
  name: string;
  tags?: Record<string, string>;
  properties: {
    immutableId?: string;
    endpoints?: { logsIngestion?: string };
    destinations?: { logAnalytics?: { workspaceResourceId?: string; name?: string }[] };
    dataFlows?: { destinations?: string[]; outputStream?: string; streams?: string[] }[];
  };
}

export interface ArmApi {
  readonly baseUrl: string;
  readonly subscriptionId: string;
  subscription(): Promise<{ subscriptionId: string; displayName?: string; state?: string; tenantId?: string }>;
  resourceGroup(name: string): Promise<ResourceGroup | undefined>;
  createResourceGroup(name: string, location: string, tags: Record<string, string>): Promise<ResourceGroup>;
  provider(namespace: string): Promise<{ namespace: string; registrationState: string }>;
  /** The caller's effective permissions at a scope; undefined when the endpoint is not available. */
  permissions(scope: string): Promise<Permission[] | undefined>;
  roleAssignments(scope: string, principalId?: string): Promise<RoleAssignment[]>;
  /** The principal's role assignments made exactly at `scope` (not inherited from above); none when the scope is gone. */
  roleAssignmentsAtScope(scope: string, principalId: string): Promise<RoleAssignment[]>;
  workspace(resourceGroup: string, name: string): Promise<Workspace | undefined>;
  sentinelOnboarded(resourceGroup: string, workspace: string): Promise<boolean>;
  alertRules(resourceGroup: string, workspace: string): Promise<AlertRule[]>;
  /**
   * The newest `top` incidents of the workspace (one page: `$top` and `$orderby=properties/createdTimeUtc desc`,
   * Incidents - List). Undefined when the sign-in may not read incidents (403).
   */
  recentIncidents(resourceGroup: string, workspace: string, top: number): Promise<IncidentSummary[] | undefined>;
  table(resourceGroup: string, workspace: string, table: string): Promise<Table | undefined>;
  workflow(resourceGroup: string, name: string): Promise<Workflow | undefined>;
  listCallbackUrl(resourceGroup: string, workflow: string, trigger?: string): Promise<CallbackUrl>;
  /**
   * Workflows_RegenerateAccessKey (azure-rest-api-specs specification/logic/resource-manager/Microsoft.Logic/
   * stable/2019-05-01/logic.json, body RegenerateActionParameter `{ keyType }`): a new key, so every callback
   * URL signed with the old one stops working.
   */
  regenerateAccessKey(resourceGroup: string, workflow: string, keyType?: "Primary" | "Secondary"): Promise<void>;
  connection(resourceGroup: string, name: string): Promise<Connection | undefined>;
  listConsentLinks(
    resourceGroup: string,
    name: string,
    p: { objectId: string; tenantId: string; redirectUrl: string },
  ): Promise<ConsentLink[]>;
  confirmConsentCode(
    resourceGroup: string,
    name: string,
    p: { objectId: string; tenantId: string; code: string },
  ): Promise<void>;
  dataCollectionRule(resourceGroup: string, name: string): Promise<DataCollectionRule | undefined>;
  /**
   * The subscription's top-level resources carrying tag `name`, with their tags (Resources - List with
   * `$filter=tagName eq '…'`; a tagName-and-tagValue filter would leave the tags out, and we need to see
   * `managed-by` too). Only what the caller may read (https://learn.microsoft.com/rest/api/resources/resources/list).
   */
  resourcesWithTag(name: string): Promise<TaggedResource[]>;
  /** Any resource by its ARM id (or full URL) at `apiVersion`; undefined when it is not there (404). */
  getById<T>(id: string, apiVersion: string, what: string): Promise<T | undefined>;
  /** Delete a resource by its ARM id (or full URL); one already gone (404) is fine. */
  deleteById(id: string, apiVersion: string, what: string, accept?: number[]): Promise<void>;
}

export interface TaggedResource {
  id: string;
  name: string;
  type: string;
  location?: string;
  tags?: Record<string, string>;
}

export function workspaceResourceId(subscriptionId: string, resourceGroup: string, workspace: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${workspace}`;
}

export function createArmApi(http: HttpClient, resourceManager: string, subscriptionId: string): ArmApi {
  const sub = `${resourceManager}/subscriptions/${encodeURIComponent(subscriptionId)}`;
  const rg = (name: string) => `${sub}/resourceGroups/${encodeURIComponent(name)}`;
  const ws = (group: string, name: string) =>
    `${rg(group)}/providers/Microsoft.OperationalInsights/workspaces/${encodeURIComponent(name)}`;
  const get = async <T>(url: string, apiVersion: string, what: string): Promise<T | undefined> => {
    const res = await http.request<T>("GET", url, { query: { "api-version": apiVersion }, accept: [404], what });
    return res.status === 404 ? undefined : res.body;
  };
  const byId = (id: string) => (id.startsWith("http") ? id : `${resourceManager}${id}`);
  const list = async <T>(url: string, query: Record<string, string>, what: string): Promise<T[]> => {
    const out: T[] = [];
    let next: string | undefined = url;
    let q: Record<string, string> | undefined = query;
    while (next) {
      const res: { body: { value?: T[]; nextLink?: string } } = await http.request("GET", next, { query: q, what });
      out.push(...(res.body?.value ?? []));
      next = res.body?.nextLink;
      q = undefined;
    }
    return out;
  };
  return {
    getById: (id, apiVersion, what) => get(byId(id), apiVersion, what),
    async deleteById(id, apiVersion, what, accept = [200, 202, 204, 404]) {
      await http.request("DELETE", byId(id), { query: { "api-version": apiVersion }, accept, what });
    },
    baseUrl: resourceManager,
    subscriptionId,
    async subscription() {
      const res = await http.request<{
        subscriptionId: string;
        displayName?: string;
        state?: string;
        tenantId?: string;
      }>("GET", sub, {
        query: { "api-version": apiVersions.subscriptions },
        what: `reading subscription ${subscriptionId}`,
      });
      return res.body;
    },
    resourceGroup: (name) => get<ResourceGroup>(rg(name), apiVersions.resourceGroups, `reading resource group ${name}`),
    async createResourceGroup(name, location, tags) {
      const res = await http.request<ResourceGroup>("PUT", rg(name), {
        query: { "api-version": apiVersions.resourceGroups },
        body: { location, tags },
        what: `creating resource group ${name}`,
      });
      return res.body;
    },
    async provider(namespace) {
      const res = await http.request<{ namespace: string; registrationState: string }>(
        "GET",
        `${sub}/providers/${namespace}`,
        {
          query: { "api-version": apiVersions.providers },
          what: `reading resource provider ${namespace}`,
        },
      );
      return res.body;
    },
    async permissions(scope) {
      // Optional knowledge: when the endpoint is missing or failing, ARM validation still checks permissions.
      // A GET is safe to repeat, so 429/5xx/resets go through the client's retries first (with Retry-After);
      // only when those are used up is the answer "not available".
      try {
        const res = await http.request<{ value?: Permission[] }>(
          "GET",
          `${resourceManager}${scope}/providers/Microsoft.Authorization/permissions`,
          {
            query: { "api-version": apiVersions.authorization },
            accept: [400, 403, 404],
            what: `reading our permissions on ${scope}`,
          },
        );
        return res.status >= 400 ? undefined : (res.body?.value ?? []);
      } catch (e) {
        if (e instanceof RemoteError && (e.code === "AZURE_UNREACHABLE" || e.status === 429 || (e.status ?? 0) >= 500))
          return undefined;
        throw e;
      }
    },
    roleAssignments: (scope, principalId) =>
      list<RoleAssignment>(
        `${resourceManager}${scope}/providers/Microsoft.Authorization/roleAssignments`,
        {
          "api-version": apiVersions.authorization,
          ...(principalId ? { $filter: `principalId eq '${principalId}'` } : { $filter: "atScope()" }),
        },
        `listing role assignments on ${scope}`,
      ),
    async roleAssignmentsAtScope(scope, principalId) {
      const url = `${resourceManager}${scope}/providers/Microsoft.Authorization/roleAssignments`;
      const what = `listing role assignments on ${scope}`;
      const query = { "api-version": apiVersions.authorization, $filter: `principalId eq '${principalId}'` };
      const first = await http.request<{ value?: RoleAssignment[]; nextLink?: string }>("GET", url, {
        query,
        accept: [404],
        what,
      });
      if (first.status === 404) return [];
      const rest = first.body?.nextLink ? await list<RoleAssignment>(first.body.nextLink, {}, what) : [];
      return [...(first.body?.value ?? []), ...rest].filter(
        (ra) => ra.properties.scope.toLowerCase() === scope.toLowerCase(),
      );
    },
    workspace: (group, name) => get<Workspace>(ws(group, name), apiVersions.workspaces, `reading workspace ${name}`),
    async sentinelOnboarded(group, name) {
      const state = await get(
        `${ws(group, name)}/providers/Microsoft.SecurityInsights/onboardingStates/default`,
        apiVersions.securityInsights,
        `reading the Sentinel onboarding state of ${name}`,
      );
      return state !== undefined;
    },
    alertRules: (group, name) =>
      list<AlertRule>(
        `${ws(group, name)}/providers/Microsoft.SecurityInsights/alertRules`,
        { "api-version": apiVersions.securityInsightsPreview },
        `listing the analytics rules of ${name}`,
      ),
    async recentIncidents(group, name, top) {
      const res = await http.request<{ value?: IncidentSummary[] }>(
        "GET",
        `${ws(group, name)}/providers/Microsoft.SecurityInsights/incidents`,
        {
          query: {
            "api-version": apiVersions.securityInsights,
            $top: String(top),
            $orderby: "properties/createdTimeUtc desc",
          },
          accept: [403],
          what: `listing the newest incidents of ${name}`,
        },
      );
      return res.status === 403 ? undefined : (res.body?.value ?? []);
    },
    table: (group, name, table) =>
      get<Table>(
        `${ws(group, name)}/tables/${encodeURIComponent(table)}`,
        apiVersions.tables,
        `reading table ${table}`,
      ),
    workflow: (group, name) =>
      get<Workflow>(
        `${rg(group)}/providers/Microsoft.Logic/workflows/${encodeURIComponent(name)}`,
        apiVersions.logic,
        `reading Logic App ${name}`,
      ),
    async listCallbackUrl(group, workflow, trigger = "manual") {
      const res = await http.request<CallbackUrl>(
        "POST",
        `${rg(group)}/providers/Microsoft.Logic/workflows/${encodeURIComponent(workflow)}/triggers/${trigger}/listCallbackUrl`,
        { query: { "api-version": apiVersions.logic }, what: `reading the callback URL of ${workflow}` },
      );
      return res.body;
    },
    async regenerateAccessKey(group, workflow, keyType = "Primary") {
      await http.request(
        "POST",
        `${rg(group)}/providers/Microsoft.Logic/workflows/${encodeURIComponent(workflow)}/regenerateAccessKey`,
        {
          query: { "api-version": apiVersions.logic },
          body: { keyType },
          what: `regenerating the access key of ${workflow}`,
        },
      );
    },
    connection: (group, name) =>
      get<Connection>(
        `${rg(group)}/providers/Microsoft.Web/connections/${encodeURIComponent(name)}`,
        apiVersions.web,
        `reading API connection ${name}`,
      ),
    async listConsentLinks(group, name, p) {
      // The body's `parameters` is an array (ListConsentLinksDefinition); the saved example shows an object by mistake.
      const res = await http.request<{ value?: ConsentLink[] }>(
        "POST",
        `${rg(group)}/providers/Microsoft.Web/connections/${encodeURIComponent(name)}/listConsentLinks`,
        {
          query: { "api-version": apiVersions.web },
          body: {
            parameters: [
              { parameterName: "token", redirectUrl: p.redirectUrl, objectId: p.objectId, tenantId: p.tenantId },
            ],
          },
          what: `reading the consent link of ${name}`,
        },
      );
      return res.body?.value ?? [];
    },
    async confirmConsentCode(group, name, p) {
      await http.request(
        "POST",
        `${rg(group)}/providers/Microsoft.Web/connections/${encodeURIComponent(name)}/confirmConsentCode`,
        {
          query: { "api-version": apiVersions.web },
          body: p,
          what: `confirming the consent code of ${name}`,
          noRetry: true,
        },
      );
    },
    dataCollectionRule: (group, name) =>
      get<DataCollectionRule>(
        `${rg(group)}/providers/Microsoft.Insights/dataCollectionRules/${encodeURIComponent(name)}`,
        apiVersions.dataCollectionRules,
        `reading data collection rule ${name}`,
      ),
    resourcesWithTag: (name) =>
      list<TaggedResource>(
        `${sub}/resources`,
        // OData string literals double a single quote.
        { "api-version": apiVersions.resourceGroups, $filter: `tagName eq '${name.replace(/'/g, "''")}'` },
        `listing the resources tagged ${name}`,
      ),
  };
}

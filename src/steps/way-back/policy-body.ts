/**
 * The package policy we want, from templates/fleet/package-policy.json. Placeholders are whole strings
 * (`"{{clientSecret}}"`) replaced by typed values, never spliced into text, so secrets and YAML need no escaping.
 * Secret values (client id and secret, Event Hub connection string, storage key) go only into the vars the
 * package declares `secret: true`; Fleet stores those as secret references and never returns them.
 */
import type { ResolvedConfig } from "../../config/schema.js";
import type { PackagePolicy, SimplifiedInput, SimplifiedPackagePolicy, SimplifiedVars } from "../../fleet/types.js";
import { alertEchoFilter, incidentEchoFilter } from "./echo-filter.js";
import { EVENTHUB_INPUT, managedMarker, packagePolicyName, resolveNames, type WorkspaceRef } from "../../names.js";
import { readFleetTemplate } from "./templates.js";

export interface PolicyValues {
  prefix: string;
  packageVersion: string;
  workspace: WorkspaceRef;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  interval: string;
  eventHub?: {
    name: string;
    consumerGroup: string;
    connectionString: string;
    storageAccount: string;
    storageAccountKey: string;
  };
}

/** The config keys whose values are secrets, by package var name. */
export const SECRET_VARS = ["client_id", "client_secret", "connection_string", "storage_account_key"] as const;

export function policyValuesFrom(
  config: ResolvedConfig,
  workspace: WorkspaceRef,
  packageVersion: string,
  tenantId: string,
): PolicyValues | undefined {
  const s = config.sentinelToElastic;
  if (!s.clientId || !s.clientSecret) return undefined;
  const eh = s.eventHub;
  return {
    prefix: resolveNames(config).prefix,
    packageVersion,
    workspace,
    tenantId,
    clientId: s.clientId,
    clientSecret: s.clientSecret,
    interval: s.interval,
    eventHub:
      eh.name && eh.connectionString && eh.storageAccount && eh.storageAccountKey
        ? {
            name: eh.name,
            consumerGroup: eh.consumerGroup,
            connectionString: eh.connectionString,
            storageAccount: eh.storageAccount,
            storageAccountKey: eh.storageAccountKey,
          }
        : undefined,
  };
}

function fill(node: unknown, values: Record<string, unknown>): unknown {
  if (typeof node === "string") {
    const m = /^\{\{(\w+)\}\}$/.exec(node);
    if (!m) return node;
    if (!(m[1]! in values)) throw new Error(`templates/fleet/package-policy.json: no value for ${node}`);
    return values[m[1]!];
  }
  if (Array.isArray(node)) return node.map((n) => fill(n, values));
  if (node && typeof node === "object")
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fill(v, values)]));
  return node;
}

/** The simplified create/update body, without the placement (policy_id / supports_agentless). */
export function desiredPackagePolicy(v: PolicyValues): SimplifiedPackagePolicy {
  const filter = { workspaceId: v.workspace.id, prefix: v.prefix };
  const template = JSON.parse(readFleetTemplate("package-policy.json")) as SimplifiedPackagePolicy;
  if (!v.eventHub) template.inputs[EVENTHUB_INPUT] = { enabled: false };
  return fill(template, {
    name: packagePolicyName(v.prefix),
    description: `${managedMarker(v.prefix)}. Sentinel alerts and incidents into Elastic.`,
    packageVersion: v.packageVersion,
    clientId: v.clientId,
    clientSecret: v.clientSecret,
    tenantId: v.tenantId,
    subscriptionId: v.workspace.subscriptionId,
    resourceGroup: v.workspace.resourceGroup,
    workspaceName: v.workspace.workspaceName,
    interval: v.interval,
    alertProcessors: alertEchoFilter(filter),
    incidentProcessors: incidentEchoFilter(filter),
    eventHub: v.eventHub?.name,
    consumerGroup: v.eventHub?.consumerGroup,
    eventHubConnectionString: v.eventHub?.connectionString,
    storageAccount: v.eventHub?.storageAccount,
    storageAccountKey: v.eventHub?.storageAccountKey,
  }) as SimplifiedPackagePolicy;
}

const isSecretRef = (v: unknown) =>
  !!v && typeof v === "object" && (v as { isSecretRef?: unknown }).isSecretRef === true;

function diffVars(path: string, want: SimplifiedVars | undefined, have: SimplifiedVars | undefined, out: Difference[]) {
  for (const [k, w] of Object.entries(want ?? {})) {
    const h = have?.[k];
    if ((SECRET_VARS as readonly string[]).includes(k)) {
      // A secret can't be read back; what we can tell is whether one is stored at all.
      if (h === undefined || h === null || h === "")
        out.push({ field: `${path}.${k}`, from: "(unset)", to: "(secret)" });
      continue;
    }
    if (isSecretRef(h)) continue;
    if (JSON.stringify(h ?? null) !== JSON.stringify(w ?? null)) out.push({ field: `${path}.${k}`, from: h, to: w });
  }
}

export interface Difference {
  field: string;
  from?: unknown;
  to?: unknown;
}

/**
 * Differences between what we want and what Fleet has (read with `format=simplified`). Secret vars are
 * compared only for presence: Fleet never returns their values.
 */
export function diffPackagePolicy(
  want: SimplifiedPackagePolicy,
  have: PackagePolicy,
  placement: Placement,
): Difference[] {
  const out: Difference[] = [];
  if (have.package.version !== want.package.version)
    out.push({ field: "package.version", from: have.package.version, to: want.package.version });
  if ((have.description ?? "") !== (want.description ?? ""))
    out.push({ field: "description", from: have.description, to: want.description });
  if (placement.agentless) {
    if (!have.supports_agentless) out.push({ field: "supports_agentless", from: false, to: true });
  } else if (placement.agentPolicyId && !have.policy_ids.includes(placement.agentPolicyId)) {
    out.push({ field: "policy_ids", from: have.policy_ids, to: [placement.agentPolicyId] });
  }
  for (const [id, wi] of Object.entries(want.inputs)) {
    const hi: SimplifiedInput = have.inputs?.[id] ?? {};
    if ((hi.enabled ?? false) !== (wi.enabled ?? true))
      out.push({ field: `inputs.${id}.enabled`, from: hi.enabled, to: wi.enabled ?? true });
    if (wi.enabled === false) continue;
    diffVars(`inputs.${id}.vars`, wi.vars, hi.vars, out);
    for (const [sid, ws] of Object.entries(wi.streams ?? {})) {
      const hs = hi.streams?.[sid] ?? {};
      if ((hs.enabled ?? false) !== (ws.enabled ?? true))
        out.push({ field: `inputs.${id}.streams.${sid}.enabled`, from: hs.enabled, to: ws.enabled ?? true });
      diffVars(`inputs.${id}.streams.${sid}.vars`, ws.vars, hs.vars, out);
    }
  }
  return out;
}

/** Where the package policy runs: an agent policy, or agentless. */
export interface Placement {
  agentless: boolean;
  /** Set when the agent policy exists (or was just created). */
  agentPolicyId?: string;
}

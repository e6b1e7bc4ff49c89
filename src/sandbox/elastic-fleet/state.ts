/** The Fleet emulator's in-memory state and the helpers its route files share. */
import type { SandboxRequest, SandboxResponse } from "../common/router.js";
import type { CataloguePackage } from "./catalogue.js";
import type { StoredPackagePolicy } from "./policies.js";

/** What the emulator needs from the Kibana sandbox's context (SandboxContext has both). */
export interface FleetHost {
  version: string;
  clock: { now(): number };
}

export interface StoredAgentPolicy {
  id: string;
  name: string;
  namespace: string;
  description?: string;
  supports_agentless: boolean;
  is_managed: boolean;
  agents: number;
  revision: number;
  updated_at: string;
}

export interface FleetState {
  host: FleetHost;
  missingRequirements: string[];
  secretsStorage: boolean;
  filterByKibanaVersion: boolean;
  catalogue: CataloguePackage[];
  installed: Map<string, { version: string; installedAt: string }>;
  agentPolicies: Map<string, StoredAgentPolicy>;
  packagePolicies: Map<string, StoredPackagePolicy>;
  /** Secret values by id, as Fleet keeps them in `.fleet-secrets`: never returned by any route. */
  secrets: Map<string, string>;
  nowIso(): string;
  newId(): string;
}

export type FleetRoute = (
  method: string,
  path: string,
  handler: (req: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>,
) => void;

/** `kuery` of the form `<saved-object-type>.name:"value"` (what the product sends); anything else matches all. */
export function nameFromKuery(kuery: string | null): string | undefined {
  if (!kuery) return undefined;
  const m = /^\s*(?:[\w-]+\.)?name\s*:\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(kuery);
  return m ? m[1]!.replace(/\\(.)/g, "$1") : undefined;
}

export function agentPolicyView(state: FleetState, p: StoredAgentPolicy): Record<string, unknown> {
  return {
    ...p,
    status: "active",
    package_policies: [...state.packagePolicies.values()]
      .filter((pp) => pp.policy_ids.includes(p.id))
      .map((pp) => ({ id: pp.id, name: pp.name, package: { ...pp.package } })),
  };
}

export function createAgentPolicyRecord(
  state: FleetState,
  p: { name: string; namespace: string; description?: string; supports_agentless: boolean },
): StoredAgentPolicy {
  const rec: StoredAgentPolicy = {
    id: state.newId(),
    ...p,
    is_managed: false,
    agents: 0,
    revision: 1,
    updated_at: state.nowIso(),
  };
  state.agentPolicies.set(rec.id, rec);
  return rec;
}

/**
 * The Fleet shapes we read and write, trimmed to the fields we use. Sources: Fleet's common types
 * (x-pack/platform/plugins/shared/fleet/common/types/models/{epm,agent_policy,package_policy}.ts) and the
 * simplified package policy format (common/services/simplified_package_policy_helper.ts).
 */

/** `GET /api/fleet/agents/setup` (GetFleetStatusResponse, common/types/rest_spec/fleet_setup.ts). */
export interface FleetStatus {
  isReady: boolean;
  missing_requirements: string[];
  missing_optional_features?: string[];
  /** Newer stacks: whether secret vars are stored as secrets (needs every Fleet Server ≥ 8.10). */
  is_secrets_storage_enabled?: boolean;
}

export interface PackageVarDef {
  name: string;
  type: string;
  required?: boolean;
  secret?: boolean;
  multi?: boolean;
  default?: unknown;
}

export interface PackageInfo {
  name: string;
  version: string;
  title?: string;
  /** The newest version Fleet found for this stack (registry search honours `kibana.version`). */
  latestVersion?: string;
  status?: "installed" | "not_installed" | "installing" | "install_failed" | string;
  installationInfo?: { version: string; install_status?: string };
  /** Older stacks (deprecated since 8.x): the installation saved object. */
  savedObject?: { attributes?: { version?: string; install_status?: string } } | null;
  conditions?: { kibana?: { version?: string }; elastic?: { subscription?: string } };
  policy_templates?: {
    name: string;
    inputs?: { type: string; vars?: PackageVarDef[] }[];
    deployment_modes?: { default?: { enabled?: boolean }; agentless?: { enabled?: boolean } };
  }[];
  data_streams?: {
    dataset: string;
    type?: string;
    streams?: { input: string; vars?: PackageVarDef[]; enabled?: boolean }[];
  }[];
}

export interface AgentPolicy {
  id: string;
  name: string;
  namespace: string;
  description?: string;
  is_managed?: boolean;
  supports_agentless?: boolean | null;
  /** Enrolled agents (returned unless `noAgentCount`). */
  agents?: number;
  package_policies?: { id: string; name: string }[];
}

export type SimplifiedVarValue =
  | string
  | string[]
  | boolean
  | number
  | number[]
  | null
  | { isSecretRef: boolean; id: string };
export type SimplifiedVars = Record<string, SimplifiedVarValue>;

export interface SimplifiedStream {
  enabled?: boolean;
  vars?: SimplifiedVars;
}

export interface SimplifiedInput {
  enabled?: boolean;
  vars?: SimplifiedVars;
  streams?: Record<string, SimplifiedStream>;
}

/** The simplified create/update body. */
export interface SimplifiedPackagePolicy {
  name: string;
  description?: string;
  namespace: string;
  policy_id?: string | null;
  policy_ids?: string[];
  package: { name: string; version: string };
  supports_agentless?: boolean | null;
  vars?: SimplifiedVars;
  inputs: Record<string, SimplifiedInput>;
}

/** A package policy as read back with `format=simplified`: secret vars come back as `{isSecretRef, id}`. */
export interface PackagePolicy extends SimplifiedPackagePolicy {
  id: string;
  policy_ids: string[];
  enabled?: boolean;
  revision?: number;
  secret_references?: { id: string }[];
}

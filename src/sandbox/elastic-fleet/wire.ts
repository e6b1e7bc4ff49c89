/**
 * The emulator's own model of the Fleet wire format it serves: a package manifest's variable definitions and the
 * "simplified" package-policy vars (Fleet's `POST /api/fleet/package_policies` with `inputs` keyed by name, see
 * elastic/kibana x-pack/platform/plugins/shared/fleet/common/types/rest_spec/package_policy.ts). The sandbox keeps
 * its own copy of these shapes instead of importing the product's, so that a misunderstanding in one is not
 * silently shared by the other.
 */

/** One `vars` entry of a package manifest (package-spec `spec/integration/data_stream/manifest.spec.yml`). */
export interface ManifestVar {
  name: string;
  type: string;
  required?: boolean;
  secret?: boolean;
  multi?: boolean;
  default?: unknown;
}

/** A value in a simplified policy: plain values, or a reference to a stored secret (`isSecretRef`). */
export type PolicyVarValue =
  | string
  | string[]
  | boolean
  | number
  | number[]
  | null
  | { isSecretRef: boolean; id: string };

export type PolicyVars = Record<string, PolicyVarValue>;

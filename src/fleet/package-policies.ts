/**
 * Package policy endpoints (Fleet OAS "Fleet package policies"). We write the simplified format (inputs keyed
 * `<policy_template>-<input type>`, streams keyed by dataset, vars as plain values;
 * common/services/simplified_package_policy_helper.ts) and read back with `format=simplified`
 * (server/routes/package_policy/handlers.ts), where secret vars come back as `{isSecretRef: true, id}`, never
 * as values.
 * - `GET /api/fleet/package_policies?kuery=ingest-package-policies.name:"…"&format=simplified` → `{items}`
 * - `POST /api/fleet/package_policies?format=simplified` → `{item}`
 * - `PUT /api/fleet/package_policies/{id}?format=simplified` → `{item}` (takes the simplified body too)
 * - `POST /api/fleet/package_policies/delete` body `{packagePolicyIds, force}` → `[{id, success}]`
 */
import { RemoteError } from "../errors.js";
import { type FleetHttp, kqlString } from "./http.js";
import type { PackagePolicy, SimplifiedPackagePolicy } from "./types.js";

const PRIVILEGE = "Fleet: integrations (all)";

export async function findPackagePolicyByName(http: FleetHttp, name: string): Promise<PackagePolicy | undefined> {
  const res = await http.request<{ items: PackagePolicy[] }>({
    method: "GET",
    path: "/api/fleet/package_policies",
    query: { kuery: `ingest-package-policies.name:${kqlString(name)}`, format: "simplified", perPage: 100 },
    privilege: PRIVILEGE,
  });
  return res.body.items.find((p) => p.name === name);
}

export async function createPackagePolicy(http: FleetHttp, policy: SimplifiedPackagePolicy): Promise<PackagePolicy> {
  const res = await http.request<{ item: PackagePolicy }>({
    method: "POST",
    path: "/api/fleet/package_policies",
    query: { format: "simplified" },
    body: policy,
    privilege: PRIVILEGE,
  });
  return res.body.item;
}

export async function updatePackagePolicy(
  http: FleetHttp,
  id: string,
  policy: SimplifiedPackagePolicy,
): Promise<PackagePolicy> {
  const res = await http.request<{ item: PackagePolicy }>({
    method: "PUT",
    path: `/api/fleet/package_policies/${encodeURIComponent(id)}`,
    query: { format: "simplified" },
    body: policy,
    privilege: PRIVILEGE,
  });
  return res.body.item;
}

export async function deletePackagePolicy(http: FleetHttp, id: string): Promise<void> {
  const res = await http.request<{ id: string; success: boolean; body?: { message?: string } }[]>({
    method: "POST",
    path: "/api/fleet/package_policies/delete",
    body: { packagePolicyIds: [id], force: false },
    idempotent: true,
    privilege: PRIVILEGE,
  });
  const failed = res.body.find((r) => r.id === id && !r.success);
  if (failed)
    throw new RemoteError(`Fleet did not delete package policy ${id}: ${failed.body?.message ?? "no reason given"}`, {
      code: "FLEET_PACKAGE_POLICY_DELETE_FAILED",
      remote: "kibana",
      suggestion: "Remove the package policy in Fleet → Agent policies, then run teardown again.",
    });
}

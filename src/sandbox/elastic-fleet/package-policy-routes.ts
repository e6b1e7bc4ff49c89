/**
 * Package policy routes: list (name kuery), get, create, update, delete; responses in the simplified format
 * with `format=simplified`, else the legacy array format. Creating installs the package if needed (Fleet
 * does), places the policy on agent policies that must exist, or makes an agentless agent policy when
 * `supports_agentless` and the package allows it.
 */
import type { SandboxRequest } from "../common/router.js";
import { createAgentPolicyRecord, type FleetRoute, type FleetState, nameFromKuery } from "./state.js";
import { findPackage, installVersion } from "./package-routes.js";
import {
  badRequest,
  buildInputs,
  FleetHttpError,
  type StoredPackagePolicy,
  toLegacy,
  toSimplified,
} from "./policies.js";

const view = (req: SandboxRequest, p: StoredPackagePolicy) =>
  req.query.get("format") === "simplified" ? toSimplified(p) : toLegacy(p);

function placementOf(
  state: FleetState,
  body: Record<string, unknown>,
  name: string,
): { ids: string[]; agentless: boolean } {
  const agentless = body.supports_agentless === true;
  const ids = Array.isArray(body.policy_ids)
    ? (body.policy_ids as unknown[]).map(String)
    : typeof body.policy_id === "string"
      ? [body.policy_id]
      : [];
  for (const id of ids) if (!state.agentPolicies.has(id)) throw new FleetHttpError(404, `Agent policy ${id} not found`);
  if (agentless && ids.length === 0) {
    const ap = createAgentPolicyRecord(state, {
      name: `Agentless policy for ${name}`,
      namespace: typeof body.namespace === "string" ? body.namespace : "default",
      supports_agentless: true,
    });
    return { ids: [ap.id], agentless };
  }
  return { ids, agentless };
}

function write(state: FleetState, body: Record<string, unknown>, existing?: StoredPackagePolicy): StoredPackagePolicy {
  if (typeof body.name !== "string" || !body.name)
    throw badRequest("[request body.name]: expected value of type [string] but got [undefined]");
  const pkgRef = body.package as { name?: string; version?: string } | undefined;
  if (!pkgRef?.name) throw badRequest("[request body.package]: expected a value of type object");
  if (!Array.isArray(body.inputs) && body.inputs !== undefined && typeof body.inputs !== "object")
    throw badRequest("[request body.inputs]: invalid");
  if (Array.isArray(body.inputs))
    throw badRequest("the Fleet sandbox accepts package policies in the simplified format only");
  const clash = [...state.packagePolicies.values()].find((p) => p.name === body.name && p.id !== existing?.id);
  if (clash)
    throw new FleetHttpError(
      409,
      `An integration policy with the name ${body.name} already exists. Please rename it or choose a different name.`,
    );
  const installed = state.installed.get(pkgRef.name);
  const version = pkgRef.version ?? installed?.version ?? findPackage(state, pkgRef.name)?.version;
  const pkg = version ? findPackage(state, pkgRef.name, version) : undefined;
  if (!pkg)
    throw new FleetHttpError(404, `[${pkgRef.name}${version ? `-${version}` : ""}] package not found in registry`);
  if (body.supports_agentless === true && !pkg.agentless)
    throw badRequest(`${pkg.name} ${pkg.version} does not support agentless deployment`);
  if (installed?.version !== pkg.version) installVersion(state, pkg, false);
  const { inputs, refs } = buildInputs(pkg, body, state.secrets);
  const placement =
    existing && body.policy_ids === undefined && body.policy_id === undefined && !body.supports_agentless
      ? { ids: existing.policy_ids, agentless: existing.supports_agentless }
      : existing?.supports_agentless && body.supports_agentless === true
        ? { ids: existing.policy_ids, agentless: true }
        : placementOf(state, body, body.name);
  const now = state.nowIso();
  const stored: StoredPackagePolicy = {
    id: existing?.id ?? state.newId(),
    name: body.name,
    description: typeof body.description === "string" ? body.description : undefined,
    namespace: typeof body.namespace === "string" ? body.namespace : "default",
    policy_ids: placement.ids,
    supports_agentless: placement.agentless,
    package: { name: pkg.name, version: pkg.version, title: pkg.title },
    inputs,
    secret_references: refs,
    revision: (existing?.revision ?? 0) + 1,
    created_at: existing?.created_at ?? now,
    updated_at: now,
  };
  // Secrets no longer referenced are deleted, as Fleet deletes replaced secrets.
  for (const old of existing?.secret_references ?? [])
    if (!refs.some((r) => r.id === old.id)) state.secrets.delete(old.id);
  state.packagePolicies.set(stored.id, stored);
  for (const id of stored.policy_ids) {
    const ap = state.agentPolicies.get(id)!;
    ap.revision++;
    ap.updated_at = now;
  }
  return stored;
}

function remove(
  state: FleetState,
  id: string,
): { id: string; success: boolean; name?: string; statusCode?: number; body?: { message: string } } {
  const p = state.packagePolicies.get(id);
  if (!p) return { id, success: false, statusCode: 404, body: { message: `Package policy ${id} not found` } };
  for (const ref of p.secret_references) state.secrets.delete(ref.id);
  state.packagePolicies.delete(id);
  return { id, name: p.name, success: true };
}

export function registerPackagePolicyRoutes(route: FleetRoute, state: FleetState): void {
  route("GET", "/api/fleet/package_policies", (req) => {
    const name = nameFromKuery(req.query.get("kuery"));
    const items = [...state.packagePolicies.values()].filter((p) => name === undefined || p.name === name);
    return { status: 200, body: { items: items.map((p) => view(req, p)), total: items.length, page: 1, perPage: 20 } };
  });
  route("GET", "/api/fleet/package_policies/:id", (req) => {
    const p = state.packagePolicies.get(req.params.id!);
    if (!p) throw new FleetHttpError(404, `Package policy ${req.params.id} not found`);
    return { status: 200, body: { item: view(req, p) } };
  });
  route("POST", "/api/fleet/package_policies", (req) => {
    const p = write(state, (req.json() ?? {}) as Record<string, unknown>);
    return { status: 200, body: { item: view(req, p) } };
  });
  route("PUT", "/api/fleet/package_policies/:id", (req) => {
    const existing = state.packagePolicies.get(req.params.id!);
    if (!existing) throw new FleetHttpError(404, `Package policy ${req.params.id} not found`);
    const p = write(state, (req.json() ?? {}) as Record<string, unknown>, existing);
    return { status: 200, body: { item: view(req, p) } };
  });
  route("POST", "/api/fleet/package_policies/delete", (req) => {
    const ids = ((req.json() as { packagePolicyIds?: unknown } | undefined)?.packagePolicyIds ?? []) as string[];
    if (!Array.isArray(ids)) throw badRequest("[request body.packagePolicyIds]: expected value of type [array]");
    return { status: 200, body: ids.map((id) => remove(state, String(id))) };
  });
  route("DELETE", "/api/fleet/package_policies/:id", (req) => {
    const r = remove(state, req.params.id!);
    if (!r.success) throw new FleetHttpError(404, r.body!.message);
    return { status: 200, body: { id: r.id } };
  });
}

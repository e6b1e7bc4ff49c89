/**
 * The Fleet emulator: the Fleet routes `setup --sentinel-to-elastic` uses, registered onto the Kibana sandbox's
 * router (src/sandbox/common/router.ts) — setup status, package info/install/uninstall with Kibana version
 * constraints, agent policies, and package policies in the simplified format with Fleet's validation.
 * Wiring is one line in the Kibana sandbox: `installFleetEmulator(router, ctx)`.
 * Routes answer both `/api/fleet/…` and `/s/<space>/api/fleet/…`; Fleet objects are global here (the
 * emulator does not model 9.1+ space awareness).
 */
import { randomUUID } from "node:crypto";
import type { Router, SandboxRequest, SandboxResponse } from "../common/router.js";
import { type CataloguePackage, defaultCatalogue } from "./catalogue.js";
import { FleetHttpError } from "./policies.js";
import { registerPackagePolicyRoutes } from "./package-policy-routes.js";
import { registerPackageRoutes } from "./package-routes.js";
import {
  agentPolicyView,
  createAgentPolicyRecord,
  type FleetHost,
  type FleetRoute,
  type FleetState,
  nameFromKuery,
} from "./state.js";

export type { FleetHost, FleetState, StoredAgentPolicy } from "./state.js";

export interface FleetEmulatorOptions {
  /** `GET /api/fleet/agents/setup` `missing_requirements` (default none; `fleet_server` still lets policies be made). */
  missingRequirements?: string[];
  catalogue?: CataloguePackage[];
  /** Whether the registry honours `kibana.version` when picking the latest version (Fleet's does). */
  filterByKibanaVersion?: boolean;
  secretsStorage?: boolean;
}

export interface FleetEmulator {
  state: FleetState;
  /** Simulate an Elastic Agent enrolling in a policy (for verify's "assigned" check). */
  enrollAgent(agentPolicyId: string): void;
}

export function fleetError(e: FleetHttpError): SandboxResponse {
  const reasons: Record<number, string> = { 400: "Bad Request", 404: "Not Found", 409: "Conflict" };
  return { status: e.status, body: { statusCode: e.status, error: reasons[e.status] ?? "Error", message: e.message } };
}

const emulators = new WeakMap<object, FleetEmulator>();

/** The emulator installed for a Kibana sandbox context, for tests and the demo. */
export function fleetEmulatorOf(host: FleetHost): FleetEmulator | undefined {
  return emulators.get(host);
}

export function installFleetEmulator(
  router: Router,
  host: FleetHost,
  options: FleetEmulatorOptions = {},
): FleetEmulator {
  const state: FleetState = {
    host,
    missingRequirements: [...(options.missingRequirements ?? [])],
    secretsStorage: options.secretsStorage ?? true,
    filterByKibanaVersion: options.filterByKibanaVersion ?? true,
    catalogue: options.catalogue ?? defaultCatalogue(),
    installed: new Map(),
    agentPolicies: new Map(),
    packagePolicies: new Map(),
    secrets: new Map(),
    nowIso: () => new Date(host.clock.now()).toISOString(),
    newId: () => randomUUID(),
  };
  const route: FleetRoute = (method, path, handler) => {
    const wrapped = async (req: SandboxRequest) => {
      try {
        return await handler(req);
      } catch (e) {
        if (e instanceof FleetHttpError) return fleetError(e);
        throw e;
      }
    };
    router.on(method, path, wrapped);
    router.on(method, `/s/:spaceId${path}`, wrapped);
  };

  route("GET", "/api/fleet/agents/setup", () => ({
    status: 200,
    body: {
      isReady: state.missingRequirements.length === 0,
      missing_requirements: [...state.missingRequirements],
      missing_optional_features: [],
      is_secrets_storage_enabled: state.secretsStorage,
    },
  }));
  route("POST", "/api/fleet/setup", () => ({
    status: 200,
    body: {
      isInitialized: state.missingRequirements.filter((r) => r !== "fleet_server").length === 0,
      nonFatalErrors: [],
    },
  }));
  registerPackageRoutes(route, state);
  registerAgentPolicyRoutes(route, state);
  registerPackagePolicyRoutes(route, state);

  const emulator: FleetEmulator = {
    state,
    enrollAgent(agentPolicyId) {
      const p = state.agentPolicies.get(agentPolicyId);
      if (!p) throw new Error(`no agent policy ${agentPolicyId}`);
      p.agents++;
    },
  };
  emulators.set(host, emulator);
  return emulator;
}

function registerAgentPolicyRoutes(route: FleetRoute, state: FleetState): void {
  route("GET", "/api/fleet/agent_policies", (req) => {
    const name = nameFromKuery(req.query.get("kuery"));
    const items = [...state.agentPolicies.values()].filter((p) => name === undefined || p.name === name);
    return {
      status: 200,
      body: { items: items.map((p) => agentPolicyView(state, p)), total: items.length, page: 1, perPage: 20 },
    };
  });
  route("GET", "/api/fleet/agent_policies/:id", (req) => {
    const p = state.agentPolicies.get(req.params.id!);
    if (!p) throw new FleetHttpError(404, `Agent policy ${req.params.id} not found`);
    return { status: 200, body: { item: agentPolicyView(state, p) } };
  });
  route("POST", "/api/fleet/agent_policies", (req) => {
    const body = (req.json() ?? {}) as {
      name?: unknown;
      namespace?: unknown;
      description?: unknown;
      supports_agentless?: unknown;
    };
    if (typeof body.name !== "string" || !body.name.trim())
      throw new FleetHttpError(400, "[request body.name]: expected value of type [string] but got [undefined]");
    if ([...state.agentPolicies.values()].some((p) => p.name === body.name))
      throw new FleetHttpError(409, `Agent Policy '${body.name}' already exists`);
    const p = createAgentPolicyRecord(state, {
      name: body.name,
      namespace: typeof body.namespace === "string" ? body.namespace : "default",
      description: typeof body.description === "string" ? body.description : undefined,
      supports_agentless: body.supports_agentless === true,
    });
    return { status: 200, body: { item: agentPolicyView(state, p) } };
  });
  route("POST", "/api/fleet/agent_policies/delete", (req) => {
    const id = (req.json() as { agentPolicyId?: string } | undefined)?.agentPolicyId;
    const p = id ? state.agentPolicies.get(id) : undefined;
    if (!p) throw new FleetHttpError(404, `Agent policy ${id} not found`);
    if (p.agents > 0)
      throw new FleetHttpError(400, "Cannot delete an agent policy that is assigned to any active or inactive agents");
    for (const pp of state.packagePolicies.values()) {
      pp.policy_ids = pp.policy_ids.filter((x) => x !== p.id);
      if (pp.policy_ids.length === 0 && !pp.supports_agentless) state.packagePolicies.delete(pp.id);
    }
    state.agentPolicies.delete(p.id);
    return { status: 200, body: { id: p.id, name: p.name } };
  });
}

/**
 * EPM package routes. Like Fleet with the public registry: without a version, `GET` answers the installed
 * version, else the newest one whose `conditions.kibana.version` accepts this Kibana (registry search with
 * `kibana.version`), and 404 when there is none; with a version it answers that version whatever the
 * constraints. Installing a version this Kibana does not satisfy is refused unless `ignore_constraints`
 * (the wording of that 400 is the sandbox's own).
 */
import { compareVersions, satisfies } from "../../lib/semver.js";
import type { CataloguePackage } from "./catalogue.js";
import type { FleetRoute, FleetState } from "./state.js";
import { FleetHttpError } from "./policies.js";

const kibanaRelease = (v: string) => v.replace(/-.*$/, "");

export function compatible(state: FleetState, p: CataloguePackage): boolean {
  return satisfies(kibanaRelease(state.host.version), p.kibanaRange);
}

export function findPackage(state: FleetState, name: string, version?: string): CataloguePackage | undefined {
  const all = state.catalogue.filter((p) => p.name === name).sort((a, b) => compareVersions(b.version, a.version));
  if (version) return all.find((p) => p.version === version);
  return all.find((p) => !state.filterByKibanaVersion || compatible(state, p));
}

function notFound(name: string, version?: string): FleetHttpError {
  return new FleetHttpError(404, `[${name}${version ? `-${version}` : ""}] package not found in registry`);
}

function info(state: FleetState, p: CataloguePackage): Record<string, unknown> {
  const installed = state.installed.get(p.name);
  const latest = findPackage(state, p.name);
  return {
    name: p.name,
    version: p.version,
    title: p.title,
    type: "integration",
    latestVersion: latest?.version ?? p.version,
    status: installed ? "installed" : "not_installed",
    ...(installed
      ? {
          installationInfo: {
            version: installed.version,
            install_status: "installed",
            installed_at: installed.installedAt,
          },
        }
      : {}),
    conditions: { kibana: { version: p.kibanaRange }, elastic: { subscription: "basic" } },
    policy_templates: [
      {
        name: p.policyTemplate,
        title: `${p.title} Logs`,
        inputs: p.inputs.map((i) => ({ type: i.type, vars: i.vars })),
        deployment_modes: { default: { enabled: true }, agentless: { enabled: p.agentless } },
      },
    ],
    data_streams: [...new Set(p.streams.map((s) => s.dataset))].map((dataset) => ({
      dataset,
      type: "logs",
      streams: p.streams
        .filter((s) => s.dataset === dataset)
        .map((s) => ({ input: s.input, enabled: s.enabled, vars: s.vars })),
    })),
  };
}

/** Install (or upgrade to) a version; shared with package policy creation, which installs on demand. */
export function installVersion(state: FleetState, p: CataloguePackage, ignoreConstraints: boolean): void {
  if (!ignoreConstraints && !compatible(state, p))
    throw new FleetHttpError(
      400,
      `${p.name}-${p.version} is not compatible with Kibana ${state.host.version} (conditions.kibana.version ${p.kibanaRange})`,
    );
  state.installed.set(p.name, { version: p.version, installedAt: state.nowIso() });
}

export function registerPackageRoutes(route: FleetRoute, state: FleetState): void {
  route("GET", "/api/fleet/epm/packages/:name", (req) => {
    const name = req.params.name!;
    const installed = state.installed.get(name);
    const p = installed ? findPackage(state, name, installed.version) : findPackage(state, name);
    if (!p) throw notFound(name);
    return { status: 200, body: { item: info(state, p) } };
  });
  route("GET", "/api/fleet/epm/packages/:name/:version", (req) => {
    const p = findPackage(state, req.params.name!, req.params.version!);
    if (!p) throw notFound(req.params.name!, req.params.version);
    return { status: 200, body: { item: info(state, p) } };
  });
  const install = (name: string, version: string | undefined, body: unknown) => {
    const b = (body ?? {}) as { ignore_constraints?: unknown; force?: unknown };
    const p = findPackage(state, name, version);
    if (!p) throw notFound(name, version);
    installVersion(state, p, b.ignore_constraints === true);
    return {
      status: 200,
      body: {
        items: [{ id: `logs-${name}.incident`, type: "index_template" }],
        _meta: { install_source: "registry", name },
      },
    };
  };
  route("POST", "/api/fleet/epm/packages/:name", (req) => install(req.params.name!, undefined, req.json()));
  route("POST", "/api/fleet/epm/packages/:name/:version", (req) =>
    install(req.params.name!, req.params.version!, req.json()),
  );
  route("DELETE", "/api/fleet/epm/packages/:name/:version", (req) => {
    const name = req.params.name!;
    const installed = state.installed.get(name);
    if (!installed || installed.version !== req.params.version)
      throw new FleetHttpError(400, `${name} is not installed`);
    if ([...state.packagePolicies.values()].some((p) => p.package.name === name))
      throw new FleetHttpError(400, `Unable to remove package with existing package policy(s) in use by agent(s)`);
    state.installed.delete(name);
    return { status: 200, body: { items: [] } };
  });
}

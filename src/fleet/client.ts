/**
 * The Fleet API, bound once to Kibana's HTTP client like `kibanaApi`: steps call `fleet.getAgentPolicy(id)`,
 * never a free function with an `http` argument. The calls themselves live in agent-policies.ts,
 * package-policies.ts, packages.ts and setup.ts.
 */
import { createAgentPolicy, deleteAgentPolicy, findAgentPolicyByName, getAgentPolicy } from "./agent-policies.js";
import type { FleetHttp } from "./http.js";
import {
  createPackagePolicy,
  deletePackagePolicy,
  findPackagePolicyByName,
  updatePackagePolicy,
} from "./package-policies.js";
import { getPackageInfo, installPackage, uninstallPackage } from "./packages.js";
import { getFleetStatus } from "./setup.js";
import type { SimplifiedPackagePolicy } from "./types.js";

export function createFleetApi(http: FleetHttp) {
  return {
    getFleetStatus: () => getFleetStatus(http),
    getPackageInfo: (name: string, version?: string) => getPackageInfo(http, name, version),
    installPackage: (name: string, version: string) => installPackage(http, name, version),
    uninstallPackage: (name: string, version: string) => uninstallPackage(http, name, version),
    findAgentPolicyByName: (name: string) => findAgentPolicyByName(http, name),
    getAgentPolicy: (id: string) => getAgentPolicy(http, id),
    createAgentPolicy: (policy: Parameters<typeof createAgentPolicy>[1]) => createAgentPolicy(http, policy),
    deleteAgentPolicy: (id: string) => deleteAgentPolicy(http, id),
    findPackagePolicyByName: (name: string) => findPackagePolicyByName(http, name),
    createPackagePolicy: (policy: SimplifiedPackagePolicy) => createPackagePolicy(http, policy),
    updatePackagePolicy: (id: string, policy: SimplifiedPackagePolicy) => updatePackagePolicy(http, id, policy),
    deletePackagePolicy: (id: string) => deletePackagePolicy(http, id),
  };
}

export type FleetApi = ReturnType<typeof createFleetApi>;

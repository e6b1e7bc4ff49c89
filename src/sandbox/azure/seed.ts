/**
 * What the sandbox's tenant and subscription hold at start: the deploying user with its Azure roles (effective at
 * once) and Entra directory roles, the given service principals and Microsoft Graph's, whether members may register
 * applications, and the resource groups and workspaces (Sentinel onboarded unless told otherwise, Defender if asked).
 */
import { randomUUID } from "node:crypto";
import { resourceGroupResource } from "./arm/subscription-api.js";
import { type AppRoleStore, MICROSOFT_GRAPH_APP_ID } from "./defender/app-roles.js";
import type { DefenderWorld } from "./defender/world.js";
import type { AzureSandboxOptions } from "./index.js";
import { workspaceResource } from "./resources/workspaces.js";
import { findRole } from "./roles.js";
import type { AzureState } from "./state.js";

export function seedTenant(
  state: AzureState,
  options: AzureSandboxOptions,
  defender: { appRoles: AppRoleStore; world: DefenderWorld },
): { principalId: string; upn: string } {
  const { appRoles, world } = defender;
  // The deploying principal: a user with the given roles at subscription scope, effective at once.
  const principalId = randomUUID();
  const upn = "deployer@sandbox.onmicrosoft.com";
  state.addPrincipal({ id: principalId, type: "User", displayName: "Sandbox deployer" });
  const subScope = `/subscriptions/${state.subscriptionId}`;
  for (const r of options.deployerRoles ?? ["Owner"]) {
    const role = findRole(r);
    if (!role) throw new Error(`Unknown role '${r}' in deployerRoles.`);
    state.addRoleAssignment({
      scope: subScope,
      name: randomUUID(),
      roleDefinitionId: `${subScope}/providers/Microsoft.Authorization/roleDefinitions/${role.guid}`,
      principalId,
      principalType: "User",
      immediate: true,
    });
  }
  for (const app of options.servicePrincipals ?? []) state.addServicePrincipal(app);
  state.applications.allowedToCreateApps = options.appRegistration !== "denied";
  for (const r of options.deployerEntraRoles ?? ["Privileged Role Administrator"])
    appRoles.grantEntraRole(principalId, r);
  if (!state.servicePrincipalByAppId(MICROSOFT_GRAPH_APP_ID))
    state.addServicePrincipal({ appId: MICROSOFT_GRAPH_APP_ID, displayName: "Microsoft Graph" });
  for (const rg of options.resourceGroups ?? [])
    state.put(resourceGroupResource(state.subscriptionId, rg.name, rg.location, rg.tags), "2025-03-01");
  for (const ws of options.workspaces ?? []) {
    const rg = state.resourceGroup(ws.resourceGroup);
    if (!rg)
      throw new Error(`Workspace '${ws.name}': resource group '${ws.resourceGroup}' is not in options.resourceGroups.`);
    const id = state.workspaceId(rg.name, ws.name);
    state.put(
      workspaceResource(state, { id, name: ws.name, location: ws.location ?? rg.location!, customerId: ws.customerId }),
      "2022-10-01",
    );
    if (ws.sentinel !== false)
      state.put(
        {
          id: `${id}/providers/Microsoft.SecurityInsights/onboardingStates/default`,
          name: "default",
          type: "Microsoft.SecurityInsights/onboardingStates",
          etag: state.newEtag(),
          properties: {},
        },
        "2025-09-01",
      );
    if (ws.defender) world.onboard(id);
  }
  return { principalId, upn };
}

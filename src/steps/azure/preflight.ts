/**
 * Azure preflight: before any change, prove that the run can succeed — the credential works (and as whom),
 * the subscription, resource groups and workspace exist, Sentinel is onboarded, the resource providers are
 * registered, the deployer may do what the plan needs, the NRT quota has room and no classic table is in
 * the way. Each failure is exit 4 (auth/permission) or 5 (precondition) and names what is missing.
 */
import type { AzureClients } from "../../azure/client.js";
import { workspaceResourceId } from "../../azure/arm.js";
import type { AzureFacts } from "../../azure/templates.js";
import type { Change, Check, Step, StepContext } from "../../engine/types.js";
import { AuthError, PreconditionError, RemoteError } from "../../errors.js";
import { PREFLIGHT_ID, requiredAzureInputs, saveFacts, whereToSet } from "./facts.js";
import { checkNrtQuota, checkTable } from "./preflight-alerts.js";
import { checkInstanceElsewhere } from "./preflight-elsewhere.js";
import { missingActions, type NeededAction, neededActions } from "./permissions.js";
import { checkDefenderMode } from "./preflight-defender.js";
import { decidePortal, reportPortal } from "./portal.js";

const isNotFound = (e: unknown) => e instanceof RemoteError && e.status === 404;

export function providersNeeded(config: StepContext["config"]): string[] {
  const p = ["Microsoft.Logic", "Microsoft.OperationalInsights", "Microsoft.SecurityInsights"];
  if (config.features.caseSync && config.sentinel.authorization === "oauth") p.push("Microsoft.Web");
  if (config.features.alertForwarding) p.push("Microsoft.Insights");
  return p;
}

async function checkSignIn(ctx: StepContext, az: AzureClients) {
  const me = await az.whoAmI();
  ctx.shared.azure = { ...ctx.shared.azure, principal: me.name ?? me.objectId, credentialKind: az.credentialKind };
  ctx.io.message(
    "info",
    `Signed in to Azure with ${az.credentialKind} as ${me.name ?? me.objectId ?? "an unnamed principal"}.`,
  );
  return me;
}

async function checkSubscription(az: AzureClients) {
  try {
    const sub = await az.arm.subscription();
    if (sub.state && sub.state !== "Enabled") {
      throw new PreconditionError(`subscription ${az.subscriptionId} is ${sub.state}`, {
        code: "AZURE_SUBSCRIPTION_DISABLED",
        suggestion: "Use an enabled subscription (azure.subscriptionId).",
      });
    }
    return sub;
  } catch (e) {
    if (isNotFound(e)) {
      throw new PreconditionError(`subscription ${az.subscriptionId} was not found for this sign-in`, {
        code: "AZURE_SUBSCRIPTION_NOT_FOUND",
        suggestion: `Check ${whereToSet("azure.subscriptionId")} and azure.tenantId, or sign in to the tenant that holds it.`,
      });
    }
    throw e;
  }
}

async function checkProviders(ctx: StepContext, az: AzureClients) {
  const missing: string[] = [];
  for (const ns of providersNeeded(ctx.config)) {
    const p = await az.arm.provider(ns);
    if (p.registrationState !== "Registered") missing.push(ns);
  }
  if (missing.length) {
    throw new PreconditionError(`resource providers not registered in the subscription: ${missing.join(", ")}`, {
      code: "AZURE_PROVIDER_NOT_REGISTERED",
      suggestion: missing.map((ns) => `az provider register --namespace ${ns}`).join(" && "),
      details: { providers: missing },
    });
  }
}

async function checkPermissions(
  ctx: StepContext,
  az: AzureClients,
  scopes: Record<NeededAction["scope"], string>,
  portal: "defender" | "azure",
) {
  const [la, wsg, ws] = await Promise.all([
    az.arm.permissions(scopes.logicApps),
    az.arm.permissions(scopes.workspaceGroup),
    az.arm.permissions(scopes.workspace),
  ]);
  if (!la || !wsg || !ws) {
    ctx.io.message("debug", "Could not read our permissions; ARM validation checks them during the plan.");
    return;
  }
  const missing = missingActions(
    neededActions(ctx.config, portal),
    { logicApps: la, workspaceGroup: wsg, workspace: ws },
    scopes,
  );
  if (!missing.length) return;
  throw permissionError(
    ctx,
    missing.map((m) => ({ action: m.action, scope: m.scopeId, role: m.role, why: m.why })),
  );
}

/** Exit 4 naming every missing action and the role that grants it; role assignments in MI mode suggest oauth. */
export function permissionError(
  ctx: Pick<StepContext, "config">,
  missing: { action: string; scope: string; role: string; why?: string }[],
): AuthError {
  const roleAssignment = missing.some((m) => /roleAssignments\/write/i.test(m.action));
  const miCaseSync = ctx.config.features.caseSync && ctx.config.sentinel.authorization === "managed-identity";
  const lines = missing.map(
    (m) => `${m.action} on ${m.scope}${m.why ? ` (to ${m.why})` : ""}: needs the role "${m.role}"`,
  );
  return new AuthError(`the Azure sign-in may not do everything setup needs:\n  - ${lines.join("\n  - ")}`, {
    code: "AZURE_PERMISSION_MISSING",
    suggestion:
      roleAssignment && miCaseSync
        ? "Ask an owner to grant the roles above, or use --sentinel-authorization oauth (no role assignment for case sync; a person authorises the Sentinel connection once)."
        : "Ask an owner to grant the roles above, then run again.",
    details: { missing },
  });
}

export const azurePreflight: Step<{ location: string }> = {
  id: PREFLIGHT_ID,
  title: "Azure preflight",
  target: "azure",
  enabled: (c) => c.features.caseSync || c.features.alertForwarding,
  async plan(ctx) {
    const { resourceGroup, workspaceName, workspaceResourceGroup } = requiredAzureInputs(ctx.config);
    const az = await ctx.clients.azure();
    const me = await checkSignIn(ctx, az);
    const sub = await checkSubscription(az);
    const wsGroup = await az.arm.resourceGroup(workspaceResourceGroup);
    if (!wsGroup) {
      throw new PreconditionError(`resource group ${workspaceResourceGroup} (the workspace's) does not exist`, {
        code: "AZURE_RESOURCE_GROUP_NOT_FOUND",
        suggestion: `Check ${whereToSet("sentinel.resourceGroup")}.`,
      });
    }
    const workspace = await az.arm.workspace(workspaceResourceGroup, workspaceName);
    if (!workspace) {
      throw new PreconditionError(
        `Log Analytics workspace ${workspaceName} was not found in ${workspaceResourceGroup}`,
        {
          code: "AZURE_WORKSPACE_NOT_FOUND",
          suggestion: `Check ${whereToSet("sentinel.workspaceName")} and ${whereToSet("sentinel.resourceGroup")}.`,
        },
      );
    }
    if (!(await az.arm.sentinelOnboarded(workspaceResourceGroup, workspaceName))) {
      throw new PreconditionError(`Microsoft Sentinel is not enabled on workspace ${workspaceName}`, {
        code: "AZURE_SENTINEL_NOT_ONBOARDED",
        suggestion: `Add Microsoft Sentinel to the workspace (portal: Microsoft Sentinel → Create → ${workspaceName}), then run again.`,
      });
    }
    const portal = await decidePortal(ctx, az.arm, workspaceResourceGroup, workspaceName);
    reportPortal(ctx, portal);
    if (portal.portal === "defender") checkDefenderMode(ctx, az.cloud);
    await checkProviders(ctx, az);
    await checkInstanceElsewhere(ctx, az, resourceGroup);
    const laGroup = resourceGroup === workspaceResourceGroup ? wsGroup : await az.arm.resourceGroup(resourceGroup);
    const changes: Change<{ location: string }>[] = [];
    const location = ctx.config.azure.location ?? laGroup?.location ?? workspace.location;
    if (!laGroup) {
      const create = await ctx.io.ask({
        kind: "confirm",
        code: "azure.createResourceGroup",
        message: `Resource group ${resourceGroup} does not exist. Create it in ${location}?`,
        default: true,
      });
      if (!create) {
        throw new PreconditionError(`resource group ${resourceGroup} does not exist`, {
          code: "AZURE_RESOURCE_GROUP_NOT_FOUND",
          suggestion: `Create it (az group create -n ${resourceGroup} -l ${location}) or set ${whereToSet("azure.resourceGroup")} to an existing one.`,
        });
      }
      changes.push({
        step: PREFLIGHT_ID,
        target: "azure",
        resource: "resource group",
        name: resourceGroup,
        action: "create",
        reason: `does not exist; the Logic Apps go there (${location})`,
        payload: { location },
      });
    } else {
      changes.push({
        step: PREFLIGHT_ID,
        target: "azure",
        resource: "resource group",
        name: resourceGroup,
        action: "no-op",
        reason: "exists",
      });
    }
    const rgScope = `/subscriptions/${az.subscriptionId}/resourceGroups/${resourceGroup}`;
    const wsScope = workspaceResourceId(az.subscriptionId, workspaceResourceGroup, workspaceName);
    await checkPermissions(
      ctx,
      az,
      {
        logicApps: laGroup ? rgScope : `/subscriptions/${az.subscriptionId}`,
        workspaceGroup: `/subscriptions/${az.subscriptionId}/resourceGroups/${workspaceResourceGroup}`,
        workspace: wsScope,
      },
      portal.portal,
    );
    let ruleKind = ctx.config.rule.sentinelKind;
    if (ctx.config.features.alertForwarding) {
      await checkTable(ctx, az, workspaceResourceGroup, workspaceName);
      ruleKind = await checkNrtQuota(ctx, az, workspaceResourceGroup, workspaceName, ruleKind);
    }
    const facts: AzureFacts = {
      subscriptionId: az.subscriptionId,
      tenantId: sub.tenantId ?? me.tenantId ?? ctx.config.azure.tenantId,
      logicAppsResourceGroup: resourceGroup,
      workspaceResourceGroup,
      workspaceName,
      location,
      workspaceLocation: workspace.location,
      workspaceCustomerId: workspace.properties.customerId,
      ruleKind,
      logicAppsResourceGroupExists: !!laGroup,
      portal: portal.portal,
    };
    saveFacts(ctx, facts);
    ctx.shared.azure = {
      ...ctx.shared.azure,
      workspaceId: workspace.properties.customerId,
      workspaceResourceId: workspace.id,
    };
    return changes;
  },
  async apply(ctx, changes) {
    const az = await ctx.clients.azure();
    for (const c of changes) {
      if (c.action !== "create") continue;
      const { location } = c.payload!;
      await az.arm.createResourceGroup(c.name, location, ctx.names.azure.tags);
      ctx.io.message("success", `Created resource group ${c.name} in ${location}.`);
      const facts = ctx.shared.azureFacts;
      if (facts) facts.logicAppsResourceGroupExists = true;
    }
  },
  async verify(ctx): Promise<Check[]> {
    const az = await ctx.clients.azure();
    const checks: Check[] = [];
    const started = ctx.now();
    try {
      const me = await az.whoAmI();
      checks.push({
        id: "azure.signin",
        title: "Azure sign-in",
        status: "pass",
        evidence: `${az.credentialKind} as ${me.name ?? me.objectId}`,
        durationMs: ctx.now() - started,
      });
    } catch (e) {
      checks.push({
        id: "azure.signin",
        title: "Azure sign-in",
        status: "fail",
        cause: (e as Error).message,
        remedy: "az login, or set --azure-credential",
      });
      return checks;
    }
    const { resourceGroup, workspaceName, workspaceResourceGroup } = requiredAzureInputs(ctx.config);
    const onboarded = await az.arm.sentinelOnboarded(workspaceResourceGroup, workspaceName).catch(() => false);
    checks.push({
      id: "azure.sentinel",
      title: "Microsoft Sentinel enabled on the workspace",
      status: onboarded ? "pass" : "fail",
      evidence: `${workspaceResourceGroup}/${workspaceName}`,
      ...(onboarded ? {} : { remedy: "Add Microsoft Sentinel to the workspace." }),
    });
    const rg = await az.arm.resourceGroup(resourceGroup);
    checks.push({
      id: "azure.resourceGroup",
      title: "Logic Apps resource group",
      status: rg ? "pass" : "fail",
      evidence: resourceGroup,
    });
    return checks;
  },
};

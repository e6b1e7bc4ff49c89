/**
 * What Azure preflight found out, handed to the later Azure steps in memory (`ctx.shared.azureFacts`). Later
 * steps re-derive it when preflight was skipped (e.g. `verify`).
 */
import type { StepContext } from "../../engine/types.js";
import { InputError, SentinelElasticError } from "../../errors.js";
import type { AzureFacts } from "../../azure/templates.js";
import { inputs } from "../../config/registry.js";

/** "--resource-group, AZURE_RESOURCE_GROUP or azure.resourceGroup in the config file", from the input registry. */
export function whereToSet(key: string): string {
  const def = inputs.find((i) => i.key === key);
  return [def?.flag, def?.env, `${key} in the config file`].filter(Boolean).join(", ");
}

export const PREFLIGHT_ID = "azure-preflight";

declare module "../../engine/shared-state.js" {
  interface SharedState {
    /** Set by the Azure preflight (saveFacts); read through factsOf. */
    azureFacts?: AzureFacts;
  }
}

export function saveFacts(ctx: Pick<StepContext, "shared">, facts: AzureFacts): void {
  ctx.shared.azureFacts = facts;
}

/**
 * The preflight's findings; when preflight did not run in this process (`verify` alone), what the configuration
 * says, which is enough to find our resources again by their deterministic names.
 */
export function factsOf(ctx: Pick<StepContext, "shared" | "config">): AzureFacts {
  const f = ctx.shared.azureFacts;
  if (f) return f;
  const { resourceGroup, workspaceName, workspaceResourceGroup } = requiredAzureInputs(ctx.config);
  if (!ctx.config.azure.subscriptionId) {
    throw new SentinelElasticError("azure.subscriptionId is not set", {
      code: "INPUT_MISSING",
      suggestion: `Set ${whereToSet("azure.subscriptionId")}.`,
    });
  }
  return {
    subscriptionId: ctx.config.azure.subscriptionId,
    tenantId: ctx.config.azure.tenantId,
    logicAppsResourceGroup: resourceGroup,
    workspaceResourceGroup,
    workspaceName,
    location: ctx.config.azure.location ?? "",
    workspaceLocation: ctx.config.azure.location ?? "",
    ruleKind: ctx.config.rule.sentinelKind,
    logicAppsResourceGroupExists: true,
    ...(ctx.config.sentinel.portal === "auto" ? {} : { portal: ctx.config.sentinel.portal }),
  };
}

/** The inputs the Azure side cannot do without, all listed at once (exit 3). */
export function requiredAzureInputs(config: Pick<StepContext, "config">["config"]): {
  resourceGroup: string;
  workspaceName: string;
  workspaceResourceGroup: string;
} {
  const problems = [];
  if (!config.azure.resourceGroup)
    problems.push({ key: "azure.resourceGroup", message: "required", where: whereToSet("azure.resourceGroup") });
  if (!config.sentinel.workspaceName)
    problems.push({ key: "sentinel.workspaceName", message: "required", where: whereToSet("sentinel.workspaceName") });
  if (problems.length || !config.azure.resourceGroup || !config.sentinel.workspaceName) {
    throw new InputError(`missing Azure inputs: ${problems.map((p) => p.key).join(", ")}`, {
      code: "INPUT_MISSING",
      suggestion: "Set the inputs listed above.",
      problems,
    });
  }
  return {
    resourceGroup: config.azure.resourceGroup,
    workspaceName: config.sentinel.workspaceName,
    workspaceResourceGroup: config.sentinel.resourceGroup ?? config.azure.resourceGroup,
  };
}

/**
 * Preflight checks of the alert path: a classic (Data Collector API) table of the same name stops the run
 * before anything changes it, and a full NRT quota falls back to a Scheduled rule (with consent).
 */
import type { AzureClients } from "../../azure/client.js";
import type { StepContext } from "../../engine/types.js";
import { PreconditionError } from "../../errors.js";
import { whereToSet } from "./facts.js";

/** At most 50 NRT rules per workspace (learn.microsoft.com/azure/sentinel/near-real-time-rules#limitations). */
export const NRT_RULE_LIMIT = 50;

export async function checkTable(
  ctx: StepContext,
  az: AzureClients,
  workspaceResourceGroup: string,
  workspace: string,
) {
  const table = await az.arm.table(workspaceResourceGroup, workspace, ctx.config.alerts.table);
  const subType = table?.properties.schema?.tableSubType;
  if (table && subType === "Classic") {
    throw new PreconditionError(
      `table ${ctx.config.alerts.table} already exists as a classic (HTTP Data Collector API) table; setup will not change it`,
      {
        code: "AZURE_CLASSIC_TABLE",
        suggestion: `Either choose another table name (${whereToSet("alerts.table")}, e.g. ElasticSecurityAlerts_CL), or migrate the table to a DCR-based one (portal: Log Analytics workspace → Tables → ${ctx.config.alerts.table} → Migrate to manual schema management), then run again.`,
        details: { table: ctx.config.alerts.table, tableSubType: subType },
      },
    );
  }
}

export async function checkNrtQuota(
  ctx: StepContext,
  az: AzureClients,
  workspaceResourceGroup: string,
  workspace: string,
  wanted: "nrt" | "scheduled",
): Promise<"nrt" | "scheduled"> {
  if (wanted !== "nrt") return wanted;
  const rules = await az.arm.alertRules(workspaceResourceGroup, workspace);
  const ours = ctx.names.azure.analyticsRuleDisplayName;
  const used = rules.filter((r) => r.kind === "NRT" && r.properties.displayName !== ours).length;
  if (used < NRT_RULE_LIMIT) return "nrt";
  const fallback = await ctx.io.ask({
    kind: "confirm",
    code: "azure.nrtQuotaFallback",
    message: `Workspace ${workspace} already has ${used} NRT rules (the limit is ${NRT_RULE_LIMIT}). Create a Scheduled rule (every 5 minutes) instead?`,
    default: true,
  });
  if (!fallback) {
    throw new PreconditionError(
      `the NRT rule quota of workspace ${workspace} is used up (${used} of ${NRT_RULE_LIMIT})`,
      {
        code: "AZURE_NRT_QUOTA",
        suggestion: `Delete an NRT rule you no longer need, or set ${whereToSet("rule.sentinelKind")} to scheduled.`,
      },
    );
  }
  ctx.io.message("warn", `Using a Scheduled analytics rule: the workspace's ${NRT_RULE_LIMIT} NRT rules are used up.`);
  return "scheduled";
}

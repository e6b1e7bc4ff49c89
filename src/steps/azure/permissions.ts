/**
 * What the deploying principal must be allowed to do, per scope, for this configuration, and a check of the
 * caller's effective permissions (`Microsoft.Authorization/permissions`) against it. Missing actions name the
 * built-in role that grants them (MicrosoftDocs/azure-docs#91972: permissions are hard to find).
 */
import type { Permission } from "../../azure/arm.js";
import { roleFor } from "../../azure/errors.js";
import type { ResolvedConfig } from "../../config/schema.js";

export interface NeededAction {
  action: string;
  /** Where the action must be allowed: the Logic Apps' group, the workspace's group, or the workspace itself. */
  scope: "logicApps" | "workspaceGroup" | "workspace";
  why: string;
}

export function neededActions(
  config: Pick<ResolvedConfig, "features" | "sentinel">,
  portal: "defender" | "azure" = "azure",
): NeededAction[] {
  const out: NeededAction[] = [
    { action: "Microsoft.Resources/deployments/write", scope: "logicApps", why: "deploy the templates" },
    {
      action: "Microsoft.Resources/deployments/write",
      scope: "workspaceGroup",
      why: "deploy the workspace-scoped part",
    },
    { action: "Microsoft.Logic/workflows/write", scope: "logicApps", why: "create the Logic Apps" },
    {
      action: "Microsoft.Logic/workflows/triggers/listCallbackUrl/action",
      scope: "logicApps",
      why: "read the Logic Apps' callback URLs",
    },
  ];
  if (config.features.caseSync && portal === "defender") {
    // Defender mode (templates/azure/case-sync-defender.json): the cases table, its DCR and NRT rule, and roles.
    out.push(
      {
        action: "Microsoft.Insights/dataCollectionRules/write",
        scope: "logicApps",
        why: "create the cases data collection rule",
      },
      {
        action: "Microsoft.Authorization/roleAssignments/write",
        scope: "logicApps",
        why: "give the case-sync Logic App Monitoring Metrics Publisher on the cases data collection rule",
      },
      {
        action: "Microsoft.OperationalInsights/workspaces/tables/write",
        scope: "workspace",
        why: "create the cases table",
      },
      {
        action: "Microsoft.SecurityInsights/alertRules/write",
        scope: "workspace",
        why: "create the cases analytics rule",
      },
      {
        action: "Microsoft.Authorization/roleAssignments/write",
        scope: "workspace",
        why: "give the case-sync Logic Apps' identities Sentinel Reader on the workspace",
      },
    );
  } else if (config.features.caseSync) {
    if (config.sentinel.authorization === "oauth") {
      out.push({
        action: "Microsoft.Web/connections/write",
        scope: "logicApps",
        why: "create the azuresentinel API connection",
      });
    } else {
      out.push({
        action: "Microsoft.Authorization/roleAssignments/write",
        scope: "workspace",
        why: "give the case-sync Logic Apps' identities Sentinel Responder/Reader on the workspace",
      });
    }
  }
  if (config.features.alertForwarding) {
    out.push(
      {
        action: "Microsoft.Insights/dataCollectionRules/write",
        scope: "logicApps",
        why: "create the data collection rule",
      },
      {
        action: "Microsoft.Authorization/roleAssignments/write",
        scope: "logicApps",
        why: "give the alert-ingest Logic App Monitoring Metrics Publisher on the data collection rule",
      },
      {
        action: "Microsoft.OperationalInsights/workspaces/tables/write",
        scope: "workspace",
        why: "create the alerts table",
      },
      { action: "Microsoft.SecurityInsights/alertRules/write", scope: "workspace", why: "create the analytics rule" },
    );
  }
  return out;
}

const matches = (pattern: string, action: string) =>
  new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, "\\$&"))
      .join(".*")}$`,
    "i",
  ).test(action);

/** Whether the permissions (as listed for the caller at a scope) allow an action. */
export function allows(perms: Permission[], action: string): boolean {
  return perms.some((p) => p.actions.some((a) => matches(a, action)) && !p.notActions.some((n) => matches(n, action)));
}

export interface MissingAction extends NeededAction {
  role: string;
  scopeId: string;
}

export function missingActions(
  needed: NeededAction[],
  perms: Record<NeededAction["scope"], Permission[]>,
  scopeIds: Record<NeededAction["scope"], string>,
): MissingAction[] {
  return needed
    .filter((n) => !allows(perms[n.scope], n.action))
    .map((n) => ({ ...n, role: roleFor(n.action), scopeId: scopeIds[n.scope] }));
}

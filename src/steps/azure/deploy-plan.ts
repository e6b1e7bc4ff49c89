/**
 * Turning ARM what-if results into plan rows: one Change per resource we manage, named and described so a
 * person can read the plan table (role assignments say which role; rules say which kind).
 */
import type { WhatIfChange } from "../../azure/deployments.js";
import type { Names } from "../../names.js";
import { roleAssignmentLabel, roleName, templateHolder } from "./object-names.js";
import type { DeploymentUnit } from "../../azure/templates.js";
import type { Change, ChangeAction } from "../../engine/types.js";

export const DEPLOY_ID = "azure-deploy";

const friendly: [RegExp, string][] = [
  [/^Microsoft\.Logic\/workflows$/i, "Logic App workflow"],
  [/^Microsoft\.Web\/connections$/i, "API connection (azuresentinel)"],
  [/^Microsoft\.Authorization\/roleAssignments$/i, "role assignment"],
  [/^Microsoft\.Insights\/dataCollectionRules$/i, "data collection rule"],
  [/^Microsoft\.OperationalInsights\/workspaces\/tables$/i, "Log Analytics table"],
  [/^Microsoft\.SecurityInsights\/alertRules$/i, "Sentinel analytics rule"],
];

/** `/subscriptions/…/providers/A/b/name/providers/C/d/name2` → type `C/d`, name `name2`, parent scope. */
export function parseResourceId(id: string): { type: string; name: string; scope: string } {
  const i = id.toLowerCase().lastIndexOf("/providers/");
  const scope = id.slice(0, i);
  const parts = id.slice(i + "/providers/".length).split("/");
  const ns = parts[0] ?? "";
  const typeParts = [ns];
  const names: string[] = [];
  for (let k = 1; k < parts.length; k += 2) {
    typeParts.push(parts[k] ?? "");
    names.push(parts[k + 1] ?? "");
  }
  return { type: typeParts.join("/"), name: names.join("/"), scope };
}

function describe(c: WhatIfChange, unit: DeploymentUnit, names: Names): { resource: string; name: string } {
  const { type, name, scope } = parseResourceId(c.resourceId);
  let resource = friendly.find(([re]) => re.test(type))?.[1] ?? type;
  let shown = name.includes("/") ? (name.split("/").pop() ?? name) : name;
  const payload =
    (c as { after?: { properties?: Record<string, unknown>; kind?: string } }).after ??
    (c as { before?: { properties?: Record<string, unknown>; kind?: string } }).before;
  if (/roleAssignments$/i.test(type)) {
    const role = roleName(String(payload?.properties?.roleDefinitionId ?? ""));
    const label = roleAssignmentLabel(
      role,
      templateHolder(unit.templateName, role, names),
      parseResourceId(scope).name || scope,
    );
    resource = label.resource;
    shown = label.name;
  }
  if (/alertRules$/i.test(type)) {
    resource = `Sentinel analytics rule${payload?.kind ? ` (${payload.kind})` : ""}`;
    shown = String(payload?.properties?.displayName ?? shown);
  }
  return { resource, name: shown };
}

const actionOf: Record<string, ChangeAction> = {
  Create: "create",
  Modify: "update",
  Deploy: "update",
  Unsupported: "update",
  NoChange: "no-op",
  Delete: "delete",
};

/** What the deploy step's apply needs per row: its deployment unit, and a stale assignment to delete first. */
export interface DeployPayload {
  unit: string;
  /** Resource id of a role assignment of ours whose principal changed: deleted before the deployment. */
  replace?: string;
}

/**
 * A role assignment whose principal changed: a Logic App deleted and created again comes back with a new
 * system-assigned identity (its identity shares the resource's life cycle,
 * https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/overview), and Resource Manager
 * refuses to update an assignment's principal (RoleAssignmentUpdateNotPermitted,
 * https://learn.microsoft.com/azure/role-based-access-control/troubleshooting). Only ours is replaced: our
 * templates write a description starting with "sentinel-elastic".
 */
function isStaleRoleAssignment(c: WhatIfChange): boolean {
  if (c.changeType !== "Modify" || !/\/providers\/Microsoft\.Authorization\/roleAssignments\//i.test(c.resourceId))
    return false;
  if (!(c.delta ?? []).some((d) => d.path === "properties.principalId")) return false;
  const before = (c as { before?: { properties?: { description?: string } } }).before;
  const description = before?.properties?.description;
  return description === undefined || description.startsWith("sentinel-elastic");
}

export function changesFromWhatIf(unit: DeploymentUnit, whatIf: WhatIfChange[], names: Names): Change<DeployPayload>[] {
  const out: Change<DeployPayload>[] = [];
  for (const c of whatIf) {
    // Ignore = exists in the resource group but not in this template (the other unit's, or the user's).
    if (c.changeType === "Ignore" || /Microsoft\.Resources\/deployments/i.test(c.resourceId)) continue;
    // Incremental deployments never delete; what-if lists nothing as Delete in that mode.
    const action = actionOf[c.changeType] ?? "update";
    if (action === "delete") continue;
    const { resource, name } = describe(c, unit, names);
    if (isStaleRoleAssignment(c)) {
      out.push({
        step: DEPLOY_ID,
        target: "azure",
        resource,
        name,
        action: "replace",
        reason:
          "its Logic App was recreated with a new identity; Azure cannot point an assignment at another principal (RoleAssignmentUpdateNotPermitted): the stale one is deleted, then created for the new identity",
        diff: (c.delta ?? []).slice(0, 20).map((d) => ({ field: d.path, from: d.before, to: d.after })),
        payload: { unit: unit.id, replace: c.resourceId } satisfies DeployPayload,
      });
      continue;
    }
    const reason =
      c.changeType === "Create"
        ? "does not exist"
        : c.changeType === "NoChange"
          ? "matches the template"
          : c.changeType === "Unsupported"
            ? `what-if cannot tell (${c.unsupportedReason ?? "unsupported"}); redeployed`
            : `differs from the template (${
                (c.delta ?? [])
                  .map((d) => d.path)
                  .slice(0, 5)
                  .join(", ") || "properties"
              })`;
    out.push({
      step: DEPLOY_ID,
      target: "azure",
      resource,
      name,
      action,
      reason,
      diff: (c.delta ?? []).slice(0, 20).map((d) => ({ field: d.path, from: d.before, to: d.after })),
      payload: { unit: unit.id },
    });
  }
  return out;
}

/** When the resource group does not exist yet, what-if cannot run: everything in the unit is new. */
export function changesForNewResourceGroup(
  unit: DeploymentUnit,
  names: Names,
  ruleKind: string,
): Change<DeployPayload>[] {
  const n = names.azure;
  const workspace = names.workspace.workspaceName ?? "the workspace";
  const rows: [string, string][] =
    unit.id === "case-sync"
      ? unit.templateName === "case-sync-defender"
        ? [
            ["Log Analytics table", n.defender.table],
            ["data collection rule", n.defender.dataCollectionRule],
            ["Logic App workflow", n.caseSync],
            ["Logic App workflow", n.caseGet],
            ["role assignment (Monitoring Metrics Publisher)", `${n.caseSync} on ${n.defender.dataCollectionRule}`],
            ["role assignment (Microsoft Sentinel Reader)", `${n.caseSync} on ${workspace}`],
            ["role assignment (Microsoft Sentinel Reader)", `${n.caseGet} on ${workspace}`],
            ["Sentinel analytics rule (NRT)", n.defender.ruleDisplayName],
          ]
        : unit.templateName === "case-sync-oauth"
          ? [
              ["API connection (azuresentinel)", n.connection],
              ["Logic App workflow", n.caseSync],
              ["Logic App workflow", n.caseGet],
            ]
          : [
              ["Logic App workflow", n.caseSync],
              ["Logic App workflow", n.caseGet],
              ["role assignment (Microsoft Sentinel Responder)", `${n.caseSync} on ${workspace}`],
              ["role assignment (Microsoft Sentinel Reader)", `${n.caseGet} on ${workspace}`],
            ]
      : [
          ["Log Analytics table", String(unit.parameters.table)],
          ["data collection rule", n.dataCollectionRule],
          ["Logic App workflow", n.alertIngest],
          ["role assignment (Monitoring Metrics Publisher)", `${n.alertIngest} on ${n.dataCollectionRule}`],
          [`Sentinel analytics rule (${ruleKind === "nrt" ? "NRT" : "Scheduled"})`, n.analyticsRuleDisplayName],
        ];
  return rows.map(([resource, name]) => ({
    step: DEPLOY_ID,
    target: "azure",
    resource,
    name,
    action: "create",
    reason: "its resource group is created first",
    payload: { unit: unit.id },
  }));
}

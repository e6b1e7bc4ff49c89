/**
 * One name per Azure object, the same in every command (setup's plan, its apply lines, verify, teardown's plan):
 * a role assignment by its role and who holds it where ("role assignment (Microsoft Sentinel Reader)",
 * "elastic-sentinel-case-get on sentinel-demo"), an analytics rule by its display name, never by a GUID.
 */
import type { Names } from "../../names.js";
import { roleNames } from "../../names.js";

export const roleName = (roleDefinitionId: string): string => {
  const guid = roleDefinitionId.split("/").pop()?.toLowerCase() ?? "";
  return roleNames[guid] ?? guid;
};

export function roleAssignmentLabel(role: string, holder: string | undefined, scopeName: string) {
  return { resource: `role assignment (${role})`, name: holder ? `${holder} on ${scopeName}` : `on ${scopeName}` };
}

/** The way back's assignment: held by the integration's app registration (its object id is not a name). */
export const INTEGRATION_HOLDER = "the integration's app registration";

/**
 * Who holds a role our templates assign, when the principal cannot be looked up (what-if of a template whose
 * workflows do not exist yet): each template gives each role to one workflow, except Defender mode's Reader,
 * held by both case workflows.
 */
export function templateHolder(templateName: string, role: string, names: Names): string | undefined {
  const n = names.azure;
  if (templateName === "alert-forwarding") return role === "Monitoring Metrics Publisher" ? n.alertIngest : undefined;
  if (templateName === "case-sync-defender")
    return role === "Monitoring Metrics Publisher"
      ? n.caseSync
      : role === "Microsoft Sentinel Reader"
        ? `${n.caseSync} or ${n.caseGet}`
        : undefined;
  if (templateName === "case-sync-managed-identity")
    return role === "Microsoft Sentinel Responder"
      ? n.caseSync
      : role === "Microsoft Sentinel Reader"
        ? n.caseGet
        : undefined;
  return undefined;
}

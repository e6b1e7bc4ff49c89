/**
 * Objects several instances (prefixes) share, and how each instance records that it uses them, so that tearing
 * one instance down never breaks another:
 * - Kibana case settings of a space (one default case connector per space): every instance with case sync has
 *   its own marked `.cases-webhook` connector in the space; those connectors are the count. Each one records the
 *   default that was there before the FIRST instance (REPLACED_CONNECTOR_HEADER, copied from instance to
 *   instance). Teardown of the instance whose connector is the default hands the default to another instance
 *   still there, and only the last one puts back what was there before the first.
 * - The alerts table (`alerts.table` in the workspace): used by every instance whose data collection rule (ours
 *   by its tags) sends rows to it; `--delete-data` deletes it only when no other instance's rule does.
 * - The way back's Microsoft Sentinel Reader role assignment (one per app registration and workspace): each
 *   instance adds its prefix to the assignment's description; teardown removes its prefix and deletes the
 *   assignment only when no prefix is left (src/steps/way-back/role-assignment.ts).
 */
import { apiVersions, type DataCollectionRule } from "../azure/arm.js";
import type { AzureClients } from "../engine/clients.js";
import type { Connector } from "../kibana/connectors.js";
import { INSTANCE_TAG, MANAGED_BY } from "../names.js";
import { CASES_WEBHOOK, type ReplacedConnector, readReplacedConnector } from "../kibana/connector-bodies.js";
import { connectorInstance } from "./marker.js";

/** Our case connectors of other instances in the space: who else uses the case settings. */
export function otherInstancesCaseConnectors(all: Connector[], prefix: string): Connector[] {
  return all
    .filter((c) => c.connector_type_id === CASES_WEBHOOK && !c.is_preconfigured)
    .filter((c) => {
      const owner = connectorInstance(c.config);
      return owner !== undefined && owner !== prefix;
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * What setup records as "what was there before": when the current default is another instance's connector, that
 * instance's own record (what was there before the first instance); otherwise the current default itself.
 */
export function originalDefault(
  current: { id: string; name: string; type: string } | undefined,
  currentConnector: Connector | undefined,
  prefix: string,
): ReplacedConnector | undefined {
  if (!current) return undefined;
  const owner = connectorInstance(currentConnector?.config);
  if (owner && owner !== prefix) return readReplacedConnector(currentConnector?.config);
  return current;
}

/** Whether a data collection rule sends rows to `table` in the workspace `workspaceId` (an ARM id path). */
export function dcrSendsTo(dcr: DataCollectionRule, workspaceId: string, table: string): boolean {
  const dests = new Set(
    (dcr.properties.destinations?.logAnalytics ?? [])
      .filter((d) => (d.workspaceResourceId ?? "").toLowerCase() === workspaceId.toLowerCase())
      .map((d) => d.name),
  );
  return (dcr.properties.dataFlows ?? []).some(
    (f) =>
      (f.outputStream ?? "").toLowerCase() === `custom-${table}`.toLowerCase() &&
      (f.destinations ?? []).some((d) => dests.has(d)),
  );
}

/**
 * The other instances whose data collection rules (ours by their tags, anywhere in the subscription the caller
 * can read) send rows to the alerts table: while any is left, `--delete-data` keeps the table.
 */
export async function otherTableUsers(
  az: Pick<AzureClients, "arm" | "http">,
  workspaceId: string,
  table: string,
  prefix: string,
): Promise<string[]> {
  const tagged = await az.arm.resourcesWithTag(INSTANCE_TAG);
  const users = new Set<string>();
  for (const r of tagged) {
    const instance = r.tags?.[INSTANCE_TAG];
    if (!/^Microsoft\.Insights\/dataCollectionRules$/i.test(r.type) || r.tags?.["managed-by"] !== MANAGED_BY) continue;
    if (!instance || instance === prefix) continue;
    const dcr = await az.arm.getById<DataCollectionRule>(
      r.id,
      apiVersions.dataCollectionRules,
      `reading data collection rule ${r.name}`,
    );
    if (dcr && dcrSendsTo(dcr, workspaceId, table)) users.add(instance);
  }
  return [...users].sort();
}

// --- The way back's Sentinel Reader assignment: one per app registration and workspace, shared by instances ---

const ROLE_PURPOSE = "the microsoft_sentinel Fleet integration reads incidents and alerts.";
const INSTANCE_IN_DESCRIPTION = new RegExp(`${INSTANCE_TAG}: ([A-Za-z0-9][A-Za-z0-9-]*)`, "g");

/** The instances a role assignment's description says use it (none unless it carries `managed-by: sentinel-elastic`). */
export function instancesInDescription(description: string | undefined): string[] {
  if (!description?.includes(`managed-by: ${MANAGED_BY}`)) return [];
  return [...new Set([...description.matchAll(INSTANCE_IN_DESCRIPTION)].map((m) => m[1]!))].sort();
}

/** The description recording that `instances` use the assignment (role assignments take no tags). */
export function describeInstances(instances: string[]): string {
  const list = [...new Set(instances)].sort().map((p) => `${INSTANCE_TAG}: ${p}`);
  return `managed-by: ${MANAGED_BY}; ${list.join("; ")}: ${ROLE_PURPOSE}`;
}
